import CSPCore
import CSPSchema
import CSPStorage

/// A date with an optional time of day, as exports give them (local UK time, no zone).
public struct LocalDateTime: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The date.
    public let day: Day
    /// Minutes after midnight, when the export gave a time.
    public let minutes: Int?

    /// Creates a value.
    public init(day: Day, minutes: Int? = nil) { self.day = day; self.minutes = minutes }

    /// `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM`.
    public var description: String {
        guard let minutes else { return day.description }
        let h = minutes / 60, m = minutes % 60
        return "\(day)T\(h < 10 ? "0" : "")\(h):\(m < 10 ? "0" : "")\(m)"
    }

    /// `YYYY-MM`.
    public var month: String { String(day.description.prefix(7)) }

    /// Chronological; a date without time sorts as midnight.
    public static func < (a: LocalDateTime, b: LocalDateTime) -> Bool {
        a.day != b.day ? a.day < b.day : (a.minutes ?? 0) < (b.minutes ?? 0)
    }
}

/// Why a date did not parse: the two have different rule ids in the rejects.
public enum DateProblem: Error, Sendable, Equatable {
    /// Not a date in any accepted layout (`clean.date.format`).
    case format
    /// A layout we accept, but the date does not exist: 31/02/2009, month 13, hour 25 (`clean.date.impossible`).
    case impossible

    /// Rule id.
    public var rule: String { self == .format ? "clean.date.format" : "clean.date.impossible" }
}

/// Parses the date layouts partner exports use, straight from UTF-8 bytes (Foundation's DateFormatter is ~1,000× slower):
/// UK day-first `dd/mm/yyyy[ HH:MM[:SS]]` (one-digit day and month accepted), ISO `yyyy-mm-dd[THH:MM[:SS][Z|±hh:mm]]`,
/// legacy `dd-Mon-yy[ HH:MM]` (two-digit years 00–69 are 2000s, 70–99 1900s), and `yyyy-mm` (month only, day 1).
public enum DateParser {
    static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// Parses `text` (trimmed first).
    public static func parse(_ text: String) -> Result<LocalDateTime, DateProblem> {
        var bytes = Array(text.utf8)
        while let l = bytes.last, l == 0x20 || l == 0x09 { bytes.removeLast() }
        while let f = bytes.first, f == 0x20 || f == 0x09 { bytes.removeFirst() }
        return parse(bytes: bytes)
    }

    /// Parses trimmed bytes.
    public static func parse(bytes b: [UInt8]) -> Result<LocalDateTime, DateProblem> {
        var i = 0
        func number(maxDigits: Int) -> Int? {
            var v = 0, n = 0
            while i < b.count, n < maxDigits, b[i] >= 48, b[i] <= 57 { v = v * 10 + Int(b[i] - 48); i += 1; n += 1 }
            return n == 0 ? nil : v
        }
        func digitsRead(_ start: Int) -> Int { i - start }
        func expect(_ c: UInt8) -> Bool { if i < b.count && b[i] == c { i += 1; return true }; return false }

        var year = 0, month = 0, day = 0
        let s0 = i
        guard let first = number(maxDigits: 4) else { return .failure(.format) }
        if digitsRead(s0) == 4 {
            // ISO: yyyy-mm[-dd...]
            year = first
            guard expect(UInt8(ascii: "-")), let m = number(maxDigits: 2) else { return .failure(.format) }
            month = m
            if i == b.count { return make(year, month, 1, nil) }
            guard expect(UInt8(ascii: "-")), let d = number(maxDigits: 2) else { return .failure(.format) }
            day = d
            if i < b.count && (b[i] == UInt8(ascii: "T") || b[i] == UInt8(ascii: " ")) { i += 1 } else if i == b.count { return make(year, month, day, nil) } else { return .failure(.format) }
        } else if digitsRead(s0) <= 2 && i < b.count && b[i] == UInt8(ascii: "/") {
            day = first
            i += 1
            guard let m = number(maxDigits: 2), expect(UInt8(ascii: "/")) else { return .failure(.format) }
            month = m
            let ys = i
            guard let y = number(maxDigits: 4), digitsRead(ys) == 4 else { return .failure(.format) }
            year = y
            if i == b.count { return make(year, month, day, nil) }
            guard expect(UInt8(ascii: " ")) else { return .failure(.format) }
            while i < b.count && b[i] == UInt8(ascii: " ") { i += 1 }
        } else if digitsRead(s0) <= 2 && i < b.count && b[i] == UInt8(ascii: "-") {
            // dd-Mon-yy
            day = first
            i += 1
            guard i + 3 <= b.count else { return .failure(.format) }
            let name = String(decoding: b[i..<i + 3], as: UTF8.self).lowercased()
            guard let mi = months.firstIndex(of: name) else { return .failure(.format) }
            month = mi + 1
            i += 3
            guard expect(UInt8(ascii: "-")) else { return .failure(.format) }
            let ys = i
            guard let y = number(maxDigits: 4) else { return .failure(.format) }
            year = digitsRead(ys) == 2 ? (y < 70 ? 2000 + y : 1900 + y) : y
            if i == b.count { return make(year, month, day, nil) }
            guard expect(UInt8(ascii: " ")) else { return .failure(.format) }
        } else {
            return .failure(.format)
        }
        // Time: HH:MM[:SS][Z|±hh:mm|.fff...]
        let hs = i
        guard let h = number(maxDigits: 2), digitsRead(hs) >= 1, expect(UInt8(ascii: ":")) else { return .failure(.format) }
        let ms = i
        guard let m = number(maxDigits: 2), digitsRead(ms) == 2 else { return .failure(.format) }
        if expect(UInt8(ascii: ":")) {
            let ss = i
            guard let s = number(maxDigits: 2), digitsRead(ss) == 2, s < 61 else { return .failure(.format) }
            if expect(UInt8(ascii: ".")) { _ = number(maxDigits: 9) }
        }
        if i < b.count {
            if b[i] == UInt8(ascii: "Z") { i += 1 } else if b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
                i += 1
                guard number(maxDigits: 2) != nil else { return .failure(.format) }
                if expect(UInt8(ascii: ":")) { guard number(maxDigits: 2) != nil else { return .failure(.format) } }
            }
        }
        guard i == b.count else { return .failure(.format) }
        guard h < 24, m < 60 else { return .failure(.impossible) }
        return make(year, month, day, h * 60 + m)
    }

    private static func make(_ y: Int, _ m: Int, _ d: Int, _ minutes: Int?) -> Result<LocalDateTime, DateProblem> {
        guard let day = Day(year: y, month: m, day: d) else { return .failure(.impossible) }
        return .success(LocalDateTime(day: day, minutes: minutes))
    }
}
