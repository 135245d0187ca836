/// The `DeviceIO` module (see DESIGN.md, "Modules").
public enum DeviceIOModule {
    /// The module's name, for logs.
    public static let name = "DeviceIO"
}
