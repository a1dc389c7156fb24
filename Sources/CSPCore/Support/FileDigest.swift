import Crypto
import Foundation

/// SHA-256 of files, streamed in 1 MB reads.
public enum FileDigest {
    /// Hex SHA-256 and size in bytes of the file at `path`.
    public static func sha256(path: String) throws -> (hex: String, bytes: Int) {
        let fd = try systemCall("open", path: path) { open(path, O_RDONLY | O_CLOEXEC) }
        defer { close(fd) }
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
        let results = UnsafeMutableBufferPointer<Result<(hex: String, bytes: Int), Error>?>.allocate(capacity: paths.count)
        results.initialize(repeating: nil)
        defer { results.deinitialize(); results.deallocate() }
        let next = NSLock()
        nonisolated(unsafe) var cursor = 0
        nonisolated(unsafe) let slots = results
        DispatchQueue.concurrentPerform(iterations: max(1, min(threads, paths.count))) { _ in
            while true {
                next.lock(); let i = cursor; cursor += 1; next.unlock()
                guard i < paths.count else { return }
                slots[i] = Result { try sha256(path: paths[i]) }  // each slot written by one thread only
            }
        }
        return try results.map { try $0!.get() }
    }

    /// Hex SHA-256 of bytes.
    public static func sha256(data: Data) -> String { hex(SHA256.hash(data: data)) }

    static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        let chars = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(64)
        for b in digest { out.append(chars[Int(b >> 4)]); out.append(chars[Int(b & 15)]) }
        return String(decoding: out, as: UTF8.self)
    }
}
