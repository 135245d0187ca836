import DeviceProtocols

/// The order in which a probe tries serial settings on one port, and the candidates it listens
/// for under each: every candidate that shares a setting is judged on the same bytes at once.
///
/// Settings are ordered by likelihood: the profile seen on this port before first, then settings
/// whose profiles' USB entries match the adapter (ids with strings, then ids alone), then the
/// settings with the most candidates; ties keep the catalog's order.
public struct ProbePlan: Sendable, CustomStringConvertible {
    /// One serial setting and the profiles listened for under it.
    public struct Step: Sendable {
        /// The setting.
        public var settings: SerialSettings
        /// The profiles judged on the bytes read under it.
        public var candidates: [any DeviceProfile.Type]
        /// Why it comes where it does (`seen on this port before`, `USB 0403:6001 strings match`).
        public var why: String
    }

    /// What a probe may use to order its settings.
    public struct Hints: Sendable, Hashable {
        /// The adapter behind the port, when it is USB.
        public var usb: USBDeviceInfo?
        /// Profiles seen on this port before (its kept identity, even one dropped), most recent first.
        public var seenBefore: [String]

        /// Hints.
        public init(usb: USBDeviceInfo? = nil, seenBefore: [String] = []) {
            self.usb = usb
            self.seenBefore = seenBefore
        }
    }

    /// The settings in the order tried.
    public var steps: [Step]
    /// Profiles left out, each with why (`ge-s5: sends records only when asked`).
    public var notProbed: [String]
    /// True when a profile's harmless identification request may be written (`--probe-active`).
    public var active: Bool

    /// The plan for `candidates` on a port described by `hints`.
    public init(candidates: [any DeviceProfile.Type], hints: Hints = Hints(), active: Bool = false) {
        self.active = active
        var eligible: [any DeviceProfile.Type] = []
        var left: [String] = []
        for profile in candidates {
            switch profile.probeBehaviour {
            case .streams: eligible.append(profile)
            case .answers(let request, let why):
                if active {
                    eligible.append(profile)
                } else {
                    left.append("\(profile.id): \(why) (--probe-active sends \(request.rawValue))")
                }
            case .silent(let why): left.append("\(profile.id): \(why)")
            }
        }
        notProbed = left
        var groups: [(settings: SerialSettings, candidates: [any DeviceProfile.Type], score: Int, why: [String])] = []
        for profile in eligible {
            if let i = groups.firstIndex(where: { $0.settings.sameLine(as: profile.serial) }) {
                groups[i].candidates.append(profile)
            } else {
                groups.append((profile.serial, [profile], 0, []))
            }
        }
        for i in groups.indices {
            let ids = groups[i].candidates.map { $0.id }
            if let seen = hints.seenBefore.firstIndex(where: { ids.contains($0) }) {
                groups[i].score += 1000 - seen
                groups[i].why.append("\(hints.seenBefore[seen]) seen on this port before")
            }
            if let usb = hints.usb {
                for profile in groups[i].candidates {
                    if profile.usbMatches.contains(where: {
                        $0.matches(vendorID: usb.vendorID, productID: usb.productID, manufacturer: usb.manufacturer, product: usb.product)
                    }) {
                        groups[i].score += 500
                        groups[i].why.append("USB \(usb.ids) and its strings match \(profile.id)")
                    } else if profile.usbMatches.contains(where: { $0.vendorID == usb.vendorID && $0.productID == usb.productID }) {
                        groups[i].score += 100
                        groups[i].why.append("USB \(usb.ids) is one \(profile.id) uses")
                    }
                }
            }
            groups[i].score += 10 * groups[i].candidates.count
            if groups[i].why.isEmpty { groups[i].why.append("\(groups[i].candidates.count) candidate(s)") }
        }
        // A stable sort: equal scores keep the catalog's order.
        let ordered = groups.enumerated().sorted { a, b in
            a.element.score != b.element.score ? a.element.score > b.element.score : a.offset < b.offset
        }
        steps = ordered.map { Step(settings: $0.element.settings, candidates: $0.element.candidates, why: $0.element.why.joined(separator: "; ")) }
    }

    /// `9600 8N1 (nonin-df2, nonin-df7, ...), then 115200 8N1 (berrymed)`.
    public var description: String {
        steps.map { "\($0.settings) (\($0.candidates.map { $0.id }.joined(separator: ", ")))" }.joined(separator: ", then ")
    }
}

extension SerialSettings {
    /// True when `other` sets the line the same way (speed, framing, flow control), whatever
    /// its note says: two profiles with such settings are listened for on the same bytes.
    public func sameLine(as other: SerialSettings) -> Bool {
        baudRate == other.baudRate && dataBits == other.dataBits && parity == other.parity && stopBits == other.stopBits
            && rtsCts == other.rtsCts
    }
}
