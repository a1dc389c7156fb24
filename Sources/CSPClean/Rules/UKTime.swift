import CSPCore
import CSPSchema
import CSPStorage

/// UK civil time: GMT in winter, BST (UTC+1) from 01:00 UTC on the last Sunday of March
/// to 01:00 UTC on the last Sunday of October (the rule in force since 1996).
public enum UKTime {
    /// Days since 1970-01-01 for a date (proleptic Gregorian).
    static func daysSinceEpoch(_ d: Day) -> Int {
        let y = d.month <= 2 ? d.year - 1 : d.year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (d.month + 9) % 12
        let doy = (153 * mp + 2) / 5 + d.day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    static func day(fromEpochDays z0: Int) -> Day {
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return Day(year: yoe + era * 400 + (m <= 2 ? 1 : 0), month: m, day: d)!
    }

    static func lastSunday(month: Int, year: Int) -> Int {
        let last = Day(year: year, month: month, day: Day.daysIn(month: month, year: year))!
        let days = daysSinceEpoch(last)
        let weekday = ((days % 7) + 11) % 7  // 0 = Sunday (1970-01-01 was a Thursday)
        return days - weekday
    }

    /// UK local time for an instant given as UTC day and minutes.
    public static func local(utcDay: Day, utcMinutes: Int) -> LocalDateTime {
        let t = daysSinceEpoch(utcDay) * 1440 + utcMinutes
        let start = lastSunday(month: 3, year: utcDay.year) * 1440 + 60
        let end = lastSunday(month: 10, year: utcDay.year) * 1440 + 60
        let local = t + (t >= start && t < end ? 60 : 0)
        let dayNumber = local >= 0 ? local / 1440 : (local - 1439) / 1440
        return LocalDateTime(day: day(fromEpochDays: dayNumber), minutes: local - dayNumber * 1440)
    }

    /// Parses an ISO 8601 timestamp with an offset (`2024-01-01T10:47:00+00:00`) and returns UK local time.
    /// Without an offset the text is taken as local time already.
    public static func parseInstant(_ text: String) -> Result<LocalDateTime, DateProblem> {
        let t = Text.trim(text)
        var offset: Int?
        if t.hasSuffix("Z") { offset = 0 } else if t.count >= 6 {
            let tail = Array(t.suffix(6))
            if (tail[0] == "+" || tail[0] == "-") && tail[3] == ":", let h = Int(String(tail[1...2])), let m = Int(String(tail[4...5])) {
                offset = (tail[0] == "-" ? -1 : 1) * (h * 60 + m)
            }
        }
        switch DateParser.parse(t) {
        case .failure(let p): return .failure(p)
        case .success(let v):
            guard let offset, let minutes = v.minutes else { return .success(v) }
            // To UTC, then to UK local.
            var dayNumber = daysSinceEpoch(v.day)
            var m = minutes - offset
            while m < 0 { m += 1440; dayNumber -= 1 }
            while m >= 1440 { m -= 1440; dayNumber += 1 }
            return .success(local(utcDay: day(fromEpochDays: dayNumber), utcMinutes: m))
        }
    }
}
