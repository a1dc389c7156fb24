import Foundation

/// A file from outside the run folder that a stage reads: a raw export, a reference table, a boundary or lookup
/// file, a population table, a theme or judgement file, the pseudonym key, the pipeline file itself.
///
/// Each stage declares these before it runs (`PipelineStage.declaredInputs(for:)`). The framework hashes every
/// declared input into the stage's fingerprint (so a changed file reruns exactly the stages that declare it, and
/// the stages after them when their inputs change), lists each in the stage's manifest with its checksum, and
/// hands the stage a `StageInputs` through which alone it may open them.
public struct DeclaredInput: Sendable, Hashable {
    /// Absolute path.
    public let path: String
    /// What the file is, as the manifest shows it: `source:<id>`, `reference:<name>`, `boundary:<layer>`,
    /// `lookup:<name>`, `population`, `themes`, `key`, `configuration`.
    public let role: String

    /// Creates a declaration.
    public init(path: String, role: String) {
        self.path = (path as NSString).standardizingPath
        self.role = role
    }
}

/// The files a stage declared, and the only way stage code gets the path of a file outside the run folder:
/// asking for a path that was not declared is an error, so a new input cannot be read without being declared
/// (and so hashed into the fingerprint and listed in the manifest).
public struct StageInputs: Sendable {
    /// The declarations, in the order the stage gave them, each path once.
    public let declared: [DeclaredInput]
    /// The stage that declared them (for error messages).
    public let stage: StageID
    private let byPath: [String: DeclaredInput]

    /// Wraps a stage's declarations; a path declared twice keeps its first role.
    public init(stage: StageID, declared: [DeclaredInput]) {
        var seen: [String: DeclaredInput] = [:]
        var ordered: [DeclaredInput] = []
        for d in declared where seen[d.path] == nil {
            seen[d.path] = d
            ordered.append(d)
        }
        self.stage = stage
        self.declared = ordered
        byPath = seen
    }

    /// `path`, when the stage declared it; otherwise a configuration error naming the stage and the file.
    public func path(_ path: String) throws -> String {
        let p = (path as NSString).standardizingPath
        guard byPath[p] != nil else {
            throw StageError.configuration("stage \(stage.rawValue) tried to read \(path), which it did not declare as an input: "
                                           + "add it to the stage's declaredInputs so that it is fingerprinted and listed in the manifest")
        }
        return p
    }

    /// Whether `path` is declared.
    public func contains(_ path: String) -> Bool { byPath[(path as NSString).standardizingPath] != nil }

    /// The declared inputs whose role is `role`, in order.
    public func files(role: String) -> [DeclaredInput] { declared.filter { $0.role == role } }
}

extension DeclaredInput {
    /// The pipeline file, read by every stage (its configuration hash is in every fingerprint too).
    public static func configuration(_ pipeline: PipelineDefinition) -> DeclaredInput {
        DeclaredInput(path: pipeline.file, role: "configuration")
    }

    /// A reference file named under `reference:` in the pipeline, when the pipeline declares it.
    public static func reference(_ name: String, of pipeline: PipelineDefinition) -> DeclaredInput? {
        pipeline.referencePath(name).map { DeclaredInput(path: $0, role: "reference:\(name)") }
    }
}
