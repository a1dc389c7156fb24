import CSPSchema
import Foundation
import Testing
@testable import CSPAssess

/// The statistics of `stop-search-disparity.csv` against values worked by hand, the group rule, and the disclosure of
/// a small group with everything computed from it.
@Suite struct StopSearchDisparityTests {
    /// 30 searches of 1,000 residents against 100 of 20,000: RR = 0.03 / 0.005 = 6; SE of ln RR = sqrt(1/30 + 1/100)
    /// = 0.2081666; z·SE = 1.959964 × 0.2081666 = 0.4080040; exp(0.4080040) = 1.503808; interval 6 / 1.503808 =
    /// 3.98988 to 6 × 1.503808 = 9.02285 (statsmodels' confint_poisson_2indep(..., method="wald-log") gives
    /// 3.989877, 9.022834).
    @Test func rateRatioLogInterval() throws {
        let r = try #require(RateRatio(a: 30, na: 1000, b: 100, nb: 20000))
        #expect(abs(r.ratio - 6) < 1e-12)
        #expect(abs(r.lower - 3.989877) < 1e-5)
        #expect(abs(r.upper - 9.022834) < 1e-5)
        // Equal rates: ratio 1, interval symmetric on the log scale.
        let one = try #require(RateRatio(a: 50, na: 1000, b: 50, nb: 1000))
        #expect(abs(one.ratio - 1) < 1e-12 && abs(one.lower * one.upper - 1) < 1e-12)
        // A zero count has no log interval.
        #expect(RateRatio(a: 0, na: 1000, b: 10, nb: 1000) == nil)
        #expect(RateRatio(a: 10, na: 1000, b: 0, nb: 1000) == nil)
    }

    /// 3 of 10: p = 0.3, z² = 3.841459; centre 0.3 + 3.841459/20 = 0.492073; half-width 1.959964 × sqrt(0.021 +
    /// 3.841459/400) = 0.342865; divided by 1 + 0.3841459: 0.107791 to 0.603222. 0 of 5: 0 to z²/(5 + z²) = 0.434482.
    @Test func wilsonInterval() throws {
        let w = try #require(WilsonInterval(successes: 3, trials: 10))
        #expect(abs(w.proportion - 0.3) < 1e-12)
        #expect(abs(w.lower - 0.107791) < 1e-6)
        #expect(abs(w.upper - 0.603222) < 1e-6)
        let zero = try #require(WilsonInterval(successes: 0, trials: 5))
        #expect(zero.lower == 0 && abs(zero.upper - 0.434482) < 1e-6)
        #expect(WilsonInterval(successes: 1, trials: 0) == nil)
    }

