// swift-tools-version:6.0
import PackageDescription

// Linux only (Debian 12 with Swift 6.3, as the README says): the storage, run framework and commands call Glibc
// directly (open, fsync, rename, link, flock, gethostname) without a Darwin branch, so no Apple platform is claimed.
let package = Package(
    name: "csp",
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
        // Typed schemas of what stages publish: column types and roles, entities, datasets, source kinds. No dependency.
        .target(name: "CSPSchema"),
        // Everything unsafe or threaded below the stages: errno as thrown errors, file digests, byte rows, spill files
        // and the bounded-memory duplicate finder, SQLite bulk inserts over the C API.
        .target(
            name: "CSPStorage",
            dependencies: [
                "CSPCSV", "CSPSchema",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        // Coordinates (OSGB36 <-> WGS84), boundary files (GeoJSON, KML) and point-in-polygon with a spatial index.
        .target(name: "CSPGeo", dependencies: ["CSPXML"]),
        .target(
            name: "CSPCore",
            dependencies: [
                "CSPCSV", "CSPSchema", "CSPStorage",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // What two stages share that is not a schema: the mapping of read failures to exit 66, the coverage calendar's carry.
        .target(name: "CSPStageSupport", dependencies: ["CSPCore", "CSPStorage", "CSPCSV", "CSPXML", "CSPGeo"]),
        // One target per stage, in pipeline order; none imports another (ARCHITECTURE.md).
        .target(
            name: "CSPIngest",
            dependencies: ["CSPCore", "CSPSchema", "CSPStorage", "CSPCSV", "CSPXML"]
        ),
        .target(
            name: "CSPClean",
            dependencies: ["CSPCore", "CSPSchema", "CSPStorage", "CSPStageSupport", "CSPCSV"]
        ),
        .target(
            name: "CSPGeocode",
            dependencies: ["CSPCore", "CSPSchema", "CSPStorage", "CSPStageSupport", "CSPCSV", "CSPGeo",
                           .product(name: "Logging", package: "swift-log")]
        ),
        .target(
            name: "CSPNormalise",
            dependencies: ["CSPCore", "CSPSchema", "CSPStorage", "CSPCSV", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .target(
            name: "CSPAssess",
            dependencies: [
                // CSPGeo for its polygon types (spatial weights over the outlines the warehouse publishes), never to read a boundary file.
                "CSPCore", "CSPSchema", "CSPStorage", "CSPCSV", "CSPGeo",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The assembled pipeline: the five stages in order (the only target that knows them all).
        .target(name: "CSPPipeline", dependencies: ["CSPCore", "CSPIngest", "CSPClean", "CSPGeocode", "CSPNormalise", "CSPAssess"]),
        // `csp audit`: re-reads a run's manifests and files and checks the chain.
        .target(name: "CSPAudit", dependencies: ["CSPCore", "CSPSchema", "CSPStorage", "CSPCSV", "CSPXML"]),
        // `csp publish`: a run's published datasets into PostgreSQL/PostGIS through psql (README, "Publish").
        .target(name: "CSPPublish", dependencies: ["CSPCore", "CSPSchema", "CSPStorage", .product(name: "Logging", package: "swift-log")]),
        // `csp inspect`: what a raw file holds, within bounds.
        .target(name: "CSPInspect", dependencies: ["CSPCore", "CSPSchema", "CSPStorage", "CSPCSV", "CSPXML"]),
        .target(
            name: "CSPCommands",
            dependencies: [
                "CSPCore", "CSPPipeline", "CSPAudit", "CSPInspect", "CSPPublish", "CSPCSV", "CSPXML",
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
        .target(name: "CSPTestSupport", dependencies: ["CSPCSV", .product(name: "Logging", package: "swift-log")], path: "Tests/CSPTestSupport"),
        .testTarget(name: "CSPCSVTests", dependencies: ["CSPCSV", "CSPTestSupport"]),
        .testTarget(name: "CSPXMLTests", dependencies: ["CSPXML", "CSPTestSupport"]),
        .testTarget(name: "CSPGeoTests", dependencies: ["CSPGeo", "CSPTestSupport"]),
        .testTarget(name: "CSPCoreTests", dependencies: ["CSPCore", "CSPStorage", "CSPSchema", "CSPCSV", "CSPTestSupport", .product(name: "Logging", package: "swift-log"), .product(name: "Crypto", package: "swift-crypto")]),
        // One test target per stage; each may run the assembled pipeline (CSPPipeline) to make its inputs.
        .testTarget(name: "CSPIngestTests", dependencies: ["CSPIngest", "CSPPipeline", "CSPCore", "CSPSchema", "CSPStorage", "CSPCSV", "CSPTestSupport"]),
        .testTarget(name: "CSPCleanTests", dependencies: ["CSPClean", "CSPPipeline", "CSPCore", "CSPSchema", "CSPStorage", "CSPCSV", "CSPTestSupport"]),
        .testTarget(name: "CSPGeocodeTests", dependencies: ["CSPGeocode", "CSPPipeline", "CSPCore", "CSPSchema", "CSPStorage", "CSPCSV", "CSPGeo", "CSPTestSupport"]),
        .testTarget(name: "CSPNormaliseTests", dependencies: ["CSPNormalise", "CSPPipeline", "CSPCore", "CSPSchema", "CSPStorage", "CSPCSV", "CSPTestSupport", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "CSPAssessTests", dependencies: ["CSPAssess", "CSPPipeline", "CSPGeo", "CSPCore", "CSPSchema", "CSPStorage", "CSPCSV", "CSPTestSupport", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "CSPInspectTests", dependencies: ["CSPInspect"]),
        .testTarget(name: "CSPAuditTests", dependencies: ["CSPAudit", "CSPPipeline", "CSPCore", "CSPSchema", "CSPStorage", "CSPCSV", "CSPTestSupport"]),
        // What needs several stages at once: declared inputs, the coverage calendar's path, other councils, disclosure attacks.
        .testTarget(name: "CSPPipelineTests", dependencies: ["CSPPipeline", "CSPIngest", "CSPClean", "CSPGeocode", "CSPNormalise", "CSPAssess", "CSPAudit", "CSPStageSupport", "CSPCore", "CSPSchema", "CSPStorage", "CSPCSV", "CSPTestSupport", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "CSPCommandsTests", dependencies: ["CSPCommands", "CSPCore", "CSPTestSupport"]),
        .testTarget(name: "CSPPublishTests", dependencies: ["CSPPublish", "CSPCore", "CSPSchema"]),
        .testTarget(name: "CSPFixturesTests", dependencies: ["CSPFixtures", "CSPTestSupport"]),
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
