/// A date or date-and-time layout a source mapping declares (`formats:`), such as `dd/MM/yyyy HH:mm`,
/// `yyyy-MM-dd`, `dd MMM yyyy` or `yyyy-MM-dd'T'HH:mm:ss`. Tokens: `yyyy` (four-digit year), `yy` (two digits:
/// 00–69 are 2000s, 70–99 1900s), `MMMM` (month name), `MMM` (three-letter month, any case), `MM` (two digits), `M`
/// (one or two), `dd`, `d`, `HH`, `H` (hour 0–23), `mm` (minute), `ss` (second), `S…` (fraction of a second, any
/// number of digits); any other character, or text in single quotes, must appear as written. A space in the layout
/// matches one or more spaces. Parsing works on the value's UTF-8 bytes (no Foundation formatter: they are about
/// 1,000 times slower and depend on the locale).
public struct DatePattern: Sendable, Equatable, Codable, CustomStringConvertible {
    /// One piece of a layout.
    enum Token: Sendable, Equatable {
        case year4, year2, monthName, monthShort, month2, month1, day2, day1, hour2, hour1, minute, second, fraction
        case literal(UInt8)
        case spaces
    }

    /// The layout as written.
    public let text: String
    /// Its pieces.
    let tokens: [Token]

    /// Whether the layout has a time of day (an hour token).
    public var hasTime: Bool { tokens.contains { $0 == .hour2 || $0 == .hour1 } }

    /// Whether the layout has a day (a layout without one, `yyyy-MM`, gives the first of the month).
    public var hasDay: Bool { tokens.contains { $0 == .day2 || $0 == .day1 } }

    public var description: String { text }

