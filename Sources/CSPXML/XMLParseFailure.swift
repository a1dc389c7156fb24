import CLibXML2

/// A problem found while parsing, before the file's path is attached.
enum XMLParseFailure: Error, Equatable {
    case malformed(line: Int, column: Int, message: String)
    case doctype(line: Int)
    case entity(line: Int, name: String)
    case tooDeep(line: Int, limit: Int)
    case valueTooLong(line: Int, field: String, limit: Int)
    case io(reason: String)

    /// The public error for the file at `path`.
    func error(path: String) -> XMLReadError {
        switch self {
        case .malformed(let line, let column, let message):
            .malformed(path: path, line: line, column: column, message: message)
        case .doctype(let line): .doctypeForbidden(path: path, line: line)
        case .entity(let line, let name): .entityForbidden(path: path, line: line, name: name)
        case .tooDeep(let line, let limit): .tooDeep(path: path, line: line, limit: limit)
        case .valueTooLong(let line, let field, let limit):
            .valueTooLong(path: path, line: line, field: field, limit: limit)
        case .io(let reason): .cannotOpen(path: path, reason: reason)
        }
    }
}
