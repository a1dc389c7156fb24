/// Byte-level encoding helpers for the CSV parser: ASCII test, UTF-8 validation and
/// single-byte-to-UTF-8 transcoding.

/// Windows-1252 code points for bytes 0x80...0x9F (undefined bytes map to the C1 control of the
/// same value, as the WHATWG encoding standard does).
private let windows1252High: [UInt16] = [
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
    0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
]

/// True when all `count` bytes at `p` are below 0x80 (eight bytes at a time).
@inline(__always)
func isASCII(_ p: UnsafePointer<UInt8>, _ count: Int) -> Bool {
    var i = 0
    var acc: UInt64 = 0
    let raw = UnsafeRawPointer(p)
    while i &+ 8 <= count {
        acc |= raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
        i &+= 8
    }
    var tail: UInt8 = 0
    while i < count {
        tail |= p[i]
        i &+= 1
    }
    return acc & 0x8080_8080_8080_8080 == 0 && tail & 0x80 == 0
}

/// The result of `utf8Check`.
enum UTF8CheckResult {
    case ascii, valid, invalid
}

/// Checks `count` bytes at `p`: all ASCII, valid UTF-8 with some multi-byte characters, or invalid.
@inline(__always)
func utf8Check(_ p: UnsafePointer<UInt8>, _ count: Int) -> UTF8CheckResult {
    if isASCII(p, count) { return .ascii }
    return isValidUTF8(p, count) ? .valid : .invalid
}

/// True when the `count` bytes at `p` are well-formed UTF-8 (no overlongs, surrogates or code
/// points above U+10FFFF).
func isValidUTF8(_ p: UnsafePointer<UInt8>, _ count: Int) -> Bool {
    let raw = UnsafeRawPointer(p)
    var i = 0
    while i < count {
        let b0 = p[i]
        if b0 < 0x80 {
            // Skip ASCII eight bytes at a time.
            i &+= 1
            while i &+ 8 <= count
                && raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                i &+= 8
            }
            continue
        }
        @inline(__always) func cont(_ k: Int) -> Bool {
            i &+ k < count && p[i &+ k] & 0xC0 == 0x80
        }
        if b0 >= 0xC2 && b0 <= 0xDF {
            guard cont(1) else { return false }
            i &+= 2
        } else if b0 >= 0xE0 && b0 <= 0xEF {
            guard cont(1), cont(2) else { return false }
            let b1 = p[i &+ 1]
            if b0 == 0xE0 && b1 < 0xA0 { return false }       // overlong
            if b0 == 0xED && b1 >= 0xA0 { return false }      // surrogate
            i &+= 3
        } else if b0 >= 0xF0 && b0 <= 0xF4 {
            guard cont(1), cont(2), cont(3) else { return false }
            let b1 = p[i &+ 1]
            if b0 == 0xF0 && b1 < 0x90 { return false }       // overlong
            if b0 == 0xF4 && b1 >= 0x90 { return false }      // above U+10FFFF
            i &+= 4
        } else {
            return false
        }
    }
    return true
}

/// Transcodes `count` single-byte characters at `src` to UTF-8 at `out + at` (room for
/// `3 * count` bytes must exist); returns the new end offset.
func transcodeToUTF8(_ src: UnsafePointer<UInt8>, _ count: Int, encoding: TextEncoding,
                     into out: UnsafeMutablePointer<UInt8>, at start: Int) -> Int {
    var o = start
    for i in 0..<count {
        let b = src[i]
        if b < 0x80 {
            out[o] = b
            o &+= 1
            continue
        }
        var scalar = UInt32(b)
        if encoding == .windows1252 && b < 0xA0 {
            scalar = UInt32(windows1252High[Int(b) &- 0x80])
        }
        if scalar < 0x800 {
            out[o] = UInt8(0xC0 | (scalar >> 6))
            out[o &+ 1] = UInt8(0x80 | (scalar & 0x3F))
            o &+= 2
        } else {
            out[o] = UInt8(0xE0 | (scalar >> 12))
            out[o &+ 1] = UInt8(0x80 | ((scalar >> 6) & 0x3F))
            out[o &+ 2] = UInt8(0x80 | (scalar & 0x3F))
            o &+= 3
        }
    }
    return o
}
