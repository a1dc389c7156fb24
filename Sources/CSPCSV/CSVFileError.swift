/// A problem with a CSV file as a whole (as opposed to one record's data), thrown by
/// `CSVReader` (`cannotOpen`, `readFailed`, `badHeader`) and `CSVWriter` (`cannotCreate`, `writeFailed`).
public enum CSVFileError: Error, Sendable, CustomStringConvertible {
    /// The file could not be opened for reading (missing, permissions, a directory, ...).
    case cannotOpen(path: String, reason: String)
    /// The file could not be created for writing (a read-only or full file system, permissions, no such folder, ...).
    case cannotCreate(path: String, reason: String)
    /// A read from an open file failed.
    case readFailed(path: String, reason: String)
    /// The header record has a data problem; nothing after it can be trusted.
    case badHeader(path: String, problem: CSVProblem)
    /// A write to (or the close of) an output file failed (disk full, ...).
    case writeFailed(path: String, reason: String)

    /// What went wrong, without the file's name (the system's reason, or the header's problem): for an error that
    /// names the file itself.
    public var reason: String {
        switch self {
        case let .cannotOpen(_, reason), let .cannotCreate(_, reason), let .readFailed(_, reason), let .writeFailed(_, reason): return reason
        case let .badHeader(_, problem): return problem.description
        }
    }

    /// A sentence naming the file and what went wrong.
    public var description: String {
        switch self {
        case let .cannotOpen(path, reason):
            return "cannot open CSV file \(path): \(reason)"
        case let .cannotCreate(path, reason):
            return "cannot create CSV file \(path): \(reason)"
        case let .readFailed(path, reason):
            return "reading CSV file \(path) failed: \(reason)"
        case let .badHeader(path, problem):
            return "CSV file \(path) has a bad header: \(problem.description)"
        case let .writeFailed(path, reason):
            return "writing CSV file \(path) failed: \(reason)"
        }
    }
}
