import CSPCore
import CSPSchema
import Foundation
import GRDB

/// Stop and search by ethnicity against Census 2021 residents (`tables/stop-search-disparity.csv`): for the
/// twelve-month period, per area (the partnership, the force), legislation group, basis (self- or officer-defined
/// ethnicity) and group, the searches, residents, rate per 1,000 residents, the ratio of the group's rate to the White
/// rate with its 95% interval (``RateRatio``, log method), and the share of searches whose outcome was linked to the
/// object of search with its Wilson interval (``WilsonInterval``).
///
/// - Groups: the five Census groups (``EthnicGroup``: a self-defined category by its leading word, "White - Irish" is
///   White), then "Not stated" (self-defined "Other ethnic group - Not stated") and "Blank" (nothing recorded), which
///   have no residents and so no rate.
/// - Areas: the partnership's searches are the ones stage 3 placed in it (`stop_searches`), against the residents of
///   its LSOAs; the force's are all the searches of its files (`stop_search_force`: in the partnership, elsewhere in
///   the force area and without a location), against the residents of every LSOA of its councils. The force's
///   searches without a location belong to no council; the report gives their share.
/// - Legislation: `all` (every power) and `section_60` (the searches under section 60 of the Criminal Justice and
///   Public Order Act 1994, without suspicion, authorised for an area and time: kept apart because they are a
///   different power, rare here, and a group's figure under it says something else). `section_60` is a subset of `all`.
/// - Not stated, two readings (self-defined and officer-defined alike, "unknown" = Not stated + Blank):
///   `rate_not_stated_shared` is the group's rate with the unknown searches shared among the five groups in proportion
///   to their stated counts (the rate times total / stated); the ratios do not change under that sharing (every group
///   is scaled alike), so the published ratio is both "not stated left out" and "shared in proportion";
///   `ratio_not_stated_as_white` is the ratio if every unknown search were of a White person, the least disparity the
///   data allow.
///
/// Disclosure: every count, and every linked count behind a linked share, is a cell of ``LinkedCounts`` protected by
/// the ``DisclosurePolicy``. The partnership's self-defined groups and their linked counts are layers of the
/// stop-and-search breakdowns' tables (one protection: the breakdowns' self-defined categories add up to these groups,
/// so no withheld category comes back as a group minus the others); the other rows of `all` (``otherTables``: the
/// partnership's officer-defined rows and the force's rows, where a search of the partnership lies in both areas'
/// rows, so force minus partnership is a relation the protection sees) and section 60 (``section60Tables``) are
/// protected apart. A figure is withheld (`~`) when any count it is computed from is.
struct StopSearchDisparity {
    /// The basis of a search's ethnicity.
    enum Basis: String, CaseIterable {
        /// The person's own description.
        case selfDefined = "self_defined"
        /// The officer's.
        case officerDefined = "officer_defined"
    }

    /// The legislation groups, in table order.
    enum LegislationGroup: String, CaseIterable {
        /// Every power.
        case all
        /// Section 60 of the Criminal Justice and Public Order Act 1994 only.
        case section60 = "section_60"

        /// Whether a legislation text is section 60 of the Criminal Justice and Public Order Act 1994.
        static func isSection60(_ legislation: String?) -> Bool { legislation?.contains("(section 60)") == true }
    }

    /// An area of the table and its residents by group.
    struct Area {
        /// `partnership` or `force`.
        let kind: String
        /// The council or CSP code of the partnership, the PFA24 code of the force.
        let code: String
        /// The area's name.
        let name: String
        /// The force's data.police.uk file slug (force rows).
        let slug: String
        /// Residents of each Census group.
        let residents: [EthnicGroup: Int]
    }

    /// One kind of search, with how many.
    struct Search {
        /// Stop-and-search breakdown categories (`StopSearchSummary` layers), -1 for a search outside the partnership.
        var breakdown: [Int]
        /// Whether stage 3 placed the searches in the partnership.
        let inPartnership: Bool
        /// The group of the self-defined ethnicity.
        let selfGroup: EthnicGroup
        /// The group of the officer-defined ethnicity.
        let officerGroup: EthnicGroup
        /// Whether the power was section 60.
        let section60: Bool
        /// Whether the outcome was linked to the object of search.
        let linked: Bool
        /// How many searches.
        let count: Int
    }

    /// The table's groups, in table order.
    static let groups = EthnicGroup.allCases
    /// Layers per legislation group, area, basis: count and linked count.
    static let layersPerArea = Basis.allCases.count * 2

