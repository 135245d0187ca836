/// The `Store` module (see DESIGN.md, "Modules").
public enum StoreModule {
    /// The module's name, for logs.
    public static let name = "Store"
}
