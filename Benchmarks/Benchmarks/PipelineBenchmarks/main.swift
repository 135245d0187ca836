// The figures of issue 7 that need no `vitals run` (1 to 4), printed as one JSON object on
// stdout: {"figures": [...]}. scripts/bench.sh runs this in a release build and
// scripts/bench-report.py writes the table. Progress goes to stderr.
//
// Usage: PipelineBenchmarks [--rules PATH] [--only decode,rules,store,replay] [--profiles ID,...] [--quick]
//        PipelineBenchmarks --rules PATH --backtest-db FILE [--workers N]: `Backtest` in process over
//        every session of FILE, its time on stderr (to profile what figure 8 measures end to end).
import Foundation

var rulesPath = "Rules/ketamine.yaml"
var only: Set<String> = ["decode", "rules", "store", "replay"]
var quick = false
var decodeProfiles: Set<String>?
var backtestDB: String?
var backtestWorkers: Int?
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    switch argument {
    case "--rules": rulesPath = arguments.popFirst() ?? rulesPath
    case "--only": only = Set((arguments.popFirst() ?? "").split(separator: ",").map(String.init))
    case "--quick": quick = true
    case "--backtest-db": backtestDB = arguments.popFirst()
    case "--workers": backtestWorkers = arguments.popFirst().flatMap { Int($0) }
    case "--profiles": decodeProfiles = Set((arguments.popFirst() ?? "").split(separator: ",").map(String.init))
    default:
        FileHandle.standardError.write(Data("unknown argument \(argument)\n".utf8))
        exit(2)
    }
}

func progress(_ text: String) {
    FileHandle.standardError.write(Data("bench: \(text)\n".utf8))
}

if let backtestDB {
    do {
        try BacktestProfile.run(rulesPath: rulesPath, database: backtestDB, workers: backtestWorkers)
        exit(0)
    } catch {
        progress("failed: \(error)")
        exit(1)
    }
}

var figures: [Figure] = []
do {
    if only.contains("decode") {
        progress("1. decode, every profile")
        figures += DecodeFigures.measure(rounds: quick ? 3 : 15, profiles: decodeProfiles)
    }
    if only.contains("rules") {
        progress("2. rules")
        figures.append(try RulesFigure.measure(rulesPath: rulesPath, segmentSeconds: quick ? 10_000 : 100_000))
    }
    if only.contains("store") {
        progress("3. store")
        figures += try StoreFigures.measure(readings: quick ? 50_000 : 300_000, rounds: 3)
    }
    if only.contains("replay") {
        progress("4. replay")
        figures.append(try ReplayFigure.measure(rulesPath: rulesPath, rounds: quick ? 1 : 3))
    }
} catch {
    progress("failed: \(error)")
    exit(1)
}

struct Output: Encodable {
    var figures: [Figure]
}

let encoder = JSONEncoder()
encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
encoder.nonConformingFloatEncodingStrategy = .convertToString(
    positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
let data = try encoder.encode(Output(figures: figures))
FileHandle.standardOutput.write(data)
FileHandle.standardOutput.write(Data("\n".utf8))
