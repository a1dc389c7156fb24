import CSPSchema
import CSPStorage
/// One theme's hotspot layer as published: each area's row, with everything computed from a withheld count shown as
/// `~`, and the lists and map shading made from the published rows only (so that no list ranks a withheld count).
/// A count published as a band (a large complement, ``DisclosurePolicy/coarsenFrom``) shows the band as its count
/// and the band's rates as its rate; everything else of its row is `~`, and lists and map shading leave it out as
/// they do a withheld count (a band does not rank).
struct DisclosedLayer: Equatable {
    /// One area as published.
    struct Row: Equatable {
        let code: String
        let name: String
        /// Whether the area's count is not published exactly: withheld, or published as a band.
        let withheld: Bool
        /// The published count; nil when withheld or published as a band.
        let count: Int?
        /// The published rate per 1,000; nil when withheld, published as a band, or without residents.
        let rate: Double?
        /// Published as a hotspot.
        let isHotspot: Bool
        /// count, population, rate_per_1000, expected, basis, p_value, adjusted_p, hotspot, as printed.
        let cells: [String]
        /// The band the count is published as; nil when published exactly or withheld.
        var band: ClosedRange<Int>? = nil
        /// The rates per 1,000 of the band's ends; nil without a band or without residents.
        var rateBand: ClosedRange<Double>? = nil

        /// Whether two rows print the same but for the adjusted p-value.
        func sameExceptAdjusted(_ other: Row) -> Bool {
            withheld == other.withheld && isHotspot == other.isHotspot && cells.indices.allSatisfy { $0 == 6 || cells[$0] == other.cells[$0] }
        }
    }

    /// Every area, in the layer's order.
    let rows: [Row]
    /// Whether any area was tested (had residents or a size): otherwise the layer's hotspot lists are `*`.
    let tested: Bool

    /// How many areas the top lists name at most (as ``Hotspots/Settings/topN``).
    static let topN = 5

    /// The rows of `hotspots` (whose areas are `areas`, in order) with `withheld` areas withheld and the adjusted
    /// p-values of `adjustedWithheld` areas withheld, and the withheld areas with a band in `bands` published as that
    /// band; with `only`, the one row of that area (`areas` and `withheld` then hold that area alone).
    init(areas: [(code: String, name: String)], hotspots: Hotspots, withheld: [Bool], adjustedWithheld: [Bool] = [],
         bands: [ClosedRange<Int>?] = [], only: Int? = nil) {
        let results = only.map { [hotspots.areas[$0]] } ?? hotspots.areas
        rows = zip(areas, results).enumerated().map { i, pair in
            let (area, r) = pair
            let w = AssessMarker.suppressed
            let population = r.population.map(String.init) ?? AssessMarker.notAvailable
            if withheld[i], i < bands.count, let band = bands[i] {
                let rates = r.population.flatMap { p in p > 0 ? (1000 * Double(band.lowerBound) / Double(p))...(1000 * Double(band.upperBound) / Double(p)) : nil }
                return Row(code: area.code, name: area.name, withheld: true, count: nil, rate: nil, isHotspot: false,
                           cells: [AssessFormat.band(band), population, rates.map { AssessFormat.band($0, 2) } ?? AssessMarker.notAvailable, w, r.basis.rawValue, w, w, w],
                           band: band, rateBand: rates)
            }
            if withheld[i] {
                return Row(code: area.code, name: area.name, withheld: true, count: nil, rate: nil, isHotspot: false,
                           cells: [w, population, w, w, r.basis.rawValue, w, w, w])
            }
            return Row(code: area.code, name: area.name, withheld: false, count: r.count, rate: r.ratePer1000, isHotspot: r.isHotspot,
                       cells: [String(r.count), population, AssessFormat.fixed(r.ratePer1000, 2), AssessFormat.fixed(r.expected, 2),
                               r.basis.rawValue, AssessFormat.pvalue(r.pValue),
                               i < adjustedWithheld.count && adjustedWithheld[i] ? w : AssessFormat.pvalue(r.adjustedPValue),
                               r.basis == .untested ? AssessMarker.notAvailable : (r.isHotspot ? "yes" : "no")])
        }
        tested = hotspots.areas.contains { $0.basis != .untested }
    }

    /// Published rows, largest count first (ties by name).
    var byCount: [Row] {
        rows.filter { !$0.withheld }.sorted { $0.count! != $1.count! ? $0.count! > $1.count! : $0.name < $1.name }
    }

    /// Names of the published hotspots, largest count first.
    var hotspots: [String] { byCount.filter(\.isHotspot).map(\.name) }

    /// Names of the published areas with the largest counts (at most ``topN``).
    var topByCount: [String] { byCount.prefix(Self.topN).map(\.name) }

    /// The first `n` of ``topByCount`` that have at least one event.
    func topWithEvents(_ n: Int) -> [String] { byCount.prefix(n).filter { $0.count! > 0 }.map(\.name) }

    /// The row of an area by name or code.
    func row(_ nameOrCode: String) -> Row? { rows.first { $0.name == nameOrCode } ?? rows.first { $0.code == nameOrCode } }
}
