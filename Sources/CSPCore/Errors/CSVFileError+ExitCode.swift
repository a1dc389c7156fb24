import CSPCSV

/// A CSV file that cannot be read is a missing input (66); one that cannot be created or written is output that cannot
/// be written (73: a full disk, a read-only folder); a header that does not parse is a data error (65).
extension CSVFileError: ExitCodeProviding {
    /// The sysexits code.
    public var exitCode: ExitCode {
        switch self {
        case .cannotOpen, .readFailed: return .noInput
        case .cannotCreate, .writeFailed: return .cannotCreate
        case .badHeader: return .dataError
        }
    }
}
