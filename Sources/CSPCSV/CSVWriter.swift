import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Sees every byte a `CSVWriter` writes, in order, on the writer's background queue; told when the file is complete.
/// (CSPCore hashes the output this way, so a stage's manifest need not read its files back.)
public protocol CSVWriteObserver: AnyObject {
    /// The next bytes written to the file.
    func written(_ bytes: UnsafeBufferPointer<UInt8>)
    /// Every byte has been written; `fd` is still open (for `fstat`). `total` is the number of bytes written.
    func completed(fd: Int32, total: Int)
}

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
///
/// Write-behind: rows are built in one 1 MB buffer while the other is written (and shown to the observer, which
/// hashes it) on a serial background queue, so the `write(2)` copies and the hashing run on a second core. Measured
/// on stage 1 at 1M rows: SHA-256 of the outputs was 31% of the stage's CPU when the manifest read the files back.
public final class CSVWriter {
    /// Makes the observer of each new writer (by path); nil by default. Set once at start-up, before any writer.
    nonisolated(unsafe) public static var observerFactory: ((String) -> CSVWriteObserver?)?

    /// The path the writer was opened with.
    public let path: String
    /// The field separator byte.
    public let delimiter: UInt8
    /// Rows completed by `endRow` or `writeRow`.
    @exclusivity(unchecked) public private(set) var rowsWritten: Int = 0

    // The state written per field is `@exclusivity(unchecked)`: Swift otherwise checks every access to a class's `var`
    // at run time (swift_beginAccess), about 76 instructions per `writeField` call, 3% of stage 4's and stage 1's
    // instructions (callgrind). A writer belongs to one thread and none of these is accessed while another access
    // to it is open (no callbacks), so the check can never fire.

    private var fd: Int32
    @exclusivity(unchecked) private var buffer: UnsafeMutablePointer<UInt8>
    private let capacity: Int
    @exclusivity(unchecked) private var count = 0
    @exclusivity(unchecked) private var fieldsInRow = 0
    @exclusivity(unchecked) private var lastFieldEmpty = false
    @exclusivity(unchecked) private var pendingError: CSVFileError?
    private let behind: WriteBehind

    /// Creates or truncates the file at `path`; `observer` (else `observerFactory`'s, if any) sees every byte written.
    ///
    /// `baseline` names an existing file the output is expected to equal (see `CSVBaseline`): bytes equal to its bytes
    /// are not written, and an output equal to the whole baseline becomes a hard link to it. The file at `path` is
    /// then first removed rather than truncated, so that a path already linked to the baseline never truncates it.
    /// - Throws: `CSVFileError.cannotCreate` when the file cannot be created.
    public init(path: String, delimiter: UInt8 = UInt8(ascii: ","), observer: CSVWriteObserver? = nil, baseline: String? = nil) throws {
        precondition(delimiter != 0x22 && delimiter != 0x0A && delimiter != 0x0D,
                     "CSV delimiter must not be a quote, CR or LF")
        self.path = path
        self.delimiter = delimiter
        if baseline != nil { _ = unlink(path) }
        let opened = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        if opened < 0 {
            throw CSVFileError.cannotCreate(path: path, reason: String(cString: strerror(errno)))
        }
        fd = opened
        capacity = 1 << 20
        behind = WriteBehind(path: path, fd: opened, capacity: capacity, observer: observer ?? CSVWriter.observerFactory?(path),
                             baseline: baseline.flatMap { CSVBaseline(path: $0, bufferSize: 1 << 20) })
        buffer = behind.firstBuffer()
    }

    deinit {
        try? close()
        behind.deallocate()  // every buffer, the one being filled included
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
            putDoublingQuotes(bytes)
            put(0x22)
        } else {
            put(bytes)
        }
        fieldsInRow += 1
        lastFieldEmpty = bytes.isEmpty
    }

    /// Appends `rows` complete rows encoded by a `CSVRowEncoder` with the same delimiter: the file gets exactly the
    /// bytes `writeRow` would have written. Only between rows, and never as the file's first row (the encoder does not
    /// apply the first-row byte-order-mark rule).
    /// - Throws: `CSVFileError.writeFailed` from an earlier failed flush.
    public func writeEncodedRows(_ bytes: UnsafeBufferPointer<UInt8>, rows: Int) throws {
        precondition(fieldsInRow == 0 && rowsWritten > 0, "encoded rows go between rows, after the first row")
        put(bytes)
        rowsWritten += rows
        try throwPending()
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
            putDoublingQuotes(bytes)
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
        behind.wait()
        if pendingError == nil { pendingError = behind.error }
        try throwPending()
    }

    /// Flushes and closes the file; calling it again does nothing.
    /// - Throws: `CSVFileError.writeFailed`.
    public func close() throws {
        if fd < 0 { return }
        drain()
        behind.finish()
        if pendingError == nil { pendingError = behind.error }
        let closed = closeDescriptor(fd)
        let closeErrno = errno
        fd = -1
        try throwPending()
        if closed != 0 {
            throw CSVFileError.writeFailed(path: path, reason: String(cString: strerror(closeErrno)))
        }
    }

    // MARK: - Buffering

    /// The body of a quoted field: `bytes` with every quote doubled.
    private func putDoublingQuotes(_ bytes: UnsafeBufferPointer<UInt8>) {
        var start = 0
        for i in 0..<bytes.count where bytes[i] == 0x22 {
            put(UnsafeBufferPointer(rebasing: bytes[start...i]))
            put(0x22)
            start = i + 1
        }
        put(UnsafeBufferPointer(rebasing: bytes[start...]))
    }

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
                // Larger than a buffer: written in pieces through the background queue, in order.
                var done = 0
                while done < bytes.count {
                    let n = min(capacity, bytes.count - done)
                    (buffer + 0).update(from: base + done, count: n)
                    count = n
                    drain()
                    done += n
                }
                return
            }
        }
        (buffer + count).update(from: base, count: bytes.count)
        count += bytes.count
    }

    /// Hands the full buffer to the background queue and carries on in the other one.
    private func drain() {
        guard count > 0, fd >= 0 else { count = 0; return }
        let (next, failed) = behind.submit(buffer, count)
        buffer = next
        count = 0
        if pendingError == nil, let failed { pendingError = failed }
    }

    private func throwPending() throws {
        if let error = pendingError {
            pendingError = nil
            throw error
        }
    }
}

