/// Something a device said about itself rather than about the patient: a missing value, the
/// sensor coming off, its own alarm or exception bits, a measurement error, a command reply, or
/// the decoder losing and regaining frame sync.
public struct DeviceStatus: Sendable, Hashable {
    /// What kind of status this is.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// The device sent its missing-value marker for `metric` (Nonin 127/511, Masimo `---`,
        /// BerryMed 0x7F/0xFF): no reading is produced.
        case valueMissing = "value-missing"
        /// The sensor is off, disconnected, or there is no finger.
        case sensorOff = "sensor-off"
        /// The sensor is back on and the device reports values again.
        case sensorOn = "sensor-on"
        /// The device's own alarm bits (Masimo ALARM), in `code`.
        case deviceAlarm = "device-alarm"
        /// The device's own exception bits (Masimo EXC), in `code`.
        case deviceException = "device-exception"
        /// A measurement ended with an error code (SunTech byte 20, A&D result code), in `code`.
        case measurementError = "measurement-error"
        /// The device's battery is low.
        case lowBattery = "low-battery"
        /// The device acknowledged a host command.
        case commandAccepted = "command-accepted"
        /// The device rejected a host command or reported it busy.
        case commandRejected = "command-rejected"
        /// A progress report from the device (for example NIBP cuff pressure during inflation).
        case progress
        /// The decoder lost frame sync (bad check, bad format); `byteOffset` says where.
        case syncLost = "sync-lost"
        /// The decoder found frame sync again.
        case syncAcquired = "sync-acquired"
        /// Device information (firmware revision, version string).
        case info
        /// A field was well-formed but its value lies outside `Metric.plausibleRange` (or the
        /// protocol's own range) for `metric`: a corrupted field, never a reading. `detail` holds
        /// the raw field text, `byteOffset` where the field (or its frame) starts.
        case valueImplausible = "value-implausible"
        /// A field does not have its protocol's exact syntax (digit count, separator, `%`,
        /// decimal places): `detail` holds the reason and the raw field text, `byteOffset` where
        /// it starts. Text protocols have no checksum, so this is their only defence.
        case fieldMalformed = "field-malformed"
        /// The device clock on a line is zero or impossible (`00/00/00 00:00:00`): the line's
        /// readings keep host time and carry no device time. Reported when the clock turns bad.
        case clockInvalid = "clock-invalid"
        /// A monitor with a session protocol accepted the host's association (IntelliVue AARE):
        /// data can be polled.
        case associated
        /// The monitor refused the association request (IntelliVue refuse `0C`), reason in
        /// `detail`: a technical alert, no data will come.
        case associationRefused = "association-refused"
        /// The monitor ended the association on its own (IntelliVue abort `19`, or a release
        /// request it sent): a technical alert; the host's dialogue starts over.
        case associationDropped = "association-dropped"
        /// The association ended as the host asked (IntelliVue release result `0A`).
        case associationReleased = "association-released"
    }

    /// What kind of status this is.
    public var kind: Kind
    /// The metric it concerns, where it concerns one.
    public var metric: Metric?
    /// The device's own code (alarm bits, exception bits, error code), where it sends one.
    public var code: UInt32?
    /// A short human description ("pneumatic blockage", "no finger").
    public var detail: String
    /// The offset in the device's byte stream (counted from the decoder's first byte) where
    /// this status was recognised; used for sync events and error messages.
    public var byteOffset: Int?
    /// The device's own time, where the protocol carries one.
    public var deviceTime: DeviceTime?

    /// A device status.
    public init(
        _ kind: Kind, metric: Metric? = nil, code: UInt32? = nil, detail: String = "",
        byteOffset: Int? = nil, deviceTime: DeviceTime? = nil
    ) {
        self.kind = kind
        self.metric = metric
        self.code = code
        self.detail = detail
        self.byteOffset = byteOffset
        self.deviceTime = deviceTime
    }
}
