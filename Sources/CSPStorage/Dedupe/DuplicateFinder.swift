#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif


/// Finds, among a source's keyed records, the ones that lose to another record with the same key, in bounded memory.
///
/// The rule is the one stage 2 always applied with a `[key: best]` dictionary: records are taken in input order
/// (their ordinal: 0, 1, 2... among keyed records) and a record replaces the best one so far unless the best has a
/// greater rank; so the winner is the record with the greatest rank, the later one on ties. Every other record of
/// the key is a loser, reported with its winner's file, line and rank.
///
/// Memory: `add` keeps compact binary records (ordinal, line, file number, rank, key) in memory up to
/// `memoryRows` records; past that, every record goes to one of `partitions` files by a hash of its key, so all
/// records of a key share a partition. `finish` then takes one partition at a time: its records and an
/// open-addressing table of indexes (no String per key) fit in a few tens of MB whatever the input size (the caller
/// sizes `partitions` from the input). Losers are written per partition in ordinal order and merged by ordinal
/// (`LoserMerge`), so neither the winners nor the losers are ever all in memory. (Without spilling, the losers of the
/// at most `memoryRows` records are kept in memory. One key repeated millions of times would make its partition
/// that big; duplicates are re-publications, a few per key.)
///
/// Keys and ranks are compared as Swift Strings compare them (canonical equivalence: `é` precomposed equals `e` +
/// combining acute, `K` equals U+212A KELVIN SIGN): ASCII bytes as they are, anything else by its NFC form, whose
/// byte order is the scalar order `String` compares by. Data is ASCII in practice (crime IDs, dates, pseudonyms).
package final class DuplicateFinder {
    /// A record that lost: its own key, file number and line, and its winner's file number, line and rank.
    package struct Loser {
        package var ordinal: Int
        package var key: [UInt8]
        package var file: Int32
        package var line: Int
        package var winnerFile: Int32
        package var winnerLine: Int
        package var winnerRank: [UInt8]
        /// Hashes of the record's and its winner's `sameRecord` columns: unequal means an ID collision.
        package var content: UInt64 = 0
        package var winnerContent: UInt64 = 0
    }

    private let directory: String
    private let tag: String
    private let memoryRows: Int
    private let partitionCount: Int
    private let seed: UInt64
    /// Records in memory (before any spill).
    private var memory = ByteBuffer()
    private var memoryCount = 0
    private var partitions: [SpillWriter] = []
    /// Keyed records added so far (the next ordinal).
    package private(set) var count = 0
    private var record = ByteBuffer()

    /// - Parameters:
    ///   - directory: where the partition files go (deleted by `finish` and `discard`).
    ///   - tag: names the files (`.dedupe-<tag>-<n>`).
    ///   - memoryRows: records kept in memory before spilling (tests use tiny values to force spilling).
    ///   - partitions: partition files when spilling.
    package init(directory: String, tag: String, memoryRows: Int = 200_000, partitions: Int = 64) {
        self.directory = directory
        self.tag = tag
        self.memoryRows = memoryRows
        self.partitionCount = max(1, partitions)
        var rng = SystemRandomNumberGenerator()
        seed = rng.next()
    }

    deinit { discard() }

    /// Whether the records went to partition files.
    package var spilled: Bool { !partitions.isEmpty }

    /// Adds the next keyed record (ordinal `count`); `content` hashes the columns that make it the same record.
    package func add(key: UnsafeBufferPointer<UInt8>, rank: UnsafeBufferPointer<UInt8>, file: Int32, line: Int, content: UInt64 = 0) throws {
        let ordinal = count
        count += 1
        if partitions.isEmpty {
            Self.encode(ordinal: ordinal, line: line, file: file, rank: rank, key: key, content: content, into: memory)
            memoryCount += 1
            if memoryCount > memoryRows { try spill() }
            return
        }
        record.removeAll()
        Self.encode(ordinal: ordinal, line: line, file: file, rank: rank, key: key, content: content, into: record)
        try partitions[partition(of: Record(record.bytes, at: 0))].append(record.bytes)
    }

    /// Finds the losers; they come out of the returned merge in ordinal order. Partition files are deleted.
    package func finish() throws -> LoserMerge {
        if partitions.isEmpty {
            let losers = Self.losers(in: memory.bytes, seed: seed)
            memory = ByteBuffer()
            return LoserMerge(sources: [.memory(losers, 0)])
        }
        var sources: [LoserMerge.Source] = []
        do {
            for (i, w) in partitions.enumerated() {
                try w.close()
                let size = w.size
                let data = UnsafeMutableRawBufferPointer.allocate(byteCount: max(size, 1), alignment: 16)
                defer { data.deallocate() }
                let reader = try SpillReader(path: w.path, capacity: 1 << 20)
                var done = 0
                while done < size, let chunk = try reader.read(min(1 << 20, size - done)) {
                    (data.baseAddress! + done).copyMemory(from: chunk.baseAddress!, byteCount: chunk.count)
                    done += chunk.count
                }
                unlink(w.path)
                let losers = Self.losers(in: UnsafeRawBufferPointer(rebasing: data[0..<size]), seed: seed)
                if losers.isEmpty { continue }
                let path = directory + "/.dedupe-\(tag)-losers-\(i)"
                let out = try SpillWriter(path: path)
                sources.append(.file(nil, path))
                for l in losers { try LoserMerge.write(l, to: out) }
                try out.close()
                sources[sources.count - 1] = .file(try SpillReader(path: path, capacity: 1 << 14), path)
            }
        } catch {
            discard()
            LoserMerge(sources: sources).close()
            throw error
        }
        partitions = []
        return LoserMerge(sources: sources)
    }

    /// Deletes the partition files (after an error).
    package func discard() {
        for w in partitions { try? w.close(); unlink(w.path) }
        partitions = []
    }

    // MARK: - Records

    /// Layout of one record: ordinal, line (Int64), file (Int32), rank and key lengths (Int32), then the NFC
    /// forms' lengths (Int32, -1 when the text is ASCII and so its own form), the content hash (UInt64), then rank,
    /// key, NFC rank, NFC key.
    private static let headerSize = 8 + 8 + 4 * 5 + 8

    private static func encode(ordinal: Int, line: Int, file: Int32, rank: UnsafeBufferPointer<UInt8>,
                               key: UnsafeBufferPointer<UInt8>, content: UInt64, into out: ByteBuffer) {
        let nfcRank = isASCII(rank) ? nil : nfc(rank)
        let nfcKey = isASCII(key) ? nil : nfc(key)
        out.reserve(headerSize + rank.count + key.count + (nfcRank?.count ?? 0) + (nfcKey?.count ?? 0))
        out.append(Int64(ordinal)); out.append(Int64(line)); out.append(file)
        out.append(Int32(rank.count)); out.append(Int32(key.count))
        out.append(Int32(nfcRank?.count ?? -1)); out.append(Int32(nfcKey?.count ?? -1))
        out.append(content)
        out.append(rank); out.append(key)
        if let nfcRank { nfcRank.withUnsafeBufferPointer { out.append($0) } }
        if let nfcKey { nfcKey.withUnsafeBufferPointer { out.append($0) } }
    }

    /// A view of one encoded record.
    package struct Record {
        let base: UnsafeRawPointer
        var ordinal: Int { Int(base.loadUnaligned(as: Int64.self)) }
        var line: Int { Int(base.loadUnaligned(fromByteOffset: 8, as: Int64.self)) }
        var file: Int32 { base.loadUnaligned(fromByteOffset: 16, as: Int32.self) }
        var content: UInt64 { base.loadUnaligned(fromByteOffset: 36, as: UInt64.self) }
        private func int(_ i: Int) -> Int { Int(base.loadUnaligned(fromByteOffset: 20 + 4 * i, as: Int32.self)) }
        var rank: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base + headerSize, count: int(0)) }
        var key: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base + headerSize + int(0), count: int(1)) }
        /// The rank as compared (its NFC form).
        var canonicalRank: UnsafeRawBufferPointer {
            int(2) < 0 ? rank : UnsafeRawBufferPointer(start: base + headerSize + int(0) + int(1), count: int(2))
        }
        /// The key as compared (its NFC form).
        var canonicalKey: UnsafeRawBufferPointer {
            int(3) < 0 ? key : UnsafeRawBufferPointer(start: base + headerSize + int(0) + int(1) + max(int(2), 0), count: int(3))
        }
        var size: Int { headerSize + int(0) + int(1) + max(int(2), 0) + max(int(3), 0) }

        init(_ bytes: UnsafeRawBufferPointer, at offset: Int) { base = bytes.baseAddress! + offset }
    }

    private func partition(of r: Record) -> Int {
        Int(truncatingIfNeeded: Self.hash(r.canonicalKey, seed: seed ^ 0x5bd1e995) % UInt64(partitionCount))
    }

    /// Moves the records in memory to partition files; from now on records go straight to their partition.
    private func spill() throws {
        for i in 0..<partitionCount {
            partitions.append(try SpillWriter(path: directory + "/.dedupe-\(tag)-\(i)", capacity: 1 << 15))
        }
        let bytes = memory.bytes
        var offset = 0
        while offset < bytes.count {
            let r = Record(bytes, at: offset)
            try partitions[partition(of: r)].append(UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + r.size]))
            offset += r.size
        }
        memory = ByteBuffer()
        memoryCount = 0
    }

    /// The losers among `bytes` (records in ordinal order, every record of a key among them), in ordinal order.
    package static func losers(in bytes: UnsafeRawBufferPointer, seed: UInt64) -> [Loser] {
        var offsets: [Int] = []
        var offset = 0
        while offset < bytes.count {
            offsets.append(offset)
            offset += Record(bytes, at: offset).size
        }
        let n = offsets.count
        if n < 2 { return [] }
        var capacity = 1
        while capacity < n * 2 { capacity <<= 1 }
        let mask = capacity - 1
        // Open addressing: slot → index in `offsets` of the best record so far for the slot's key, or -1.
        var slots = [Int32](repeating: -1, count: capacity)
        var slotOf = [Int32](repeating: 0, count: n)
        for i in 0..<n {
            let r = Record(bytes, at: offsets[i])
            let key = r.canonicalKey
            var s = Int(truncatingIfNeeded: hash(key, seed: seed)) & mask
            while slots[s] >= 0 && !equal(Record(bytes, at: offsets[Int(slots[s])]).canonicalKey, key) { s = (s + 1) & mask }
            slotOf[i] = Int32(s)
            let b = slots[s]
            // A record replaces the best so far unless the best has a greater rank (so ties go to the later record).
            if b < 0 || !(compare(Record(bytes, at: offsets[Int(b)]).canonicalRank, r.canonicalRank) > 0) {
                slots[s] = Int32(i)
            }
        }
        var losers: [Loser] = []
        for i in 0..<n {
            let w = Int(slots[Int(slotOf[i])])
            if w == i { continue }
            let r = Record(bytes, at: offsets[i]), winner = Record(bytes, at: offsets[w])
            losers.append(Loser(ordinal: r.ordinal, key: Array(r.key), file: r.file, line: r.line,
                                winnerFile: winner.file, winnerLine: winner.line, winnerRank: Array(winner.rank),
                                content: r.content, winnerContent: winner.content))
        }
        return losers
    }

    // MARK: - Bytes

    package static func isASCII(_ p: UnsafeBufferPointer<UInt8>) -> Bool {
        for b in p where b >= 0x80 { return false }
        return true
    }

    /// The NFC form's UTF-8 bytes: what `String` hashes, compares and tests equality by.
    package static func nfc(_ p: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        String(decoding: p, as: UTF8.self)._nfcCodeUnits
    }

    package static func equal(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        a.count == b.count && (a.count == 0 || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0)
    }

    /// Lexicographic byte order (a prefix first): for NFC UTF-8, the order of `String`'s `<`.
    package static func compare(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
        let n = min(a.count, b.count)
        if n > 0 {
            let c = memcmp(a.baseAddress!, b.baseAddress!, n)
            if c != 0 { return Int(c) }
        }
        return a.count - b.count
    }

    /// A 64-bit hash of bytes, eight at a time (keys are crime IDs of 64 hex digits or 21-character pseudonyms).
    @inlinable
    package static func hash(_ p: UnsafeRawBufferPointer, seed: UInt64) -> UInt64 {
        var h = seed ^ (UInt64(p.count) &* 0x9E37_79B9_7F4A_7C15)
        var i = 0
        let n = p.count
        while i + 8 <= n {
            h = (h ^ p.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 29
            i += 8
        }
        if i < n {
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while i < n { tail |= UInt64(p[i]) << shift; shift += 8; i += 1 }
            h = (h ^ tail) &* 0xFF51_AFD7_ED55_8CCD
        }
        h ^= h >> 33
        h = h &* 0xC4CE_B9FE_1A85_EC53
        h ^= h >> 33
        return h
    }
}

