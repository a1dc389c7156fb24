import CSPCSV
import Foundation

/// One record of a CSV file as `BackgroundCSVReader` hands it over: fields as UTF-8 bytes (unquoted, unescaped).
/// Valid only during the callback that receives it.
struct RawRecord {
    /// The physical line (1-based) where the record begins.
    let line: Int
    /// The number of fields.
    let count: Int
    /// The first data problem found in the record, if any.
    let problem: CSVProblem?
    fileprivate let base: UnsafePointer<UInt8>
    /// End of each field, from `base`; field `i` starts where field `i - 1` ends.
    fileprivate let ends: UnsafePointer<Int>

    /// The bytes of field `i`.
    @inline(__always)
    func bytes(_ i: Int) -> UnsafeBufferPointer<UInt8> {
        precondition(i >= 0 && i < count, "field index \(i) out of range 0..<\(count)")
        let start = i == 0 ? 0 : ends[i &- 1]
        return UnsafeBufferPointer(start: base + start, count: ends[i] &- start)
    }

    /// Field `i` as a String.
    func string(_ i: Int) -> String { String(decoding: bytes(i), as: UTF8.self) }
}

/// Reads a CSV file with `CSVReader` on a second thread and hands the records over in file order, in batches copied
/// out of the reader's buffers. Parsing was a third of stage 2's CPU time on data.police.uk rows; this way it
/// overlaps the cleaning and writing. At most `batches` batches exist (about 1 MB each), so memory stays bounded.
final class BackgroundCSVReader: @unchecked Sendable {
    /// The header's fields.
    let header: [String]
    /// The read error that ended the records early, if any (known once `forEach` has returned).
    private(set) var readError: CSVFileError?

    private let reader: CSVReader
    // Guarded by `condition`:
    private let condition = NSCondition()
    private var full: [Batch] = []
    private var free: [Batch]
    /// Every batch, kept alive for the reader's life (so the producer can hold them unretained).
    private let batches: [Batch]
    private var producing = false
    private var cancelled = false

    /// Opens `path` and reads its header on the calling thread (errors as `CSVReader.init`).
    init(path: String, options: CSVReadOptions = .init(), batches: Int = 4) throws {
        reader = try CSVReader(path: path, options: options)
        header = reader.header
        self.batches = (0..<max(2, batches)).map { _ in Batch() }
        free = self.batches
    }

    /// Calls `body` with each record, in order. If `body` throws, reading stops and the error is rethrown.
    /// Call once.
    func forEach(_ body: (RawRecord) throws -> Void) throws {
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
        condition.lock()
        readError = reader.readError
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
        private var bytes: UnsafeMutablePointer<UInt8>
        private var byteCapacity = 1 << 20
        private var byteCount = 0
        private var ends: UnsafeMutablePointer<Int>
        private var endCapacity = 1 << 16
        private var endCount = 0
        private var records: [(line: Int, count: Int, problem: CSVProblem?, byteStart: Int, endStart: Int)] = []

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
            records.append((rec.line, n, rec.problem, byteCount, endCount))
            byteCount += size
            endCount += n
        }

        func record(_ k: Int) -> RawRecord {
            let r = records[k]
            return RawRecord(line: r.line, count: r.count, problem: r.problem, base: bytes + r.byteStart, ends: ends + r.endStart)
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
