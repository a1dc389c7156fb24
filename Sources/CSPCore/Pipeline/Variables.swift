import Foundation

/// `${name}` substitution for pipeline values, with defaults from the file and overrides from `--set`.
struct Variables {
    /// Final values.
    let values: [String: String]
    /// Names given on the command line; their relative path values resolve against the working directory.
    let fromCommandLine: Set<String>
    let workingDirectory: String

    /// The names `${name}` in `text` refers to, in order.
    static func references(in text: String) -> [String] {
        var out: [String] = []
        var rest = Substring(text)
        while let start = rest.range(of: "${"), let end = rest[start.upperBound...].firstIndex(of: "}") {
            out.append(String(rest[start.upperBound..<end]))
            rest = rest[rest.index(after: end)...]
        }
        return out
    }

    /// Replaces every `${name}` in `text`.
    /// When `isPath`, a command-line value that starts the text and is relative resolves against the working directory.
    func substitute(_ text: String, at cursor: YAMLCursor, isPath: Bool = false) throws -> String {
        guard text.contains("${") else { return text }
        var out = ""
        var rest = Substring(text)
        while let start = rest.range(of: "${") {
            out += rest[..<start.lowerBound]
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else {
                throw cursor.error(.badValue("unclosed `${` in `\(text)`"))
            }
            let name = String(rest[start.upperBound..<end])
            guard var value = values[name] else { throw cursor.error(.undefinedVariable(name)) }
            // A command-line path that starts the value resolves against the working directory.
            if isPath, fromCommandLine.contains(name), out.isEmpty, !value.hasPrefix("/"), !value.isEmpty {
                value = (workingDirectory as NSString).appendingPathComponent(value)
            }
            out += value
            rest = rest[rest.index(after: end)...]
        }
        out += rest
        return out
    }
}
