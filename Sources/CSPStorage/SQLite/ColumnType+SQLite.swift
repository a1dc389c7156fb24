import CSPSchema
import GRDB

extension ColumnType {
    /// The SQLite column type (and so its affinity).
    public var sqlType: Database.ColumnType {
        switch self {
        case .integer, .boolean: return .integer
        case .real: return .double
        case .text, .date, .datetime, .month: return .text
        }
    }

    /// The CHECK constraint on column `name` (NULL always passes), or nil for text. Dates are compared with themselves
    /// after `'+0 days'`, which makes SQLite normalise an impossible day (`2009-02-30` becomes `2009-03-02`).
    public func check(_ name: String) -> String? {
        let c = name.quotedDatabaseIdentifier
        switch self {
        case .text: return nil
        case .integer: return "typeof(\(c)) IN ('integer', 'null')"
        case .real: return "typeof(\(c)) IN ('real', 'null')"
        case .boolean: return "\(c) IN (0, 1)"
        case .date: return "\(c) IS NULL OR (\(c) GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' AND date(\(c), '+0 days') IS \(c))"
        case .month: return "\(c) IS NULL OR (\(c) GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]' AND date(\(c) || '-01', '+0 days') IS \(c) || '-01')"
        case .datetime:
            return "\(c) IS NULL OR (\(c) GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' AND (CASE length(\(c)) "
                + "WHEN 10 THEN date(\(c), '+0 days') WHEN 16 THEN strftime('%Y-%m-%dT%H:%M', \(c), '+0 days') WHEN 19 THEN strftime('%Y-%m-%dT%H:%M:%S', \(c), '+0 days') END) IS \(c))"
        }
    }

    /// The warehouse value of a CSV cell given as UTF-8 bytes, or nil when the cell is not of this type.
    /// A blank cell is NULL.
    @inline(__always)
    public func value(_ b: UnsafeBufferPointer<UInt8>) -> DatabaseValue? {
        if b.isEmpty { return .null }
        switch self {
        case .text: return String(decoding: b, as: UTF8.self).databaseValue
        case .integer: return ColumnType.integer(b).map { $0.databaseValue }
        case .real: return ColumnType.real(b).map { $0.databaseValue }
        case .boolean:
            if ColumnType.equals(b, "true") { return 1.databaseValue }
            if ColumnType.equals(b, "false") { return 0.databaseValue }
            return nil
        case .date: return ColumnType.isDate(b, 0) && b.count == 10 ? String(decoding: b, as: UTF8.self).databaseValue : nil
        case .month: return ColumnType.isMonth(b) ? String(decoding: b, as: UTF8.self).databaseValue : nil
        case .datetime: return ColumnType.isDateTime(b) ? String(decoding: b, as: UTF8.self).databaseValue : nil
        }
    }

    /// The value as text, for checking cells outside the hot path (tests, reference tables).
    public func value(_ s: String) -> DatabaseValue? {
        var s = s
        return s.withUTF8 { value($0) }
    }

    /// The warehouse value of a CSV cell, as the load binds it: the same rules and the same values as `value(_:)`
    /// (the tests compare the two on edge cases), without building a String or a `DatabaseValue`. Text keeps
    /// pointing at the cell's bytes. nil when the cell is not of this type.
    @inline(__always)
    package func cell(_ b: UnsafeBufferPointer<UInt8>) -> Cell? {
        if b.isEmpty { return .null }
        switch self {
        case .text: return .text
        case .integer: return ColumnType.integer(b).map { .integer($0) }
        case .real: return ColumnType.fastReal(b).map { .real($0) }
        case .boolean:
            if b.count == 4 && b[0] == 0x74 && b[1] == 0x72 && b[2] == 0x75 && b[3] == 0x65 { return .integer(1) }
            if b.count == 5 && b[0] == 0x66 && b[1] == 0x61 && b[2] == 0x6C && b[3] == 0x73 && b[4] == 0x65 { return .integer(0) }
            return nil
        case .date: return b.count == 10 && ColumnType.isDate(b, 0) ? .text : nil
        case .month: return ColumnType.isMonth(b) ? .text : nil
        case .datetime: return ColumnType.isDateTime(b) ? .text : nil
        }
    }

    /// A valid cell's warehouse storage class and value; `.text` stands for the cell's own bytes.
    package enum Cell: Equatable {
        case null
        case integer(Int64)
        case real(Double)
        case text
    }
}

