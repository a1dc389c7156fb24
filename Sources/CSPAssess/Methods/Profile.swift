import CSPSchema
import CSPStorage
import Foundation

/// The dominant group among victims or offenders, phrased like the assessment:
/// "White European males aged 10 - 29 years".
///
/// Method. Each dimension is judged on the records where it is known; unknowns (sex `U`, age band
/// `unknown`, an ethnicity in `unknownEthnicities`, by default "Not known", "Unknown" and blank) are left out of
/// that dimension's shares and reported. Ethnicity: the largest group is named when it holds at least
/// `ethnicityShare` (default 60%) of records with known ethnicity. Sex: the larger sex is named ("males",
/// "females") when it holds at least `sexShare` (default 60%) of records with known sex; otherwise the
/// phrase says "people". Age: among the ten-year bands 0-9 … 70-79, 80+, the shortest run of contiguous
/// bands whose records make up at least `ageShare` (default 50%) of records with a known band; among runs
/// of that length the one with most records, then the youngest. The phrase is
/// "<ethnicity> <sex> aged <lo> - <hi> years" ("aged 80 years and over" when the run ends at 80+), omitting
/// a part that is not dominant or has no known records, capitalised. The share covered is the number of
/// records matching every named part divided by the number of records known on every named part. Ties
/// between groups of equal size are broken by name (ethnicity) or females before males, so results are
/// stable.
public struct Profile: Sendable, Equatable {
    /// Recorded sex.
    public enum Sex: String, Sendable, Equatable {
        /// Male (`M`).
        case male = "M"
        /// Female (`F`).
        case female = "F"
        /// Not recorded (`U`).
        case unknown = "U"
    }

    /// Ten-year age band, `0-9` … `70-79`, `80+`, or `unknown`.
    public enum AgeBand: Int, Sendable, Equatable, CaseIterable, Comparable {
        /// The bands in age order; `unknown` last.
        case age0to9 = 0, age10to19, age20to29, age30to39, age40to49, age50to59, age60to69, age70to79, age80plus, unknown

        /// Parses the normalised band code (`10-19`, `80+`, `unknown`); nil for anything else.
        public init?(code: String) {
            let c = code.trimmingCharacters(in: .whitespaces)
            if let b = AgeBand.allCases.first(where: { $0.code == c }) { self = b } else { return nil }
        }

        /// The band's code.
        public var code: String {
            switch self {
            case .age80plus: "80+"
            case .unknown: "unknown"
            default: "\(rawValue * 10)-\(rawValue * 10 + 9)"
            }
        }

        /// Lowest age in the band (nil for unknown).
        public var lowerAge: Int? { self == .unknown ? nil : rawValue * 10 }

        /// Orders bands by age, unknown last.
        public static func < (a: AgeBand, b: AgeBand) -> Bool { a.rawValue < b.rawValue }
    }

    /// One victim's or offender's attributes.
    public struct Record: Sendable, Equatable {
        /// Sex.
        public var sex: Sex
        /// Age band.
        public var ageBand: AgeBand
        /// Ethnicity group, e.g. "White European", "Asian", "Not known".
        public var ethnicity: String

        /// A record.
        public init(sex: Sex, ageBand: AgeBand, ethnicity: String) {
            self.sex = sex
            self.ageBand = ageBand
            self.ethnicity = ethnicity
        }
    }

    /// Settings of the profile method, with the documented defaults.
    public struct Settings: Sendable, Equatable {
        /// Share of known ethnicity the largest group needs to be named. Default 0.6.
        public var ethnicityShare: Double
        /// Share of known sex the larger sex needs to be named. Default 0.6.
        public var sexShare: Double
        /// Share of known age bands the contiguous run must cover. Default 0.5.
        public var ageShare: Double
        /// Ethnicity groups treated as unknown (compared case-insensitively, trimmed). Default "Not known", "Unknown", "".
        public var unknownEthnicities: Set<String>

        /// Settings with the documented defaults unless given.
        public init(ethnicityShare: Double = 0.6, sexShare: Double = 0.6, ageShare: Double = 0.5,
                    unknownEthnicities: Set<String> = ["not known", "unknown", ""]) {
            self.ethnicityShare = ethnicityShare
            self.sexShare = sexShare
            self.ageShare = ageShare
            self.unknownEthnicities = Set(unknownEthnicities.map { $0.trimmingCharacters(in: .whitespaces).lowercased() })
        }
    }

