/// Why an XML file could not be read. Every case names the file; all but `cannotOpen` name
/// the line where the problem was found.
public enum XMLReadError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file could not be opened or read; `reason` is the operating system's explanation.
    case cannotOpen(path: String, reason: String)
    /// The file is not well-formed XML (or not namespace-well-formed, or its bytes do not
    /// match its declared encoding); `message` is libxml2's explanation.
    case malformed(path: String, line: Int, column: Int, message: String)
    /// The file has a `<!DOCTYPE …>` declaration, which is refused outright.
    case doctypeForbidden(path: String, line: Int)
    /// The file refers to an entity other than the five predefined ones; it is never expanded.
    case entityForbidden(path: String, line: Int, name: String)
    /// Elements nest deeper than `limit` levels.
    case tooDeep(path: String, line: Int, limit: Int)
    /// A value (element text or attribute) is longer than `limit` bytes; or, with `field`
    /// empty, the record starting at `line` holds more than `limit` bytes in all.
    case valueTooLong(path: String, line: Int, field: String, limit: Int)

    /// The line where the problem was found; 0 for `cannotOpen`.
    public var line: Int {
        switch self {
        case .cannotOpen: 0
        case .malformed(_, let line, _, _),
             .doctypeForbidden(_, let line),
             .entityForbidden(_, let line, _),
             .tooDeep(_, let line, _),
             .valueTooLong(_, let line, _, _):
            line
        }
    }

    /// A stable identifier for the kind of problem, for logs and quality reports.
    public var rule: String {
        switch self {
        case .cannotOpen: "xml.cannot-open"
        case .malformed: "xml.malformed"
        case .doctypeForbidden: "xml.doctype"
        case .entityForbidden: "xml.entity"
        case .tooDeep: "xml.too-deep"
        case .valueTooLong: "xml.value-too-long"
        }
    }

    /// A sentence an analyst can act on. It quotes nothing read from outside the file.
    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason):
            "Cannot read the XML file \(path): \(reason). Check that the path is right and the file is readable."
        case .malformed(let path, let line, let column, let message):
            "The XML file \(path) is not well-formed at line \(line), column \(column): \(message). "
                + "Ask the supplier for a corrected export, or fix the file at that position."
        case .doctypeForbidden(let path, let line):
            "The XML file \(path) has a document type declaration (<!DOCTYPE …>) at line \(line). "
                + "DOCTYPEs are refused because they can define entities that expand without bound "
                + "or pull in other files; remove the declaration and read the file again."
        case .entityForbidden(let path, let line, let name):
            "The XML file \(path) refers to the entity &\(name); at line \(line). Only &amp; &lt; &gt; "
                + "&quot; &apos; and character references such as &#233; are accepted; replace the "
                + "reference with the text it stands for."
        case .tooDeep(let path, let line, let limit):
            "The XML file \(path) nests elements more than \(limit) levels deep at line \(line). "
                + "Raise maxDepth only if the file is trusted and really is this deep."
        case .valueTooLong(let path, let line, let field, let limit) where field.isEmpty:
            "The XML file \(path) has a record larger than \(limit) bytes, starting at line \(line). "
                + "Raise maxRecordBytes if records this large are expected."
        case .valueTooLong(let path, let line, let field, let limit):
            "The XML file \(path) has a value longer than \(limit) bytes in \(field) at line \(line). "
                + "Raise maxValueBytes if values this long are expected."
        }
    }
}
