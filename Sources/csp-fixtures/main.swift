import ArgumentParser
import CSPFixtures
import Foundation

/// `csp-fixtures`: writes the deterministic synthetic raw exports.
struct FixturesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "csp-fixtures",
        abstract: "Write deterministic synthetic raw exports (Central Bedfordshire, January 2007 – June 2009).",
        discussion: """
        Without --scale, writes the whole committed fixture set (Fixtures/raw) and expected.json.
        With --scale N, writes only the police crime export at N million rows (0.01 = 10,000 rows),
        as one CMSII-like CSV or, with --format police-uk, as monthly data.police.uk street files.
        """)

    @Option(help: "PRNG seed; the same seed gives byte-identical output.") var seed: UInt64 = 2009
    @Option(help: "Output folder (default: Fixtures/raw, or Output/fixtures-scale with --scale, in the repository root).") var out: String?
    @Option(help: "Write only the police crime export, in millions of rows.") var scale: Double?
    @Option(help: "Format of the --scale export: cmsii or police-uk.") var format: String = "cmsii"
    @Option(help: "Folder of the generator's reference CSVs (default: Fixtures/reference in the repository root).") var reference: String?
    @Option(help: "Folder of the pipeline reference CSVs (default: Pipelines/reference in the repository root).") var pipelineReference: String?
    @Option(help: "Write only the synthetic boundary files into this folder (the committed set is Fixtures/boundaries).") var boundaries: String?

    func validate() throws {
        guard ScaleExport.Format(rawValue: format) != nil else { throw ValidationError("--format must be cmsii or police-uk") }
        if let s = scale, !(s > 0) { throw ValidationError("--scale must be a positive number of millions of rows") }
        if scale == nil && format != "cmsii" { throw ValidationError("--format applies only with --scale") }
    }

    func run() throws {
        let cwd = FileManager.default.currentDirectoryPath
        let root = (reference == nil || pipelineReference == nil || out == nil) ? try FixtureConfiguration.repositoryRoot(from: cwd) : cwd
        func abs(_ p: String) -> String { p.hasPrefix("/") ? p : cwd + "/" + p }
        let config = FixtureConfiguration(
            seed: seed,
            output: out.map(abs) ?? root + (scale == nil ? "/Fixtures/raw" : "/Output/fixtures-scale"),
            fixturesReference: reference.map(abs) ?? root + "/Fixtures/reference",
            pipelineReference: pipelineReference.map(abs) ?? root + "/Pipelines/reference")
        let start = ProcessInfo.processInfo.systemUptime
        do {
            if let b = boundaries {
                let files = try FixtureGenerator.generateBoundaries(config, to: abs(b))
                FileHandle.standardError.write(Data("csp-fixtures: wrote \(files.count) boundary files to \(abs(b))\n".utf8))
            } else if let s = scale {
                let r = try FixtureGenerator.generateScale(config, millions: s, format: ScaleExport.Format(rawValue: format)!)
                FileHandle.standardError.write(Data("csp-fixtures: wrote \(r.rows) rows (\(r.republished) re-published) in \(r.files.count) file(s) under \(config.output) in \(String(format: "%.1f", ProcessInfo.processInfo.systemUptime - start)) s\n".utf8))
            } else {
                let ledger = try FixtureGenerator.generateAll(config)
                FileHandle.standardError.write(Data("csp-fixtures: wrote the fixture set (\(ledger.count("crimes.truncated_final_line")) truncated file) to \(config.output) in \(String(format: "%.1f", ProcessInfo.processInfo.systemUptime - start)) s\n".utf8))
            }
        } catch let e as FixtureError {
            FileHandle.standardError.write(Data("csp-fixtures: \(e.description)\n".utf8))
            throw ExitCode(73)
        }
    }
}

FixturesCommand.main()