/// A growable in-memory byte buffer.
package final class ByteBuffer {
    private var base: UnsafeMutableRawPointer
    private var capacity: Int
    package private(set) var count = 0

    package init(capacity: Int = 4096) {
        self.capacity = capacity
        base = .allocate(byteCount: capacity, alignment: 16)
    }

    deinit { base.deallocate() }

    /// The bytes appended; valid until the next append.
    package var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    package func removeAll() { count = 0 }

    /// Makes room for `n` more bytes.
    @inline(__always)
    package func reserve(_ n: Int) {
        if count + n <= capacity { return }
        var c = capacity * 2
        while c < count + n { c *= 2 }
        let b = UnsafeMutableRawPointer.allocate(byteCount: c, alignment: 16)
        b.copyMemory(from: base, byteCount: count)
        base.deallocate()
        base = b
        capacity = c
    }

    package func append(_ p: UnsafeBufferPointer<UInt8>) {
        reserve(p.count)
        if let a = p.baseAddress { (base + count).copyMemory(from: a, byteCount: p.count) }
        count += p.count
    }

    @inline(__always)
    package func append<T: FixedWidthInteger>(_ v: T) {
        reserve(MemoryLayout<T>.size)
        base.storeBytes(of: v, toByteOffset: count, as: T.self)
        count += MemoryLayout<T>.size
    }
}