    /// Encoded as the layout's text.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(text)
    }

    /// Decodes a layout's text.
    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        switch Self.parse(text) {
        case .success(let p): self = p
        case .failure(let e): throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: e.description))
        }
    }

    private init(text: String, tokens: [Token]) { self.text = text; self.tokens = tokens }

    /// Reads a layout; nil with the reason when it is not one.
    public static func parse(_ text: String) -> Result<DatePattern, DatePatternError> {
        var tokens: [Token] = []
        let b = Array(text.utf8)
        var i = 0
        func run(_ c: UInt8) -> Int { var n = 0; while i + n < b.count && b[i + n] == c { n += 1 }; return n }
        while i < b.count {
            let c = b[i]
            switch c {
            case UInt8(ascii: "y"):
                let n = run(c)
                guard n == 4 || n == 2 else { return .failure(DatePatternError(pattern: text, reason: "a year is yyyy or yy")) }
                tokens.append(n == 4 ? .year4 : .year2); i += n
            case UInt8(ascii: "M"):
                let n = run(c)
                guard n <= 4 else { return .failure(DatePatternError(pattern: text, reason: "a month is M, MM, MMM or MMMM")) }
                tokens.append([.month1, .month2, .monthShort, .monthName][n - 1]); i += n
            case UInt8(ascii: "d"):
                let n = run(c)
                guard n <= 2 else { return .failure(DatePatternError(pattern: text, reason: "a day is d or dd")) }
                tokens.append(n == 2 ? .day2 : .day1); i += n
            case UInt8(ascii: "H"):
                let n = run(c)
                guard n <= 2 else { return .failure(DatePatternError(pattern: text, reason: "an hour is H or HH")) }
                tokens.append(n == 2 ? .hour2 : .hour1); i += n
            case UInt8(ascii: "m"):
                guard run(c) == 2 else { return .failure(DatePatternError(pattern: text, reason: "minutes are mm")) }
                tokens.append(.minute); i += 2
            case UInt8(ascii: "s"):
                guard run(c) == 2 else { return .failure(DatePatternError(pattern: text, reason: "seconds are ss")) }
                tokens.append(.second); i += 2
            case UInt8(ascii: "S"):
                tokens.append(.fraction); i += run(c)
            case UInt8(ascii: "'"):
                i += 1
                while i < b.count && b[i] != UInt8(ascii: "'") { tokens.append(.literal(b[i])); i += 1 }
                guard i < b.count else { return .failure(DatePatternError(pattern: text, reason: "a quote is not closed")) }
                i += 1
            case UInt8(ascii: " "):
                tokens.append(.spaces); i += run(c)
            default:
                if (c >= 65 && c <= 90) || (c >= 97 && c <= 122) {
                    return .failure(DatePatternError(pattern: text, reason: "`\(Character(Unicode.Scalar(c)))` is not a layout letter (yyyy yy MMMM MMM MM M dd d HH H mm ss S); quote literal letters: 'T'"))
                }
                tokens.append(.literal(c)); i += 1
            }
        }
        let has = { (t: [Token]) in tokens.contains { t.contains($0) } }
        guard has([.year4, .year2]), has([.monthName, .monthShort, .month2, .month1]) else {
            return .failure(DatePatternError(pattern: text, reason: "a layout needs a year and a month"))
        }
        if has([.minute]) && !has([.hour2, .hour1]) {
            return .failure(DatePatternError(pattern: text, reason: "minutes without an hour"))
        }
        return .success(DatePattern(text: text, tokens: tokens))
    }

    static let monthNames = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"]

    /// Reads `bytes` (already trimmed) by this layout: the parts, `.format` when the text does not follow the layout,
    /// `.impossible` when it does but names no real date or time (31/02/2009, hour 24).
    public func read(_ b: ArraySlice<UInt8>) -> Result<DateParts, DateReadProblem> {
        var i = b.startIndex
        var year = 0, month = 0, day = 1, hour: Int?, minute = 0, second = 0
        func digits(min: Int, max: Int) -> Int? {
            var v = 0, n = 0
            while i < b.endIndex, n < max, b[i] >= 48, b[i] <= 57 { v = v * 10 + Int(b[i] - 48); i += 1; n += 1 }
            return n >= min ? v : nil
        }
        for t in tokens {
            switch t {
            case .year4: guard let v = digits(min: 4, max: 4) else { return .failure(.format) }; year = v
            case .year2: guard let v = digits(min: 2, max: 2) else { return .failure(.format) }; year = v < 70 ? 2000 + v : 1900 + v
            case .month2: guard let v = digits(min: 2, max: 2) else { return .failure(.format) }; month = v
            case .month1: guard let v = digits(min: 1, max: 2) else { return .failure(.format) }; month = v
            case .day2: guard let v = digits(min: 2, max: 2) else { return .failure(.format) }; day = v
            case .day1: guard let v = digits(min: 1, max: 2) else { return .failure(.format) }; day = v
            case .hour2: guard let v = digits(min: 2, max: 2) else { return .failure(.format) }; hour = v
            case .hour1: guard let v = digits(min: 1, max: 2) else { return .failure(.format) }; hour = v
            case .minute: guard let v = digits(min: 2, max: 2) else { return .failure(.format) }; minute = v
            case .second: guard let v = digits(min: 2, max: 2) else { return .failure(.format) }; second = v
            case .fraction: guard digits(min: 1, max: 9) != nil else { return .failure(.format) }
            case .monthShort, .monthName:
                var end = i
                while end < b.endIndex, (b[end] | 0x20) >= 97, (b[end] | 0x20) <= 122 { end += 1 }
                let name = String(decoding: b[i..<end], as: UTF8.self).lowercased()
                let found = t == .monthShort ? Self.monthNames.firstIndex { $0.prefix(3) == name } : Self.monthNames.firstIndex(of: name)
                guard let m = found else { return .failure(.format) }
                month = m + 1; i = end
            case .literal(let c):
                guard i < b.endIndex, b[i] == c else { return .failure(.format) }
                i += 1
            case .spaces:
                guard i < b.endIndex, b[i] == 0x20 else { return .failure(.format) }
                while i < b.endIndex, b[i] == 0x20 { i += 1 }
            }
        }
        guard i == b.endIndex else { return .failure(.format) }
        guard (1...12).contains(month), day >= 1, day <= DateParts.daysIn(month: month, year: year) else { return .failure(.impossible) }
        if let hour { guard hour < 24, minute < 60, second < 61 else { return .failure(.impossible) } }
        return .success(DateParts(year: year, month: month, day: day, hour: hour, minute: minute, second: second))
    }

    /// Reads a string (trimmed of spaces and tabs first).
    public func read(_ text: String) -> Result<DateParts, DateReadProblem> {
        var b = Array(text.utf8)[...]
        while let l = b.last, l == 0x20 || l == 0x09 { b.removeLast() }
        while let f = b.first, f == 0x20 || f == 0x09 { b.removeFirst() }
        return read(b)
    }
}

/// A date, and a time of day when the layout had one.
public struct DateParts: Sendable, Equatable {
    /// Year, month (1–12), day.
    public let year: Int, month: Int, day: Int
    /// Hour (0–23), nil for a layout without a time.
    public let hour: Int?
    /// Minute and second (0 without a time).
    public let minute: Int, second: Int

    /// Days in a month of a year (Gregorian).
    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}

/// Why a value does not read by a layout.
public enum DateReadProblem: Error, Sendable, Equatable {
    /// The text does not follow the layout.
    case format
    /// It follows it, but the date or time does not exist.
    case impossible
}

/// A `formats:` entry that is not a layout.
public struct DatePatternError: Error, Sendable, CustomStringConvertible {
    /// The layout as written.
    public let pattern: String
    /// What is wrong with it.
    public let reason: String
    public var description: String { "`\(pattern)` is not a date layout: \(reason)" }
}