    /// The partnership (index 0) and the force (index 1).
    let areas: [Area]
    /// Searches of the period (the force's, grouped).
    let searches: [Search]
    /// The force's searches of the period without a location.
    let forceWithoutLocation: Int
    /// The force's searches of the period located outside the partnership.
    let forceOutside: Int

    /// The layer of (area, basis, linked) among a legislation group's layers (``areas(of:_:)``'s order).
    func layer(area: Int, basis: Basis, linked: Bool) -> Int {
        (area * Basis.allCases.count + Basis.allCases.firstIndex(of: basis)!) * 2 + (linked ? 1 : 0)
    }

    /// Number of layers of one legislation group.
    var layerCount: Int { areas.count * Self.layersPerArea }
    /// The layers of `all` protected with the stop-and-search breakdowns: the partnership's self-defined groups and
    /// their linked counts (the breakdowns' self-defined categories add up to these groups, and the linked counts to
    /// the breakdowns' "Linked to the object of search").
    static let jointLayers = 2

    /// The areas of a search in the layers of a legislation group (group index or -1), in layer order; all -1 for a
    /// search outside the group.
    func areas(of s: Search, _ g: LegislationGroup) -> [Int] {
        var out: [Int] = []
        let inGroup = g == .all || s.section60
        for a in areas.indices {
            let inArea = a == 1 || s.inPartnership
            for b in Basis.allCases {
                let group = Self.groups.firstIndex(of: b == .selfDefined ? s.selfGroup : s.officerGroup)!
                out.append(inGroup && inArea ? group : -1)
                out.append(inGroup && inArea && s.linked ? group : -1)
            }
        }
        return out
    }

    /// The tables of the layers of `all` after ``jointLayers`` (the partnership's officer-defined groups, the force's
    /// self- and officer-defined groups, each with its linked counts), protected apart from the breakdowns: they share
    /// with them only totals (the partnership's searches and linked searches, published in both) and bounds (a force
    /// count is at least the partnership's). Together with the breakdowns, their many layers leave the records no
    /// moves that change only withheld cells, and the search withholds whole rows of large counts (every force count
    /// on the real archive); apart, the policy withholds what their own small counts need.
    var otherTables: LinkedCounts {
        LinkedCounts(classCount: 1, layerSizes: [Int](repeating: Self.groups.count, count: layerCount - Self.jointLayers),
                     records: searches.map { (classes: [0], areas: Array(areas(of: $0, .all).dropFirst(Self.jointLayers)), count: $0.count) })
    }

    /// The section 60 searches' own tables (one class; per area and basis, a count layer and a linked layer). Section
    /// 60 searches are few (3 in 36 months on the real archive), a subset of `all`: protected among themselves, they
    /// are tied to the `all` rows only by a section 60 count being at most its `all` count.
    var section60Tables: LinkedCounts {
        LinkedCounts(classCount: 1, layerSizes: [Int](repeating: Self.groups.count, count: layerCount),
                     records: searches.filter(\.section60).map { (classes: [0], areas: areas(of: $0, .section60), count: $0.count) })
    }

    /// The group of a recorded ethnicity; a text of no group is an error naming it (never silently Other).
    static func group(_ value: String?, basis: Basis) throws -> EthnicGroup {
        guard let g = EthnicGroup.of(value ?? "") else {
            throw DisparityError.unknownEthnicity(value: value ?? "", basis: basis.rawValue)
        }
        return g
    }

    /// A table of given areas and searches (tests, and the reading initialiser below).
    init(areas: [Area], searches: [Search], forceWithoutLocation: Int = 0, forceOutside: Int = 0) {
        self.areas = areas
        self.searches = searches
        self.forceWithoutLocation = forceWithoutLocation
        self.forceOutside = forceOutside
    }

    /// The searches of a (legislation group, area): the total of its count layers, which the disclosure protection
    /// takes as published (the table's rows add up to it).
    func total(_ g: LegislationGroup, area a: Int) -> Int {
        searches.filter { (g == .all || $0.section60) && (a == 1 || $0.inPartnership) }.reduce(0) { $0 + $1.count }
    }

