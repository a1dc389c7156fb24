extension DuplicateFinder {
    /// What became of a record that is not simply kept: a duplicate of another record of its key (not kept), or one
    /// of several different records that share its key (kept, flagged as a collision).
    package struct Verdict {
        /// Whether the record is kept as a collision (else it is a duplicate, not kept).
        package var collision: Bool
        package var ordinal: Int
        package var key: [UInt8]
        package var file: Int32
        package var line: Int
        /// A duplicate: the record kept in its place. A collision: another record kept with the same key.
        package var otherFile: Int32
        package var otherLine: Int
        package var otherRank: [UInt8]
        /// A collision: bit `i` set when content field `i` differs from the other record's, bit 63 when the ranks do.
        package var differing: UInt64 = 0
        /// A collision: how many records of the key are kept (2 or more).
        package var kept: Int = 0

        /// The bit of `differing` that says the ranks differ.
        package static let rankBit: UInt64 = 1 << 63

        /// Indices of the content fields that differ (a collision), in field order.
        package var differingFields: [Int] { (0..<63).filter { differing & (1 << UInt64($0)) != 0 } }
    }

    /// The verdicts among `bytes` (records in ordinal order, every record of a key among them), in ordinal order.
    package func verdicts(in bytes: UnsafeRawBufferPointer) -> [Verdict] {
        let fields = self.fields
        var offsets: [Int] = []
        var offset = 0
        while offset < bytes.count {
            offsets.append(offset)
            offset += Record(bytes, at: offset, fields: fields).size
        }
        let n = offsets.count
        if n < 2 { return [] }
        func record(_ i: Int) -> Record { Record(bytes, at: offsets[i], fields: fields) }
        var capacity = 1
        while capacity < n * 2 { capacity <<= 1 }
        let mask = capacity - 1
        // Open addressing: slot → the key's first and last record (indices in `offsets`), chained in input order.
        var first = [Int32](repeating: -1, count: capacity)
        var last = [Int32](repeating: -1, count: capacity)
        var next = [Int32](repeating: -1, count: n)
        var repeated: [Int] = []
        for i in 0..<n {
            let key = record(i).canonicalKey
            var s = Int(truncatingIfNeeded: Self.hash(key, seed: seed)) & mask
            while first[s] >= 0 && !Self.equal(record(Int(first[s])).canonicalKey, key) { s = (s + 1) & mask }
            if first[s] < 0 {
                first[s] = Int32(i)
            } else {
                if next[Int(first[s])] < 0 { repeated.append(Int(first[s])) }
                next[Int(last[s])] = Int32(i)
            }
            last[s] = Int32(i)
        }
        var out: [Verdict] = []
        var group: [Int] = []
        for head in repeated {
            group.removeAll(keepingCapacity: true)
            var i = head
            while i >= 0 { group.append(i); i = Int(next[i]) }
            judge(group, record, into: &out)
        }
        out.sort { $0.ordinal < $1.ordinal }
        return out
    }

    /// The verdicts of one key's records (`group`, in input order); see the type's documentation for the rule.
    private func judge(_ group: [Int], _ record: (Int) -> Record, into out: inout [Verdict]) {
        let identity = fields - versionFields
        func hash(_ r: Record, _ count: Int) -> UInt64 {
            var h: UInt64 = 0x243F_6A88_85A3_08D3
            for k in 0..<count { h = (h ^ r.field(k)) &* 0x9E37_79B9_7F4A_7C15; h ^= h >> 31 }
            return h
        }
        // The best record of each identity: the greatest rank, the later one on ties.
        var best: [UInt64: Int] = [:]
        for i in group {
            let id = hash(record(i), identity)
            if let b = best[id], Self.compare(record(b).canonicalRank, record(i).canonicalRank) > 0 { continue }
            best[id] = i
        }
        // Among each identity's records of its best rank, the later record of each version is kept.
        var keptOf: [UInt64: Int] = [:]
        for i in group {
            let r = record(i)
            let b = best[hash(r, identity)]!
            if Self.compare(record(b).canonicalRank, r.canonicalRank) == 0 { keptOf[hash(r, fields)] = i }
        }
        let kept = keptOf.values.sorted()
        for i in group {
            let r = record(i)
            let b = best[hash(r, identity)]!
            let k = Self.compare(record(b).canonicalRank, r.canonicalRank) == 0 ? keptOf[hash(r, fields)]! : b
            if k != i {
                let w = record(k)
                out.append(Verdict(collision: false, ordinal: r.ordinal, key: Array(r.key), file: r.file, line: r.line,
                                   otherFile: w.file, otherLine: w.line, otherRank: Array(w.rank)))
            } else if kept.count > 1 {
                let w = record(kept[0] == i ? kept[1] : kept[0])
                var differing: UInt64 = Self.equal(r.canonicalRank, w.canonicalRank) ? 0 : Verdict.rankBit
                for f in 0..<fields where r.field(f) != w.field(f) { differing |= 1 << UInt64(f) }
                out.append(Verdict(collision: true, ordinal: r.ordinal, key: Array(r.key), file: r.file, line: r.line,
                                   otherFile: w.file, otherLine: w.line, otherRank: Array(w.rank), differing: differing, kept: kept.count))
            }
        }
    }
}
