import CSPTestSupport
import Foundation
import Testing
@testable import CSPAssess

/// Helpers: what a pattern publishes, the attack on it, and the check of its protections.
enum DisclosureCheck {
    /// Records of a class.
    static func classTotal(_ t: LinkedCounts, _ c: Int) -> Int {
        t.signatures.indices.filter { t.signatures[$0].contains(c) }.reduce(0) { $0 + t.counts[$1].reduce(0, +) }
    }

    /// Whether a layer's total is published for a class: when any of its cells is (as in the assessment, where one
    /// published expected count gives the layer's total).
    static func totalPublished(_ t: LinkedCounts, _ withheld: (Int) -> Bool, _ c: Int, _ l: Int) -> Bool {
        (0..<t.layerSizes[l]).contains { !withheld(t.cell(class: c, layer: l, area: $0)) }
    }

    /// Protects tables that publish their non-withheld cells, each class's total and the layer totals of
    /// ``totalPublished(_:_:_:_:)``; with `coarsen`, complements of ``DisclosurePolicy/coarsenFrom`` or more are
    /// published as a band.
    static func protect(_ t: LinkedCounts, _ policy: DisclosurePolicy = DisclosurePolicy(), coarsen: Bool = false) -> DisclosurePattern {
        let values = t.values
        return policy.protect(t, disturbed: { changed, withheld in
            var layerChange: [[Int]: Int] = [:]
            for (cell, v) in changed {
                let (c, l, _) = t.position(of: cell)
                layerChange[[c, l], default: 0] += v - values[cell]
            }
            // A changed total that is published: every published cell of the layer gives it.
            return layerChange.filter { $0.value != 0 }.keys.sorted { $0.lexicographicallyPrecedes($1) }.flatMap { key in
                (0..<t.layerSizes[key[1]]).map { t.cell(class: key[0], layer: key[1], area: $0) }.filter { !withheld[$0] }
            }
        }, coarsenFrom: coarsen ? policy.coarsenFrom : nil)
    }

    /// The attack on tables that publish their non-withheld cells, each class's total and the layer totals of
    /// ``totalPublished(_:_:_:_:)`` (what the assessment's volumes and expected counts give). Returns each withheld
    /// cell's interval.
    static func attack(_ t: LinkedCounts, _ pattern: DisclosurePattern) -> (intervals: [Int: ClosedRange<Int>], consistent: Bool) {
        var m = AttackModel(classCount: t.classCount, layerSizes: t.layerSizes, signatures: t.signatures, places: t.places)
        let values = t.values
        for cell in 0..<t.cellCount where !pattern.isWithheld(cell) {
            let (c, l, a) = t.position(of: cell)
            m.solver.fix(m.cell(c, l, a), values[cell])
        }
        for c in 0..<t.classCount {
            m.solver.fix(m.totals[c], classTotal(t, c))
            for l in t.layerSizes.indices where totalPublished(t, pattern.isWithheld, c, l) {
                m.solver.fix(m.layerTotals[c][l], (0..<t.layerSizes[l]).reduce(0) { $0 + values[t.cell(class: c, layer: l, area: $1)] })
            }
        }
        m.solver.propagate()
        var out: [Int: ClosedRange<Int>] = [:]
        for cell in 0..<t.cellCount where pattern.isWithheld(cell) {
            let (c, l, a) = t.position(of: cell)
            out[cell] = m.interval(m.cell(c, l, a))
        }
        return (out, m.solver.consistent)
    }

    /// Problems with the pattern's protections: a move that takes a record that is not there, a published cell or
    /// total that changes, or a withheld cell whose alternatives are less than the policy's protection apart.
    static func protectionFaults(_ t: LinkedCounts, _ pattern: DisclosurePattern, protection: Int = 3) -> [String] {
        let values = t.values
        var faults: [String] = []
        for cell in 0..<t.cellCount where pattern.isWithheld(cell) {
            guard let p = pattern.protections[cell] else { faults.append("cell \(cell) has no protection"); continue }
            if p.width < min(protection, classTotal(t, t.position(of: cell).class)) { faults.append("cell \(cell): alternatives \(p.low) and \(p.high)") }
            for (moves, expected) in [(p.lowMoves, p.low), (p.highMoves, p.high)] {
                guard let n = t.applying(moves) else { faults.append("cell \(cell): a move takes a record that is not there"); continue }
                let v = t.values(n)
                if v[cell] != expected { faults.append("cell \(cell): \(v[cell]) after the moves, not \(expected)") }
                if let changed = v.indices.first(where: { v[$0] != values[$0] && !pattern.isWithheld($0) }) {
                    faults.append("cell \(cell): its alternative changes published cell \(changed)")
                }
                for c in 0..<t.classCount {
                    for l in t.layerSizes.indices where totalPublished(t, pattern.isWithheld, c, l) {
                        let total = { (v: [Int]) in (0..<t.layerSizes[l]).reduce(0) { $0 + v[t.cell(class: c, layer: l, area: $1)] } }
                        if total(v) != total(values) { faults.append("cell \(cell): its alternative changes a published layer total") }
                    }
                }
            }
        }
        return faults
    }

