import CSPCore
import Foundation

/// The date, date-and-time, month and time-of-day layouts `csp inspect --draft-mapping` tries on every value of a
/// column, in the `DatePattern` syntax a mapping's `formats:` takes. A layout is reported only when it reads every
/// non-blank value, so an ambiguous column (all days 12 or less: `dd/MM/yyyy` and `MM/dd/yyyy`) shows both.
public enum DateLayouts {
    /// What a layout holds.
    public enum Kind: Sendable { case datetime, date, month, time }

    /// One candidate layout.
    public struct Candidate: Sendable {
        /// The layout as a mapping writes it (a time of day alone: `HH:mm:ss`).
        public let text: String
        /// What it holds.
        public let kind: Kind
        /// The stricter spelling of the same layout (`dd/MM/yyyy` for `d/M/yyyy`), if this is a lenient one.
        public let strict: String?
        /// The layout used to read: a time of day is read after a fixed date, as `DatePattern` needs a year and month.
        let pattern: DatePattern

        /// Whether the layout reads `bytes` (a trimmed value) as a real date or time.
        func reads(_ bytes: [UInt8]) -> Bool {
            if kind == .time {
                guard bytes.count <= 20, bytes.contains(UInt8(ascii: ":")) else { return false }
                if case .success = pattern.read(ArraySlice(DateLayouts.timePrefix + bytes)) { return true }
                return false
            }
            if case .success = pattern.read(bytes[...]) { return true }
            return false
        }
    }

    /// The date a time of day is read after.
    static let timePrefix = Array("2000-01-01 ".utf8)

    static let dates = ["yyyy-MM-dd", "dd/MM/yyyy", "MM/dd/yyyy", "dd-MM-yyyy", "dd.MM.yyyy", "yyyy/MM/dd", "dd MMM yyyy", "dd-MMM-yyyy",
                        "dd-MMM-yy", "dd MMMM yyyy", "d/M/yyyy", "d MMM yyyy", "d MMMM yyyy"]
    static let times = ["HH:mm:ss", "HH:mm", "HH:mm:ss.S", "H:mm"]

    /// The strict spelling of a lenient layout (`d/M/yyyy H:mm` → `dd/MM/yyyy HH:mm`), nil for a strict one.
    static func strictSpelling(_ text: String) -> String? {
        var s = text
        if s.hasPrefix("d/M/") { s = "dd/MM/" + s.dropFirst(4) } else if s.hasPrefix("d M") { s = "d" + s }
        s = s.replacingOccurrences(of: " H:", with: " HH:")
        if s.hasPrefix("H:") { s = "H" + s }
        return s == text ? nil : s
    }

    /// Every candidate, most specific first: dates with a time, dates, ISO forms with `T`, months, times of day.
    public static let candidates: [Candidate] = {
        var out: [Candidate] = []
        func add(_ text: String, _ kind: Kind, read: String? = nil) {
            guard case .success(let p) = DatePattern.parse(read ?? text) else { preconditionFailure("candidate layout `\(text)` does not parse") }
            out.append(Candidate(text: text, kind: kind, strict: strictSpelling(text), pattern: p))
        }
        for d in dates { for t in ["HH:mm:ss", "HH:mm", "H:mm"] { add("\(d) \(t)", .datetime) } }
        for t in ["HH:mm:ss", "HH:mm", "HH:mm:ss.S"] { add("yyyy-MM-dd'T'\(t)", .datetime); add("yyyy-MM-dd'T'\(t)'Z'", .datetime) }
        add("yyyy-MM-dd HH:mm:ss.S", .datetime)
        for d in dates { add(d, .date) }
        add("yyyy-MM", .month); add("MMM yyyy", .month); add("MMM-yy", .month)
        for t in times {
            guard case .success(let p) = DatePattern.parse("yyyy-MM-dd \(t)") else { preconditionFailure("time layout `\(t)` does not parse") }
            out.append(Candidate(text: t, kind: .time, strict: strictSpelling(t), pattern: p))
        }
        return out
    }()
}
