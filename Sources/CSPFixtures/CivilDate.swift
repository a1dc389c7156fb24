/// A calendar day with a minute of the day, for generating and formatting dates without Foundation.
public struct CivilDate: Sendable, Comparable, Hashable {
    /// Days since 1970-01-01.
    public var day: Int
    /// Minutes since midnight.
    public var minute: Int

    /// The date for year, month (1–12), day (1–31) and optional hour and minute.
    public init(_ y: Int, _ m: Int, _ d: Int, hour: Int = 0, minute: Int = 0) {
        let yy = m <= 2 ? y - 1 : y
        let era = (yy >= 0 ? yy : yy - 399) / 400
        let yoe = yy - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        day = era * 146097 + doe - 719468
        self.minute = hour * 60 + minute
    }

    /// The date `days` days since 1970-01-01 at `minute`.
    public init(day: Int, minute: Int = 0) { self.day = day; self.minute = minute }

    /// Year, month and day.
    public var ymd: (year: Int, month: Int, day: Int) {
        let z = day + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp + (mp < 10 ? 3 : -9)
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// 0 = Monday … 6 = Sunday.
    public var weekday: Int { ((day % 7) + 7 + 3) % 7 }

    /// This date plus a number of minutes.
    public func adding(minutes: Int) -> CivilDate {
        let total = day * 1440 + minute + minutes
        let d = total >= 0 ? total / 1440 : (total - 1439) / 1440
        return CivilDate(day: d, minute: total - d * 1440)
    }

    /// Days in a month.
    public static func daysIn(year: Int, month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Ordering by day then minute.
    public static func < (a: CivilDate, b: CivilDate) -> Bool { (a.day, a.minute) < (b.day, b.minute) }

    /// `dd/mm/yyyy`.
    public var uk: String { let (y, m, d) = ymd; return "\(pad2(d))/\(pad2(m))/\(y)" }
    /// `dd/mm/yyyy HH:MM`.
    public var ukTime: String { "\(uk) \(pad2(minute / 60)):\(pad2(minute % 60))" }
    /// `yyyy-mm-dd`.
    public var iso: String { let (y, m, d) = ymd; return "\(y)-\(pad2(m))-\(pad2(d))" }
    /// `yyyy-mm-ddTHH:MM:00`.
    public var isoTime: String { "\(iso)T\(pad2(minute / 60)):\(pad2(minute % 60)):00" }
    /// `yyyy-mm`.
    public var yearMonth: String { let (y, m, _) = ymd; return "\(y)-\(pad2(m))" }
    /// `dd-Mon-yy HH:MM`, the fire service legacy format.
    public var legacy: String {
        let (y, m, d) = ymd
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        return "\(pad2(d))-\(months[m - 1])-\(pad2(y % 100)) \(pad2(minute / 60)):\(pad2(minute % 60))"
    }
}

/// Two-digit zero padding.
@inline(__always) func pad2(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

/// One month of the fixture period, January 2007 = index 0.
public struct FixtureMonth: Sendable, Hashable {
    /// 0 for January 2007.
    public var index: Int
    /// Calendar year.
    public var year: Int { 2007 + index / 12 }
    /// Calendar month 1–12.
    public var month: Int { index % 12 + 1 }
    /// Half-year index: 0 = Jan–Jun 2007 … 4 = Jan–Jun 2009.
    public var half: Int { index / 6 }
    /// Days in the month.
    public var days: Int { CivilDate.daysIn(year: year, month: month) }
    /// The first day.
    public var first: CivilDate { CivilDate(year, month, 1) }
    /// `yyyy-mm`.
    public var label: String { "\(year)-\(pad2(month))" }
    /// True from April 2009, when the new authority's codes apply.
    public var newBoundaries: Bool { index >= 27 }
    /// The 30 months January 2007 – June 2009.
    public static let all: [FixtureMonth] = (0..<30).map { FixtureMonth(index: $0) }
}

/// `n` zero-padded to `width` digits (Foundation's `String(format:)` is slow on Linux).
@inline(__always) func padded(_ n: Int, _ width: Int) -> String {
    let s = String(n)
    return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
}

/// `x` with exactly `places` decimals, without Foundation formatting.
func fixed(_ x: Double, _ places: Int) -> String {
    var scale = 1.0
    for _ in 0..<places { scale *= 10 }
    let v = Int((abs(x) * scale).rounded())
    let whole = v / Int(scale), frac = v % Int(scale)
    return (x < 0 && v != 0 ? "-" : "") + String(whole) + "." + padded(frac, places)
}
