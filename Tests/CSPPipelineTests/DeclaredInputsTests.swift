import CSPTestSupport
import CSPCore
@testable import CSPStorage
import Foundation
import Testing
import CSPPipeline
@testable import CSPIngest
@testable import CSPClean
@testable import CSPGeocode
@testable import CSPNormalise
@testable import CSPAssess
@testable import CSPStageSupport

/// Every file a stage reads is a declared input: hashed into its fingerprint, listed in its manifest, and the only
/// outside file it may open. A changed file reruns exactly the stages that declare it, and the later stages whose
/// inputs then change.
@Suite(.serialized) struct DeclaredInputsTests {
    /// A copy of `Pipelines/` and the parts of `Fixtures/` the fixture pipeline reads, so files can be changed.
    struct World {
        let root: String
        var pipelineFile: String { root + "/Pipelines/central-bedfordshire-2009.yaml" }
        var key: String { root + "/fixture.key" }
        var output: String { root + "/out" }

        init() throws {
            root = StageTestSupport.temporaryFolder("declared-inputs")
            let repo = StageTestSupport.repositoryRoot
            try FileManager.default.copyItem(atPath: repo + "/Pipelines", toPath: root + "/Pipelines")
            try FileManager.default.createDirectory(atPath: root + "/Fixtures", withIntermediateDirectories: true)
            for sub in ["raw", "reference", "boundaries"] {
                try FileManager.default.copyItem(atPath: repo + "/Fixtures/" + sub, toPath: root + "/Fixtures/" + sub)
            }
            _ = try KeyFile.create(path: key)
        }

        func pipeline() throws -> PipelineDefinition {
            try PipelineLoader(overrides: ["key_file": key]).load(path: pipelineFile)
        }

        /// Runs every stage (skipping unchanged ones) and returns each stage's status.
        func run() throws -> [String] {
            let summary = try PipelineRunner(pipeline: try pipeline(), stages: Stages.all, logger: StageTestSupport.logger).run(RunRequest(output: output))
            return summary.stages.map(\.status)
        }

        /// Rewrites a file byte for byte apart from the change (read and written as ISO-8859-1, which maps every
        /// byte to one character, so Windows-1252 and UTF-8 files alike keep their other bytes).
        func edit(_ relative: String, _ change: (String) -> String) throws {
            let path = root + "/" + relative
            let text = try String(contentsOfFile: path, encoding: .isoLatin1)
            let changed = change(text)
            #expect(changed != text, "the edit of \(relative) changed nothing")
            try changed.write(toFile: path, atomically: true, encoding: .isoLatin1)
        }

        func cleanup() { try? FileManager.default.removeItem(atPath: root) }
    }

    static let s = "skipped", r = "succeeded"