    /// Reads residents and the force's searches outside the partnership; nil when the warehouse has no
    /// `population_ethnicity` or no `stop_search_force` table (a pipeline without `residents_by_ethnicity`).
    /// `partnership`: the partnership's searches of the period (from `stop_searches`) with their breakdown categories.
    init?(warehouse: AssessWarehouse, from: String, to: String,
          partnership: [(breakdown: [Int], selfDefined: String?, officer: String?, legislation: String?, linked: String?, count: Int)]) throws {
        guard try warehouse.tableExists("population_ethnicity"), try warehouse.tableExists("stop_search_force") else { return nil }
        let rows = try warehouse.queue.read { db in
            try Row.fetchAll(db, sql: "SELECT area_kind, area_code, area_name, COALESCE(force_slug, ''), ethnic_group, residents FROM population_ethnicity")
        }
        var areas: [Area] = []
        for kind in ["partnership", "force"] {
            let own = rows.filter { ($0[0] as String) == kind }
            guard let first = own.first else { return nil }
            var residents: [EthnicGroup: Int] = [:]
            for r in own {
                let label: String = r[4]
                guard let g = EthnicGroup(rawValue: label), g.hasResidents else { throw DisparityError.unknownEthnicity(value: label, basis: "population_ethnicity") }
                residents[g, default: 0] += r[5] as Int
            }
            areas.append(Area(kind: kind, code: first[1], name: first[2], slug: first[3], residents: residents))
        }
        var searches: [Search] = []
        for p in partnership {
            searches.append(Search(breakdown: p.breakdown, inPartnership: true, selfGroup: try Self.group(p.selfDefined, basis: .selfDefined),
                                   officerGroup: try Self.group(p.officer, basis: .officerDefined), section60: LegislationGroup.isSection60(p.legislation),
                                   linked: p.linked == "1" || p.linked == "true", count: p.count))
        }
        let outside = try warehouse.queue.read { db in
            try Row.fetchAll(db, sql: """
                SELECT self_defined_ethnicity, officer_defined_ethnicity, legislation, outcome_linked, placement, SUM(searches)
                FROM stop_search_force WHERE force = ? AND placement <> 'area' AND month BETWEEN ? AND ?
                GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
                """, arguments: [areas[1].slug, from, to])
        }
        var none = 0, elsewhere = 0
        for r in outside {
            let n: Int = r[5]
            let placement: String = r[4]
            if placement == "none" { none += n } else { elsewhere += n }
            let linked: String? = r[3]
            searches.append(Search(breakdown: [], inPartnership: false, selfGroup: try Self.group(r[0], basis: .selfDefined),
                                   officerGroup: try Self.group(r[1], basis: .officerDefined), section60: LegislationGroup.isSection60(r[2]),
                                   linked: linked == "true" || linked == "1", count: n))
        }
        self.init(areas: areas, searches: searches, forceWithoutLocation: none, forceOutside: elsewhere)
    }

    /// Searches of the force in the period, all powers.
    var forceTotal: Int { searches.reduce(0) { $0 + $1.count } }

    /// Columns of `tables/stop-search-disparity.csv`.
    static let header = ["area_code", "area", "area_kind", "legislation_group", "basis", "ethnic_group", "searches", "residents",
                         "rate_per_1000", "ratio_to_white", "ratio_ci_lower", "ratio_ci_upper",
                         "linked_outcome_rate", "linked_ci_lower", "linked_ci_upper",
                         "rate_not_stated_shared", "ratio_not_stated_as_white", "period_from", "period_to"]

    /// The published figures of one row; nil for a withheld value, `*` strings decided by the caller.
    struct Figures {
        /// The searches, nil when withheld.
        var searches: Int?
        /// Searches per 1,000 residents.
        var rate: Double??
        /// The ratio to the White rate with its interval.
        var ratio: RateRatio??
        /// The share of searches whose outcome was linked, with its interval.
        var linked: WilsonInterval??
        /// The rate with the not-stated searches shared in proportion.
        var rateShared: Double??
        /// The ratio if every not-stated search were White.
        var ratioAsWhite: Double??

        /// The rate when published and defined.
        var rateValue: Double? { rate ?? nil }
        /// The ratio when published and defined.
        var ratioValue: RateRatio? { ratio ?? nil }

        /// The table's cells from `rate_per_1000` to `ratio_not_stated_as_white`.
        var cells: [String] {
            let q = ratio.map { $0.map(\.ratio) }, lo = ratio.map { $0.map(\.lower) }, hi = ratio.map { $0.map(\.upper) }
            let p = linked.map { $0.map(\.proportion) }, plo = linked.map { $0.map(\.lower) }, phi = linked.map { $0.map(\.upper) }
            return [StopSearchDisparity.cell(rate, 2), StopSearchDisparity.cell(q, 2), StopSearchDisparity.cell(lo, 2), StopSearchDisparity.cell(hi, 2),
                    StopSearchDisparity.cell(p, 3), StopSearchDisparity.cell(plo, 3), StopSearchDisparity.cell(phi, 3),
                    StopSearchDisparity.cell(rateShared, 2), StopSearchDisparity.cell(ratioAsWhite, 2)]
        }
    }