    /// Number of records.
    public let total: Int
    /// Records with unknown sex.
    public let unknownSex: Int
    /// Records with unknown age band.
    public let unknownAge: Int
    /// Records with unknown ethnicity.
    public let unknownEthnicity: Int
    /// The dominant ethnicity group, if any.
    public let ethnicity: String?
    /// Its share of records with known ethnicity (the largest group's share even when not dominant).
    public let ethnicityShare: Double?
    /// The dominant sex, if any.
    public let sex: Sex?
    /// The larger sex's share of records with known sex.
    public let sexShare: Double?
    /// The contiguous age bands, youngest first; empty when no band is known.
    public let ageBands: [AgeBand]
    /// Their share of records with a known band.
    public let ageShare: Double?
    /// The phrase, e.g. "White European males aged 10 - 29 years"; `*` when there are no records.
    public let phrase: String
    /// Records matching every named part over records known on every named part; nil when none are known.
    public let coveredShare: Double?

    /// Profiles `records`.
    public init(records: [Record], settings: Settings = Settings()) {
        total = records.count
        let unknownGroups = Set(settings.unknownEthnicities.map { $0.trimmingCharacters(in: .whitespaces).lowercased() })
        func isUnknownEthnicity(_ e: String) -> Bool {
            unknownGroups.contains(e.trimmingCharacters(in: .whitespaces).lowercased())
        }
        unknownSex = records.filter { $0.sex == .unknown }.count
        unknownAge = records.filter { $0.ageBand == .unknown }.count
        unknownEthnicity = records.filter { isUnknownEthnicity($0.ethnicity) }.count

        // Ethnicity.
        var byEthnicity: [String: Int] = [:]
        for r in records where !isUnknownEthnicity(r.ethnicity) {
            byEthnicity[r.ethnicity.trimmingCharacters(in: .whitespaces), default: 0] += 1
        }
        let knownEthnicity = records.count - unknownEthnicity
        let topEthnicity = byEthnicity.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.first
        ethnicityShare = topEthnicity.map { Double($0.value) / Double(knownEthnicity) }
        ethnicity = (ethnicityShare ?? 0) >= settings.ethnicityShare ? topEthnicity?.key : nil

        // Sex.
        let males = records.filter { $0.sex == .male }.count
        let females = records.filter { $0.sex == .female }.count
        let knownSex = males + females
        let topSex: Sex = males > females ? .male : .female
        sexShare = knownSex > 0 ? Double(max(males, females)) / Double(knownSex) : nil
        sex = (sexShare ?? 0) >= settings.sexShare ? topSex : nil

        // Age: shortest contiguous run covering the share.
        let bands = AgeBand.allCases.filter { $0 != .unknown }
        var byBand = [Int](repeating: 0, count: bands.count)
        for r in records where r.ageBand != .unknown { byBand[r.ageBand.rawValue] += 1 }
        let knownAge = byBand.reduce(0, +)
        var run: [AgeBand] = []
        var runCount = 0
        if knownAge > 0 {
            search: for length in 1...bands.count {
                var best: (start: Int, count: Int)? = nil
                for start in 0...(bands.count - length) {
                    let c = byBand[start..<(start + length)].reduce(0, +)
                    if Double(c) >= settings.ageShare * Double(knownAge), c > (best?.count ?? -1) { best = (start, c) }
                }
                if let best {
                    run = Array(bands[best.start..<(best.start + length)])
                    runCount = best.count
                    break search
                }
            }
        }
        ageBands = run
        ageShare = knownAge > 0 ? Double(runCount) / Double(knownAge) : nil

        // Phrase.
        var parts: [String] = []
        if let ethnicity { parts.append(ethnicity) }
        switch sex {
        case .male: parts.append("males")
        case .female: parts.append("females")
        default: parts.append("people")
        }
        if let first = run.first, let last = run.last {
            if last == .age80plus {
                parts.append("aged \(first.lowerAge!) years and over")
            } else {
                parts.append("aged \(first.lowerAge!) - \(last.lowerAge! + 9) years")
            }
        }
        if records.isEmpty {
            phrase = AssessMarker.notAvailable
        } else {
            let text = parts.joined(separator: " ")
            phrase = text.prefix(1).uppercased() + text.dropFirst()
        }

        // Share covered.
        let named = (ethnicity: ethnicity, sex: sex, ages: Set(run))
        var knownAll = 0
        var matching = 0
        for r in records {
            if named.ethnicity != nil, isUnknownEthnicity(r.ethnicity) { continue }
            if named.sex != nil, r.sex == .unknown { continue }
            if !named.ages.isEmpty, r.ageBand == .unknown { continue }
            knownAll += 1
            let e = named.ethnicity.map { r.ethnicity.trimmingCharacters(in: .whitespaces) == $0 } ?? true
            let s = named.sex.map { r.sex == $0 } ?? true
            let a = named.ages.isEmpty || named.ages.contains(r.ageBand)
            if e && s && a { matching += 1 }
        }
        coveredShare = knownAll > 0 ? Double(matching) / Double(knownAll) : nil
    }
}