    /// Random linked tables: records of a few offence categories, some flagged (domestic), with classes for each
    /// category, a union of two categories, the flag, and flagged records of the first category; in fine areas nested
    /// in coarse areas (one fine area split between two coarse ones) and, for some, in a place inside a fine area.
    static func generated(seed: UInt64) -> LinkedCounts {
        var rng = SplitMix64(seed: seed)
        let categories = Int.random(in: 2...4, using: &rng)
        let coarse = Int.random(in: 2...5, using: &rng)
        let fine = coarse + Int.random(in: 1...6, using: &rng)
        let placeCount = Int.random(in: 0...3, using: &rng)
        // Fine area f lies in coarse area parent[f]; the last fine area also reaches into coarse area 0.
        let parent = (0..<fine).map { $0 < coarse ? $0 : Int.random(in: 0..<coarse, using: &rng) }
        let placeIn = (0..<placeCount).map { _ in Int.random(in: 0..<fine, using: &rng) }
        let classCount = categories + 3
        var records: [(classes: [Int], areas: [Int], count: Int)] = []
        let density = Double.random(in: 0.2...0.9, using: &rng)
        for k in 0..<categories {
            for flag in [false, true] {
                for f in 0..<fine {
                    for c in Set([parent[f], f == fine - 1 ? 0 : parent[f]]).sorted() {
                        for place in [-1] + placeIn.indices.filter({ placeIn[$0] == f }) {
                            guard Double.random(in: 0..<1, using: &rng) < density * (flag ? 0.4 : 1) else { continue }
                            let count = Double.random(in: 0..<1, using: &rng) < 0.5 ? Int.random(in: 1...4, using: &rng) : Int.random(in: 1...30, using: &rng)
                            var classes = [k]
                            if k < 2 { classes.append(categories) }
                            if flag { classes.append(categories + 1) }
                            if flag && k == 0 { classes.append(categories + 2) }
                            records.append((classes, [c, f, place], count))
                        }
                    }
                }
            }
        }
        return LinkedCounts(classCount: classCount, layerSizes: [coarse, fine, placeCount], records: records)
    }
}

@Suite struct DisclosurePolicyTests {
    @Test func aLoneSmallCellGetsAComplementAndBothAreProtected() throws {
        // One class, one layer of four areas, total published: 3 alone would be the total minus the rest.
        let t = LinkedCounts(classCount: 1, layerSizes: [4], records: [([0], [0], 3), ([0], [1], 12), ([0], [2], 20), ([0], [3], 9)])
        let p = DisclosureCheck.protect(t)
        #expect(p.reasons == [.primary, nil, nil, .secondary], "the smallest other cell, 9, is the complement")
        #expect(DisclosureCheck.protectionFaults(t, p).isEmpty)
        let (intervals, consistent) = DisclosureCheck.attack(t, p)
        #expect(consistent)
        #expect(intervals[0] == 0...12 && intervals[3] == 0...12)
    }

