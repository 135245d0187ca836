import VitalsCore

extension StoreError {
    /// Reads a duration for the store's commands (`--observe 2h`, `-10m`) in milliseconds, or
    /// throws an `invalidValue` that says how to write one.
    public static func duration(_ text: String, name: String = "duration") throws(StoreError) -> Int64 {
        do {
            return try DurationText.parseExplaining(text).milliseconds
        } catch {
            throw StoreError.invalidValue(name: name, value: text, reason: error.reason)
        }
    }
}
