#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Byte-level helpers the stages' hot paths share (fields as UTF-8 bytes, no String per value).
enum Bytes {
    /// Whether `a` holds exactly the bytes of `b`.
    @inline(__always)
    static func equal(_ a: UnsafeBufferPointer<UInt8>, _ b: [UInt8]) -> Bool {
        a.count == b.count && b.withUnsafeBufferPointer { b in a.isEmpty || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0 }
    }

    /// 10^0 ... 10^22, every one exact in a Double.
    static let powersOfTen: [Double] = (0...22).map { k in (0..<k).reduce(1.0) { r, _ in r * 10 } }

    /// The value of a plain decimal `-?digits[.digits]` of at most 15 digits, exactly as `Double(String)` reads it:
    /// an integer below 2^53 divided by an exact power of ten is one correctly rounded IEEE division, as strtod's
    /// result is. nil for any other text (exponents, `+`, spaces, `.5`, `1.`, more digits): callers then take their
    /// general path.
    static func plainDecimal(_ p: UnsafeBufferPointer<UInt8>) -> Double? {
        var i = 0
        let negative = !p.isEmpty && p[0] == UInt8(ascii: "-")
        if negative { i = 1 }
        var mantissa: UInt64 = 0
        var digits = 0, fraction = 0
        while i < p.count, p[i] &- 0x30 <= 9 { mantissa = mantissa &* 10 &+ UInt64(p[i] &- 0x30); digits += 1; i += 1 }
        guard digits > 0 else { return nil }
        if i < p.count && p[i] == UInt8(ascii: ".") {
            i += 1
            while i < p.count, p[i] &- 0x30 <= 9 { mantissa = mantissa &* 10 &+ UInt64(p[i] &- 0x30); digits += 1; fraction += 1; i += 1 }
            guard fraction > 0 else { return nil }
        }
        guard i == p.count, digits <= 15 else { return nil }
        let v = Double(mantissa) / powersOfTen[fraction]
        return negative ? -v : v
    }
}