    @Test func aLargeForcedComplementIsPublishedAsABand() throws {
        // Ward 0 = LSOA 0 (2) + LSOA 1 (89), ward 1 = LSOA 2 (50): as ward E05014409's shoplifting on the real archive,
        // the 2 is protected only by the 89 or by both wards. Coarsened, the 89 is published as 80 to 99.
        let t = LinkedCounts(classCount: 1, layerSizes: [2, 3], records: [([0], [0, 0], 2), ([0], [0, 1], 89), ([0], [1, 2], 50)])
        let small = t.cell(class: 0, layer: 1, area: 0), large = t.cell(class: 0, layer: 1, area: 1)
        #expect(DisclosureCheck.protect(t).reasons[large] == .secondary, "without coarsening the 89 is withheld")
        let p = DisclosureCheck.protect(t, coarsen: true)
        #expect(p.reasons[small] == .primary && p.reasons[large] == .coarsened)
        #expect(p.bands == [large: 80...99] && p.largestComplement(t.values) == 0 && p.unprotected.isEmpty)
        #expect((0..<t.cellCount).allSatisfy { $0 == small || $0 == large || !p.isWithheld($0) }, "nothing else is withheld")
        // The 2's alternatives are 3 apart, change nothing published and keep the 89 inside its band.
        let protection = try #require(p.protections[small])
        #expect(protection.width >= 3)
        for moves in [protection.lowMoves, protection.highMoves] {
            let v = t.values(try #require(t.applying(moves)))
            #expect(p.bands[large]!.contains(v[large]))
            #expect((0..<t.cellCount).allSatisfy { $0 == small || $0 == large || v[$0] == t.values[$0] })
        }
        // The attack, knowing the band, the wards, the layer totals and the class total, leaves the 2 between 0 and 11.
        var m = AttackModel(classCount: 1, layerSizes: t.layerSizes, signatures: t.signatures, places: t.places)
        for cell in 0..<t.cellCount where !p.isWithheld(cell) {
            let (c, l, a) = t.position(of: cell)
            m.solver.fix(m.cell(c, l, a), t.values[cell])
        }
        m.solver.fix(m.totals[0], 141)
        m.solver.bound(m.cell(0, 1, 1), lower: 80, upper: 99)
        m.solver.propagate()
        #expect(m.solver.consistent && m.interval(m.cell(0, 1, 0)) == 0...11)
    }

    @Test func aRowPublishedAsABandShowsItsBandAndItsRatesAndRanksNowhere() throws {
        let h = Hotspots(areas: [Hotspots.Area(name: "A", count: 89, population: 2000), Hotspots.Area(name: "B", count: 2, population: 1500),
                                 Hotspots.Area(name: "C", count: 30, population: 1000)])
        let layer = DisclosedLayer(areas: [("E1", "A"), ("E2", "B"), ("E3", "C")], hotspots: h, withheld: [true, true, false], bands: [80...99, nil, nil])
        #expect(layer.rows[0].cells == ["80 to 99", "2000", "40.00 to 49.50", "~", layer.rows[0].cells[4], "~", "~", "~"])
        #expect(layer.rows[0].band == 80...99 && layer.rows[0].count == nil && layer.rows[0].withheld)
        #expect(layer.rows[1].cells[0] == "~" && layer.rows[1].band == nil)
        #expect(layer.byCount.map(\.name) == ["C"] && layer.topByCount == ["C"], "a band and a withheld count rank nowhere")
        let map = AssessWardMap(layer: "ward", wards: [AssessWardMap.Ward(code: "E1", name: "A", path: "M0 0", label: (x: 0, y: 0))], width: 10, height: 10)
        let svg = map.svg(layer)
        #expect(svg.contains("fill=\"#ddd\"") && svg.contains("<title>A: 40.0 to 49.5 per 1,000</title>") && svg.contains("withheld, a band or no rate"),
                "a band is grey on the map, its tooltip the band of rates")
    }

    @Test func bandsAreWholeTensHoldingTheCountAndTheProtectionEitherWay() {
        let policy = DisclosurePolicy()
        #expect(policy.band(89) == 80...99 && policy.band(36) == 30...39 && policy.band(20) == 10...29 && policy.band(91) == 80...99)
        for n in 20...300 {
            let b = policy.band(n)
            #expect(b.contains(n - policy.protection) && b.contains(n + policy.protection) && b.lowerBound % 10 == 0 && b.count % 10 == 0 && b.count <= 20)
        }
    }

    @Test func aWardMadeOfOldWardsDoesNotGiveTheOldWardBack() throws {
        // Dunstable Downs (2009 ward 0) = Chiltern 6 + Dunstable Central 59 + Manshead 1 (2008 wards 0-2); ward 1 = old ward 3.
        let t = LinkedCounts(classCount: 1, layerSizes: [2, 4], records: [([0], [0, 0], 6), ([0], [0, 1], 59), ([0], [0, 2], 1), ([0], [1, 3], 40)])
        let p = DisclosureCheck.protect(t)
        #expect(p.isWithheld(t.cell(class: 0, layer: 1, area: 2)))
        #expect(p.isWithheld(t.cell(class: 0, layer: 1, area: 0)), "Chiltern, the smallest old ward beside it, is withheld too")
        #expect(!p.isWithheld(t.cell(class: 0, layer: 0, area: 0)), "the 2009 ward stays published")
        #expect(DisclosureCheck.protectionFaults(t, p).isEmpty)
        let (intervals, _) = DisclosureCheck.attack(t, p)
        #expect(intervals.values.allSatisfy { $0.count > 3 })
    }

    @Test func aThemeInsideAThemeIsProtectedBySwappingRecords() throws {
        // Burglary (class 0) contains domestic burglary (class 1). Area 0 has one domestic burglary among 9 burglaries.
        let t = LinkedCounts(classCount: 2, layerSizes: [3], records: [
            ([0, 1], [0], 1), ([0], [0], 8), ([0, 1], [1], 7), ([0], [1], 9), ([0, 1], [2], 12), ([0], [2], 2),
        ])
        let p = DisclosureCheck.protect(t)
        // Burglary 9, 16, 14 stays published; domestic burglary 1 and its complement 7 are withheld.
        #expect((0..<3).allSatisfy { !p.isWithheld(t.cell(class: 0, layer: 0, area: $0)) })
        #expect(p.isWithheld(t.cell(class: 1, layer: 0, area: 0)) && p.isWithheld(t.cell(class: 1, layer: 0, area: 1)))
        #expect(DisclosureCheck.protectionFaults(t, p).isEmpty)
        #expect(DisclosureCheck.attack(t, p).intervals.values.allSatisfy { $0.count > 3 })
    }

