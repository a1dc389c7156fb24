import CSPCore
import CSPSchema
import CSPStorage
import Foundation

/// Stop and search (data.police.uk, warehouse table `stop_searches`): the monthly volume with its trend and period
/// comparisons (the same methods as a theme's), and for the `twelve_months` period the searches by object of
/// search, outcome, whether the outcome was linked to the object of search, age range, sex and self-defined
/// ethnicity. The people are the people searched: a search is not an offence and says nothing of guilt.
///
/// A blank value is its own category ("Not recorded"), so that each breakdown adds up to the twelve-month total,
/// which is published. The breakdowns are linked tables of the same searches (each search lies in one category of
/// every breakdown) and go through the ``DisclosurePolicy`` together: small counts withheld, and further counts
/// withheld until no withheld count can be worked out from the total and the other breakdowns. The rate per 1,000
/// residents is given for all searches only, against the partnership's residents (sum of the ward populations in the
/// warehouse); the warehouse holds no residents by age or sex, so those breakdowns have no rate (`*`). Rates by ethnic
/// group against Census 2021 residents are the table by ethnicity (``StopSearchDisparity``), protected with these.
struct StopSearchSummary {
    /// A breakdown: the warehouse column, its title and its categories in table order.
    struct Dimension {
        let column: String
        let title: String
        let categories: [String]
    }

    /// The synthetic theme whose assessment gives the monthly series, volumes, trend and period comparisons.
    static let theme = ThemeDefinition(id: "stop_and_search", name: "Stop and search", group: "Stop and search", dataset: "stop_searches",
                                   conditions: [], surveyIndicator: nil, sntPriority: [], msgTheme: nil)

    /// The breakdowns: warehouse column and title, in table order.
    static let columns: [(column: String, title: String)] = [
        ("object_of_search", "Object of search"), ("outcome", "Outcome"), ("outcome_linked", "Outcome linked to the object of search"),
        ("age_range", "Age range"), ("sex", "Sex"), ("self_defined_ethnicity", "Self-defined ethnicity"),
    ]
    /// The category of a blank value.
    static let notRecorded = "Not recorded"

    /// The whole table assessed as a theme: monthly series, volumes, trend, period comparisons.
    let assessment: ThemeAssessment
    /// The breakdowns with their categories.
    let dimensions: [Dimension]
    /// The breakdowns as linked tables (one class, one layer per breakdown) and what the policy withholds.
    let tables: LinkedCounts
    let pattern: DisclosurePattern
    /// Every cell's count, published or not.
    let values: [Int]
    /// Searches of the period (published).
    let total: Int
    /// Residents of the partnership, when the warehouse has them for every ward.
    let population: Int?
    /// The period of the breakdowns (months).
    let from: String
    let to: String
    /// Stop and search by ethnicity against residents (`tables/stop-search-disparity.csv`), when the warehouse has
    /// `population_ethnicity` and `stop_search_force`.
    let disparity: StopSearchDisparity?
    /// How its periods were anchored (its own source's latest complete month), for the report.
    var anchorReason = ""

    /// The label of a warehouse value of a breakdown.
    static func label(_ column: String, _ value: String?) -> String {
        guard let value else { return column == "outcome_linked" ? "Not recorded (blank: no outcome, or not published)" : notRecorded }
        switch (column, value) {
        case ("outcome_linked", "1"): return "Linked to the object of search"
        case ("outcome_linked", "0"): return "Not linked to the object of search"
        case ("sex", "M"): return "Male"
        case ("sex", "F"): return "Female"
        case ("sex", "U"): return "Not known"
        default: return value
        }
    }

    /// Table order of a breakdown's categories: ages by their lower bound ("under 10" first, "over 34" last), others
    /// alphabetically; "Not recorded" last. Never by count, so the order tells nothing of a withheld count.
    static func order(_ column: String, _ labels: Set<String>) -> [String] {
        func ageKey(_ s: String) -> Int {
            if s.hasPrefix("under") { return -1 }
            let digits = Int(s.filter(\.isNumber)) ?? 10_000
            return s.hasPrefix("over") ? 1000 + digits : Int(s.prefix { $0.isNumber }) ?? 10_000
        }
        return labels.sorted { a, b in
            let na = a.hasPrefix(notRecorded), nb = b.hasPrefix(notRecorded)
            if na != nb { return nb }
            if column == "age_range" { return (ageKey(a), a) < (ageKey(b), b) }
            return a < b
        }
    }

