import CSPCore

/// What one column of an export holds, read from every one of its values with bounded memory: the type its values
/// fit, blanks, null tokens, up to `distinctLimit` distinct values with counts, the date layouts that read every
/// value, the numeric range and rounding. `csp inspect --draft-mapping` writes it as YAML comments.
public struct ColumnProfile: Sendable {
    /// The type every non-blank value fits, most specific first.
    public enum Kind: String, Sendable {
        case empty, boolean, integer, decimal, datetime, date, month, time, text
    }

    /// The column (CSV header name or XML path).
    public let name: String
    /// Whether its values look personal (names, dates of birth, addresses, postcodes, UPRN, phone): never printed.
    public let personal: Bool
    /// Values seen (records that had the column).
    public private(set) var count = 0
    /// Blank or all-space values, null tokens included.
    public private(set) var blanks = 0
    /// Null tokens seen (`NULL`, `NA`, `N/A`, `-`) and how often.
    public private(set) var nullTokens: [String: Int] = [:]
    /// Distinct non-blank values with counts, while there are at most `distinctLimit` (nil for personal columns).
    public private(set) var distinct: [String: Int] = [:]
    /// True once more than `distinctLimit` distinct values were seen (`distinct` then holds the first ones only).
    public private(set) var distinctOverflow = false
    /// Smallest and largest number, when every non-blank value is a number.
    public private(set) var minimum = Double.infinity, maximum = -Double.infinity
    /// Whether some number was written with a zero fraction (`416.0`).
    public private(set) var zeroFraction = false
    /// How many non-blank values each candidate layout (`DateLayouts.candidates`) read.
    private var layoutReads: [Int]
    /// Indices of the candidates still tried: one that failed 50 values before reading any is dropped (mixed
    /// layouts in one column are still found when each appears early).
    private var layoutsTried: [Int]
    private var layoutFails: [Int]
    /// Non-blank values no candidate layout read.
    public private(set) var unreadByLayouts = 0
    private var allBoolean = true, allInteger = true, allNumber = true
    private var allMultipleOf: [Int: Bool] = [50: true, 100: true]
    private var datesGivenUp = false

    /// The tokens read as blank, as exports write them.
    public static let nullTokenSpellings: Set<String> = ["NULL", "NA", "N/A", "-", "null", "n/a"]
    /// Most distinct values kept per column.
    public static let distinctLimit = 20
    /// Yes/no spellings (any case) a boolean column holds.
    static let booleanSpellings: Set<String> = ["y", "n", "yes", "no", "true", "false", "t", "f"]

    /// A profile of no values yet.
    public init(name: String, personal: Bool) {
        self.name = name; self.personal = personal
        layoutReads = Array(repeating: 0, count: DateLayouts.candidates.count)
        layoutFails = layoutReads
        layoutsTried = Array(DateLayouts.candidates.indices)
    }

    /// Non-blank values seen.
    public var filled: Int { count - blanks }

    /// Adds one value.
    public mutating func add(_ raw: String) {
        count += 1
        let value = raw.trimmingSpaces
        if value.isEmpty { blanks += 1; return }
        if Self.nullTokenSpellings.contains(value) { blanks += 1; nullTokens[value, default: 0] += 1; return }
        if !personal && !distinctOverflow {
            if distinct[value] != nil || distinct.count < Self.distinctLimit { distinct[value, default: 0] += 1 } else { distinctOverflow = true }
        }
        if allBoolean && !Self.booleanSpellings.contains(value.lowercased()) { allBoolean = false }
        if allNumber {
            if let d = Double(value), d.isFinite, value.first != "+", !value.contains(where: { $0 == "e" || $0 == "E" }) {
                minimum = min(minimum, d); maximum = max(maximum, d)
                if d.rounded() != d { allInteger = false } else {
                    if value.contains(".") { zeroFraction = true }
                    for (m, ok) in allMultipleOf where ok && abs(d).truncatingRemainder(dividingBy: Double(m)) != 0 { allMultipleOf[m] = false }
                }
            } else { allNumber = false; allInteger = false }
        }
        readLayouts(value)
    }

    /// Tries every candidate layout still worth trying on a non-blank value.
    private mutating func readLayouts(_ value: String) {
        guard !datesGivenUp else { unreadByLayouts += 1; return }
        let bytes = Array(value.utf8)
        var read = false
        if bytes.count <= 40, bytes.contains(where: { $0 >= 48 && $0 <= 57 }) {
            var dropped = false
            for i in layoutsTried {
                if DateLayouts.candidates[i].reads(bytes) { layoutReads[i] += 1; read = true } else {
                    layoutFails[i] += 1
                    if layoutFails[i] >= 50 && layoutReads[i] == 0 { dropped = true }
                }
            }
            if dropped { layoutsTried.removeAll { layoutFails[$0] >= 50 && layoutReads[$0] == 0 } }
        }
        if !read { unreadByLayouts += 1 }
        // A column whose first 200 values no layout read is not a date column: stop trying (the profile says so).
        if filled >= 200 && layoutReads.allSatisfy({ $0 == 0 }) { datesGivenUp = true }
    }

    /// Candidate layouts that read every non-blank value, in candidate order, a lenient spelling (`d/M/yyyy`)
    /// left out when its strict one (`dd/MM/yyyy`) reads them all too.
    public var layoutsReadingAll: [DateLayouts.Candidate] {
        guard filled > 0 else { return [] }
        let all = DateLayouts.candidates.indices.filter { layoutReads[$0] == filled }.map { DateLayouts.candidates[$0] }
        return all.filter { c in c.strict.map { s in !all.contains { $0.text == s } } ?? true }
    }

    /// Candidate layouts that read some but not all values, most values first, with how many each read.
    public var layoutsReadingSome: [(DateLayouts.Candidate, Int)] {
        DateLayouts.candidates.indices.filter { layoutReads[$0] > 0 && layoutReads[$0] < filled }
            .sorted { layoutReads[$0] > layoutReads[$1] }.map { (DateLayouts.candidates[$0], layoutReads[$0]) }
    }

    /// The type every non-blank value fits.
    public var kind: Kind {
        if filled == 0 { return .empty }
        if allBoolean { return .boolean }
        if let first = layoutsReadingAll.first {
            switch first.kind {
            case .datetime: return .datetime
            case .date: return .date
            case .month: return .month
            case .time: return .time
            }
        }
        if allInteger { return .integer }
        if allNumber { return .decimal }
        return .text
    }

    /// The coarsest rounding every value follows (100 or 50 metres for a rounded coordinate), else 1 (1 too for
    /// fewer than 10 values: too few to tell).
    public var rounding: Int {
        guard allInteger, filled >= 10 else { return 1 }
        if allMultipleOf[100] == true { return 100 }
        if allMultipleOf[50] == true { return 50 }
        return 1
    }

    /// Whether every value is a number within `range`.
    public func numbers(within range: ClosedRange<Double>) -> Bool {
        (kind == .integer || kind == .decimal) && range.contains(minimum) && range.contains(maximum)
    }
}

extension String {
    /// The text without leading and trailing spaces and tabs.
    var trimmingSpaces: String {
        guard let first = firstIndex(where: { $0 != " " && $0 != "\t" }) else { return "" }
        let last = lastIndex(where: { $0 != " " && $0 != "\t" })!
        return String(self[first...last])
    }
}
