#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Calls `body`, a system call that returns -1 and sets `errno` on failure (retried on `EINTR` when `interruptible`),
/// and turns a failure into `StageError.io` naming `path`, `operation` and the system's reason. Returns the result.
///
/// The operation decides the exit code (see `StageError.exitCode`): `open`, `read` and `stat` are the read side (66,
/// an input that is missing or cannot be read); anything else (`create`, `write`, `fsync`, `rename`, ...) is the write
/// side (73). `close` is not interruptible on Linux (the descriptor is gone whatever it returns).
@discardableResult
public func systemCall<T: FixedWidthInteger & SignedInteger>(_ operation: String, path: String, interruptible: Bool = true, _ body: () -> T) throws -> T {
    while true {
        let result = body()
        if result != -1 { return result }
        let code = errno
        if interruptible && code == EINTR { continue }
        throw StageError.system(operation, path: path, errno: code)
    }
}

extension StageError {
    /// `.io` for a system call on `path` that failed with `code` (by default the current `errno`).
    public static func system(_ operation: String, path: String, errno code: Int32 = errno) -> StageError {
        .io(path: path, operation: operation, reason: String(cString: strerror(code)))
    }

    /// Operations of `.io` that read an input: a failure is exit code 66; every other operation writes (73).
    public static let readOperations: Set<String> = ["open", "read", "stat"]
}
