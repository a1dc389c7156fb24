/// Positions of column names, for `InputRow` and `EntitySchema.index`: the general cleaners look columns up by name
/// dozens of times per record. A `[String: Int]` dictionary runs SipHash over the whole name on every lookup (a tenth
/// of the general path's time in profiles); here the slot comes from the name's length and three of its bytes, and
/// the one String comparison that follows is cheap for the short names columns have.
///
/// Results are the dictionary's, canonical equivalence included: with a non-ASCII name among the columns the index
/// is that dictionary; else a non-ASCII name that misses the table (U+212A KELVIN SIGN equals `K`) is compared with
/// every column.
package struct NameIndex: Sendable {
    private var names: [String?]
    private var positions: [Int]
    private let mask: Int
    private var dictionary: [String: Int]?

    /// `names` in order; a repeated name keeps its first position, or its last with `lastWins`.
    package init(_ names: [String], lastWins: Bool = false) {
        var capacity = 8
        while capacity < names.count * 4 { capacity <<= 1 }
        mask = capacity - 1
        self.names = [String?](repeating: nil, count: capacity)
        positions = [Int](repeating: 0, count: capacity)
        if names.contains(where: { !Self.isASCII($0) }) {
            var d: [String: Int] = [:]
            for (i, name) in names.enumerated() where lastWins || d[name] == nil { d[name] = i }
            dictionary = d
        }
        for (i, name) in names.enumerated() {
            var s = Self.slot(name) & mask
            while let n = self.names[s], n != name { s = (s + 1) & mask }
            if self.names[s] == nil || lastWins {
                self.names[s] = name
                positions[s] = i
            }
        }
    }

    /// The position of `name`, or nil.
    @inline(__always)
    package subscript(_ name: String) -> Int? {
        if let dictionary { return dictionary[name] }
        var s = Self.slot(name) & mask
        while let n = names[s] {
            if n == name { return positions[s] }
            s = (s + 1) & mask
        }
        if Self.isASCII(name) { return nil }
        for (k, n) in names.enumerated() where n == name { return positions[k] }
        return nil
    }

    private static func isASCII(_ s: String) -> Bool { s.utf8.allSatisfy { $0 < 0x80 } }

    @inline(__always)
    private static func slot(_ name: String) -> Int {
        let u = name.utf8
        let n = u.count
        guard n > 0 else { return 0 }
        let first = Int(u[u.startIndex]), last = Int(u[u.index(u.startIndex, offsetBy: n - 1)])
        let middle = Int(u[u.index(u.startIndex, offsetBy: n / 2)])
        let h = (n &* 0x9E37) ^ (first &* 0x2F1) ^ (middle &* 0x7F) ^ last
        return (h &* 0x5BD1_E995) >> 7
    }
}
