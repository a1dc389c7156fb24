import Foundation

/// Reads a CSV file with `CSVReader` on a second thread and hands the records over in file order, in batches copied
/// out of the reader's buffers. Parsing was a third of stage 2's CPU time on data.police.uk rows; this way it
/// overlaps the cleaning and writing. At most `batches` batches exist (about 1 MB each), so memory stays bounded.
/// The records are `CSVRawRecord`s over the batch's copy, valid only during the callback that receives them.
public final class BackgroundCSVReader: @unchecked Sendable {
    /// The header's fields.
    public let header: [String]
    /// The read error that ended the records early, if any (known once `forEach` has returned).
    public private(set) var readError: CSVFileError?
    /// How the file ended (known once `forEach` has returned): bytes read, whether the end was reached, the
    /// file's line break. The last record's own flag is `CSVRawRecord.terminated`.
    public private(set) var endState = CSVEndState()

    private let reader: CSVReader
    // Guarded by `condition`:
    private let condition = NSCondition()
    private var full: [Batch] = []
    private var free: [Batch]
    /// Every batch, kept alive for the reader's life (so the producer can hold them unretained).
    private let batches: [Batch]
    private var producing = false
    private var cancelled = false

    /// Opens `path` and reads its header on the calling thread (errors as `CSVReader.init`). `observer` sees every
    /// block read, in order, on the reading thread (a checksum of the bytes parsed, in the same pass).
    public init(path: String, options: CSVReadOptions = .init(), batches: Int = 4, observer: CSVByteObserver? = nil) throws {
        reader = try CSVReader(path: path, options: options, observer: observer)
        header = reader.header
        self.batches = (0..<max(2, batches)).map { _ in Batch() }
        free = self.batches
    }

    /// Calls `body` with each record, in order. If `body` throws, reading stops and the error is rethrown.
    /// Call once.
    public func forEach(_ body: (CSVRawRecord) throws -> Void) throws {
        condition.lock()
        producing = true
        condition.unlock()
        let thread = Thread { [self] in produce() }
        thread.stackSize = 1 << 20
        thread.start()
        defer {
            // Stop the producer (if `body` threw) and wait until it has left the reader.
            condition.lock()
            cancelled = true
            condition.broadcast()
            while producing { condition.wait() }
            condition.unlock()
        }
        while let batch = nextFull() {
            defer { recycle(batch) }
            for k in 0..<batch.recordCount { try body(batch.record(k)) }
            reader.observer?.consumed(records: batch.recordCount)  // told once the batch's records are handled
        }
    }

    // MARK: - Consumer side

    private func nextFull() -> Batch? {
        condition.lock()
        defer { condition.unlock() }
        while full.isEmpty && producing { condition.wait() }
        return full.isEmpty ? nil : full.removeFirst()
    }

    private func recycle(_ batch: Batch) {
        batch.removeAll()
        condition.lock()
        free.append(batch)
        condition.signal()
        condition.unlock()
    }

    // MARK: - Producer side (the background thread)

    private struct Cancelled: Error {}

    private func produce() {
        // Unretained: `batches` owns them; a retain and release per record showed in profiles.
        var batch = takeFree().map { Unmanaged.passUnretained($0) }
        do {
            try reader.forEach { rec in
                guard let b = batch else { throw Cancelled() }
                let isFull = b._withUnsafeGuaranteedRef { $0.append(rec); return $0.isFull }
                if isFull {
                    hand(b.takeUnretainedValue())
                    batch = takeFree().map { Unmanaged.passUnretained($0) }
                }
            }
        } catch {}
        if let batch, batch.takeUnretainedValue().recordCount > 0 { hand(batch.takeUnretainedValue()) }
        let end = reader.endState
        condition.lock()
        readError = reader.readError
        endState = end
        producing = false
        condition.broadcast()
        condition.unlock()
    }

    private func takeFree() -> Batch? {
        condition.lock()
        defer { condition.unlock() }
        while free.isEmpty && !cancelled { condition.wait() }
        return cancelled ? nil : free.removeLast()
    }

    private func hand(_ batch: Batch) {
        condition.lock()
        full.append(batch)
        condition.signal()
        condition.unlock()
    }

    /// Records copied out of the reader: their bytes in one buffer, their field ends in another.
    private final class Batch {
        // Per-record state: `@exclusivity(unchecked)`, as in `CSVWriter` (a batch is touched by one thread at a
        // time, handed over under `condition`; no overlapping access).
        @exclusivity(unchecked) private var bytes: UnsafeMutablePointer<UInt8>
        @exclusivity(unchecked) private var byteCapacity = 1 << 20
        @exclusivity(unchecked) private var byteCount = 0
        @exclusivity(unchecked) private var ends: UnsafeMutablePointer<Int>
        @exclusivity(unchecked) private var endCapacity = 1 << 16
        @exclusivity(unchecked) private var endCount = 0
        @exclusivity(unchecked) private var records: [(line: Int, count: Int, problem: CSVProblem?, lineSpan: Int, byteStart: Int, endStart: Int, terminated: Bool)] = []

        init() {
            bytes = .allocate(capacity: byteCapacity)
            ends = .allocate(capacity: endCapacity)
            records.reserveCapacity(8192)
        }

        deinit {
            bytes.deallocate()
            ends.deallocate()
        }

        var recordCount: Int { records.count }
        /// Hand it over at 8,192 records or about 1 MB (a batch grows past its buffer only for one huge record).
        var isFull: Bool { records.count >= 8192 || byteCount >= byteCapacity - (byteCapacity >> 3) || endCount >= endCapacity - 1024 }

        func removeAll() {
            byteCount = 0
            endCount = 0
            records.removeAll(keepingCapacity: true)
        }

        func append(_ rec: borrowing CSVRawRecord) {
            let n = rec.count
            var size = 0
            var start: UnsafePointer<UInt8>?
            if n > 0 {
                let first = rec.bytes(0), last = rec.bytes(n - 1)
                start = first.baseAddress
                size = (last.baseAddress! + last.count) - first.baseAddress!
            }
            if byteCount + size > byteCapacity { grow(bytes: byteCount + size) }
            if endCount + n > endCapacity { grow(ends: endCount + n) }
            if let start, size > 0 { (bytes + byteCount).update(from: start, count: size) }
            for i in 0..<n {
                let f = rec.bytes(i)
                ends[endCount + i] = (f.baseAddress! + f.count) - start!
            }
            records.append((rec.line, n, rec.problem, rec.lineSpan, byteCount, endCount, rec.terminated))
            byteCount += size
            endCount += n
        }

        func record(_ k: Int) -> CSVRawRecord {
            let r = records[k]
            return CSVRawRecord(line: r.line, count: r.count, problem: r.problem, lineSpan: r.lineSpan,
                                base: bytes + r.byteStart, ends: UnsafePointer(ends + r.endStart), terminated: r.terminated)
        }

        private func grow(bytes needed: Int) {
            var c = byteCapacity * 2
            while c < needed { c *= 2 }
            let b = UnsafeMutablePointer<UInt8>.allocate(capacity: c)
            b.update(from: bytes, count: byteCount)
            bytes.deallocate()
            bytes = b
            byteCapacity = c
        }

        private func grow(ends needed: Int) {
            var c = endCapacity * 2
            while c < needed { c *= 2 }
            let e = UnsafeMutablePointer<Int>.allocate(capacity: c)
            e.update(from: ends, count: endCount)
            ends.deallocate()
            ends = e
            endCapacity = c
        }
    }
}