    @Test func aChangedInputRerunsExactlyTheStagesThatReadIt() throws {
        let world = try World(); defer { world.cleanup() }
        #expect(try world.run() == [Self.r, Self.r, Self.r, Self.r, Self.r])
        #expect(try world.run() == [Self.s, Self.s, Self.s, Self.s, Self.s], "an unchanged rerun does no work")

        // Themes file: only the assessment reads it.
        try world.edit("Pipelines/reference/themes.yaml") { $0 + "\n# analyst's note\n" }
        #expect(try world.run() == [Self.s, Self.s, Self.s, Self.s, Self.r])
        // The partnership's judgements (a changed score): the assessment alone, and its matrix shows the new score.
        try world.edit("Pipelines/reference/judgements-central-bedfordshire-2009.yaml") {
            $0.replacingOccurrences(of: "  bicycle_theft: {laa: no, agency: no, partnership: no, psa: no, national_indicator: no, harm: 1,",
                                    with: "  bicycle_theft: {laa: no, agency: no, partnership: no, psa: no, national_indicator: no, harm: 2,")
        }
        #expect(try world.run() == [Self.s, Self.s, Self.s, Self.s, Self.r])
        // MSG comparators: the assessment.
        try world.edit("Fixtures/raw/reference/msg_comparators.csv") { $0 + ($0.hasSuffix("\n") ? "" : "\n") + "Nowhere,E22999999,unused_theme,1.00,2008/09\n" }
        #expect(try world.run() == [Self.s, Self.s, Self.s, Self.s, Self.r])

        // A reference table of the cleaning rules: stage 2 reruns; its outputs are the same, so nothing after it does.
        try world.edit("Pipelines/reference/offence-codes.csv") { $0 + ($0.hasSuffix("\n") ? "" : "\n") + "999/99,Unused test code,Other offences,Other\n" }
        #expect(try world.run() == [Self.s, Self.r, Self.s, Self.s, Self.s])

        // A lookup of stage 3 (the out-of-area wards): stage 3 reruns.
        try world.edit("Fixtures/reference/out-of-area-wards.csv") { $0 + ($0.hasSuffix("\n") ? "" : "\n") + "09ZZZZ,Unused Test Ward,09ZZ,Nowhere,2008,100000,100000\n" }
        #expect(try world.run() == [Self.s, Self.s, Self.r, Self.s, Self.s])

        // The population table: stage 3 reruns and publishes other populations, so stages 4 and 5 rerun.
        try world.edit("Fixtures/raw/reference/ward_population.csv") { text in
            var lines = text.components(separatedBy: "\n")
            let cells = lines[1].components(separatedBy: ",")
            lines[1] = (cells.dropLast() + [String((Int(cells.last!) ?? 1000) + 7)]).joined(separator: ",")
            return lines.joined(separator: "\n")
        }
        #expect(try world.run() == [Self.s, Self.s, Self.r, Self.r, Self.r])

        // A boundary file: a ward renamed. Stage 3 reruns and the published areas carry the new name.
        try world.edit("Fixtures/boundaries/wards-2009.geojson") { $0.replacingOccurrences(of: "\"Ampthill\"", with: "\"Ampthill Renamed\"") }
        #expect(try world.run() == [Self.s, Self.s, Self.r, Self.r, Self.r])
        let areas = StageTestSupport.read(world.output + "/central-bedfordshire-2009/latest/04-normalised/areas.csv")
        #expect(areas.contains("Ampthill Renamed"))

        // The pseudonym key: stage 2 reruns, every pseudonym changes, so every later stage reruns.
        _ = try KeyFile.create(path: world.key, replace: true)
        #expect(try world.run() == [Self.s, Self.r, Self.r, Self.r, Self.r])

        // A raw export: stage 1 and everything after it.
        try world.edit("Fixtures/raw/police/crimes/crimes_2009-06.csv") { text in
            var lines = text.components(separatedBy: "\r\n")
            lines.remove(at: 1)
            return lines.joined(separator: "\r\n")
        }
        #expect(try world.run() == [Self.r, Self.r, Self.r, Self.r, Self.r])

        // The pipeline file itself: every stage reads it.
        try world.edit("Pipelines/central-bedfordshire-2009.yaml") { $0 + "\n# edited\n" }
        #expect(try world.run() == [Self.r, Self.r, Self.r, Self.r, Self.r])
    }

    /// The nightly run after an ONS boundary update: a ward renamed in a copy of the real WD25 ward file reruns
    /// stage 3 (and the stages after it), and the published areas carry the new name.
    @Test func aChangedRealBoundaryFileRerunsGeocoding() throws {
        let real = try StageTestSupport.requireRealData()
        let root = StageTestSupport.temporaryFolder("real-boundary"); defer { try? FileManager.default.removeItem(atPath: root) }
        let copy = root + "/realdata"
        let fm = FileManager.default
        try fm.createDirectory(atPath: copy + "/ons-boundaries", withIntermediateDirectories: true)
        for entry in try fm.contentsOfDirectory(atPath: real) where entry != "ons-boundaries" {
            try fm.createSymbolicLink(atPath: copy + "/" + entry, withDestinationPath: real + "/" + entry)
        }
        let ward = "ward_WD25_E06000056_central_bedfordshire.geojson"
        for entry in try fm.contentsOfDirectory(atPath: real + "/ons-boundaries") where entry != ward {
            try fm.createSymbolicLink(atPath: copy + "/ons-boundaries/" + entry, withDestinationPath: real + "/ons-boundaries/" + entry)
        }
        try fm.copyItem(atPath: real + "/ons-boundaries/" + ward, toPath: copy + "/ons-boundaries/" + ward)
        let pipeline = try PipelineLoader(overrides: ["realdata": copy]).load(path: StageTestSupport.repositoryRoot + "/Pipelines/police-uk-central-bedfordshire.yaml")
        let run = { try PipelineRunner(pipeline: pipeline, stages: Stages.all, logger: StageTestSupport.logger).run(RunRequest(output: root + "/out")).stages.map(\.status) }
        #expect(try run() == [Self.r, Self.r, Self.r, Self.r, Self.r])
        let text = try String(contentsOfFile: copy + "/ons-boundaries/" + ward, encoding: .utf8)
        let renamed = text.replacingOccurrences(of: "\"Ampthill\"", with: "\"Ampthill Town\"")
        try #require(renamed != text, "the real ward file has no ward named Ampthill")
        try renamed.write(toFile: copy + "/ons-boundaries/" + ward, atomically: true, encoding: .utf8)
        #expect(try run() == [Self.s, Self.s, Self.r, Self.r, Self.r])
        let areas = StageTestSupport.read(root + "/out/\(pipeline.name)/latest/04-normalised/areas.csv")
        #expect(areas.contains("Ampthill Town"))
    }

