/// The `RulesEngine` module (see DESIGN.md, "Modules").
public enum RulesEngineModule {
    /// The module's name, for logs.
    public static let name = "RulesEngine"
}