/// The background half of a `CSVWriter`: a serial queue that writes full buffers (and shows them to the observer) in
/// order while the writer fills another. Up to `depth` buffers are in flight, so a writer thread that is briefly
/// descheduled (two cores shared by parser, worker and writer threads) does not stall the producer at once.
/// `lock` guards the spare buffers and `error`; `slots` counts the buffers that may still be handed over.
private final class WriteBehind: @unchecked Sendable {
    let path: String
    let fd: Int32
    let observer: CSVWriteObserver?
    private let capacity: Int
    private var spares: [UnsafeMutablePointer<UInt8>] = []
    private var allocated: [UnsafeMutablePointer<UInt8>] = []
    private let queue: DispatchQueue
    private let slots: DispatchSemaphore
    private let inFlight = DispatchGroup()
    private let lock = NSLock()
    private var failure: CSVFileError?
    private var total = 0

    static let depth = 4

    /// The file the output is expected to equal, if any (touched on the queue only, and by `finish` after it).
    private let baseline: CSVBaseline?

    init(path: String, fd: Int32, capacity: Int, observer: CSVWriteObserver?, baseline: CSVBaseline?) {
        self.path = path; self.fd = fd; self.observer = observer; self.capacity = capacity; self.baseline = baseline
        slots = DispatchSemaphore(value: Self.depth - 1)
        queue = DispatchQueue(label: "csv-writer")
    }

    /// The first write error (once the queue is idle, or as seen so far).
    var error: CSVFileError? { lock.lock(); defer { lock.unlock() }; return failure }

    /// The buffer a new writer fills first (owned here, like every buffer).
    func firstBuffer() -> UnsafeMutablePointer<UInt8> {
        let b = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        allocated.append(b)
        return b
    }

    func deallocate() {
        wait()
        for b in allocated { b.deallocate() }
        allocated = []
    }

    /// Queues `n` bytes of `full` for writing; returns the buffer to fill next and the error of an earlier write.
    func submit(_ full: UnsafeMutablePointer<UInt8>, _ n: Int) -> (UnsafeMutablePointer<UInt8>, CSVFileError?) {
        slots.wait()
        lock.lock()
        let failed = failure
        let next: UnsafeMutablePointer<UInt8>
        if let b = spares.popLast() { next = b } else { next = .allocate(capacity: capacity); allocated.append(next) }
        lock.unlock()
        let address = UInt(bitPattern: full)  // a pointer is not Sendable; the queue owns the buffer until it is spare
        inFlight.enter()
        queue.async { [self] in
            let p = UnsafeMutablePointer<UInt8>(bitPattern: address)!
            defer {
                lock.lock(); spares.append(p); lock.unlock()
                slots.signal()
                inFlight.leave()
            }
            lock.lock(); let stop = failure != nil; lock.unlock()
            guard !stop else { return }
            observer?.written(UnsafeBufferPointer(start: UnsafePointer(p), count: n))
            if let baseline, !baseline.diverged {
                if baseline.matches(p, n) { total += n; return }
                let e = baseline.diverge(into: fd)
                guard e == 0 else { return fail(errno: e) }
            }
            var done = 0
            while done < n {
                let wrote = write(fd, p + done, n - done)
                if wrote < 0 {
                    if errno == EINTR { continue }
                    return fail(errno: errno)
                }
                done += wrote
            }
            total += n
        }
        return (next, failed)
    }

    /// Records a failed write (`e`, an errno value) as the failure, unless one is recorded already.
    private func fail(errno e: Int32) {
        lock.lock(); if failure == nil { failure = .writeFailed(path: path, reason: String(cString: strerror(e))) }; lock.unlock()
    }

    /// Waits until every buffer in flight is written.
    func wait() { inFlight.wait() }

    /// Waits for the queue, then tells the observer the file is complete (unless a write failed).
    func finish() {
        wait()
        if let baseline, !baseline.diverged, error == nil {
            // Everything written so far equals the baseline's first `total` bytes: link or copy them into place.
            let e = baseline.complete(total, at: path, output: fd)
            if e != 0 { return fail(errno: e) }
            let now = open(path, O_RDONLY | O_CLOEXEC)
            if now >= 0 { observer?.completed(fd: now, total: total); _ = closeDescriptor(now) }
            return
        }
        if error == nil { observer?.completed(fd: fd, total: total) }
    }
}
