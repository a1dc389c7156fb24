import CSPCore

/// What cleaning rules share: reference tables (loaded once, on first use) and the pseudonymiser.
public final class CleanEnvironment {
    /// The pipeline.
    public let pipeline: PipelineDefinition
    private var tables: [String: ReferenceTable] = [:]
    private var pseudonymiserValue: Pseudonymiser?
    /// Fingerprint of the key used, if any.
    public private(set) var keyFingerprint: String?
    /// Committed-from date of each cleaned crime, by crime_ref: victims' and suspects' ages are taken at it.
    public var crimeDates: [String: Day] = [:]
    /// Names of reference files used (recorded in the manifest).
    public private(set) var referencesUsed: Set<String> = []

    /// An environment for a stage run.
    public init(context: StageContext) throws { pipeline = context.pipeline }

    /// An environment for tests.
    public init(pipeline: PipelineDefinition) { self.pipeline = pipeline }

    /// The reference table `name` declared in the pipeline, keyed by `keyColumn`.
    public func table(_ name: String, key keyColumn: String, required: [String] = []) throws -> ReferenceTable {
        if let t = tables[name] { return t }
        guard let path = pipeline.referencePath(name) else {
            throw StageError.configuration("the cleaning rules need the reference file `\(name)`; declare it under `reference:` in \(pipeline.file)")
        }
        let t = try ReferenceTable(name: name, path: path, keyColumn: keyColumn, required: required)
        tables[name] = t
        referencesUsed.insert(name)
        return t
    }

    /// Resolves exported ward text to a ward code through the optional `ward_aliases` reference (`alias,ward_code`):
    /// a known alias or code gives its code; text shaped like a ward code (09UCxx, 00KCxx, E05…) is kept upper-cased.
    public func wardCode(_ text: String) throws -> String {
        let t = Vocabulary.tidy(text)
        if t.isEmpty { return "" }
        if pipeline.referencePath("ward_aliases") != nil, let code = try table("ward_aliases", key: "alias", required: ["ward_code"]).value(t, "ward_code") {
            return code
        }
        let u = t.uppercased()
        let looksLikeCode = (u.count == 6 && u.first!.isNumber) || (u.count == 9 && u.hasPrefix("E05"))
        return looksLikeCode && !u.contains(" ") ? u : ""
    }

    /// The pseudonymiser; loads and checks the key on first use (a run without a key fails here, never invents one).
    public func pseudonymiser() throws -> Pseudonymiser {
        if let p = pseudonymiserValue { return p }
        guard let path = pipeline.privacy.keyFile else {
            throw StageError.configuration("sources with personal identifiers need a pseudonym key: set `privacy.key_file` in \(pipeline.file)")
        }
        let key = try KeyFile.load(path: path)
        keyFingerprint = key.fingerprint
        let p = Pseudonymiser(key: key)
        pseudonymiserValue = p
        return p
    }
}
