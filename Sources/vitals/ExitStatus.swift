import ArgumentParser
import Bridge
import DeviceIO
import DeviceProtocols
import Foundation
import RulesEngine
import Store
import VitalsCore

/// The one exit-code table of every command (issue 19), printed at the end of each `--help` and
/// in README.md; `ExitStatusTests` pin it. 64, 66 and 69 are sysexits.h's EX_USAGE, EX_NOINPUT
/// and EX_UNAVAILABLE.
enum ExitStatus {
    static let success: Int32 = 0
    static let checkFailed: Int32 = 1
    static let invalidInput: Int32 = 2
    static let usage: Int32 = 64
    static let noSuchThing: Int32 = 66
    static let unavailable: Int32 = 69

    /// The table as `--help` ends.
    static let helpText = """
        EXIT STATUS:
          0   success
          1   a check failed (rules test failed, session end refused, an acknowledgement
              refused, status --fail-on-active found an alert or a room not monitored)
          2   input unreadable or invalid (rule file, devices file, fixture, vitals.conf,
              an option's value)
          64  usage: the command line could not be parsed
          66  no such database, session, alert or room
          69  device or service unavailable (no device answered; the database cannot be
              opened or written)
        """

    /// The status for an error a command threw (`nil`: ArgumentParser's own, such as a parse
    /// error, help or `ExitCode`).
    static func code(for error: any Error) -> Int32? {
        switch error {
        case is MissingDatabaseError, is UnknownRoomError: return noSuchThing
        case is ConfigFileError, is RuleLoadError, is LimitsRefused, is DevicesFileError, is DurationTextError,
            is UnknownProfileError, is UnknownScenarioError, is ReplayError:
            return invalidInput
        case is SerialPortError, is UdevError: return unavailable
        case let e as AcknowledgementRefusal:
            switch e {
            case .missingName: return invalidInput
            case .unknownAlert: return noSuchThing
            case .alreadyAcknowledged, .alreadyCleared, .superseded, .sessionEnded, .refused: return checkFailed
            }
        case let e as TerminalCommandError:
            switch e {
            case .noDatabase, .unknownAlert: return noSuchThing
            case .badOption, .missingName: return invalidInput
            case .alreadyAcknowledged, .alreadyCleared, .superseded, .sessionEnded, .refused: return checkFailed
            }
        case let e as StoreError:
            switch e {
            case .unknownSession, .noOpenSession, .notAVitalsDatabase: return noSuchThing
            case .invalidValue: return invalidInput
            case .sessionAlreadyOpen, .sessionEnded: return checkFailed
            case .cannotOpen, .writeFailed, .readFailed: return unavailable
            }
        default:
            return nil
        }
    }
}

extension Vitals {
    /// Parses, runs, and exits with `ExitStatus`'s code; help ends with the exit-code table.
    static func main() async {
        unblockStopSignals()
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if let code = ExitStatus.code(for: error) {
                FileHandle.standardError.write(Data("Error: \(error)\n".utf8))
                Foundation.exit(code)
            }
            let message = fullMessage(for: error)
            if exitCode(for: error) == .success, message.contains("USAGE:") {
                print(message + "\n\n" + ExitStatus.helpText)
                Foundation.exit(0)
            }
            exit(withError: error)
        }
    }
}

extension Vitals {
    /// Unblocks SIGINT, SIGTERM, SIGHUP and SIGQUIT on this (the main) thread.
    ///
    /// A process inherits its parent's blocked-signal mask, and some parents block these: a
    /// program's libdispatch worker threads block nearly every signal, so a child started from
    /// one (Foundation's `Process` in a Swift test, a Swift supervisor) got them blocked, and
    /// `vitals tail`, `status --watch` or `ack --wait` then ignored Ctrl-C and SIGTERM for good
    /// (the hung end-to-end suites of issue 19). The room daemon answered only because its
    /// dispatch signal sources do not depend on the mask. Called before any thread starts,
    /// so every thread created later inherits the unblocked mask.
    static func unblockStopSignals() {
        var set = sigset_t()
        sigemptyset(&set)
        for s in [SIGINT, SIGTERM, SIGHUP, SIGQUIT] { sigaddset(&set, s) }
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }
}