    /// Reads the period's searches, nil when the warehouse has no `stop_searches` table.
    init?(context ctx: AssessContext, from: String, to: String, population: Int?, policy: DisclosurePolicy) throws {
        guard try ctx.warehouse.tableExists("stop_searches") else { return nil }
        assessment = try ctx.assess(Self.theme)
        self.from = from
        self.to = to
        self.population = population
        // The breakdowns' columns, then officer-defined ethnicity and legislation for the table by ethnicity.
        let groups = try ctx.warehouse.stopSearchGroups(columns: Self.columns.map(\.column) + ["officer_defined_ethnicity", "legislation"], from: from, to: to)
        var dims: [Dimension] = []
        var index: [[String: Int]] = []
        for (i, c) in Self.columns.enumerated() {
            let cats = Self.order(c.column, Set(groups.map { Self.label(c.column, $0.values[i]) }))
            dims.append(Dimension(column: c.column, title: c.title, categories: cats))
            index.append(Dictionary(uniqueKeysWithValues: cats.enumerated().map { ($1, $0) }))
        }
        dimensions = dims
        var records = groups.map { g in
            (classes: [0], areas: Self.columns.indices.map { index[$0][Self.label(Self.columns[$0].column, g.values[$0])]! }, count: g.count)
        }
        total = groups.reduce(0) { $0 + $1.count }
        var layerSizes = dims.map(\.categories.count)
        // With residents by ethnicity, the table by ethnicity's counts join the breakdowns' tables (one protection).
        let linked = Self.columns.firstIndex { $0.column == "outcome_linked" }!, ethnicity = Self.columns.firstIndex { $0.column == "self_defined_ethnicity" }!
        disparity = try StopSearchDisparity(warehouse: ctx.warehouse, from: from, to: to, partnership: zip(groups, records).map { g, r in
            (breakdown: r.areas, selfDefined: g.values[ethnicity], officer: g.values[Self.columns.count], legislation: g.values[Self.columns.count + 1],
             linked: g.values[linked], count: g.count)
        })
        if let d = disparity {
            records = d.searches.filter(\.inPartnership).map { s in
                (classes: [0], areas: s.breakdown + d.areas(of: s, .all).prefix(StopSearchDisparity.jointLayers), count: s.count)
            }
            layerSizes += [Int](repeating: StopSearchDisparity.groups.count, count: StopSearchDisparity.jointLayers)
        }
        tables = LinkedCounts(classCount: 1, layerSizes: layerSizes, records: records)
        values = tables.values
        pattern = policy.protect(tables)
        section60 = disparity.map { d in
            let t = d.section60Tables
            return (t, policy.protect(t))
        }
        otherRows = disparity.map { d in
            let t = d.otherTables
            return (t, policy.protect(t))
        }
    }

    /// The published count of a category (nil when withheld).
    func count(_ d: Int, _ c: Int) -> Int? {
        let cell = tables.cell(class: 0, layer: d, area: c)
        return pattern.isWithheld(cell) ? nil : values[cell]
    }

    /// The section 60 searches' tables by ethnicity and what the policy withholds of them.
    var section60: (tables: LinkedCounts, pattern: DisclosurePattern)?

    /// The published count of a cell of the table by ethnicity (legislation group, layer, area), nil when withheld.
    func published(_ g: StopSearchDisparity.LegislationGroup, _ layer: Int, _ area: Int) -> Int? {
        let joint = StopSearchDisparity.jointLayers
        let (t, p, l): (LinkedCounts, DisclosurePattern, Int)
        if g == .section60 {
            guard let s = section60 else { return nil }
            (t, p, l) = (s.tables, s.pattern, layer)
        } else if layer >= joint {
            guard let o = otherRows else { return nil }
            (t, p, l) = (o.tables, o.pattern, layer - joint)
        } else {
            (t, p, l) = (tables, pattern, dimensions.count + layer)
        }
        let cell = t.cell(class: 0, layer: l, area: area)
        return p.isWithheld(cell) ? nil : t.values[cell]
    }

