import CSPCore

/// What cleaning rules share: reference tables (loaded once, on first use) and the pseudonymiser.
public final class CleanEnvironment {
    /// The pipeline.
    public let pipeline: PipelineDefinition
    private var tables: [String: ReferenceTable] = [:]
    private var pseudonymiserValue: Pseudonymiser?
    /// Fingerprint of the key used, if any.
    public private(set) var keyFingerprint: String?
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
