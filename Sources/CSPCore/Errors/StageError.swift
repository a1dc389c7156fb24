import CSPStorage

/// Errors a stage or the run framework raises; each sentence names the file, record, field or value.
public enum StageError: Error, Sendable, CustomStringConvertible, ExitCodeProviding {
    /// A system call on a file failed: reading an input (`StageError.readOperations`, 66) or writing an output (73).
    case io(path: String, operation: String, reason: String)
    /// A declared input does not exist.
    case inputMissing(path: String, what: String)
    /// `--run` names no run.
    case noRun(root: String, ref: String)
    /// A stage's counts do not balance.
    case conservation(stage: StageID, counts: StageCounts)
    /// A source's share of rejected records passed its limit.
    case qualityGate(stage: StageID, failures: [QualityFailure])
    /// The input is malformed past recovery (a broken XML file, a header that does not parse).
    case malformedInput(file: String, line: Int, message: String)
    /// Inputs that could not be read to their end (a malformed XML file): the stage published what it read, then failed.
    case brokenInput(stage: StageID, messages: [String])
    /// A setting is unusable at run time (a key file, a reference table).
    case configuration(String)
    /// A stage needs the outputs of a stage that is not in the run.
    case missingStageInput(stage: StageID, needs: StageID, run: String)

    /// The sysexits code.
    public var exitCode: ExitCode {
        switch self {
        case .io(_, let op, _): return Self.readOperations.contains(op) ? .noInput : .cannotCreate
        case .inputMissing, .noRun, .missingStageInput: return .noInput
        case .conservation, .qualityGate, .malformedInput, .brokenInput: return .dataError
        case .configuration: return .config
        }
    }

    /// A sentence an analyst can act on.
    public var description: String {
        switch self {
        case .io(let path, let op, let reason): return "\(path): \(op) failed: \(reason)"
        case .inputMissing(let path, let what): return "\(what): no such file: \(path)"
        case .noRun(let root, let ref): return "no run `\(ref)` under \(root) (see `csp status`)"
        case .conservation(let stage, let c):
            return "stage \(stage.rawValue): counts do not balance: in \(c.inCount) ≠ out \(c.out) + rejected \(c.rejected) + excluded \(c.excluded) + duplicates \(c.duplicates) (= \(c.out + c.rejected + c.excluded + c.duplicates)); the stage's outputs were not published"
        case .qualityGate(let stage, let failures):
            let parts = failures.map { f in
                "source `\(f.source)` rejected \(f.rejected) of \(f.inCount) records (\(Percent.format(f.share))), above its max_reject_share of \(Percent.format(f.limit))"
            }
            return "stage \(stage.rawValue): data-quality gate: " + parts.joined(separator: "; ") + "; everything was written (see rejects.csv) but the run is marked failed"
        case .malformedInput(let file, let line, let message): return "\(file):\(line): \(message)"
        case .brokenInput(let stage, let messages):
            return "stage \(stage.rawValue): " + messages.joined(separator: "; ") + " (everything readable was written; see rejects.csv)"
        case .configuration(let message): return message
        case .missingStageInput(let stage, let needs, let run): return "stage \(stage.rawValue) needs the \(needs.rawValue) stage's outputs, which run \(run) does not have; run `csp run --until \(needs.rawValue)` first"
        }
    }
}

/// One source that failed the data-quality gate.
public struct QualityFailure: Sendable, Codable, Equatable {
    /// Source id.
    public let source: String
    /// Records read.
    public let inCount: Int
    /// Records rejected.
    public let rejected: Int
    /// The source's limit.
    public let limit: Double
    /// rejected / in.
    public var share: Double { inCount == 0 ? 0 : Double(rejected) / Double(inCount) }

    /// Creates a failure record.
    public init(source: String, inCount: Int, rejected: Int, limit: Double) {
        self.source = source; self.inCount = inCount; self.rejected = rejected; self.limit = limit
    }
}

/// Percentages as people read them.
public enum Percent {
    /// `0.0523` → `5.2%`.
    public static func format(_ share: Double) -> String {
        let tenths = (share * 1000).rounded()
        return "\(Int(tenths) / 10).\(Int(tenths) % 10)%"
    }
}

extension StageError {
    /// `.io` for a system call on `path` that failed with `code` (by default the current `errno`).
    public static func system(_ operation: String, path: String, errno code: Int32? = nil) -> StageError {
        let f = code.map { IOFailure.errno(operation, path: path, code: $0) } ?? IOFailure.errno(operation, path: path)
        return .io(path: path, operation: operation, reason: f.reason)
    }

    /// Operations of `.io` that read an input: a failure is exit code 66; every other operation writes (73).
    public static var readOperations: Set<String> { IOFailure.readOperations }
}

/// A failed system call exits 66 on the read side (an input missing or unreadable) and 73 on the write side.
extension IOFailure: ExitCodeProviding {
    public var exitCode: ExitCode { isRead ? .noInput : .cannotCreate }
}