    /// Self-defined, officer-defined and Census labels by their leading word; "Not stated" and blank apart; an unknown
    /// label is no group (an error upstream, never Other).
    @Test(arguments: [
        ("White - English/Welsh/Scottish/Northern Irish/British", EthnicGroup.white), ("Asian/Asian British - Chinese", .asian),
        ("Black/African/Caribbean/Black British - African", .black), ("Mixed/Multiple ethnic groups - White and Asian", .mixed),
        ("Other ethnic group - Arab", .other), ("Other ethnic group - Not stated", .notStated), ("", .blank), ("White", .white),
        ("Asian, Asian British or Asian Welsh", .asian), ("Mixed or Multiple ethnic groups", .mixed), ("Other ethnic group", .other),
        // The 2001 Census categories of older files (City of London Police, 2016).
        ("Not Stated (NS)", .notStated), ("Chinese or other ethnic group - Chinese (O1)", .asian),
        ("Chinese or other ethnic group - Any other ethnic group (O9)", .other), ("Asian or Asian British - Bangladeshi (A3)", .asian),
        ("Black or Black British - African (B2)", .black), ("Self-defined ethnicity", .notStated),
    ])
    func groupRule(label: String, group: EthnicGroup) { #expect(EthnicGroup.of(label) == group) }

    @Test func anUnknownLabelHasNoGroup() { #expect(EthnicGroup.of("Irish Traveller") == nil) }

    /// A partnership with 3 self-defined Black searches (1 linked) among 100: the count is withheld (`~`), and so are its
    /// rate, ratio, interval, linked share, Wilson interval and both not-stated readings; and no published figure of
    /// the table (force rows included, where the same searches count again) lets an attacker pin it.
    @Test func aSmallGroupIsWithheldWithItsDerivatives() throws {
        let residents: [EthnicGroup: Int] = [.asian: 5000, .black: 3000, .mixed: 2000, .white: 100000, .other: 1000]
        let areas = [StopSearchDisparity.Area(kind: "partnership", code: "P1", name: "Partnership", slug: "", residents: residents),
                     StopSearchDisparity.Area(kind: "force", code: "F1", name: "Force", slug: "force", residents: residents.mapValues { $0 * 3 })]
        func s(_ inside: Bool, _ g: EthnicGroup, _ linked: Bool, _ n: Int) -> StopSearchDisparity.Search {
            StopSearchDisparity.Search(breakdown: [], inPartnership: inside, selfGroup: g, officerGroup: g == .notStated ? .blank : g,
                                       section60: false, linked: linked, count: n)
        }
        let searches = [
            s(true, .white, true, 10), s(true, .white, false, 40), s(true, .asian, true, 5), s(true, .asian, false, 15),
            s(true, .black, true, 1), s(true, .black, false, 2), s(true, .mixed, false, 8), s(true, .other, true, 6),
            s(true, .notStated, false, 7), s(true, .blank, true, 6),
            s(false, .white, true, 30), s(false, .white, false, 70), s(false, .asian, true, 12), s(false, .asian, false, 28),
            s(false, .black, true, 9), s(false, .black, false, 21), s(false, .mixed, true, 5), s(false, .mixed, false, 5),
            s(false, .other, false, 10), s(false, .notStated, false, 12), s(false, .blank, false, 8),
        ]
        let d = StopSearchDisparity(areas: areas, searches: searches)
        let tables = LinkedCounts(classCount: 1, layerSizes: [Int](repeating: StopSearchDisparity.groups.count, count: d.layerCount),
                                  records: searches.map { (classes: [0], areas: d.areas(of: $0, .all), count: $0.count) })
        let pattern = DisclosurePolicy().protect(tables)
        #expect(pattern.unprotected.isEmpty)
        let values = tables.values
        func published(_ g: StopSearchDisparity.LegislationGroup, _ l: Int, _ a: Int) -> Int? {
            let c = tables.cell(class: 0, layer: l, area: a)
            return g == .all && !pattern.isWithheld(c) ? values[c] : nil
        }
        let rows = d.rows(from: "2023-05", to: "2024-04", count: published)
        let header = rows[0]
        let black = try #require(rows.first { $0[2] == "partnership" && $0[3] == "all" && $0[4] == "self_defined" && $0[5] == "Black" })
        let cells = Dictionary(uniqueKeysWithValues: zip(header, black))
        for c in ["searches", "rate_per_1000", "ratio_to_white", "ratio_ci_lower", "ratio_ci_upper", "linked_outcome_rate",
                  "linked_ci_lower", "linked_ci_upper", "rate_not_stated_shared", "ratio_not_stated_as_white"] {
            #expect(cells[c] == "~", "\(c): \(cells[c] ?? "")")
        }
        #expect(cells["residents"] == "3000")
        // The White row is published (so the withheld Black count is not simply everything withheld).
        let white = try #require(rows.first { $0[2] == "partnership" && $0[3] == "all" && $0[4] == "self_defined" && $0[5] == "White" })
        #expect(white[6] == "50" && white[8] == "0.50")
        // The attacker: every published count fixed, every relation of the tables (sums of layers, the same searches in
        // the partnership's and the force's rows, self- against officer-defined) propagated.
        var model = AttackModel(classCount: 1, layerSizes: tables.layerSizes, signatures: tables.signatures, places: tables.places)
        for cell in 0..<tables.cellCount where !pattern.isWithheld(cell) {
            let p = tables.position(of: cell)
            model.solver.fix(model.cell(0, p.layer, p.area), values[cell])
        }
        model.solver.propagate()
        #expect(model.solver.consistent)
        for cell in 0..<tables.cellCount where pattern.isWithheld(cell) {
            let p = tables.position(of: cell)
            let range = model.interval(model.cell(0, p.layer, p.area))
            #expect(range.contains(values[cell]) && range.count > 1, "withheld cell layer \(p.layer) area \(p.area) (\(values[cell])) narrowed to \(range)")
        }
    }
}