    /// The other rows of `all` by ethnicity (``StopSearchDisparity/otherTables``) and what the policy withholds of them.
    var otherRows: (tables: LinkedCounts, pattern: DisclosurePattern)?

    /// `tables/stop-search-disparity.csv`, nil without residents by ethnicity.
    func disparityRows() -> [[String]]? { disparity?.rows(from: from, to: to, count: published) }

    /// Searches per 1,000 residents in the period, nil without a population.
    var rate: Double? { population.flatMap { $0 > 0 ? 1000 * Double(total) / Double($0) : nil } }

    /// Columns of `tables/stop-search.csv`.
    static let header = ["breakdown", "category", "count", "share_percent", "rate_per_1000_residents", "period_from", "period_to"]

    /// `tables/stop-search.csv`: all searches, then every category of every breakdown (`~` withheld).
    func rows() -> [[String]] {
        var rows = [Self.header, ["all", "All searches", String(total), total > 0 ? "100.0" : AssessMarker.notAvailable, AssessFormat.fixed(rate, 2), from, to]]
        for (d, dim) in dimensions.enumerated() {
            for (c, cat) in dim.categories.enumerated() {
                let n = count(d, c)
                rows.append([dim.column, cat, n.map(String.init) ?? AssessMarker.suppressed,
                             n.map { total > 0 ? AssessFormat.fixed(100 * Double($0) / Double(total), 1) : AssessMarker.notAvailable } ?? AssessMarker.suppressed,
                             AssessMarker.notAvailable, from, to])
            }
        }
        return rows
    }

    /// `tables/stop-search-months.csv`: the monthly series (`*` for a month with no export).
    func monthRows() -> [[String]] {
        var rows = [["month", "searches"]]
        guard let first = assessment.firstMonth else { return rows }
        for (i, n) in assessment.series.enumerated() {
            rows.append([Month(index: first.index + i).text, assessment.seriesGaps.contains(i) ? AssessMarker.notAvailable : String(n)])
        }
        return rows
    }

    /// Share (per cent) of the period's searches whose outcome was linked to the object of search; nil when withheld.
    var linkedShare: Double? {
        guard total > 0, let d = dimensions.firstIndex(where: { $0.column == "outcome_linked" }) else { return nil }
        guard let c = dimensions[d].categories.firstIndex(of: Self.label("outcome_linked", "1")) else { return 0 }
        return count(d, c).map { 100 * Double($0) / Double(total) }
    }

    /// The value of `stop_and_search` in assessment.json.
    func json() -> [String: Any] {
        var volumes: [String: Any] = [:]
        for (k, v) in assessment.volumes { volumes[k] = v }
        var breakdowns: [String: Any] = [:]
        for (d, dim) in dimensions.enumerated() {
            breakdowns[dim.column] = dim.categories.enumerated().map { c, cat -> [String: Any] in
                let n = count(d, c)
                return ["category": cat, "count": n.map { $0 as Any } ?? AssessMarker.suppressed,
                        "share_percent": n.map { AssessJSON.round(total > 0 ? 100 * Double($0) / Double(total) : nil, 1) } ?? AssessMarker.suppressed]
            }
        }
        var out: [String: Any] = ["from": from, "to": to, "searches": total, "volumes": volumes, "trend": assessment.trendPhrase,
                                  "rate_per_1000_residents": AssessJSON.round(rate, 2), "linked_share_percent": AssessJSON.round(linkedShare, 1),
                                  "breakdowns": breakdowns]
        if let c = assessment.performance12 { out["performance_12_months"] = AssessJSON.change(c) }
        if let f = assessment.trend?.fit { out["trend_annual_change_percent"] = AssessJSON.round(100 * f.annualChange, 1) }
        return out
    }
}
