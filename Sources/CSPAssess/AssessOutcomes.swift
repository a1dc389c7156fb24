import CSPCore
import CSPSchema
import CSPStorage
import Foundation

/// Outcomes of crimes as a performance measure: for each crime theme, how its crimes of the `twelve_months` period
/// stand at the end of that period, by outcome group (charge/summons, caution or other out-of-court disposal,
/// investigation complete with no suspect identified, unable to prosecute, other, no outcome yet).
///
/// Source: the data.police.uk outcomes files (warehouse table `outcomes`), joined to `crimes` on `crime_ref` (the
/// Crime ID). A crime's latest outcome is its outcome of the latest month up to the period's end; when a crime has
/// several outcomes in that month (several suspects), the one of the highest precedence in the `outcome_groups`
/// reference file counts (a charge before a caution, before unable to prosecute, before the others), then the
/// later in file order. A crime with no outcome by then counts as "no outcome yet"; an outcome text the reference
/// file does not name counts as "other" and is logged. The street files' `last_outcome` column is not used: it is
/// the status when the archive was downloaded, undated, and it never says "charged" (a charged crime shows the
/// court stage: "Awaiting court outcome", "Court result unavailable"), so a charge rate cannot be read from it.
/// A Crime ID that data.police.uk gave to several different records (`crimes.crime_ref_collision`) counts each of
/// those crimes once, and each of its outcome rows for one of them only: the crime at the outcome's point, else the
/// one whose street-file last outcome names it, else the first (`AssessWarehouse.attributeShared`).
/// Themes of another dataset than `crimes` (anti-social behaviour: incidents have no Crime ID) are not applicable.
/// Every count goes through the ``DisclosurePolicy``: a theme's groups are one table whose total (the theme's
/// twelve-month volume) is published, linked across themes that share crimes.
struct AssessOutcomes {
    /// An outcome group, in table order.
    struct Group: Equatable {
        let id: String
        let name: String
    }

    /// The `outcome_groups` reference file: group and precedence (lower wins) of each outcome text.
    struct Mapping {
        let groups: [Group]
        let groupOf: [String: Int]
        let precedence: [String: Int]
        /// Index of the group of crimes with no outcome (`no_outcome_yet`) and of unnamed texts (`other`).
        let noOutcome: Int
        let other: Int

        /// Ids of the group of crimes with no outcome and of outcome texts the file does not name.
        static let noOutcomeID = "no_outcome_yet"
        static let otherID = "other"

        /// Reads rows with `outcome`, `group_id`, `group`, `precedence`; groups keep their order of first appearance,
        /// and `other` and `no_outcome_yet` are added at the end when the file does not name them.
        init(rows: [[String: String]], file: String = "outcome_groups") throws {
            var groups: [Group] = []
            var groupOf: [String: Int] = [:], precedence: [String: Int] = [:]
            for (i, r) in rows.enumerated() {
                guard let text = r["outcome"], !text.isEmpty, let id = r["group_id"], !id.isEmpty, let name = r["group"],
                      let p = Int(r["precedence"] ?? "") else {
                    throw StageError.configuration("\(file) row \(i + 2): every row needs outcome, group_id, group and an integer precedence")
                }
                let g: Int
                if let k = groups.firstIndex(where: { $0.id == id }) { g = k } else {
                    g = groups.count
                    groups.append(Group(id: id, name: name))
                }
                groupOf[text] = g
                precedence[text] = p
            }
            if !groups.contains(where: { $0.id == Self.otherID }) { groups.append(Group(id: Self.otherID, name: "Other")) }
            if !groups.contains(where: { $0.id == Self.noOutcomeID }) { groups.append(Group(id: Self.noOutcomeID, name: "No outcome yet")) }
            self.groups = groups
            self.groupOf = groupOf
            self.precedence = precedence
            other = groups.firstIndex { $0.id == Self.otherID }!
            noOutcome = groups.firstIndex { $0.id == Self.noOutcomeID }!
        }

        /// The group of a crime's latest outcome among `outcomes` (in file order), `noOutcome` when there is none.
        func latestGroup(_ outcomes: [(month: String, outcome: String)]) -> Int {
            var best: (month: String, precedence: Int, index: Int)? = nil
            for (i, o) in outcomes.enumerated() {
                let p = precedence[o.outcome] ?? Int.max
                if let b = best, o.month < b.month || (o.month == b.month && p > b.precedence) { continue }
                best = (o.month, p, i)
            }
            guard let best else { return noOutcome }
            return groupOf[outcomes[best.index].outcome] ?? other
        }
    }

    /// The outcome groups of the `outcome_groups` reference file.
    let mapping: Mapping
    /// The themes of the assessment, in order; `crimeThemes` indexes the ones of dataset `crimes`.
    let themes: [ThemeDefinition]
    let crimeThemes: [Int]
    /// `counts[k][g]`: crimes of crime theme `k` whose latest outcome is in group `g`.
    let counts: [[Int]]
    /// The counts as linked tables (class = crime theme, one layer whose areas are the groups) and what is withheld.
    let tables: LinkedCounts
    let pattern: DisclosurePattern
    /// Outcome texts the mapping does not name (counted as other).
    let unmapped: Set<String>
    /// The period the crimes were committed in.
    let from: String
    /// The period's last month: outcomes recorded later are not counted.
    let to: String

