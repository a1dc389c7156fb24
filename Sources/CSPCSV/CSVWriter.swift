#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `close(2)`, reachable from inside `CSVWriter` (whose own `close()` shadows it).
private func closeDescriptor(_ fd: Int32) -> Int32 {
    close(fd)
}

/// A buffered CSV file writer: UTF-8, no BOM, LF line endings, a field quoted only when it
/// contains the delimiter, a quote, CR or LF (quotes doubled). Output is deterministic.
///
/// A row holding one empty field is written as `""` so that it does not read back as a blank
/// line. `writeField` does not throw: a failed flush is kept and thrown by the next `endRow`,
/// `flush` or `close`. Not thread-safe.
public final class CSVWriter {
    /// The path the writer was opened with.
    public let path: String
    /// The field separator byte.
    public let delimiter: UInt8
    /// Rows completed by `endRow` or `writeRow`.
    public private(set) var rowsWritten: Int = 0

    private var fd: Int32
    private let buffer: UnsafeMutablePointer<UInt8>
    private let capacity: Int
    private var count = 0
    private var fieldsInRow = 0
    private var lastFieldEmpty = false
    private var pendingError: CSVFileError?

    /// Creates or truncates the file at `path`.
    /// - Throws: `CSVFileError.cannotOpen` when the file cannot be created.
    public init(path: String, delimiter: UInt8 = UInt8(ascii: ",")) throws {
        precondition(delimiter != 0x22 && delimiter != 0x0A && delimiter != 0x0D,
                     "CSV delimiter must not be a quote, CR or LF")
        self.path = path
        self.delimiter = delimiter
        let opened = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        if opened < 0 {
            throw CSVFileError.cannotOpen(path: path, reason: String(cString: strerror(errno)))
        }
        fd = opened
        capacity = 1 << 20
        buffer = .allocate(capacity: capacity)
    }

    deinit {
        try? close()
        buffer.deallocate()
    }

    /// Writes one row of fields and ends it.
    public func writeRow(_ fields: [String]) throws {
        for field in fields { writeField(field) }
        try endRow()
    }

    /// Appends one field to the current row.
    public func writeField(_ s: String) {
        var s = s
        s.withUTF8 { writeField(bytes: $0) }
    }

    /// Appends one field, given as UTF-8 bytes, to the current row.
    public func writeField(bytes: UnsafeBufferPointer<UInt8>) {
        if fieldsInRow > 0 { put(delimiter) }
        let forced = rowsWritten == 0 && fieldsInRow == 0 && CSV.startsWithBOM(bytes)
        if forced || CSV.needsQuoting(bytes: bytes, delimiter: delimiter) {
            put(0x22)
            var start = 0
            for i in 0..<bytes.count where bytes[i] == 0x22 {
                put(UnsafeBufferPointer(rebasing: bytes[start...i]))
                put(0x22)
                start = i + 1
            }
            put(UnsafeBufferPointer(rebasing: bytes[start...]))
            put(0x22)
        } else {
            put(bytes)
        }
        fieldsInRow += 1
        lastFieldEmpty = bytes.isEmpty
    }

    /// Appends one field made of `prefix` followed by `bytes` (UTF-8), as `writeField` would write their concatenation,
    /// without building it (a spreadsheet-safe `'` before a cell, for example). `prefix` must not be a BOM's first byte.
    public func writeField(prefix: UInt8, bytes: UnsafeBufferPointer<UInt8>) {
        if fieldsInRow > 0 { put(delimiter) }
        let quoted = prefix == delimiter || prefix == 0x22 || prefix == 0x0A || prefix == 0x0D
            || CSV.needsQuoting(bytes: bytes, delimiter: delimiter)
        if quoted {
            put(0x22)
            put(prefix)
            if prefix == 0x22 { put(0x22) }
            var start = 0
            for i in 0..<bytes.count where bytes[i] == 0x22 {
                put(UnsafeBufferPointer(rebasing: bytes[start...i]))
                put(0x22)
                start = i + 1
            }
            put(UnsafeBufferPointer(rebasing: bytes[start...]))
            put(0x22)
        } else {
            put(prefix)
            put(bytes)
        }
        fieldsInRow += 1
        lastFieldEmpty = false
    }

    /// Ends the current row with LF.
    /// - Throws: `CSVFileError.writeFailed` from an earlier failed flush.
    public func endRow() throws {
        if fieldsInRow == 1 && lastFieldEmpty {
            put(0x22)
            put(0x22)
        }
        put(0x0A)
        fieldsInRow = 0
        rowsWritten += 1
        try throwPending()
    }

    /// Writes the buffered bytes to the file.
    /// - Throws: `CSVFileError.writeFailed`.
    public func flush() throws {
        drain()
        try throwPending()
    }

    /// Flushes and closes the file; calling it again does nothing.
    /// - Throws: `CSVFileError.writeFailed`.
    public func close() throws {
        if fd < 0 { return }
        drain()
        let closed = closeDescriptor(fd)
        let closeErrno = errno
        fd = -1
        try throwPending()
        if closed != 0 {
            throw CSVFileError.writeFailed(path: path, reason: String(cString: strerror(closeErrno)))
        }
    }

    // MARK: - Buffering

    @inline(__always)
    private func put(_ b: UInt8) {
        if count == capacity { drain() }
        buffer[count] = b
        count += 1
    }

    private func put(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        if bytes.count > capacity - count {
            drain()
            if bytes.count > capacity {
                writeAll(base, bytes.count)
                return
            }
        }
        (buffer + count).update(from: base, count: bytes.count)
        count += bytes.count
    }

    private func drain() {
        if count > 0 { writeAll(buffer, count) }
        count = 0
    }

    private func writeAll(_ p: UnsafePointer<UInt8>, _ n: Int) {
        guard fd >= 0, pendingError == nil else { return }
        var done = 0
        while done < n {
            let wrote = write(fd, p + done, n - done)
            if wrote < 0 {
                if errno == EINTR { continue }
                pendingError = .writeFailed(path: path, reason: String(cString: strerror(errno)))
                return
            }
            done += wrote
        }
    }

    private func throwPending() throws {
        if let error = pendingError {
            pendingError = nil
            throw error
        }
    }
}