    /// The figures of a row: `count(layer, group)` gives a published count or nil when withheld. A double optional is
    /// `.none` when withheld and `.some(nil)` when not applicable (`*`).
    func figures(_ g: LegislationGroup, area a: Int, basis: Basis, group: EthnicGroup, count: (LegislationGroup, Int, Int) -> Int?) -> Figures {
        let l = layer(area: a, basis: basis, linked: false), ll = layer(area: a, basis: basis, linked: true)
        func n(_ e: EthnicGroup) -> Int? { count(g, l, Self.groups.firstIndex(of: e)!) }
        var f = Figures()
        let mine = n(group)
        f.searches = mine
        let residents = areas[a].residents[group]
        if let res = residents {
            f.rate = mine.map { res > 0 ? .some(1000 * Double($0) / Double(res)) : .some(nil) } ?? .none
            if let x = mine, let w = n(.white), let rw = areas[a].residents[.white] {
                f.ratio = group == .white ? .some(nil) : .some(RateRatio(a: x, na: res, b: w, nb: rw))
            } else { f.ratio = group == .white ? .some(nil) : .none }
        } else {
            f.rate = .some(nil); f.ratio = .some(nil)
        }
        if let x = mine, let k = count(g, ll, Self.groups.firstIndex(of: group)!) {
            f.linked = .some(WilsonInterval(successes: k, trials: x))
        } else { f.linked = .none }
        // Not stated: unknown = Not stated + Blank, total = the area's searches (the sum of the rows).
        if let res = residents, res > 0 {
            if let x = mine, let ns = n(.notStated), let bl = n(.blank) {
                let total = self.total(g, area: a), stated = total - ns - bl
                f.rateShared = .some(stated > 0 ? 1000 * Double(x) / Double(res) * Double(total) / Double(stated) : nil)
                if group == .white {
                    f.ratioAsWhite = .some(nil)
                } else if let w = n(.white) {
                    let rw = areas[a].residents[.white] ?? 0
                    f.ratioAsWhite = .some(w + ns + bl > 0 && rw > 0 ? (Double(x) / Double(res)) / (Double(w + ns + bl) / Double(rw)) : nil)
                } else {
                    f.ratioAsWhite = .none  // computed from the withheld White count
                }
            } else {
                f.rateShared = .none
                f.ratioAsWhite = group == .white ? .some(nil) : .none
            }
        } else {
            f.rateShared = .some(nil); f.ratioAsWhite = .some(nil)
        }
        return f
    }

    /// A cell: `~` when withheld, `*` when not applicable, else the value to `places` decimals.
    static func cell(_ v: Double??, _ places: Int) -> String {
        switch v {
        case .none: return AssessMarker.suppressed
        case .some(.none): return AssessMarker.notAvailable
        case .some(.some(let x)): return AssessFormat.fixed(x, places)
        }
    }

    /// The table's rows (header first): every legislation group, area, basis and group.
    func rows(from: String, to: String, count: (LegislationGroup, Int, Int) -> Int?) -> [[String]] {
        var out = [Self.header]
        for g in LegislationGroup.allCases {
            for (a, area) in areas.enumerated() {
                for b in Basis.allCases {
                    for e in Self.groups {
                        let f = figures(g, area: a, basis: b, group: e, count: count)
                        let head = [area.code, area.name, area.kind, g.rawValue, b.rawValue, e.rawValue,
                                    f.searches.map(String.init) ?? AssessMarker.suppressed,
                                    area.residents[e].map(String.init) ?? AssessMarker.notAvailable]
                        out.append(head + f.cells + [from, to])
                    }
                }
            }
        }
        return out
    }
}

/// Why `stop-search-disparity.csv` cannot be made.
enum DisparityError: Error, CustomStringConvertible {
    /// A recorded ethnicity (or a residents table's group) that is none of the Census groups, "Not stated" or blank.
    case unknownEthnicity(value: String, basis: String)

    /// A sentence an analyst can act on.
    var description: String {
        switch self {
        case .unknownEthnicity(let value, let basis):
            return "stop and search by ethnicity: the \(basis) value `\(value)` is none of the Census 2021 groups (Asian, Black, Mixed, White, Other by its leading word), "
                + "\"Not stated\" or blank; a new data.police.uk category needs a rule in EthnicGroup before its searches can be counted"
        }
    }
}
