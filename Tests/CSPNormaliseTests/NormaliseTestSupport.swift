import CSPTestSupport
import CSPCore
import CSPCSV
import Foundation
import GRDB
@testable import CSPNormalise

/// Builds a fake base run around a hand-made `03-geocode` folder and runs stage 4 on it through `PipelineRunner`.
enum NormaliseTestSupport {
    static let root = StageTestSupport.repositoryRoot + "/Fixtures/tests/normalise"

    struct Result {
        let output: String
        let layout: RunLayout
        let runID: String
        /// The published `04-normalised` folder.
        var folder: String { layout.stage(.normalise, run: runID) }
        var warehouse: String { folder + "/warehouse.sqlite" }
        func cleanup() { try? FileManager.default.removeItem(atPath: output) }
    }

    static func pipeline() throws -> PipelineDefinition { try PipelineLoader().load(path: root + "/pipeline.yaml") }

    /// A run folder with placeholder stage 1–2 manifests and a copy of `geocode` as its `03-geocode`; `latest` points at it.
    static func baseRun(geocode: String, output: String, pipeline: String) throws -> String {
        let layout = RunLayout(output: output, pipeline: pipeline)
        let id = RunID.make(at: Date(timeIntervalSince1970: 1_246_413_600))
        try FileManager.default.createDirectory(atPath: layout.run(id), withIntermediateDirectories: true)
        for stage in [StageID.ingest, .clean] {
            let dir = layout.stage(stage, run: id)
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            let m = Manifest(stage: stage, runID: id, status: "succeeded", started: "2009-07-01T02:00:00.000Z", finished: "2009-07-01T02:00:00.000Z",
                             toolVersion: "hand-made", configHash: "hand-made", inputs: [], outputs: [], counts: StageCounts(), sources: [:])
            try JSON.pretty(m).write(to: URL(fileURLWithPath: dir + "/manifest.json"))
        }
        try FileManager.default.copyItem(atPath: geocode, toPath: layout.stage(.geocode, run: id))
        try layout.moveLatest(to: id)
        return id
    }

    /// Runs stage 4 (`--from normalise`) on a base run holding `geocode`.
    static func run(geocode: String = root + "/03-geocode") throws -> Result {
        let out = StageTestSupport.temporaryFolder("normalise")
        let p = try pipeline()
        _ = try baseRun(geocode: geocode, output: out, pipeline: p.name)
        let summary = try PipelineRunner(pipeline: p, stages: [NormaliseStage()], logger: StageTestSupport.logger)
            .run(RunRequest(output: out, from: .normalise))
        return Result(output: out, layout: RunLayout(output: out, pipeline: p.name), runID: summary.runID)
    }

    /// A CSV file's rows, header first.
    static func rows(_ path: String) -> [[String]] { StageTestSupport.csvRows(path) }

    /// Opens a warehouse read-only.
    static func open(_ path: String) throws -> DatabaseQueue {
        var config = Configuration()
        config.readonly = true
        return try DatabaseQueue(path: path, configuration: config)
    }

    /// Every table's rows, as text, in id order: the warehouse's content independent of page layout.
    static func dump(_ path: String) throws -> [String] {
        try open(path).read { db in
            var lines: [String] = []
            let objects = try Row.fetchAll(db, sql: "SELECT type, name, sql FROM sqlite_master ORDER BY type, name")
            for o in objects { lines.append("\(o["type"] as String? ?? "") \(o["name"] as String? ?? ""): \(o["sql"] as String? ?? "")") }
            for table in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name") {
                for row in try Row.fetchAll(db, sql: "SELECT * FROM \(table.quotedDatabaseIdentifier) ORDER BY id") { lines.append("\(table) \(row)") }
            }
            return lines
        }
    }
}
