/// Every device profile the bridge knows, by its stable name.
public enum ProfileCatalog {
    /// All profiles, in the order `--help` lists them.
    public static let all: [any DeviceProfile.Type] = [
        NoninDF2.self, NoninDF7.self, NoninDF8.self, NoninASCII.self, MasimoASCII.self,
        ContecCMS50.self, BerryMed.self, SunTechAdvantage.self, AndUA767.self,
        ContecCMS50V7.self, GES5.self, GECarescape115200.self, PhilipsIntelliVue.self,
    ]

    /// The profile named `id`, or `nil`.
    public static func profile(named id: String) -> (any DeviceProfile.Type)? {
        all.first { $0.id == id }
    }

    /// The known profile names, comma-separated, for error messages.
    public static var knownNames: String { all.map { $0.id }.joined(separator: ", ") }
}
