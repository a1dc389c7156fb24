import Foundation

/// Settings for one generator run.
public struct FixtureConfiguration: Sendable {
    /// PRNG seed.
    public var seed: UInt64
    /// Output folder (absolute or relative to the working directory).
    public var output: String
    /// Folder holding wards-2008.csv, lsoa01-wards.csv, ward-centres.csv, … (`Fixtures/reference`).
    public var fixturesReference: String
    /// Folder holding offence-codes.csv and ward-aliases.csv (`Pipelines/reference`).
    public var pipelineReference: String

    /// A configuration.
    public init(seed: UInt64 = 2009, output: String, fixturesReference: String, pipelineReference: String) {
        self.seed = seed; self.output = output; self.fixturesReference = fixturesReference; self.pipelineReference = pipelineReference
    }

    /// The repository root: the nearest folder at or above `start` holding Package.swift.
    public static func repositoryRoot(from start: String) throws -> String {
        var dir = URL(fileURLWithPath: start).standardizedFileURL.path
        while true {
            if FileManager.default.fileExists(atPath: dir + "/Package.swift") { return dir }
            let parent = (dir as NSString).deletingLastPathComponent
            if parent == dir || parent.isEmpty { throw FixtureError.noRepository(from: start) }
            dir = parent
        }
    }
}

/// The generator's entry points.
public enum FixtureGenerator {
    /// Writes the whole committed fixture set and `expected.json`; returns the ledger.
    @discardableResult
    public static func generateAll(_ config: FixtureConfiguration) throws -> QuirkLedger {
        let ref = try FixtureReference.load(fixturesReference: config.fixturesReference, pipelineReference: config.pipelineReference)
        let ledger = QuirkLedger()
        let out = config.output
        try CrimeExport(reference: ref, seed: config.seed).write(out: out, ledger: ledger)
        try ASBExport(reference: ref, seed: config.seed).write(out: out, ledger: ledger)
        try FireExport(reference: ref, seed: config.seed).write(out: out, ledger: ledger)
        try YOSExport(reference: ref, seed: config.seed).write(out: out, ledger: ledger)
        try SurveyExport(reference: ref, seed: config.seed).write(out: out, ledger: ledger)
        try ReferenceTablesExport(reference: ref, seed: config.seed).write(out: out, ledger: ledger)
        let w = try FixtureWriter(path: out + "/expected.json", encoding: .utf8)
        try w.write(ledger.json(seed: config.seed))
        try w.close()
        return ledger
    }

    /// Writes only the police crime export at `millions` million rows in `format`, and `scale.json` beside it (rows,
    /// re-published rows, files) for the benchmark's checks.
    public static func generateScale(_ config: FixtureConfiguration, millions: Double, format: ScaleExport.Format) throws -> (files: [String], rows: Int, republished: Int) {
        let ref = try FixtureReference.load(fixturesReference: config.fixturesReference, pipelineReference: config.pipelineReference)
        let r = try ScaleExport(reference: ref, seed: config.seed).write(out: config.output, millions: millions, format: format)
        let summary: [String: Any] = ["format": format.rawValue, "seed": config.seed, "rows": r.rows, "republished": r.republished,
                                      "files": r.files.map { String($0.dropFirst(config.output.count + 1)) }]
        let data = try JSONSerialization.data(withJSONObject: summary, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        guard FileManager.default.createFile(atPath: config.output + "/scale.json", contents: data) else {
            throw FixtureError.cannotWrite(path: config.output + "/scale.json", reason: "create failed")
        }
        return r
    }
}
