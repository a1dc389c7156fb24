import CSPCore
import CSPSchema
import CSPStorage

/// What cleaning rules share: reference tables (loaded once, on first use) and the pseudonymiser.
public final class CleanEnvironment {
    /// The pipeline.
    public let pipeline: PipelineDefinition
    /// The files stage 2 declared: the only reference tables and key it opens.
    public let inputs: StageInputs
    private var tables: [String: ReferenceTable] = [:]
    private var pseudonymiserValue: Pseudonymiser?
    /// Fingerprint of the key used, if any.
    public private(set) var keyFingerprint: String?
    /// Committed-from date of each cleaned crime, by crime_ref: victims' and suspects' ages are taken at it.
    public var crimeDates: [String: Day] = [:]
    /// Names of reference files used (recorded in the manifest).
    public private(set) var referencesUsed: Set<String> = []

    /// An environment for a stage run.
    public init(context: StageContext) throws { pipeline = context.pipeline; inputs = context.inputs }

    /// An environment for tests: the inputs stage 2 declares for `pipeline`.
    public init(pipeline: PipelineDefinition) throws {
        self.pipeline = pipeline
        inputs = StageInputs(stage: .clean, declared: try CleanStage().declaredInputs(for: pipeline))
    }

    /// The reference table `name` declared in the pipeline, keyed by `keyColumn`.
    public func table(_ name: String, key keyColumn: String, required: [String] = []) throws -> ReferenceTable {
        try table(name, keys: [keyColumn], required: required)
    }

    /// The reference table `name`, keyed by several columns together.
    public func table(_ name: String, keys keyColumns: [String], required: [String] = []) throws -> ReferenceTable {
        if let t = tables[name] { return t }
        guard let path = pipeline.referencePath(name) else {
            throw StageError.configuration("the cleaning rules need the reference file `\(name)`; declare it under `reference:` in \(pipeline.file)")
        }
        let t = try ReferenceTable(name: name, path: try inputs.path(path), keyColumns: keyColumns, required: required)
        tables[name] = t
        referencesUsed.insert(name)
        return t
    }

    /// The first day of the post-2009 geography: wards named before it are 2008 wards, from it 2009 wards.
    public static let boundaryChange = Day(year: 2009, month: 4, day: 1)!

    /// Resolves exported ward text to a ward code through the optional `ward_aliases` reference
    /// (`alias,ward_code,vintage`): the alias is looked up in the vintage in force on `on` (2008 before
    /// 1 April 2009, 2009 from it), then in the other vintage. Text shaped like a ward code (09UCxx, 00KCxx,
    /// E05…) is kept upper-cased. Anything else gives "" (stage 3 then locates the record by other means).
    public func wardCode(_ text: String, on day: Day?) throws -> String {
        let t = Vocabulary.tidy(text)
        if t.isEmpty { return "" }
        if pipeline.referencePath("ward_aliases") != nil {
            let aliases = try table("ward_aliases", keys: ["alias", "vintage"], required: ["ward_code"])
            let first = day.map { $0 < Self.boundaryChange ? "2008" : "2009" } ?? "2009"
            for vintage in [first, first == "2008" ? "2009" : "2008"] {
                if let code = aliases.value(t, vintage, column: "ward_code") { return code }
            }
        }
        let u = Text.uppercased(t)
        let looksLikeCode = (u.count == 6 && u.first!.isNumber) || (u.count == 9 && u.hasPrefix("E05"))
        return looksLikeCode && !u.contains(" ") ? u : ""
    }

    /// The pseudonymiser; loads and checks the key on first use (a run without a key fails here, never invents one).
    public func pseudonymiser() throws -> Pseudonymiser {
        if let p = pseudonymiserValue { return p }
        guard let path = pipeline.privacy.keyFile else {
            throw StageError.configuration("sources with personal identifiers need a pseudonym key: set `privacy.key_file` in \(pipeline.file)")
        }
        let key = try KeyFile.load(path: try inputs.path(path))
        keyFingerprint = key.fingerprint
        let p = Pseudonymiser(key: key)
        pseudonymiserValue = p
        return p
    }
}
