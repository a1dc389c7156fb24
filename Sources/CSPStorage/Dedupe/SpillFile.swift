#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif


// `read` and `close` from the C library, reachable inside types whose own methods have those names.
private func systemRead(_ fd: Int32, _ p: UnsafeMutableRawPointer, _ n: Int) -> Int { read(fd, p, n) }
private func systemClose(_ fd: Int32) -> Int32 { close(fd) }

/// A buffered, append-only binary file of stage 2's own scratch data (deleted when the source is done).
/// Integers are written in the machine's byte order: the file never leaves the process that wrote it.
package final class SpillWriter {
    package let path: String
    private var fd: Int32
    private let buffer: UnsafeMutablePointer<UInt8>
    private let capacity: Int
    private var count = 0
    /// Bytes appended so far.
    package private(set) var size = 0

    /// Creates (or truncates) `path`; `capacity` is the write buffer.
    package init(path: String, capacity: Int = 1 << 16) throws {
        self.path = path
        self.capacity = capacity
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        if fd < 0 { throw IOFailure.errno("create", path: path) }
        buffer = .allocate(capacity: capacity)
    }

    deinit {
        if fd >= 0 { _ = systemClose(fd) }
        buffer.deallocate()
    }

    package func append(_ bytes: UnsafeRawBufferPointer) throws {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        size += bytes.count
        if bytes.count > capacity - count {
            try flush()
            if bytes.count > capacity { return try writeAll(base, bytes.count) }
        }
        (UnsafeMutableRawPointer(buffer) + count).copyMemory(from: base, byteCount: bytes.count)
        count += bytes.count
    }

    package func append(_ bytes: UnsafeBufferPointer<UInt8>) throws { try append(UnsafeRawBufferPointer(bytes)) }

    @inline(__always)
    package func append<T: FixedWidthInteger>(_ value: T) throws {
        var v = value
        try withUnsafeBytes(of: &v) { try append($0) }
    }

    package func flush() throws {
        if count > 0 { try writeAll(buffer, count) }
        count = 0
    }

    /// Flushes and closes; the file stays until `unlink`.
    package func close() throws {
        guard fd >= 0 else { return }
        try flush()
        let r = systemClose(fd)
        fd = -1
        if r != 0 { throw IOFailure.errno("write", path: path) }
    }

    private func writeAll(_ p: UnsafeRawPointer, _ n: Int) throws {
        var done = 0
        while done < n {
            let w = write(fd, p + done, n - done)
            if w < 0 {
                if errno == EINTR { continue }
                throw IOFailure.errno("write", path: path)
            }
            done += w
        }
    }
}

/// Reads a `SpillWriter` file back in order through one buffer (grown only for a record longer than it).
package final class SpillReader {
    package let path: String
    private var fd: Int32
    private var buffer: UnsafeMutableRawPointer
    private var capacity: Int
    private var start = 0
    private var end = 0
    private var atEnd = false

    package init(path: String, capacity: Int = 1 << 16) throws {
        self.path = path
        self.capacity = capacity
        fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw IOFailure.errno("read", path: path) }
        buffer = .allocate(byteCount: capacity, alignment: 16)
    }

    deinit {
        if fd >= 0 { _ = systemClose(fd) }
        buffer.deallocate()
    }

    /// The next `n` bytes, valid until the next call; nil at the end of the file (a truncated record is an error).
    package func read(_ n: Int) throws -> UnsafeRawBufferPointer? {
        if end - start < n {
            try fill(n)
            if end - start < n {
                if end == start { return nil }
                throw IOFailure(path: path, operation: "read", reason: "scratch file ends inside a record")
            }
        }
        let p = UnsafeRawBufferPointer(start: buffer + start, count: n)
        start += n
        return p
    }

    /// The next `n` bytes as a byte view, valid until the next call; nil at the end of the file.
    package func readBytes(_ n: Int) throws -> ByteView? { try read(n)?.assumingMemoryBound(to: UInt8.self) }

    /// The next integer of type `T`; nil at the end of the file.
    @inline(__always)
    package func read<T: FixedWidthInteger>(_: T.Type) throws -> T? {
        guard let p = try read(MemoryLayout<T>.size) else { return nil }
        return p.loadUnaligned(as: T.self)
    }

    private func fill(_ n: Int) throws {
        if start > 0 {
            (buffer).copyMemory(from: buffer + start, byteCount: end - start)
            end -= start
            start = 0
        }
        if n > capacity {
            let b = UnsafeMutableRawPointer.allocate(byteCount: n, alignment: 16)
            b.copyMemory(from: buffer, byteCount: end)
            buffer.deallocate()
            buffer = b
            capacity = n
        }
        while end < n && !atEnd {
            let got = systemRead(fd, buffer + end, capacity - end)
            if got < 0 {
                if errno == EINTR { continue }
                throw IOFailure.errno("read", path: path)
            }
            if got == 0 { atEnd = true } else { end += got }
        }
    }
}
