/// How a device of a profile can be recognised by a probe of an unassigned port: what
/// `ProfileProber` may do to identify it, declared by the profile that knows its device.
public enum ProbeBehaviour: Sendable, Hashable {
    /// The device sends on its own once powered: listening is enough (passive probing).
    case streams
    /// The device is silent until asked; `request` is harmless (it only asks for identification
    /// and changes nothing on the device), so `--probe-active` may send it and judge the reply.
    case answers(request: HostCommand, why: String)
    /// The device is silent until asked, and no request is harmless enough to send to a port whose
    /// device is unknown: it cannot be probed; a devices file must assign it.
    case silent(why: String)
}

extension DeviceProfile {
    /// Streams on its own by default.
    public static var probeBehaviour: ProbeBehaviour { .streams }
}
