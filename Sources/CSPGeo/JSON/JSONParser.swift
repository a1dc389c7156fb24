import Foundation

/// Parses RFC 8259 JSON from bytes into a ``JSONValue``, for boundary files.
///
/// **Why not Foundation's `JSONSerialization`.** It builds an `NSNumber` for every number through Foundation's
/// `Decimal` parser and boxes every array and object. On the 318 ward files of England and Wales (40 MB, some
/// 2 million positions) that was 3.6 s of the national geocode stage's 6.8 s (perf, this machine); this parser reads
/// the same files in a tenth of that, packing rings of positions into arrays of doubles (``JSONValue/positions(xs:ys:)``).
/// No package on this machine's list (`env`) parses JSON to doubles without the `Codable` machinery, which cannot
/// decode a GeoJSON geometry's nesting depth (Polygon or MultiPolygon) without the same boxing.
///
/// **Strictness.** The grammar is RFC 8259's: no comments, no trailing commas, no leading zeros, no `NaN`; strings
/// must be valid UTF-8 with no raw control characters, and a `\u` escape must not leave half a surrogate pair; the
/// document must be one value (a UTF-8 byte order mark before it is skipped). Nesting deeper than ``maximumDepth``
/// is refused rather than recursed into (a hostile file of a million `[` cannot exhaust the stack). A number is the
/// nearest double to its decimal text (Foundation's, through `Decimal`, is often a unit in the last place off: ONS's
/// 54.6795690401006 became 54.67956904010059; no ward assignment of the national month changed): simple numbers (at most 15 significant digits and a power of ten up to 22) are
/// computed exactly, others through `strtod`. Every error says where: ``JSONSyntaxError`` has the line and column.
public struct JSONParser {
    /// Nesting refused beyond this depth. A GeoJSON MultiPolygon needs six (collection, features, feature, geometry,
    /// coordinates, polygon; rings of positions are read flat). Kept low because files are parsed on Dispatch's worker
    /// threads, whose stacks are smaller than the main thread's.
    public static let maximumDepth = 64