    /// Reads the crimes of `from`…`to` of every theme of dataset `crimes` with their outcomes and applies `policy`.
    init(themes: [ThemeDefinition], mapping: Mapping, warehouse: AssessWarehouse, from: String, to: String, policy: DisclosurePolicy) throws {
        self.mapping = mapping
        self.themes = themes
        self.from = from
        self.to = to
        crimeThemes = themes.indices.filter { themes[$0].dataset == "crimes" }
        let crimes = try warehouse.crimeOutcomes(themes: crimeThemes.map { themes[$0] }, from: from, to: to)
        var counts = [[Int]](repeating: [Int](repeating: 0, count: mapping.groups.count), count: crimeThemes.count)
        var grouped: [[Int]: [Int: Int]] = [:]
        var unmapped: Set<String> = []
        for c in crimes {
            let g = mapping.latestGroup(c.outcomes)
            for o in c.outcomes where mapping.groupOf[o.outcome] == nil { unmapped.insert(o.outcome) }
            for k in c.themes { counts[k][g] += 1 }
            grouped[c.themes, default: [:]][g, default: 0] += 1
        }
        self.counts = counts
        self.unmapped = unmapped
        let records = grouped.sorted { $0.key.lexicographicallyPrecedes($1.key) }.flatMap { sig, byGroup in
            byGroup.sorted { $0.key < $1.key }.map { (classes: sig, areas: [$0.key], count: $0.value) }
        }
        tables = LinkedCounts(classCount: crimeThemes.count, layerSizes: [mapping.groups.count], records: records)
        pattern = policy.protect(tables)
    }

    /// Crimes of crime theme `k` in the period (the theme's twelve-month volume).
    func total(_ k: Int) -> Int { counts[k].reduce(0, +) }

    /// Whether the count of crime theme `k`, group `g` is withheld.
    func isWithheld(_ k: Int, _ g: Int) -> Bool { pattern.isWithheld(tables.cell(class: k, layer: 0, area: g)) }

    /// The published count and share (per cent of the theme's crimes, one decimal) of a cell; nil when withheld.
    func published(_ k: Int, _ g: Int) -> (count: Int, share: Double?)? {
        guard !isWithheld(k, g) else { return nil }
        let n = total(k)
        return (counts[k][g], n > 0 ? 100 * Double(counts[k][g]) / Double(n) : nil)
    }

    /// Columns of `tables/outcomes.csv`.
    static let header = ["theme_id", "theme", "outcome_group", "outcome_group_name", "count", "share_percent", "theme_crimes", "period_from", "period_to"]
    /// The outcome group of a theme whose records have no Crime ID.
    static let notApplicable = "not applicable"

    /// `tables/outcomes.csv`: one row per crime theme and group; a theme of another dataset has one row, not applicable.
    func rows() -> [[String]] {
        var rows = [Self.header]
        for (i, t) in themes.enumerated() {
            guard let k = crimeThemes.firstIndex(of: i) else {
                rows.append([t.id, t.name, Self.notApplicable, "Not applicable (\(t.dataset) has no Crime ID to link outcomes to)",
                             AssessMarker.notAvailable, AssessMarker.notAvailable, AssessMarker.notAvailable, from, to])
                continue
            }
            for (g, group) in mapping.groups.enumerated() {
                let cell = published(k, g)
                rows.append([t.id, t.name, group.id, group.name, cell.map { String($0.count) } ?? AssessMarker.suppressed,
                             cell.map { AssessFormat.fixed($0.share, 1) } ?? AssessMarker.suppressed, String(total(k)), from, to])
            }
        }
        return rows
    }

    /// Per theme, the value of `outcomes` in assessment.json: "not applicable", or the period, crimes and per group
    /// `count` and `share_percent` (the string `~` when withheld).
    func json(themeIndex i: Int) -> Any {
        guard let k = crimeThemes.firstIndex(of: i) else { return Self.notApplicable }
        var groups: [[String: Any]] = []
        for (g, group) in mapping.groups.enumerated() {
            let cell = published(k, g)
            groups.append(["group": group.id, "name": group.name, "count": cell.map { $0.count as Any } ?? AssessMarker.suppressed,
                           "share_percent": cell.map { AssessJSON.round($0.share, 1) } ?? AssessMarker.suppressed])
        }
        return ["from": from, "to": to, "crimes": total(k), "groups": groups]
    }

    /// The words of a theme's profile row: each group's share, `~` when withheld.
    func phrase(themeIndex i: Int) -> String {
        guard let k = crimeThemes.firstIndex(of: i) else { return "Not applicable (no Crime ID)" }
        return mapping.groups.indices.map { g in
            "\(mapping.groups[g].name) " + (published(k, g).map { AssessFormat.fixed($0.share, 1) + "%" } ?? AssessMarker.suppressed)
        }.joined(separator: "; ") + " (of \(total(k)) crimes)"
    }
}
