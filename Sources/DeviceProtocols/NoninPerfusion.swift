import VitalsCore

/// The perfusion indication of a Nonin status byte (DF2/DF7 bits 2:1, reference
/// protocols-spo2.md 1.6, [SPEC]).
///
/// The oximeter sets these bits for 12 frames (160 ms) per detected pulse, so they double as a
/// beat marker; between pulses they read `none`.
public enum NoninPerfusion: UInt8, Sendable, Hashable, CaseIterable {
    /// `00`: no indication (between pulses).
    case none = 0b00
    /// `01` GPRF: green, high signal.
    case green = 0b01
    /// `10` RPRF: red, low or no signal.
    case red = 0b10
    /// `11` YPRF: yellow, low or marginal signal.
    case yellow = 0b11

    /// The quality flag this indication sets: yellow is marginal, red is low, green and none set
    /// nothing.
    public var flags: QualityFlags {
        switch self {
        case .none, .green: []
        case .yellow: .marginalPerfusion
        case .red: .lowPerfusion
        }
    }
}
