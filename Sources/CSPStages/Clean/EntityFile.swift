#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CSPCSV
import Foundation

// `write` and `close` from the C library, reachable inside types whose own methods have those names.
private func systemWrite(_ fd: Int32, _ p: UnsafeRawPointer, _ n: Int) -> Int { write(fd, p, n) }
private func systemClose(_ fd: Int32) -> Int32 { close(fd) }

/// One stage 2 entity file: rows are encoded (exactly as `CSVWriter` writes them) into ~1 MB blocks, and the blocks
/// are written by a `BackgroundWriter` thread. Measured on 1M data.police.uk rows, the `write` calls into the page
/// cache were a third of stage 2's CPU time; this way they overlap the cleaning. Not thread-safe.
final class EntityFile {
    let path: String
    /// Rows completed, the header included.
    private(set) var rowsWritten = 0
    private let fd: Int32
    private let writer: BackgroundWriter
    private var block: CSVRowEncoder
    private var closed = false
    private static let blockSize = 1 << 20

    /// Creates (or truncates) `path` and writes the header as `CSVWriter` would.
    /// - Throws: `CSVFileError.cannotOpen`.
    init(path: String, header: [String], writer: BackgroundWriter) throws {
        self.path = path
        self.writer = writer
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        if fd < 0 { throw CSVFileError.cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        block = writer.spareBlock()
        // The first row follows the writer's first-row rule (a leading byte-order mark is quoted): `CSV.format` applies it.
        var text = CSV.format([header])
        text.withUTF8 { block.appendEncodedRows($0, rows: 1) }
        rowsWritten = 1
    }

    deinit { if !closed { try? close() } }

    /// Writes a cleaned row and its lineage (one call per row: the block is looked up once, not per field).
    /// - Throws: `CSVFileError.writeFailed` from an earlier block.
    func writeRow(_ row: CleanRow, file: UnsafeBufferPointer<UInt8>, line: LineNumber) throws {
        let b = block
        b.writeRow(row, file: file, line: line)
        rowsWritten += 1
        if b.bytes.count >= Self.blockSize { try handOver() }
    }

    /// Appends rows encoded by a `CSVRowEncoder`.
    func writeEncodedRows(_ bytes: UnsafeBufferPointer<UInt8>, rows: Int) throws {
        block.appendEncodedRows(bytes, rows: rows)
        rowsWritten += rows
        if block.bytes.count >= Self.blockSize { try handOver() }
    }

    /// Writes what is left, waits for the background writes and closes the file.
    /// - Throws: `CSVFileError.writeFailed`.
    func close() throws {
        if closed { return }
        closed = true
        var failure: Error?
        do { try handOver() } catch { failure = error }
        writer.spare(block)
        if let error = writer.finish(fd) { failure = failure ?? error }
        if systemClose(fd) != 0 && failure == nil {
            failure = CSVFileError.writeFailed(path: path, reason: String(cString: strerror(errno)))
        }
        if let failure { throw failure }
    }

    private func handOver() throws {
        if let error = writer.error(fd) { throw error }
        if block.bytes.isEmpty { return }
        writer.submit(block, fd: fd, path: path)
        block = writer.spareBlock()
    }
}

/// A thread that writes blocks to files in submission order. At most `queued` blocks wait to be written (`submit`
/// waits when the disk is behind), so there are never more blocks than open files plus `queued` plus spares:
/// memory stays at a few MB.
final class BackgroundWriter: @unchecked Sendable {
    private let condition = NSCondition()
    private var queue: [(block: CSVRowEncoder, fd: Int32, path: String)] = []
    private var spares: [CSVRowEncoder] = []
    private let maxQueued: Int
    private var busy = false
    private var failures: [Int32: CSVFileError] = [:]
    private var started = false
    private var stopping = false
    private var running = false

    init(queued: Int = 3) { maxQueued = max(1, queued) }

    deinit { stop() }

    /// An empty block.
    func spareBlock() -> CSVRowEncoder {
        condition.lock()
        defer { condition.unlock() }
        return spares.popLast() ?? CSVRowEncoder(capacity: (1 << 20) + (1 << 16))
    }

    /// Gives back a block that will not be submitted.
    func spare(_ block: CSVRowEncoder) {
        block.removeAll()
        condition.lock()
        spares.append(block)
        condition.broadcast()
        condition.unlock()
    }

    /// Queues `block` to be appended to `fd`.
    func submit(_ block: CSVRowEncoder, fd: Int32, path: String) {
        condition.lock()
        if !started {
            started = true
            running = true
            let thread = Thread { [self] in run() }
            thread.start()
        }
        while queue.count >= maxQueued { condition.wait() }
        queue.append((block, fd, path))
        condition.broadcast()
        condition.unlock()
    }

    /// The first write error on `fd` so far.
    func error(_ fd: Int32) -> CSVFileError? {
        condition.lock()
        defer { condition.unlock() }
        return failures[fd]
    }

    /// Waits until every block queued for `fd` is written; returns (and forgets) its first write error.
    func finish(_ fd: Int32) -> CSVFileError? {
        condition.lock()
        defer { condition.unlock() }
        while busy || queue.contains(where: { $0.fd == fd }) { condition.wait() }
        return failures.removeValue(forKey: fd)
    }

    /// Ends the thread once the queue is written.
    func stop() {
        condition.lock()
        stopping = true
        condition.broadcast()
        while running { condition.wait() }
        condition.unlock()
    }

    private func run() {
        condition.lock()
        while true {
            while queue.isEmpty && !stopping { condition.wait() }
            if queue.isEmpty { break }
            let job = queue.removeFirst()
            busy = true
            let failed = failures[job.fd] != nil
            condition.unlock()
            let error = failed ? nil : Self.write(job.block.bytes, fd: job.fd, path: job.path)
            job.block.removeAll()
            condition.lock()
            if let error, failures[job.fd] == nil { failures[job.fd] = error }
            spares.append(job.block)
            busy = false
            condition.broadcast()
        }
        running = false
        condition.broadcast()
        condition.unlock()
    }

    private static func write(_ bytes: UnsafeBufferPointer<UInt8>, fd: Int32, path: String) -> CSVFileError? {
        guard let base = bytes.baseAddress else { return nil }
        var done = 0
        while done < bytes.count {
            let w = systemWrite(fd, base + done, bytes.count - done)
            if w < 0 {
                if errno == EINTR { continue }
                return .writeFailed(path: path, reason: String(cString: strerror(errno)))
            }
            done += w
        }
        return nil
    }
}
