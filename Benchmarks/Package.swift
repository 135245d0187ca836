// swift-tools-version: 6.1
// The benchmark package (`make bench`): release-build figures beside their limits, never part
// of `make test` or CI. Kept apart so the test build never compiles the benchmark framework.
import Foundation
import PackageDescription

// A path dependency's identity is its folder's name, which differs between checkouts.
let bridgePackage = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().lastPathComponent.lowercased()

let package = Package(
    name: "VitalsBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
        // The same GRDB as the bridge: its SQLite C module is the raw-insert baseline of the store figure.
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        // `make bench`: every goal of issue 7 beside its limit, measured in the same run, as JSON
        // (a plain executable, so scripts/bench.sh can run it and merge what it prints).
        .executableTarget(
            name: "PipelineBenchmarks",
            dependencies: [
                .product(name: "VitalsKit", package: bridgePackage),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            path: "Benchmarks/PipelineBenchmarks",
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        .executableTarget(
            name: "RulesBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "VitalsKit", package: bridgePackage),
            ],
            path: "Benchmarks/RulesBenchmarks",
            swiftSettings: [.swiftLanguageMode(.v6)],
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
