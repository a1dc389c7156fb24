// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "csp",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "csp", targets: ["csp"]),
        .executable(name: "csp-ingest", targets: ["csp-ingest"]),
        .executable(name: "csp-clean", targets: ["csp-clean"]),
        .executable(name: "csp-geocode", targets: ["csp-geocode"]),
        .executable(name: "csp-normalise", targets: ["csp-normalise"]),
        .executable(name: "csp-assess", targets: ["csp-assess"]),
        .executable(name: "csp-fixtures", targets: ["csp-fixtures"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        // C stays behind one wall: only CSPXML imports this module.
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        .target(name: "CSPXML", dependencies: ["CLibXML2"]),
        .target(name: "CSPCSV"),
        // Coordinates (OSGB36 <-> WGS84), boundary files (GeoJSON, KML) and point-in-polygon with a spatial index.
        .target(name: "CSPGeo", dependencies: ["CSPXML"]),
        .target(
            name: "CSPCore",
            dependencies: [
                "CSPCSV",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "CSPStages",
            dependencies: [
                "CSPCore", "CSPCSV", "CSPXML", "CSPGeo",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .target(
            name: "CSPCommands",
            dependencies: [
                "CSPCore", "CSPStages", "CSPCSV", "CSPXML",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Deterministic generator of realistic raw exports (fixtures and benchmark inputs).
        .target(name: "CSPFixtures", dependencies: ["CSPGeo"]),
        .executableTarget(
            name: "csp-fixtures",
            dependencies: ["CSPFixtures", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .executableTarget(name: "csp", dependencies: ["CSPCommands"]),
        .executableTarget(name: "csp-ingest", dependencies: ["CSPCommands"]),
        .executableTarget(name: "csp-clean", dependencies: ["CSPCommands"]),
        .executableTarget(name: "csp-geocode", dependencies: ["CSPCommands"]),
        .executableTarget(name: "csp-normalise", dependencies: ["CSPCommands"]),
        .executableTarget(name: "csp-assess", dependencies: ["CSPCommands"]),

        // What the test targets share: the real-data policy (`RealData`) and a seeded generator (`SplitMix64`).
        .target(name: "CSPTestSupport", path: "Tests/CSPTestSupport"),
        .testTarget(name: "CSPCSVTests", dependencies: ["CSPCSV", "CSPTestSupport"]),
        .testTarget(name: "CSPXMLTests", dependencies: ["CSPXML", "CSPTestSupport"]),
        .testTarget(name: "CSPGeoTests", dependencies: ["CSPGeo", "CSPTestSupport"]),
        .testTarget(name: "CSPCoreTests", dependencies: ["CSPCore", "CSPCSV", .product(name: "Logging", package: "swift-log"), .product(name: "Crypto", package: "swift-crypto")]),
        .testTarget(name: "CSPStagesTests", dependencies: ["CSPStages", "CSPCore", "CSPCSV", "CSPTestSupport", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "CSPCommandsTests", dependencies: ["CSPCommands", "CSPCore", "CSPTestSupport"]),
        .testTarget(name: "CSPFixturesTests", dependencies: ["CSPFixtures"]),
    ]
)

// Release flags for every Swift target, applied in one place. `-O` keeps Swift's safety checks (bounds, overflow,
// preconditions, exclusivity) in the build that reads hostile third-party files; the unchecked optimisation mode,
// which removes them, is never used (its measured gain at 1M records is in Tests/Benchmarks/README.md). Tests/Fuzz/run.sh builds
// the fuzzers with these same flags, read from the line below.
let releaseSwiftFlags: [String] = ["-O"]
for target in package.targets where target.type != .system {
    var settings = target.swiftSettings ?? []
    settings.append(.unsafeFlags(releaseSwiftFlags, .when(configuration: .release)))
    target.swiftSettings = settings
}
