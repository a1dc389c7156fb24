import CSPCore
import CSPSchema
import CSPStorage
import CSPCSV
import Foundation
import GRDB

/// Stage 4: the published datasets. Every stage 3 entity file becomes `04-normalised/<entity>.csv` (safe to open in a
/// spreadsheet) and a typed table of `warehouse.sqlite`, with the reference tables `areas` and `population`, indexes,
/// views for the common questions, and `DICTIONARY.md` describing all of it.
///
/// Conservation per entity: every row read is published, rejected (a cell not of its column's type) or a duplicate
/// (a natural key or lineage already published). Lineage columns are kept on every row.
public struct NormaliseStage: PipelineStage {
    /// Stage 4.
    public let id = StageID.normalise

    /// Creates the stage.
    public init() {}

    /// The pipeline file only: stage 4 reads nothing from outside the run but stage 3's outputs.
    public func declaredInputs(for pipeline: PipelineDefinition) throws -> [DeclaredInput] { [DeclaredInput.configuration(pipeline)] }

    /// Publishes every entity stage 3 produced.
    public func run(_ context: StageContext) throws -> StageReport {
        guard let inputDir = context.inputDirectory else { throw StageError.configuration("stage normalise has no input folder") }
        var report = StageReport()
        let warehouse = try Warehouse(path: context.outputPath("warehouse.sqlite"))
        var published: [(dataset: PublishedDataset, rows: Int)] = []
        var references: [(dataset: PublishedDataset, rows: Int)] = []
        var views: [WarehouseView] = []
        let insertTime = InsertClock()
        let clock = ContinuousClock()
        let started = clock.now
        do {
            try warehouse.load { db in
                for schema in NormaliseCatalog.entities {
                    let input = inputDir + "/" + schema.name + ".csv"
                    guard FileManager.default.fileExists(atPath: input) else { continue }
                    let reader = try Self.open(input, observer: context.progress.file(input))
                    let dataset = try PublishedDataset.entity(schema, header: reader.header, file: input)
                    let counts = try DatasetLoader(dataset: dataset, context: context, insertTime: insertTime).load(reader, input: input, db: db)
                    report.inputs.append(try context.inputEntry(input, role: "stage:geocode", rows: counts.inCount))
                    report.add(part: schema.name, counts)
                    report.outputRows[schema.name + ".csv"] = counts.out
                    published.append((dataset, counts.out))
                    context.logger.info("normalise \(schema.name): \(counts.inCount) rows, \(counts.out) published, \(counts.rejected) rejected, \(counts.duplicates) duplicates")
                }
                for dataset in [NormaliseCatalog.areas, NormaliseCatalog.population, NormaliseCatalog.geometry, NormaliseCatalog.coverage,
                                NormaliseCatalog.populationEthnicity, NormaliseCatalog.stopSearchForce] {
                    let input = inputDir + "/" + dataset.name + ".csv"
                    // Stop and search by ethnicity: only a pipeline with stop-and-search records and `residents_by_ethnicity`
                    // has these; the other pipelines' warehouses stay as they were.
                    if NormaliseCatalog.optionalReferences.contains(dataset.name), !FileManager.default.fileExists(atPath: input) { continue }
                    let rows: Int
                    if FileManager.default.fileExists(atPath: input) {
                        let reader = try Self.open(input, observer: context.progress.file(input))
                        rows = try DatasetLoader(dataset: dataset, context: context, insertTime: insertTime).load(reader, input: input, db: db).out
                        report.inputs.append(try context.inputEntry(input, role: "reference:\(dataset.name)", rows: rows))
                    } else {
                        if dataset.name == NormaliseCatalog.coverage.name {
                            context.logger.info("stage 3 carried no coverage.csv (no monthly exports): the coverage table is empty")
                        } else {
                            context.logger.warning("stage 3 wrote no \(dataset.name).csv: the \(dataset.name) table is empty")
                        }
                        try Warehouse.createTable(dataset, in: db)
                        let w = try CSVWriter(path: context.outputPath(dataset.name + ".csv"))
                        try w.writeRow(dataset.header)
                        try w.close()
                        rows = 0
                    }
                    report.outputRows[dataset.name + ".csv"] = rows
                    references.append((dataset, rows))
                }
                views = WarehouseView.views(for: published.map(\.dataset))
                for view in views { try view.create(in: db) }
                try db.execute(sql: "PRAGMA user_version = \(NormaliseStage.schemaVersion)")
            }
            try warehouse.close()
        } catch {
            try? warehouse.close()
            throw error
        }
        let seconds = (clock.now - started) / .milliseconds(1) / 1000
        let rows = published.reduce(0) { $0 + $1.rows } + references.reduce(0) { $0 + $1.rows }
        func rate(_ s: Double) -> Int { s > 0 ? Int(Double(rows) / s) : 0 }
        context.logger.info("warehouse: \(rows) rows; INSERTs \(String(format: "%.2f", insertTime.seconds)) s (\(rate(insertTime.seconds)) rows/s); indexes built after the load \(String(format: "%.2f", insertTime.indexingSeconds)) s; whole load with CSVs, indexes and views \(String(format: "%.2f", seconds)) s (\(rate(seconds)) rows/s)")
        let dictionary = DataDictionary(datasets: published, references: references, views: views).render()
        try FileSystem.writeAtomically(Data(dictionary.utf8), to: context.outputPath("DICTIONARY.md"))
        return report
    }

    /// The warehouse schema version (`PRAGMA user_version`): raised whenever a table, column, type or view changes meaning.
    public static let schemaVersion = 1

    static func open(_ path: String, observer: CSVByteObserver? = nil) throws -> CSVReader {
        do { return try CSVReader(path: path, observer: observer) } catch { throw StageError.io(path: path, operation: "read", reason: "\(error)") }
    }
}
