#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif


/// Finds, among a source's keyed records, the ones that are duplicates of another record with the same key, and the
/// ones whose key is shared by a different record (an ID collision), in bounded memory.
///
/// Each record carries hashes of its content fields (`add(fields:)`): the first `fields - versionFields` say which
/// record it is (for data.police.uk: the crime type and the place), the last `versionFields` which version of it
/// (the last outcome), compared only between records of the same rank. Records of one key are grouped:
/// - records with the same identity fields are one record published again: the one with the greatest rank wins,
///   the later one on ties (the rule stage 2 always applied with a `[key: best]` dictionary), and records of a
///   smaller rank are duplicates of it (a re-publication in a later month may carry a later outcome);
/// - among the records of that greatest rank, each set of equal version fields keeps its later record, the others
///   being duplicates of it: two rows of one month that differ in outcome are two records;
/// - when a key keeps more than one record (different identities, or different versions of the same rank), every
///   record it keeps is a collision: kept, and reported with another kept record of the key (the first one in input
///   order, or for that one the second) and the fields in which the two differ.
/// With no fields this is the plain rule: one winner per key, every other record a duplicate of it.
///
/// Memory: `add` keeps compact binary records (ordinal, line, file number, rank, key, field hashes) in memory up to
/// `memoryRows` records; past that, every record goes to one of `partitions` files by a hash of its key, so all
/// records of a key share a partition. `finish` then takes one partition at a time: its records and an
/// open-addressing table of indexes (no String per key) fit in a few tens of MB whatever the input size (the caller
/// sizes `partitions` from the input). Verdicts are written per partition in ordinal order and merged by ordinal
/// (`VerdictMerge`), so neither the winners nor the verdicts are ever all in memory. (Without spilling, the verdicts
/// of the at most `memoryRows` records are kept in memory. One key repeated millions of times would make its
/// partition that big; duplicates are re-publications, a few per key.)
///
/// Keys and ranks are compared as Swift Strings compare them (canonical equivalence: `é` precomposed equals `e` +
/// combining acute, `K` equals U+212A KELVIN SIGN): ASCII bytes as they are, anything else by its NFC form, whose
/// byte order is the scalar order `String` compares by. Data is ASCII in practice (crime IDs, dates, pseudonyms).
/// Field values are compared by their 64-bit hashes, byte for byte.
package final class DuplicateFinder {
    private let directory: String
    private let tag: String
    private let memoryRows: Int
    private let partitionCount: Int
    let seed: UInt64
    /// Content field hashes per record, and how many of them (the last) are version fields.
    package let fields: Int
    package let versionFields: Int
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
    ///   - fields: content field hashes each record carries (`add(fields:)`).
    ///   - versionFields: how many of them, the last, are compared only between records of the same rank.
    package init(directory: String, tag: String, memoryRows: Int = 200_000, partitions: Int = 64, fields: Int = 0, versionFields: Int = 0) {
        precondition(fields >= versionFields && versionFields >= 0 && fields < 63, "fields \(fields), versionFields \(versionFields)")
        self.fields = fields
        self.versionFields = versionFields
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

    /// Adds the next keyed record with the hashes of its content fields, from an array (the stage's reusable one).
    package func add(key: UnsafeBufferPointer<UInt8>, rank: UnsafeBufferPointer<UInt8>, file: Int32, line: Int, fields hashes: [UInt64]) throws {
        try hashes.withUnsafeBufferPointer { try add(key: key, rank: rank, file: file, line: line, fields: $0) }
    }

    /// Adds the next keyed record (ordinal `count`) with the hashes of its `fields` content fields (none: pass an
    /// empty buffer).
    package func add(key: UnsafeBufferPointer<UInt8>, rank: UnsafeBufferPointer<UInt8>, file: Int32, line: Int,
                     fields hashes: UnsafeBufferPointer<UInt64> = UnsafeBufferPointer(start: nil, count: 0)) throws {
        precondition(hashes.count == fields, "\(hashes.count) field hashes where the finder takes \(fields)")
        let ordinal = count
        count += 1
        if partitions.isEmpty {
            Self.encode(ordinal: ordinal, line: line, file: file, rank: rank, key: key, fields: hashes, into: memory)
            memoryCount += 1
            if memoryCount > memoryRows { try spill() }
            return
        }
        record.removeAll()
        Self.encode(ordinal: ordinal, line: line, file: file, rank: rank, key: key, fields: hashes, into: record)
        try partitions[partition(of: Record(record.bytes, at: 0, fields: fields))].append(record.bytes)
    }

    /// Finds the duplicates and collisions; their verdicts come out of the returned merge in ordinal order. Partition
    /// files are deleted.
    package func finish() throws -> VerdictMerge {
        if partitions.isEmpty {
            let verdicts = verdicts(in: memory.bytes)
            memory = ByteBuffer()
            return VerdictMerge(sources: [.memory(verdicts, 0)])
        }
        var sources: [VerdictMerge.Source] = []
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
                let verdicts = verdicts(in: UnsafeRawBufferPointer(rebasing: data[0..<size]))
                if verdicts.isEmpty { continue }
                let path = directory + "/.dedupe-\(tag)-verdicts-\(i)"
                let out = try SpillWriter(path: path)
                sources.append(.file(nil, path))
                for v in verdicts { try VerdictMerge.write(v, to: out) }
                try out.close()
                sources[sources.count - 1] = .file(try SpillReader(path: path, capacity: 1 << 14), path)
            }
        } catch {
            discard()
            VerdictMerge(sources: sources).close()
            throw error
        }
        partitions = []
        return VerdictMerge(sources: sources)
    }

    /// Deletes the partition files (after an error).
    package func discard() {
        for w in partitions { try? w.close(); unlink(w.path) }
        partitions = []
    }

    // MARK: - Records

    /// Layout of one record: ordinal, line (Int64), file (Int32), rank and key lengths (Int32), then the NFC
    /// forms' lengths (Int32, -1 when the text is ASCII and so its own form), the field hashes (UInt64 each), then
    /// rank, key, NFC rank, NFC key.
    static let headerSize = 8 + 8 + 4 * 5

    private static func encode(ordinal: Int, line: Int, file: Int32, rank: UnsafeBufferPointer<UInt8>,
                               key: UnsafeBufferPointer<UInt8>, fields: UnsafeBufferPointer<UInt64>, into out: ByteBuffer) {
        let nfcRank = isASCII(rank) ? nil : nfc(rank)
        let nfcKey = isASCII(key) ? nil : nfc(key)
        out.reserve(headerSize + 8 * fields.count + rank.count + key.count + (nfcRank?.count ?? 0) + (nfcKey?.count ?? 0))
        out.append(Int64(ordinal)); out.append(Int64(line)); out.append(file)
        out.append(Int32(rank.count)); out.append(Int32(key.count))
        out.append(Int32(nfcRank?.count ?? -1)); out.append(Int32(nfcKey?.count ?? -1))
        for h in fields { out.append(h) }
        out.append(rank); out.append(key)
        if let nfcRank { nfcRank.withUnsafeBufferPointer { out.append($0) } }
        if let nfcKey { nfcKey.withUnsafeBufferPointer { out.append($0) } }
    }

    /// A view of one encoded record.
    package struct Record {
        let base: UnsafeRawPointer
        /// Field hashes in the record.
        let fields: Int
        var ordinal: Int { Int(base.loadUnaligned(as: Int64.self)) }
        var line: Int { Int(base.loadUnaligned(fromByteOffset: 8, as: Int64.self)) }
        var file: Int32 { base.loadUnaligned(fromByteOffset: 16, as: Int32.self) }
        /// The hash of content field `i`.
        func field(_ i: Int) -> UInt64 { base.loadUnaligned(fromByteOffset: headerSize + 8 * i, as: UInt64.self) }
        private func int(_ i: Int) -> Int { Int(base.loadUnaligned(fromByteOffset: 20 + 4 * i, as: Int32.self)) }
        private var texts: UnsafeRawPointer { base + headerSize + 8 * fields }
        var rank: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: texts, count: int(0)) }
        var key: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: texts + int(0), count: int(1)) }
        /// The rank as compared (its NFC form).
        var canonicalRank: UnsafeRawBufferPointer {
            int(2) < 0 ? rank : UnsafeRawBufferPointer(start: texts + int(0) + int(1), count: int(2))
        }
        /// The key as compared (its NFC form).
        var canonicalKey: UnsafeRawBufferPointer {
            int(3) < 0 ? key : UnsafeRawBufferPointer(start: texts + int(0) + int(1) + max(int(2), 0), count: int(3))
        }
        var size: Int { headerSize + 8 * fields + int(0) + int(1) + max(int(2), 0) + max(int(3), 0) }

        init(_ bytes: UnsafeRawBufferPointer, at offset: Int, fields: Int) { base = bytes.baseAddress! + offset; self.fields = fields }
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
            let r = Record(bytes, at: offset, fields: fields)
            try partitions[partition(of: r)].append(UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + r.size]))
            offset += r.size
        }
        memory = ByteBuffer()
        memoryCount = 0
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
