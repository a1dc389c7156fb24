/// A problem with a CSV file as a whole (as opposed to one record's data), thrown by
/// `CSVReader` and `CSVWriter`.
public enum CSVFileError: Error, Sendable, CustomStringConvertible {
    /// The file could not be opened (missing, permissions, a directory, ...).
    case cannotOpen(path: String, reason: String)
    /// A read from an open file failed.
    case readFailed(path: String, reason: String)
    /// The header record has a data problem; nothing after it can be trusted.
    case badHeader(path: String, problem: CSVProblem)
    /// A write to an output file failed (disk full, ...).
    case writeFailed(path: String, reason: String)

    /// A sentence naming the file and what went wrong.
    public var description: String {
        switch self {
        case let .cannotOpen(path, reason):
            return "cannot open CSV file \(path): \(reason)"
        case let .readFailed(path, reason):
            return "reading CSV file \(path) failed: \(reason)"
        case let .badHeader(path, problem):
            return "CSV file \(path) has a bad header: \(problem.description)"
        case let .writeFailed(path, reason):
            return "writing CSV file \(path) failed: \(reason)"
        }
    }
}
