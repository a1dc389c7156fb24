import Crypto
import Foundation

/// SHA-256 of files, streamed in 1 MB reads.
public enum FileDigest {
    /// Hex SHA-256 and size in bytes of the file at `path`. Only a regular file is read: a FIFO, device, socket or
    /// folder is refused (exit 66, naming it) before any read, so nothing matching a glob can block a run that
    /// holds the lock (the file is opened without blocking, then checked).
    public static func sha256(path: String) throws -> (hex: String, bytes: Int) {
        let fd = try systemCall("open", path: path) { open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw IOFailure.errno("open", path: path) }
        guard st.st_mode & S_IFMT == S_IFREG else {
            throw IOFailure(path: path, operation: "open", reason: "not a regular file (\(kind(st.st_mode))): only regular files are read")
        }
        var hasher = SHA256()
        var total = 0
        let size = 1 << 20
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let n = try systemCall("read", path: path) { read(fd, buffer.baseAddress, size) }
            if n == 0 { break }
            hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
            total += n
        }
        return (hex(hasher.finalize()), total)
    }

    /// `sha256(path:)` of each path, in order, computed by up to `threads` threads (files taken in turn).
    public static func sha256(paths: [String], threads: Int = 2) throws -> [(hex: String, bytes: Int)] {
        try ParallelMap.map(paths.count, threads: threads) { try sha256(path: paths[$0]) }
    }

    /// What a file that is not regular is, in words.
    package static func kind(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFIFO: return "a FIFO"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFSOCK: return "a socket"
        case S_IFDIR: return "a folder"
        default: return "not a regular file"
        }
    }

    /// Hex SHA-256 of bytes.
    public static func sha256(data: Data) -> String { hex(SHA256.hash(data: data)) }

    package static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        let chars = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(64)
        for b in digest { out.append(chars[Int(b >> 4)]); out.append(chars[Int(b & 15)]) }
        return String(decoding: out, as: UTF8.self)
    }
}
