/// A problem found while loading a pipeline file: names the file, the key and the problem.
public struct PipelineError: Error, Sendable, CustomStringConvertible, ExitCodeProviding {
    /// What kind of problem it is.
    public enum Kind: Sendable, Equatable {
        case unreadable(String)
        case syntax(String)
        case unknownKey
        case missingKey
        case wrongType(expected: String)
        case badValue(String)
        case badDate(String)
        case undefinedVariable(String)
        case missingFile(String)
    }
    /// The pipeline file.
    public let file: String
    /// Dotted key path, for example `sources[2].encoding`.
    public let key: String
    /// The problem.
    public let kind: Kind
    /// Line in the YAML file (1-based) when known.
    public let line: Int?

    /// Creates an error.
    public init(file: String, key: String, kind: Kind, line: Int? = nil) {
        self.file = file; self.key = key; self.kind = kind; self.line = line
    }

    /// A YAML parser's error as a syntax error at the line it names (Yams describes its errors as `LINE:COLUMN: …`).
    public static func syntax(_ error: Error, file: String) -> PipelineError {
        let text = "\(error)"
        let line = text.split(separator: ":", maxSplits: 1).first.flatMap { Int($0) }
        return PipelineError(file: file, key: "", kind: .syntax(text), line: line)
    }

    /// Missing files are missing input (66); everything else is a configuration error (78).
    public var exitCode: ExitCode {
        if case .missingFile = kind { return .noInput }
        return .config
    }

    /// A sentence an analyst can act on.
    public var description: String {
        let at = line.map { "\(file):\($0)" } ?? file
        let keyText = key.isEmpty ? "" : " key `\(key)`"
        switch kind {
        case .unreadable(let why): return "\(file): cannot read pipeline file: \(why)"
        case .syntax(let why): return "\(at): not valid YAML: \(why)"
        case .unknownKey: return "\(at):\(keyText) is not a known setting (check its spelling)"
        case .missingKey: return "\(at):\(keyText) is required but missing"
        case .wrongType(let expected): return "\(at):\(keyText) should be \(expected)"
        case .badValue(let why): return "\(at):\(keyText): \(why)"
        case .badDate(let value): return "\(at):\(keyText): `\(value)` is not a date (expected YYYY-MM-DD)"
        case .undefinedVariable(let name): return "\(at):\(keyText): variable `${\(name)}` is not declared under `variables:` nor given with --set"
        case .missingFile(let path): return "\(at):\(keyText): file not found: \(path)"
        }
    }
}