/// The losers of every partition, merged into ordinal order (a binary heap over the partitions' next losers).
package final class LoserMerge {
    package enum Source {
        case memory([DuplicateFinder.Loser], Int)
        case file(SpillReader?, String)
    }

    private var sources: [Source]
    /// Heap of (next loser, source index), least ordinal first.
    private var heap: [(DuplicateFinder.Loser, Int)] = []

    package init(sources: [Source]) {
        self.sources = sources
    }

    /// The next loser in ordinal order, or nil when there are no more.
    package func next() throws -> DuplicateFinder.Loser? {
        if !started {
            started = true
            for i in sources.indices { if let l = try pull(i) { push((l, i)) } }
        }
        guard let (top, i) = popMin() else { return nil }
        if let l = try pull(i) { push((l, i)) }
        return top
    }

    private var started = false

    /// Deletes the loser files.
    package func close() {
        for s in sources { if case .file(_, let path) = s { unlink(path) } }
        sources = []
        heap = []
    }

    deinit { close() }

    private func pull(_ i: Int) throws -> DuplicateFinder.Loser? {
        switch sources[i] {
        case .memory(let losers, let next):
            guard next < losers.count else { return nil }
            sources[i] = .memory(losers, next + 1)
            return losers[next]
        case .file(let reader, _):
            guard let reader, let ordinal = try reader.read(Int64.self) else { return nil }
            let line = Int(try reader.read(Int64.self)!)
            let file = try reader.read(Int32.self)!
            let winnerFile = try reader.read(Int32.self)!
            let winnerLine = Int(try reader.read(Int64.self)!)
            let keyCount = Int(try reader.read(Int32.self)!)
            let rankCount = Int(try reader.read(Int32.self)!)
            let key = keyCount == 0 ? [] : Array(try reader.read(keyCount)!)
            let rank = rankCount == 0 ? [] : Array(try reader.read(rankCount)!)
            let content = try reader.read(UInt64.self)!, winnerContent = try reader.read(UInt64.self)!
            return DuplicateFinder.Loser(ordinal: Int(ordinal), key: key, file: file, line: line,
                                         winnerFile: winnerFile, winnerLine: winnerLine, winnerRank: rank, content: content, winnerContent: winnerContent)
        }
    }

    package static func write(_ l: DuplicateFinder.Loser, to out: SpillWriter) throws {
        try out.append(Int64(l.ordinal)); try out.append(Int64(l.line)); try out.append(l.file)
        try out.append(l.winnerFile); try out.append(Int64(l.winnerLine))
        try out.append(Int32(l.key.count)); try out.append(Int32(l.winnerRank.count))
        try l.key.withUnsafeBufferPointer { try out.append($0) }
        try l.winnerRank.withUnsafeBufferPointer { try out.append($0) }
        try out.append(l.content); try out.append(l.winnerContent)
    }

    private func push(_ e: (DuplicateFinder.Loser, Int)) {
        heap.append(e)
        var c = heap.count - 1
        while c > 0 {
            let p = (c - 1) / 2
            if heap[p].0.ordinal <= heap[c].0.ordinal { break }
            heap.swapAt(p, c)
            c = p
        }
    }

    private func popMin() -> (DuplicateFinder.Loser, Int)? {
        guard !heap.isEmpty else { return nil }
        heap.swapAt(0, heap.count - 1)
        let top = heap.removeLast()
        var p = 0
        while true {
            let l = 2 * p + 1, r = l + 1
            var m = p
            if l < heap.count && heap[l].0.ordinal < heap[m].0.ordinal { m = l }
            if r < heap.count && heap[r].0.ordinal < heap[m].0.ordinal { m = r }
            if m == p { break }
            heap.swapAt(p, m)
            p = m
        }
        return top
    }
}
