import CSPStorage
import Foundation

extension StageError {
    /// Foundation's file errors (`Data.write(to:)`, `Data(contentsOf:)`, `FileManager`) as `.io`, naming the file, the
    /// side (`read` or `write`) and the system's reason (a full disk, a read-only file system); nil for other errors,
    /// and for the errors about a file's content (corrupt, its text encoding), which are data errors.
    public static func foundationFile(_ error: Error) -> StageError? {
        guard let e = error as? CocoaError else { return nil }
        let operation: String
        switch e.code.rawValue {
        case 4, 256, 257, 258, 260, 263: operation = "read"  // no such file, unknown, no permission, bad name, too large
        case 512, 513, 514, 516, 640, 642: operation = "write"  // unknown, no permission, bad name, exists, out of space, read-only volume
        default: return nil
        }
        let path = e.filePath ?? e.url?.path ?? "(file not named)"
        var reason = e.localizedDescription
        if let posix = e.userInfo[NSUnderlyingErrorKey] as? POSIXError {
            reason = IOFailure.reason(posix.code.rawValue)
        } else if let underlying = e.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            reason = IOFailure.reason(Int32(underlying.code))
        }
        return .io(path: path, operation: operation, reason: reason)
    }
}

/// A Foundation file error gets the exit code of the `StageError.io` it stands for: 66 when reading, 73 when writing.
extension CocoaError: ExitCodeProviding {
    /// The sysexits code (65 for errors that are not about reading or writing a file).
    public var exitCode: ExitCode { StageError.foundationFile(self)?.exitCode ?? .dataError }
}
