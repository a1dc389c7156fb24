/// A growable array of bits, one per input record (1.25 MB for 10 million records).
struct BitSet {
    private var words: [UInt64] = []
    private(set) var count = 0

    mutating func append(_ bit: Bool) {
        if count & 63 == 0 { words.append(0) }
        if bit { words[count >> 6] |= 1 << UInt64(count & 63) }
        count += 1
    }

    subscript(_ i: Int) -> Bool { words[i >> 6] & (1 << UInt64(i & 63)) != 0 }
}
