/// A hot-plug event for a serial port, delivered by ``UdevMonitor``.
public struct UdevEvent: Sendable, Hashable {
    /// What happened.
    public enum Action: Sendable, Hashable {
        /// A port appeared (plugged in).
        case add
        /// A port went away (unplugged).
        case remove
        /// A port's properties changed.
        case change
        /// Any other action the kernel or udev reports (`bind`, `unbind`, `move`, `online`).
        case other(String)

        /// The action named `name` as libudev spells it.
        public init(_ name: String) {
            switch name {
            case "add": self = .add
            case "remove": self = .remove
            case "change": self = .change
            default: self = .other(name)
            }
        }
    }

    /// What happened.
    public var action: Action
    /// The port it happened to. On `remove`, sysfs is already gone: only what the event itself
    /// carries is known (devnode, syspath, and the `ID_*` properties when udevd sent it).
    public var device: SerialDeviceInfo

    /// An event.
    public init(action: Action, device: SerialDeviceInfo) {
        self.action = action
        self.device = device
    }
}
