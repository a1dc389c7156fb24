#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A system call on a file that failed: the path, the operation and the system's reason. Every errno in csp becomes
/// one of these through `systemCall` (or `IOFailure.errno`), never through a hand-written `strerror`.
///
/// The operation decides the exit code: `open`, `read` and `stat` are the read side (66, an input that is missing or
/// cannot be read); anything else (`create`, `write`, `fsync`, `rename`, ...) is the write side (73).
public struct IOFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file.
    public let path: String
    /// What was being done (`open`, `read`, `write`, `fsync`, ...).
    public let operation: String
    /// Why it failed, in the system's words.
    public let reason: String

    /// Creates a failure.
    public init(path: String, operation: String, reason: String) {
        self.path = path; self.operation = operation; self.reason = reason
    }

    /// The failure of `operation` on `path` with `code` (by default the current `errno`).
    public static func errno(_ operation: String, path: String, code: Int32 = Glibc.errno) -> IOFailure {
        IOFailure(path: path, operation: operation, reason: reason(code))
    }

    /// The system's words for an errno value.
    public static func reason(_ code: Int32) -> String { String(cString: strerror(code)) }

    /// Operations that read an input: a failure is exit code 66; every other operation writes (73).
    public static let readOperations: Set<String> = ["open", "read", "stat"]

    /// Whether the operation reads an input.
    public var isRead: Bool { Self.readOperations.contains(operation) }

    /// `path: operation failed: reason`.
    public var description: String { "\(path): \(operation) failed: \(reason)" }
}

/// Calls `body`, a system call that returns -1 and sets `errno` on failure (retried on `EINTR` when `interruptible`),
/// and turns a failure into an `IOFailure` naming `path`, `operation` and the system's reason. Returns the result.
/// `close` is not interruptible on Linux (the descriptor is gone whatever it returns).
@discardableResult
public func systemCall<T: FixedWidthInteger & SignedInteger>(_ operation: String, path: String, interruptible: Bool = true, _ body: () -> T) throws -> T {
    while true {
        let result = body()
        if result != -1 { return result }
        let code = errno
        if interruptible && code == EINTR { continue }
        throw IOFailure.errno(operation, path: path, code: code)
    }
}
