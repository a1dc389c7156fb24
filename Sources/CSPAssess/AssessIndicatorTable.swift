import CSPSchema
import CSPStorage
/// `indicators.csv`: each survey indicator for the whole area and for each ward, through the ``DisclosurePolicy``.
///
/// A ward's row rests on the respondents in the indicator's base; their number is the cell the policy protects
/// (respondents are the records, an indicator's base a class, the wards one layer), so a ward whose base is below the
/// threshold is withheld with everything computed from its respondents (value, bases, interval), and further wards
/// are withheld where the whole area's row would otherwise give it back.
struct AssessIndicatorTable {
    static let header = ["indicator", "area_code", "area", "value_percent", "base", "weighted_base", "effective_base", "ci_lower", "ci_upper"]

    /// The rows (header first) and the pattern of withheld ward bases.
    let rows: [[String]]
    let tables: LinkedCounts
    let pattern: DisclosurePattern

    /// Rows for `names` (NI17, …) over `respondents` (ward code, ward name, answers) of the area `code`/`area`.
    init(names: [String], code: String, area: String, respondents: [(ward: String, wardName: String, respondent: SurveyIndicators.Respondent)],
         policy: DisclosurePolicy) {
        let overall = SurveyIndicators(respondents: respondents.map(\.respondent))
        let byWard = Dictionary(grouping: respondents, by: \.ward)
        let wards = byWard.keys.sorted().filter { !$0.isEmpty }
        let wardIndex = Dictionary(uniqueKeysWithValues: wards.enumerated().map { ($1, $0) })
        let wardNames = Dictionary(respondents.map { ($0.ward, $0.wardName) }, uniquingKeysWith: { a, _ in a })
        // Each respondent's classes: the indicators whose base holds them.
        var groups: [[Int]: Int] = [:]
        for r in respondents {
            let one = SurveyIndicators(respondents: [r.respondent])
            let classes = names.indices.filter { AssessStage.indicator(names[$0], of: one)?.unweightedBase == 1 }
            groups[classes + [wardIndex[r.ward] ?? -1], default: 0] += 1
        }
        tables = LinkedCounts(classCount: names.count, layerSizes: [wards.count],
                              records: groups.sorted { $0.key.lexicographicallyPrecedes($1.key) }.map { ($0.key.dropLast().map { $0 }, [$0.key.last!], $0.value) })
        // A ward's published row depends on its own respondents only: moving respondents between withheld wards leaves
        // every published row, and the whole area's row, as it is.
        pattern = policy.protect(tables)
        var rows = [Self.header]
        for (c, name) in names.enumerated() {
            rows.append(Self.row(name, code: code, area: area, AssessStage.indicator(name, of: overall)!))
            for (w, ward) in wards.enumerated() {
                let s = SurveyIndicators(respondents: byWard[ward]!.map(\.respondent))
                rows.append(Self.row(name, code: ward, area: wardNames[ward] ?? ward, AssessStage.indicator(name, of: s)!,
                                     withheld: pattern.isWithheld(tables.cell(class: c, layer: 0, area: w))))
            }
        }
        self.rows = rows
    }

    /// One row; a withheld row shows `~` for the value, its interval and its bases.
    static func row(_ name: String, code: String, area: String, _ i: SurveyIndicators.Indicator, withheld: Bool = false) -> [String] {
        if withheld {
            let w = AssessMarker.suppressed
            return [name, code, area, w, w, w, w, w, w]
        }
        return [name, code, area, AssessFormat.fixed(i.value, 1), String(i.unweightedBase), AssessFormat.fixed(i.weightedBase, 1),
                AssessFormat.fixed(i.effectiveSampleSize, 1), AssessFormat.fixed(i.lower, 1), AssessFormat.fixed(i.upper, 1)]
    }
}
