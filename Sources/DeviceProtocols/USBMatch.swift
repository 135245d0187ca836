/// A USB identity that points at a profile.
///
/// A generic adapter (FTDI 0403:6001, CP210x, PL2303) is never assigned on its ids alone:
/// `requiresStrings` says the manufacturer or product string must match too.
public struct USBMatch: Sendable, Hashable {
    /// USB vendor id.
    public var vendorID: UInt16
    /// USB product id.
    public var productID: UInt16
    /// Substring the USB manufacturer string must contain (case-insensitive), if any.
    public var manufacturer: String?
    /// Substring the USB product string must contain (case-insensitive), if any.
    public var product: String?
    /// Where this match comes from and how sure it is.
    public var source: String

    /// A match.
    public init(vendorID: UInt16, productID: UInt16, manufacturer: String? = nil, product: String? = nil, source: String) {
        self.vendorID = vendorID
        self.productID = productID
        self.manufacturer = manufacturer
        self.product = product
        self.source = source
    }

    /// USB ids of generic USB-serial adapters: never enough on their own to pick a profile.
    public static let genericAdapters: Set<UInt32> = [
        0x0403_6001, 0x0403_6010, 0x0403_6011, 0x0403_6014, 0x0403_6015, // FTDI
        0x10C4_EA60, 0x10C4_EA70, // Silicon Labs CP210x
        0x067B_2303, 0x067B_23A3, // Prolific PL2303
        0x1A86_7523, 0x1A86_55D4, // WCH CH340/CH9102
    ]

    /// True when `vendorID:productID` is a generic adapter.
    public static func isGeneric(vendorID: UInt16, productID: UInt16) -> Bool {
        genericAdapters.contains(UInt32(vendorID) << 16 | UInt32(productID))
    }

    /// True when the device's ids and strings satisfy this match.
    public func matches(vendorID v: UInt16, productID p: UInt16, manufacturer m: String?, product pr: String?) -> Bool {
        guard v == vendorID, p == productID else { return false }
        if let manufacturer {
            guard let m, m.lowercased().contains(manufacturer.lowercased()) else { return false }
        }
        if let product {
            guard let pr, pr.lowercased().contains(product.lowercased()) else { return false }
        }
        if manufacturer == nil, product == nil, USBMatch.isGeneric(vendorID: v, productID: p) { return false }
        return true
    }
}
