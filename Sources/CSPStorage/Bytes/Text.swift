/// Byte-level text helpers for the cleaning hot paths.
///
/// Why not Foundation: `trimmingCharacters(in: .whitespaces)` bridges through NSString on Linux and was a quarter of
/// stage 2's time on 1M data.police.uk rows (perf, 24.7%); `split`/`joined` for `Vocabulary.tidy` and `uppercased()`
/// allocate on every call even when the text is already tidy. These helpers give the same results, and return the
/// original String (no allocation) when there is nothing to change, which is almost always.
package enum Text {
    /// Whether a scalar is in Foundation's `CharacterSet.whitespaces` as `trimmingCharacters(in:)` applies it on Linux:
    /// tab, space, U+00A0, U+1680, U+2000–U+200B, U+202F, U+205F and U+3000 (checked against Foundation for every
    /// scalar by `TextTests`). Exports do carry U+00A0 (pasted from spreadsheets), so the non-ASCII ones matter.
    @inlinable
    package static func isWhitespace(_ v: UInt32) -> Bool {
        switch v {
        case 0x09, 0x20, 0xA0, 0x1680, 0x2000...0x200B, 0x202F, 0x205F, 0x3000: return true
        default: return false
        }
    }

    /// The scalar whose UTF-8 encoding starts at `i` (valid UTF-8), and its length in bytes.
    @inlinable
    package static func scalar(_ p: UnsafeBufferPointer<UInt8>, at i: Int) -> (value: UInt32, length: Int) {
        let b0 = UInt32(p[i])
        if b0 < 0x80 { return (b0, 1) }
        if b0 < 0xE0 { return ((b0 & 0x1F) << 6 | UInt32(p[i + 1] & 0x3F), 2) }
        if b0 < 0xF0 { return ((b0 & 0x0F) << 12 | UInt32(p[i + 1] & 0x3F) << 6 | UInt32(p[i + 2] & 0x3F), 3) }
        return ((b0 & 0x07) << 18 | UInt32(p[i + 1] & 0x3F) << 12 | UInt32(p[i + 2] & 0x3F) << 6 | UInt32(p[i + 3] & 0x3F), 4)
    }

    /// The byte range of `p` (valid UTF-8) without leading and trailing whitespace, exactly as
    /// `trimmingCharacters(in: .whitespaces)` would trim it (scalar by scalar; a combining mark after a space stays).
    @inlinable
    package static func trimmedRange(_ p: UnsafeBufferPointer<UInt8>) -> Range<Int> {
        var i = 0, j = p.count
        while i < j {
            let b = p[i]
            if b == 0x20 || b == 0x09 { i &+= 1; continue }
            if b < 0x80 { break }
            let (v, n) = scalar(p, at: i)
            if isWhitespace(v) { i &+= n } else { break }
        }
        while j > i {
            let b = p[j &- 1]
            if b == 0x20 || b == 0x09 { j &-= 1; continue }
            if b < 0x80 { break }
            var k = j &- 1
            while k > i, p[k] & 0xC0 == 0x80 { k &-= 1 }
            if isWhitespace(scalar(p, at: k).value) { j = k } else { break }
        }
        return i..<j
    }

    /// `s` without leading and trailing whitespace; the same as Foundation's `s.trimmingCharacters(in: .whitespaces)`.
    @inlinable
    package static func trim(_ s: String) -> String {
        var s = s
        return s.withUTF8 { p in
            let r = trimmedRange(p)
            return r.count == p.count ? nil : String(decoding: UnsafeBufferPointer(rebasing: p[r]), as: UTF8.self)
        } ?? s
    }

    /// Whether `tidy` would leave the text as it is: no tab, no leading or trailing space, no two spaces together.
    /// (Then `split` on spaces and tabs followed by `joined(separator: " ")` gives back the same text.)
    @inlinable
    package static func isTidy(_ p: UnsafeBufferPointer<UInt8>) -> Bool {
        if p.isEmpty { return true }
        if p[0] == 0x20 || p[p.count &- 1] == 0x20 { return false }
        var previousSpace = false
        for b in p {
            if b == 0x09 { return false }
            let space = b == 0x20
            if space && previousSpace { return false }
            previousSpace = space
        }
        return true
    }

    /// `s` with every ASCII lower-case letter upper-cased, or nil when `s` has a non-ASCII byte (then only
    /// `uppercased()` gives the Unicode answer: ß → SS). Returns `s` itself when it has no lower-case letter.
    @inlinable
    package static func asciiUppercased(_ s: String) -> String? {
        var s = s
        var needs = false
        let ascii = s.withUTF8 { p -> Bool in
            for b in p {
                if b >= 0x80 { return false }
                if b &- 0x61 < 26 { needs = true }
            }
            return true
        }
        guard ascii else { return nil }
        guard needs else { return s }
        return s.withUTF8 { p in
            String(unsafeUninitializedCapacity: p.count) { out in
                for i in 0..<p.count { let b = p[i]; out[i] = b &- 0x61 < 26 ? b &- 0x20 : b }
                return p.count
            }
        }
    }

    /// `s.uppercased()`, without allocating when `s` is ASCII with no lower-case letter.
    @inlinable
    package static func uppercased(_ s: String) -> String {
        asciiUppercased(s) ?? s.uppercased()
    }

    /// Text trimmed and inner runs of spaces collapsed (spaces and tabs only, as Characters).
    @inlinable
    package static func tidy(_ text: String) -> String {
        // Nearly every value is already tidy: check the bytes and return it unchanged, without the split and join.
        var t = text
        if t.withUTF8(Text.isTidy) { return t }
        return text.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
    }
}
