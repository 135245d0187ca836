// swift-tools-version: 6.1
import PackageDescription

let strict: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "vitals-bridge",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "vitals", targets: ["vitals"]),
        // The modules as a library, for the benchmark package in Benchmarks/.
        .library(name: "VitalsKit", targets: ["VitalsCore", "DeviceProtocols", "RulesEngine", "Store", "Bridge"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/onevcat/Rainbow", from: "4.2.2"),
        .package(url: "https://github.com/JohnSundell/Plot", exact: "0.14.0"),
        // Property-based tests of the alert state machine (issue 11); test targets only.
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        // SHA-256 of the rule file a session ran with (sessions.rules_sha256).
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        // Value types shared by every room; no I/O.
        .target(name: "VitalsCore", swiftSettings: strict),
        // Pure incremental decoders, encoders and profiles, one file per device profile.
        .target(name: "DeviceProtocols", dependencies: ["VitalsCore"], swiftSettings: strict),
        .systemLibrary(
            name: "CUdev", pkgConfig: "libudev",
            providers: [.apt(["libudev-dev"])]
        ),
        .target(name: "CTermios2"),
        // epoll and eventfd (not in Swift's Glibc module) for DeviceIO's one reader thread.
        .systemLibrary(name: "CEpoll"),
        // umockdev's testbed API, for DeviceIO's udev and hot-plug tests only.
        .systemLibrary(
            name: "CUmockdev", pkgConfig: "umockdev-1.0",
            providers: [.apt(["libumockdev-dev"])]
        ),
        .target(
            name: "DeviceIO",
            dependencies: [
                "VitalsCore", "DeviceProtocols", "CUdev", "CTermios2", "CEpoll",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "RulesEngine",
            dependencies: [
                "VitalsCore", .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "Store",
            dependencies: [
                "VitalsCore", .product(name: "GRDB", package: "GRDB.swift"),
                // The readings INSERT binds through SQLite's C API on GRDB's own statement.
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            swiftSettings: strict
        ),
        // The session report: a model built from Store queries, the REMS form's computed fields, and
        // its renderers (terminal text, HTML with our own SVG trends, JSON, PDF through Chromium).
        .target(
            name: "Reports",
            dependencies: ["VitalsCore", "RulesEngine", "Store", .product(name: "Plot", package: "Plot")],
            swiftSettings: strict
        ),
        .target(
            name: "Bridge",
            dependencies: [
                "VitalsCore", "DeviceProtocols", "DeviceIO", "RulesEngine", "Store", "Reports",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // The clinic's central PostgreSQL: schema, migrations, upserts, tail and board across rooms.
        .target(
            name: "Central",
            dependencies: [
                "VitalsCore", "Store",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // The store-and-forward forwarder (its own process) and one destination per URL scheme.
        .target(
            name: "Forwarding",
            dependencies: [
                "VitalsCore", "Store", "Central",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "vitals",
            dependencies: [
                "VitalsCore", "DeviceProtocols", "DeviceIO", "RulesEngine", "Store", "Bridge", "Reports", "Forwarding", "Central",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Rainbow", package: "Rainbow"),
            ],
            swiftSettings: strict
        ),

        // Test helper for the store's crash and kill tests; not a product, never installed.
        .executableTarget(
            name: "vitals-test-writer",
            dependencies: ["VitalsCore", "Store", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: strict
        ),

        .testTarget(name: "VitalsCoreTests", dependencies: ["VitalsCore"], swiftSettings: strict),
        .testTarget(
            name: "DeviceProtocolsTests", dependencies: ["VitalsCore", "DeviceProtocols"],
            resources: [], swiftSettings: strict
        ),
        .testTarget(
            name: "DeviceIOTests",
            dependencies: ["VitalsCore", "DeviceProtocols", "DeviceIO", "CTermios2", "VitalsTestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "RulesEngineTests",
            dependencies: ["VitalsCore", "RulesEngine", .product(name: "PropertyBased", package: "swift-property-based")],
            // Read through #filePath, like Rules/ and Rules/tests/.
            exclude: ["Malformed"], swiftSettings: strict
        ),
        .testTarget(name: "StoreTests", dependencies: ["VitalsCore", "Store", "VitalsTestSupport"], swiftSettings: strict),
        .testTarget(
            name: "BridgeTests",
            dependencies: ["VitalsCore", "DeviceProtocols", "RulesEngine", "Store", "Bridge"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ReportsTests",
            dependencies: ["VitalsCore", "RulesEngine", "Store", "Reports", "VitalsTestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ForwardingTests",
            dependencies: ["VitalsCore", "Store", "Forwarding", "VitalsTestSupport"],
            swiftSettings: strict
        ),
        // Test utilities shared by the test targets: umockdev testbeds, child processes.
        .target(name: "VitalsTestSupport", dependencies: ["CUmockdev"], swiftSettings: strict),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["VitalsCore", "DeviceProtocols", "DeviceIO", "Store", "Bridge", "VitalsTestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "CentralTests",
            dependencies: ["VitalsCore", "Store", "Central", "Forwarding", "VitalsTestSupport"],
            swiftSettings: strict
        ),
    ]
)