    /// Parses `data`.
    public static func parse(_ data: Data) throws(JSONSyntaxError) -> JSONValue {
        let result: Result<JSONValue, JSONSyntaxError> = data.withUnsafeBytes { raw in
            var parser = JSONParser(bytes: raw.bindMemory(to: UInt8.self))
            do throws(JSONSyntaxError) { return .success(try parser.document()) } catch { return .failure(error) }
        }
        return try result.get()
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    private var i = 0
    private var depth = 0

    private init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    private mutating func document() throws(JSONSyntaxError) -> JSONValue {
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { i = 3 }
        skipSpace()
        let value = try self.value()
        skipSpace()
        guard i == bytes.count else { throw error("the end of the document after its value") }
        return value
    }

    // MARK: values

    private mutating func value() throws(JSONSyntaxError) -> JSONValue {
        guard i < bytes.count else { throw error("a value") }
        switch bytes[i] {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
        default: throw error("a value")
        }
    }

    private mutating func object() throws(JSONSyntaxError) -> JSONValue {
        let start = i
        try enter()
        i += 1
        var members: [JSONValue.Member] = []
        skipSpace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "}") {
            i += 1; depth -= 1
            return .object(members, offset: start)
        }
        while true {
            skipSpace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw error("a member name in double quotes") }
            let key = try string()
            skipSpace()
            try expect(UInt8(ascii: ":"), "`:` after a member name")
            skipSpace()
            members.append(JSONValue.Member(key: key, value: try value()))
            skipSpace()
            guard i < bytes.count else { throw error("`,` or `}`") }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            if bytes[i] == UInt8(ascii: "}") { i += 1; break }
            throw error("`,` or `}`")
        }
        depth -= 1
        return .object(members, offset: start)
    }

    private mutating func array() throws(JSONSyntaxError) -> JSONValue {
        try enter()
        i += 1
        skipSpace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "]") {
            i += 1; depth -= 1
            return .array([])
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: "["), let packed = try positions() {
            depth -= 1
            return packed
        }
        var items: [JSONValue] = []
        while true {
            skipSpace()
            items.append(try value())
            skipSpace()
            guard i < bytes.count else { throw error("`,` or `]`") }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            if bytes[i] == UInt8(ascii: "]") { i += 1; break }
            throw error("`,` or `]`")
        }
        depth -= 1
        return .array(items)
    }

    /// The rest of an array (positioned at its first element, a `[`) when every element is an array of two or three
    /// numbers; nil, with the position restored, when one is not (the caller then parses the array generically).
    private mutating func positions() throws(JSONSyntaxError) -> JSONValue? {
        let start = i
        var xs: [Double] = [], ys: [Double] = []
        while true {
            guard i < bytes.count, bytes[i] == UInt8(ascii: "[") else { i = start; return nil }
            i += 1
            skipSpace()
            guard let x = try optionalNumber() else { i = start; return nil }
            skipSpace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: ",") else { i = start; return nil }
            i += 1
            skipSpace()
            guard let y = try optionalNumber() else { i = start; return nil }
            skipSpace()
            if i < bytes.count, bytes[i] == UInt8(ascii: ",") {
                i += 1
                skipSpace()
                guard try optionalNumber() != nil else { i = start; return nil }
                skipSpace()
            }
            guard i < bytes.count, bytes[i] == UInt8(ascii: "]") else { i = start; return nil }
            i += 1
            xs.append(x); ys.append(y)
            skipSpace()
            guard i < bytes.count else { throw error("`,` or `]`") }
            if bytes[i] == UInt8(ascii: ",") { i += 1; skipSpace(); continue }
            if bytes[i] == UInt8(ascii: "]") { i += 1; return .positions(xs: xs, ys: ys) }
            i = start
            return nil
        }
    }

    private mutating func enter() throws(JSONSyntaxError) {
        depth += 1
        guard depth <= JSONParser.maximumDepth else { throw error("at most \(JSONParser.maximumDepth) levels of nesting") }
    }

    private mutating func literal(_ word: StaticString) throws(JSONSyntaxError) {
        let n = word.utf8CodeUnitCount
        guard i + n <= bytes.count else { throw error("a value") }
        let w = word.utf8Start
        for k in 0..<n where bytes[i + k] != w[k] { throw error("a value") }
        i += n
    }

    private mutating func expect(_ byte: UInt8, _ what: String) throws(JSONSyntaxError) {
        guard i < bytes.count, bytes[i] == byte else { throw error(what) }
        i += 1
    }

    private mutating func skipSpace() {
        while i < bytes.count {
            switch bytes[i] {
            case 0x20, 0x0A, 0x0D, 0x09: i += 1
            default: return
            }
        }
    }

    // MARK: numbers

    /// A number when one starts here; nil (position unchanged) when another value does.
    private mutating func optionalNumber() throws(JSONSyntaxError) -> Double? {
        guard i < bytes.count else { return nil }
        let b = bytes[i]
        guard b == UInt8(ascii: "-") || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) else { return nil }
        return try number()
    }

    /// Powers of ten that are exact doubles.
    private static let exactPowers: [Double] = (0...22).map { pow(10, Double($0)) }

    private mutating func number() throws(JSONSyntaxError) -> Double {
        let start = i
        var negative = false
        if bytes[i] == UInt8(ascii: "-") { negative = true; i += 1 }
        var mantissa: UInt64 = 0
        var digits = 0
        guard i < bytes.count, isDigit(bytes[i]) else { throw error("a digit") }
        if bytes[i] == UInt8(ascii: "0") {
            i += 1
            if i < bytes.count, isDigit(bytes[i]) { throw error("no leading zero in a number") }
        } else {
            while i < bytes.count, isDigit(bytes[i]) {
                if digits < 19 { mantissa = mantissa &* 10 &+ UInt64(bytes[i] &- 48) }
                digits += 1; i += 1
            }
        }
        var scale = 0
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            i += 1
            guard i < bytes.count, isDigit(bytes[i]) else { throw error("a digit after the decimal point") }
            while i < bytes.count, isDigit(bytes[i]) {
                if mantissa != 0 || bytes[i] != UInt8(ascii: "0") {
                    if digits < 19 { mantissa = mantissa &* 10 &+ UInt64(bytes[i] &- 48) }
                    digits += 1
                }
                scale -= 1; i += 1
            }
        }
        var exponent = 0
        if i < bytes.count, bytes[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            var negativeExponent = false
            if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") {
                negativeExponent = bytes[i] == UInt8(ascii: "-"); i += 1
            }
            guard i < bytes.count, isDigit(bytes[i]) else { throw error("a digit in the exponent") }
            while i < bytes.count, isDigit(bytes[i]) {
                if exponent < 100_000 { exponent = exponent * 10 + Int(bytes[i] - 48) }
                i += 1
            }
            if negativeExponent { exponent = -exponent }
        }
        // Clinger's fast path: an integer mantissa below 2^53 times or over an exact power of ten is correctly rounded.
        let power = scale + exponent
        if digits <= 15 && power >= -22 && power <= 22 {
            var value = Double(mantissa)
            value = power < 0 ? value / Self.exactPowers[-power] : value * Self.exactPowers[power]
            return negative ? -value : value
        }
        return slowNumber(from: start, to: i)
    }

    /// The nearest double to the already-validated number text in `start..<end`, through `strtod`.
    private func slowNumber(from start: Int, to end: Int) -> Double {
        let n = end - start
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: n + 1) { buffer in
            for k in 0..<n { buffer[k] = CChar(bitPattern: bytes[start + k]) }
            buffer[n] = 0
            return strtod(buffer.baseAddress!, nil)
        }
    }

    @inline(__always) private func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }

    // MARK: strings

    private mutating func string() throws(JSONSyntaxError) -> String {
        i += 1
        let start = i
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "\"") {
                let text = String(validating: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
                guard let text else { i = start; throw error("valid UTF-8 in a string") }
                i += 1
                return text
            }
            if b == UInt8(ascii: "\\") { return try escapedString(from: start) }
            if b < 0x20 { throw error("no control character (byte \(b)) in a string; escape it") }
            i += 1
        }
        throw error("the closing `\"` of a string")
    }

    /// A string with escapes, whose unescaped text began at `start`; `i` is at its first backslash.
    private mutating func escapedString(from start: Int) throws(JSONSyntaxError) -> String {
        var out = Array(bytes[start..<i])
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "\"") {
                i += 1
                guard let text = String(validating: out, as: UTF8.self) else { i = start; throw error("valid UTF-8 in a string") }
                return text
            }
            if b < 0x20 { throw error("no control character (byte \(b)) in a string; escape it") }
            guard b == UInt8(ascii: "\\") else { out.append(b); i += 1; continue }
            i += 1
            guard i < bytes.count else { break }
            switch bytes[i] {
            case UInt8(ascii: "\""): out.append(0x22)
            case UInt8(ascii: "\\"): out.append(0x5C)
            case UInt8(ascii: "/"): out.append(0x2F)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4()
                if scalar >= 0xD800 && scalar < 0xDC00 {
                    guard i + 2 < bytes.count, bytes[i + 1] == UInt8(ascii: "\\"), bytes[i + 2] == UInt8(ascii: "u") else {
                        throw error("the second half of a surrogate pair")
                    }
                    i += 2
                    let low = try hex4()
                    guard low >= 0xDC00 && low < 0xE000 else { throw error("the second half of a surrogate pair") }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if scalar >= 0xDC00 && scalar < 0xE000 {
                    throw error("a first half of a surrogate pair before its second")
                }
                out.append(contentsOf: Array(String(Character(Unicode.Scalar(scalar)!)).utf8))
            default:
                throw error("an escape (\\\", \\\\, \\/, \\b, \\f, \\n, \\r, \\t or \\u)")
            }
            i += 1
        }
        throw error("the closing `\"` of a string")
    }

    /// The four hex digits after `\u` (`i` at the `u`, left at the last digit).
    private mutating func hex4() throws(JSONSyntaxError) -> UInt32 {
        guard i + 4 < bytes.count else { throw error("four hex digits after \\u") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            i += 1
            let b = bytes[i]
            let d: UInt32
            switch b {
            case 48...57: d = UInt32(b - 48)
            case 65...70: d = UInt32(b - 55)
            case 97...102: d = UInt32(b - 87)
            default: throw error("four hex digits after \\u")
            }
            v = v << 4 | d
        }
        return v
    }

    // MARK: errors

    /// The 1-based line and column (in characters) of byte `offset` of `data`.
    public static func position(of offset: Int, in data: Data) -> (line: Int, column: Int) {
        data.withUnsafeBytes { position(of: offset, in: $0.bindMemory(to: UInt8.self)) }
    }

    static func position(of offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> (line: Int, column: Int) {
        var line = 1, column = 1
        for k in 0..<min(offset, bytes.count) {
            if bytes[k] == 0x0A { line += 1; column = 1 } else if bytes[k] & 0xC0 != 0x80 { column += 1 }
        }
        return (line, column)
    }

    private func error(_ expected: String) -> JSONSyntaxError {
        let (line, column) = Self.position(of: i, in: bytes)
        let found: String
        if i >= bytes.count {
            found = "the end of the file"
        } else if bytes[i] >= 0x21 && bytes[i] < 0x7F {
            found = "`\(Character(Unicode.Scalar(bytes[i])))`"
        } else {
            found = "byte \(bytes[i])"
        }
        return JSONSyntaxError(line: line, column: column, expected: expected, found: found)
    }
}

/// Where and why a document is not JSON.
public struct JSONSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 1-based line and column (in characters) of the offending byte.
    public let line: Int
    public let column: Int
    /// What the grammar needed there, and what was there instead.
    public let expected: String
    public let found: String

    public var description: String { "line \(line), column \(column): expected \(expected), found \(found)" }
}
