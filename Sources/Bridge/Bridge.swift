/// The `Bridge` module (see DESIGN.md, "Modules").
public enum BridgeModule {
    /// The module's name, for logs.
    public static let name = "Bridge"
}
