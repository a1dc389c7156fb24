import Foundation

/// Writes to open file descriptors, every failure an `IOFailure` naming the file.
public enum FileWrite {
    /// Writes all of `data` to `fd` (a short write is continued; the one after it reports why, ENOSPC say).
    public static func all(_ data: Data, to fd: Int32, path: String) throws {
        try data.withUnsafeBytes { try all($0, to: fd, path: path) }
    }

    /// Writes all of `bytes` to `fd`, as `all(_:to:path:)` does for `Data`.
    public static func all(_ bytes: UnsafeRawBufferPointer, to fd: Int32, path: String) throws {
        guard let base = bytes.baseAddress else { return }
        var done = 0
        while done < bytes.count {
            let n = try systemCall("write", path: path) { Glibc.write(fd, base + done, bytes.count - done) }
            done += n
        }
    }

    /// One `write(2)` of all of `data`, never continued (`operation` names it in errors); returns the bytes written,
    /// which the caller compares with the size: a line cut short by a full disk is better left alone than split.
    public static func once(_ data: Data, to fd: Int32, path: String, operation: String) throws -> Int {
        try systemCall(operation, path: path) { data.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) } }
    }
}