    /// The attack has teeth: with the small cells withheld alone, it gives counts back by differencing layers, nested
    /// areas and themes, as it did on the assessment's tables before the policy.
    @Test func primarySuppressionAloneGivesCountsBack() throws {
        let dunstable = LinkedCounts(classCount: 1, layerSizes: [2, 4], records: [([0], [0, 0], 6), ([0], [0, 1], 59), ([0], [0, 2], 1), ([0], [1, 3], 40)])
        let primaryOnly = { (t: LinkedCounts) in
            DisclosurePattern(reasons: t.values.map { DisclosurePolicy().isSmall($0) ? .primary : nil }, protections: [:], unprotected: [])
        }
        #expect(DisclosureCheck.attack(dunstable, primaryOnly(dunstable)).intervals[dunstable.cell(class: 0, layer: 1, area: 2)] == 1...1,
                "Manshead = Dunstable Downs − Chiltern − Dunstable Central")
        var recovered = 0
        for seed in 0..<20 {
            let t = DisclosureCheck.generated(seed: UInt64(seed) &* 7919 &+ 17)
            recovered += DisclosureCheck.attack(t, primaryOnly(t)).intervals.values.filter { $0.upperBound - $0.lowerBound <= 2 }.count
        }
        #expect(recovered > 20)
        #expect(AssessMarker.suppressed != AssessMarker.notAvailable)
    }

    /// A two-way table with its margins is linked tables too: rows and columns as layers, the inner cells as a third.
    @Test func aTwoWayTableWithMargins() throws {
        let inner = [[3, 12, 20], [15, 30, 8], [9, 11, 25]]
        var records: [(classes: [Int], areas: [Int], count: Int)] = []
        for (r, row) in inner.enumerated() { for (c, n) in row.enumerated() { records.append(([0], [r, c, r * 3 + c], n)) } }
        let t = LinkedCounts(classCount: 1, layerSizes: [3, 3, 9], records: records)
        let p = DisclosureCheck.protect(t)
        #expect(p.isWithheld(t.cell(class: 0, layer: 2, area: 0)))
        // The 3 and the 9 below it, and the totals of their rows: 3 + 9 is the column's 27 − 15, and each can be 0 to 12.
        #expect(t.values.indices.filter { p.isWithheld($0) } == [t.cell(class: 0, layer: 0, area: 0), t.cell(class: 0, layer: 0, area: 2),
                                                                t.cell(class: 0, layer: 2, area: 0), t.cell(class: 0, layer: 2, area: 6)])
        #expect(DisclosureCheck.protectionFaults(t, p).isEmpty)
        #expect(DisclosureCheck.attack(t, p).intervals.values.allSatisfy { $0.upperBound - $0.lowerBound > 2 })
    }

    /// The property: for generated linked tables, the attack recovers no withheld count within ±1 (every interval is
    /// wider than 2), every withheld cell has a valid protection, and the true counts lie in the attack's intervals.
    @Test(arguments: 0..<60) func noGeneratedWithheldCountComesBack(seed: Int) throws {
        let t = DisclosureCheck.generated(seed: UInt64(seed) &* 7919 &+ 17)
        let policy = DisclosurePolicy(threshold: 5)
        let p = DisclosureCheck.protect(t, policy)
        #expect(p.unprotected.isEmpty, "seed \(seed)")
        let faults = DisclosureCheck.protectionFaults(t, p)
        #expect(faults.isEmpty, "seed \(seed): \(faults.prefix(3))")
        let (intervals, consistent) = DisclosureCheck.attack(t, p)
        #expect(consistent, "seed \(seed): the published figures contradict the attack's model")
        let values = t.values
        for (cell, range) in intervals.sorted(by: { $0.key < $1.key }) {
            #expect(range.contains(values[cell]), "seed \(seed): cell \(cell) = \(values[cell]) outside \(range)")
            // A class with fewer than 3 records in all can only be kept between 0 and its total.
            let total = DisclosureCheck.classTotal(t, t.position(of: cell).class)
            #expect(range.upperBound - range.lowerBound > 2 || (total < 3 && range == 0...total),
                    "seed \(seed): cell \(cell) = \(values[cell]) recovered within \(range)")
        }
        for cell in 0..<t.cellCount where policy.isSmall(values[cell]) { #expect(p.isWithheld(cell)) }
    }
}
