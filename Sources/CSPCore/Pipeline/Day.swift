/// A calendar date without time or zone, as pipelines and cleaned records use it.
public struct Day: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// Year, for example 2009.
    public let year: Int
    /// Month, 1–12.
    public let month: Int
    /// Day of month, 1–31 depending on the month.
    public let day: Int

    /// Creates a day, or nil when the date does not exist (30 February, month 13).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), year >= 1, day >= 1, day <= Day.daysIn(month: month, year: year) else { return nil }
        self.year = year; self.month = month; self.day = day
    }

    /// Parses `YYYY-MM-DD` strictly.
    public init?(iso text: String) {
        let u = Array(text.utf8)
        guard u.count == 10, u[4] == UInt8(ascii: "-"), u[7] == UInt8(ascii: "-"),
              let y = Day.digits(u[0..<4]), let m = Day.digits(u[5..<7]), let d = Day.digits(u[8..<10]) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// Number of days in a month, leap years included.
    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    static func digits(_ bytes: ArraySlice<UInt8>) -> Int? {
        var v = 0
        for b in bytes {
            guard b >= 48, b <= 57 else { return nil }
            v = v * 10 + Int(b - 48)
        }
        return v
    }

    /// `YYYY-MM-DD`.
    public var description: String {
        func pad(_ v: Int, _ w: Int) -> String { let s = String(v); return String(repeating: "0", count: max(0, w - s.count)) + s }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    /// Chronological order.
    public static func < (a: Day, b: Day) -> Bool { (a.year, a.month, a.day) < (b.year, b.month, b.day) }

    /// Encodes as `YYYY-MM-DD`.
    public func encode(to encoder: Encoder) throws { var c = encoder.singleValueContainer(); try c.encode(description) }
    /// Decodes from `YYYY-MM-DD`.
    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        let s = try c.decode(String.self)
        guard let d = Day(iso: s) else { throw DecodingError.dataCorruptedError(in: c, debugDescription: "not a date: \(s)") }
        self = d
    }
}
