#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A borrowed, read-only view of bytes that a reader, a row or a table owns (a CSV field, a cleaned cell, a key):
/// valid only while its owner is, never stored past the call that hands it out. Stage code reads views and passes
/// them on; every allocation, copy, rebasing and pointer computation behind them is here in CSPStorage (or in the
/// CSV and XML readers), which is the rule ARCHITECTURE.md states.
public typealias ByteView = UnsafeBufferPointer<UInt8>

/// Byte-level helpers the stages' hot paths share (fields as UTF-8 bytes, no String per value).
package enum Bytes {
    /// Calls `body` with `bytes` whose `count` bytes at `offset` are replaced by `replacement`, built in `scratch`
    /// (kept between calls, so a hot loop allocates once): a field patched in an encoded row without re-encoding it.
    @inlinable
    package static func withReplaced<R>(_ bytes: ByteView, at offset: Int, count: Int, by replacement: [UInt8], scratch: inout [UInt8],
                                        _ body: (ByteView) throws -> R) rethrows -> R {
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: bytes[..<offset])
        scratch.append(contentsOf: replacement)
        scratch.append(contentsOf: bytes[(offset + count)...])
        return try scratch.withUnsafeBufferPointer(body)
    }

    /// The empty view.
    package static var empty: ByteView { ByteView(start: nil, count: 0) }

    /// The bytes `range` of `view`, as a view of their own (indices from 0).
    @inlinable
    package static func slice(_ view: ByteView, _ range: Range<Int>) -> ByteView { ByteView(rebasing: view[range]) }

    /// The view's bytes trimmed of whitespace as `Text.trim` trims (no copy).
    @inlinable
    package static func trimmed(_ view: ByteView) -> ByteView { slice(view, Text.trimmedRange(view)) }

    /// A 64-bit hash of the bytes (the duplicate finder's, seeded).
    @inlinable
    package static func hash(_ view: ByteView, seed: UInt64) -> UInt64 { DuplicateFinder.hash(UnsafeRawBufferPointer(view), seed: seed) }

    /// Calls `body` with the decimal digits of a non-negative whole number as a view, without making a String.
    @inlinable
    package static func withDecimal<R>(_ n: Int, _ body: (ByteView) throws -> R) rethrows -> R {
        try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { buf in
            var v = n, i = 24
            repeat { i -= 1; buf[i] = UInt8(48 + v % 10); v /= 10 } while v > 0
            return try body(ByteView(rebasing: buf[i..<24]))
        }
    }

    /// Whether `a` holds exactly the bytes of `b`.
    @inlinable
    package static func equal(_ a: UnsafeBufferPointer<UInt8>, _ b: [UInt8]) -> Bool {
        a.count == b.count && b.withUnsafeBufferPointer { b in a.isEmpty || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0 }
    }

    /// 10^0 ... 10^22, every one exact in a Double.
    @usableFromInline
    package static let powersOfTen: [Double] = (0...22).map { k in (0..<k).reduce(1.0) { r, _ in r * 10 } }

    /// The value of a plain decimal `-?digits[.digits]` of at most 15 digits, exactly as `Double(String)` reads it:
    /// an integer below 2^53 divided by an exact power of ten is one correctly rounded IEEE division, as strtod's
    /// result is. nil for any other text (exponents, `+`, spaces, `.5`, `1.`, more digits): callers then take their
    /// general path.
    @inlinable
    package static func plainDecimal(_ p: UnsafeBufferPointer<UInt8>) -> Double? {
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

/// Bytes owned for the life of the value (a reference table's fixed strings compared on the hot path): a view of
/// them without an allocation per use.
package final class OwnedBytes: @unchecked Sendable {
    /// The bytes.
    package let view: ByteView

    /// A copy of the UTF-8 of `s`.
    package init(_ s: String) {
        let n = s.utf8.count
        let p = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(n, 1))
        _ = p.initialize(from: s.utf8)
        view = ByteView(rebasing: p[0..<n])
    }

    deinit { view.baseAddress.map { UnsafeMutablePointer(mutating: $0).deallocate() } }
}
