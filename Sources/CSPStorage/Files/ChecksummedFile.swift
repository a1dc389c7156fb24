import Crypto
import Foundation

/// A file that says what it is for and proves it is whole: an 8-byte kind, a 64-character key naming what the body
/// was made from, the SHA-256 of the body (64 hex characters), then the body. Written through a temporary file renamed
/// into place; read and hashed in one pass, 1 MB at a time, the body's reader's result returned only when the hash
/// matches. For caches of derived data (stage 3's layer cache), where a stale or damaged file must never be used.
public enum ChecksummedFile {
    /// What reading a file gave.
    public enum Read<T> {
        /// No such file.
        case absent
        /// The file does not start with the kind asked for.
        case otherKind
        /// The file was made from something else.
        case otherKey
        /// The file is cut short, cannot be read, or its body does not decode (`reason`) or does not hash to its checksum.
        case damaged(reason: String)
        /// The body's value.
        case value(T)
    }

    static let keyLength = 64, sumLength = 64

    /// Writes `kind` (8 bytes), `key` (64 characters) and the body that `body` hands to its sink, to `path`.
    public static func write(_ path: String, kind: String, key: String,
                             body: ((UnsafeRawBufferPointer) throws -> Void) throws -> Void) throws {
        precondition(kind.utf8.count == 8 && key.utf8.count == keyLength, "a kind of 8 bytes and a key of 64")
        // A cache, rebuilt when lost: no fsync (AtomicFile's rename still means a reader never sees half a file).
        try AtomicFile.write(path, suffix: ".tmp-cache", sync: false, fill: { fd, tmp in
            try FileWrite.all(Data(Array(kind.utf8) + Array(key.utf8) + [UInt8](repeating: 0x30, count: sumLength)), to: fd, path: tmp)
            var hasher = SHA256()
            try body { bytes in
                hasher.update(bufferPointer: bytes)
                try FileWrite.all(bytes, to: fd, path: tmp)
            }
            let sum = Array(FileDigest.hex(hasher.finalize()).utf8)
            let wrote = try sum.withUnsafeBytes { raw in
                try systemCall("write", path: tmp) { pwrite(fd, raw.baseAddress, sumLength, off_t(8 + keyLength)) }
            }
            guard wrote == sumLength else { throw IOFailure(path: tmp, operation: "write", reason: "short write of the checksum") }
        })
    }

    /// Reads the file at `path` if it is of `kind` and made from `key`: `body` gets the body's size and a source that
    /// fills each buffer it is given with the next bytes (or throws when the file ends or cannot be read).
    public static func read<T>(_ path: String, kind: String, key: String,
                               body: (Int, (UnsafeMutableRawBufferPointer) throws -> Void) throws -> T) -> Read<T> {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return errno == ENOENT ? .absent : .damaged(reason: IOFailure.errno("open", path: path).description) }
        defer { close(fd) }
        var st = stat()
        let header = 8 + keyLength + sumLength
        guard fstat(fd, &st) == 0, st.st_mode & S_IFMT == S_IFREG, Int(st.st_size) >= header else { return .otherKind }
        var head = [UInt8](repeating: 0, count: header)
        do {
            try head.withUnsafeMutableBytes { try fill(fd, $0, path: path) }
        } catch {
            return .damaged(reason: "\(error)")
        }
        guard Array(head[0..<8]) == Array(kind.utf8) else { return .otherKind }
        guard String(decoding: head[8..<(8 + keyLength)], as: UTF8.self) == key else { return .otherKey }
        let stored = String(decoding: head[(8 + keyLength)...], as: UTF8.self)
        var hasher = SHA256()
        let value: T
        do {
            value = try body(Int(st.st_size) - header) { target in
                try fill(fd, target, path: path)
                hasher.update(bufferPointer: UnsafeRawBufferPointer(target))
            }
        } catch {
            return .damaged(reason: "\(error)")
        }
        guard FileDigest.hex(hasher.finalize()) == stored else { return .damaged(reason: "its checksum does not match") }
        return .value(value)
    }

    /// Fills `target` from `fd`, or throws (the file ends early, or a read fails).
    static func fill(_ fd: Int32, _ target: UnsafeMutableRawBufferPointer, path: String) throws {
        var done = 0
        while done < target.count {
            let n = try systemCall("read", path: path) { Glibc.read(fd, target.baseAddress! + done, target.count - done) }
            guard n > 0 else { throw IOFailure(path: path, operation: "read", reason: "the file ends early") }
            done += n
        }
    }
}