extension ColumnType {
    @inline(__always)
    package static func digit(_ b: UInt8) -> Int? { b >= 0x30 && b <= 0x39 ? Int(b - 0x30) : nil }

    package static func equals(_ b: UnsafeBufferPointer<UInt8>, _ s: StaticString) -> Bool {
        guard b.count == s.utf8CodeUnitCount else { return false }
        let p = s.utf8Start
        for i in 0..<b.count where b[i] != p[i] { return false }
        return true
    }

    /// Digits `[at, at+n)` as a number.
    @inline(__always)
    package static func number(_ b: UnsafeBufferPointer<UInt8>, _ at: Int, _ n: Int) -> Int? {
        guard at + n <= b.count else { return nil }
        var v = 0
        for i in at..<(at + n) {
            guard let d = digit(b[i]) else { return nil }
            v = v * 10 + d
        }
        return v
    }

    package static func integer(_ b: UnsafeBufferPointer<UInt8>) -> Int64? {
        var i = 0
        var negative = false
        if b[0] == UInt8(ascii: "-") { negative = true; i = 1 }
        guard i < b.count, b.count - i <= 19 else { return nil }
        var v: Int64 = 0
        while i < b.count {
            guard let d = digit(b[i]) else { return nil }
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (a, o2) = negative ? m.subtractingReportingOverflow(Int64(d)) : m.addingReportingOverflow(Int64(d))
            if o1 || o2 { return nil }
            v = a
            i += 1
        }
        return v
    }

    /// `[-]digits[.digits][(e|E)[+|-]digits]`, at least one digit before the exponent.
    package static func real(_ b: UnsafeBufferPointer<UInt8>) -> Double? {
        var i = 0, digits = 0
        if b[i] == UInt8(ascii: "-") { i += 1 }
        while i < b.count, digit(b[i]) != nil { i += 1; digits += 1 }
        if i < b.count, b[i] == UInt8(ascii: ".") {
            i += 1
            while i < b.count, digit(b[i]) != nil { i += 1; digits += 1 }
        }
        guard digits > 0 else { return nil }
        if i < b.count, b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") {
            i += 1
            if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
            var e = 0
            while i < b.count, digit(b[i]) != nil { i += 1; e += 1 }
            guard e > 0 else { return nil }
        }
        guard i == b.count, let d = Double(String(decoding: b, as: UTF8.self)), d.isFinite else { return nil }
        return d
    }

    /// `real(_:)` without a String for the common case: a plain decimal of at most 15 digits is read exactly by
    /// `Bytes.plainDecimal` (the bits `strtod` gives); anything else goes through `real(_:)`.
    @inline(__always)
    package static func fastReal(_ b: UnsafeBufferPointer<UInt8>) -> Double? {
        Bytes.plainDecimal(b) ?? real(b)
    }

    package static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    package static func daysIn(_ y: Int, _ m: Int) -> Int {
        switch m {
        case 2: return isLeap(y) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// `YYYY-MM` at the start.
    package static func isMonth(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard b.count == 7, number(b, 0, 4) != nil, b[4] == UInt8(ascii: "-"), let m = number(b, 5, 2) else { return false }
        return (1...12).contains(m)
    }

    /// `YYYY-MM-DD` at `at`, a real calendar day (the caller checks what follows).
    package static func isDate(_ b: UnsafeBufferPointer<UInt8>, _ at: Int) -> Bool {
        guard b.count >= at + 10, let y = number(b, at, 4), b[at + 4] == UInt8(ascii: "-"), let m = number(b, at + 5, 2),
              b[at + 7] == UInt8(ascii: "-"), let d = number(b, at + 8, 2) else { return false }
        return (1...12).contains(m) && d >= 1 && d <= daysIn(y, m)
    }

    package static func isDateTime(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard isDate(b, 0) else { return false }
        if b.count == 10 { return true }
        guard b.count == 16 || b.count == 19, b[10] == UInt8(ascii: "T"), let h = number(b, 11, 2), b[13] == UInt8(ascii: ":"),
              let mi = number(b, 14, 2), h < 24, mi < 60 else { return false }
        if b.count == 16 { return true }
        guard b[16] == UInt8(ascii: ":"), let s = number(b, 17, 2) else { return false }
        return s < 60
    }
}
