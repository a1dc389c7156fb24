/// A file whose header does not match the schema the previous stage declared: names the file, the line and what
/// differs. A data error (exit 65), like any malformed input.
public struct SchemaMismatch: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file.
    public let file: String
    /// The line (1: the header).
    public let line: Int
    /// What differs.
    public let message: String

    /// Creates a mismatch.
    public init(file: String, line: Int, message: String) {
        self.file = file; self.line = line; self.message = message
    }

    /// `file:line: message`.
    public var description: String { "\(file):\(line): \(message)" }
}
