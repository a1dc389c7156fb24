import Yams

/// A position in a parsed YAML document that knows its key path, so every error names it.
struct YAMLCursor {
    let node: Node
    let key: String
    let file: String
    /// Folder of the file the node was read from: relative paths in it resolve against this (a pipeline that
    /// `extends:` another reads nodes of both files). Empty: the loaded pipeline's own folder.
    var directory: String = ""

    var line: Int? { node.mark?.line }

    func error(_ kind: PipelineError.Kind) -> PipelineError {
        PipelineError(file: file, key: key, kind: kind, line: line)
    }

    func child(_ name: String, _ node: Node) -> YAMLCursor {
        YAMLCursor(node: node, key: key.isEmpty ? name : "\(key).\(name)", file: file, directory: directory)
    }

    /// The mapping's entries in file order, after checking that every key is allowed.
    func mapping(allowed: Set<String>? = nil) throws -> [(String, YAMLCursor)] {
        guard case .mapping(let map) = node else { throw error(.wrongType(expected: "a mapping of keys to values")) }
        var out: [(String, YAMLCursor)] = []
        var seen = Set<String>()
        for (k, v) in map {
            guard let name = k.scalar?.string else {
                throw PipelineError(file: file, key: key, kind: .wrongType(expected: "plain keys"), line: k.mark?.line)
            }
            let c = child(name, v)
            if let allowed, !allowed.contains(name) {
                throw PipelineError(file: file, key: c.key, kind: .unknownKey, line: k.mark?.line)
            }
            if !seen.insert(name).inserted {
                throw PipelineError(file: file, key: c.key, kind: .badValue("appears twice"), line: k.mark?.line)
            }
            out.append((name, c))
        }
        return out
    }

    /// The mapping as a dictionary, after checking keys and that the required ones are present.
    func fields(allowed: Set<String>, required: Set<String> = []) throws -> [String: YAMLCursor] {
        let entries = try mapping(allowed: allowed)
        let dict = Dictionary(entries, uniquingKeysWith: { a, _ in a })
        for name in required.sorted() where dict[name] == nil {
            throw PipelineError(file: file, key: key.isEmpty ? name : "\(key).\(name)", kind: .missingKey, line: line)
        }
        return dict
    }

    func sequence() throws -> [YAMLCursor] {
        guard case .sequence(let seq) = node else { throw error(.wrongType(expected: "a list")) }
        return seq.enumerated().map { i, n in YAMLCursor(node: n, key: "\(key)[\(i)]", file: file, directory: directory) }
    }

    /// A scalar as text (numbers and booleans as written).
    func string() throws -> String {
        guard case .scalar(let s) = node else { throw error(.wrongType(expected: "a single value")) }
        return s.string
    }

    func stringList() throws -> [String] {
        if case .scalar = node { return [try string()] }
        return try sequence().map { try $0.string() }
    }

    func double() throws -> Double {
        let s = try string()
        guard let v = Double(s) else { throw error(.wrongType(expected: "a number")) }
        return v
    }

    func int() throws -> Int {
        let s = try string()
        guard let v = Int(s) else { throw error(.wrongType(expected: "a whole number")) }
        return v
    }
}
