import Foundation

/// Paths in the checkout, found from this file.
enum RepositoryPaths {
    static let root: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
            url.deleteLastPathComponent()
        }
        return url
    }()

    static var rules: String { root.appendingPathComponent("Rules/ketamine.yaml").path }
}
