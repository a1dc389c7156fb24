import CSPSchema
import CSPStorage
/// Counts occurrences of byte strings without making a String per record: an open-addressing table keyed by
/// an FNV-1a hash of the bytes, storing each distinct key once. `csp inspect --count-by` uses it on every row.
struct ByteCounter {
    private var keys: [[UInt8]?]
    private var hashes: [UInt64]
    private var counts: [Int]
    private var used = 0

    init(capacity: Int = 256) {
        var c = 16
        while c < capacity * 2 { c <<= 1 }
        keys = Array(repeating: nil, count: c)
        hashes = Array(repeating: 0, count: c)
        counts = Array(repeating: 0, count: c)
    }

    /// Adds one occurrence of `bytes`.
    mutating func add(_ bytes: ByteView) {
        var h: UInt64 = 0xcbf29ce484222325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100000001b3 }
        let mask = keys.count - 1
        var i = Int(truncatingIfNeeded: h) & mask
        while let k = keys[i] {
            if hashes[i] == h && k.count == bytes.count && k.elementsEqual(bytes) {
                counts[i] += 1
                return
            }
            i = (i + 1) & mask
        }
        keys[i] = Array(bytes)
        hashes[i] = h
        counts[i] = 1
        used += 1
        if used * 2 > keys.count { grow() }
    }

    private mutating func grow() {
        var bigger = ByteCounter(capacity: keys.count)
        for i in keys.indices {
            guard let k = keys[i] else { continue }
            let mask = bigger.keys.count - 1
            var j = Int(truncatingIfNeeded: hashes[i]) & mask
            while bigger.keys[j] != nil { j = (j + 1) & mask }
            bigger.keys[j] = k
            bigger.hashes[j] = hashes[i]
            bigger.counts[j] = counts[i]
            bigger.used += 1
        }
        self = bigger
    }

    /// The counts by key, decoded as UTF-8.
    var dictionary: [String: Int] {
        var out: [String: Int] = [:]
        for i in keys.indices { if let k = keys[i] { out[String(decoding: k, as: UTF8.self), default: 0] += counts[i] } }
        return out
    }
}