    @Test func everyDeclaredInputIsInTheManifestWithItsChecksum() throws {
        let world = try World(); defer { world.cleanup() }
        _ = try world.run()
        let pipeline = try world.pipeline()
        let layout = RunLayout(output: world.output, pipeline: pipeline.name)
        let run = try #require(layout.latestRunID())
        for stage in Stages.all {
            let m = try JSON.read(Manifest.self, from: layout.stage(stage.id, run: run) + "/manifest.json")
            for d in try stage.declaredInputs(for: pipeline) {
                let name = LineagePath.name(d.path, relativeTo: pipeline.directory)
                let entry = try #require(m.inputs.first { $0.path == name }, "\(stage.id.folder) does not list \(name)")
                #expect(entry.sha256 == (try FileDigest.sha256(path: d.path)).hex, "\(stage.id.folder): \(name)")
            }
        }
        // The key is stage 2's alone; the themes stage 5's alone.
        let clean = try JSON.read(Manifest.self, from: layout.stage(.clean, run: run) + "/manifest.json")
        #expect(clean.inputs.contains { $0.role == "key" })
        let ingest = try JSON.read(Manifest.self, from: layout.stage(.ingest, run: run) + "/manifest.json")
        #expect(!ingest.inputs.contains { $0.role == "key" || $0.role.hasPrefix("reference:") })
    }

    /// Every file a pipeline file names (found by walking the loaded definition, so a new key holding a path is
    /// found too) is declared by at least one stage.
    @Test(arguments: ["central-bedfordshire-2009", "police-uk-central-bedfordshire", "police-uk-england-wales"])
    func everyFileAPipelineNamesIsDeclaredBySomeStage(_ name: String) throws {
        let dir = StageTestSupport.temporaryFolder("declared-all"); defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = try KeyFile.create(path: dir + "/k.key")
        let real = try StageTestSupport.requireRealData()
        let overrides = name.hasPrefix("police-uk") ? ["realdata": real] : ["key_file": dir + "/k.key"]
        let pipeline = try PipelineLoader(overrides: overrides).load(path: StageTestSupport.repositoryRoot + "/Pipelines/\(name).yaml")
        var declared = Set<String>()
        for stage in Stages.all { declared.formUnion(try stage.declaredInputs(for: pipeline).map(\.path)) }
        let named = Self.files(in: pipeline).filter { $0 != pipeline.directory }
        #expect(named.count > 5)
        // Reference files that no stage reads are the only exception: they are listed under `reference:` for people.
        let unread = Set(pipeline.reference.map { ($0.path as NSString).standardizingPath }).subtracting(declared)
        for path in named.sorted() where !declared.contains(path) && !unread.contains(path) {
            Issue.record("\(name): \(path) is named in the pipeline but no stage declares it")
        }
        // Raw exports: every file every source's glob matches.
        for source in pipeline.sources {
            for pattern in source.paths { for f in FileSystem.glob(pattern) { #expect(declared.contains((f as NSString).standardizingPath)) } }
        }
    }

    @Test func aStageCannotOpenAFileItDidNotDeclare() throws {
        let inputs = StageInputs(stage: .assess, declared: [DeclaredInput(path: "/tmp/a.csv", role: "reference:a")])
        #expect(try inputs.path("/tmp/./a.csv") == "/tmp/a.csv")
        do {
            _ = try inputs.path("/tmp/b.csv")
            Issue.record("an undeclared file was handed out")
        } catch let e as StageError {
            #expect(e.exitCode == .config)
            #expect("\(e)".contains("/tmp/b.csv") && "\(e)".contains("assess"))
        }
    }

    /// Existing files named by any string in the definition (walked with reflection), standardised.
    static func files(in pipeline: PipelineDefinition) -> Set<String> {
        var out = Set<String>()
        func walk(_ value: Any) {
            if let s = value as? String {
                var isDir: ObjCBool = false
                if s.hasPrefix("/"), FileManager.default.fileExists(atPath: s, isDirectory: &isDir), !isDir.boolValue {
                    out.insert((s as NSString).standardizingPath)
                }
                return
            }
            for child in Mirror(reflecting: value).children { walk(child.value) }
        }
        walk(pipeline)
        return out.subtracting([(pipeline.file as NSString).standardizingPath])
    }
}
