import CSPTestSupport
import CSPCore
import Foundation
import Testing
@testable import CSPAssess

/// LSOA hotspot rows with Getis–Ord Gi*, the LSOA map and named places, on the hand-made 4 x 4 lattice of
/// `Fixtures/tests/assess-lsoa` (four wards of 2 x 2 LSOAs). The Gi* literals are printed by
/// `Tests/Reference/lsoa_lattice_reference.py` (esda, libpysal, statsmodels).
@Suite(.serialized) struct AssessLSOATests {
    static let root = StageTestSupport.repositoryRoot + "/Fixtures/tests/assess-lsoa"

    // code: (z, p, adjusted p, class) of the true counts, banded as hotspots.csv prints them
    static let giStar: [String: [String]] = [
        "L00": ["3.29 or more", "<0.001", "0.001 to 0.01", "hot spot"],  // z 3.7096
        "L01": ["2.58 to 3.29", "0.001 to 0.01", "0.01 to 0.05", "hot spot"],  // z 3.0637
        "L02": ["−1.96 to 1.96", "0.05 or more", "0.05 or more", "not significant"],  // z 0.5448
        "L03": ["−1.96 to 1.96", "0.05 or more", "0.05 or more", "not significant"],  // z -0.8589
        "L10": ["2.58 to 3.29", "0.001 to 0.01", "0.01 to 0.05", "hot spot"],  // z 2.9973
        "L11": ["1.96 to 2.58", "0.01 to 0.05", "0.05 or more", "not significant"],  // z 2.3698
        "L12": ["−1.96 to 1.96", "0.05 or more", "0.05 or more", "not significant"],  // z -0.4104
        "L13": ["−1.96 to 1.96", "0.05 or more", "0.05 or more", "not significant"],  // z -1.4875
        "L20": ["−1.96 to 1.96", "0.05 or more", "0.05 or more", "not significant"],  // z 0.4588
        "L21": ["−1.96 to 1.96", "0.05 or more", "0.05 or more", "not significant"],  // z -0.3856
        "L22": ["−1.96 to 1.96", "0.05 or more", "0.05 or more", "not significant"],  // z -1.9110
        "L23": ["−1.96 to 1.96", "0.05 or more", "0.05 or more", "not significant"],  // z -1.8815
        "L30": ["−1.96 to 1.96", "0.05 or more", "0.05 or more", "not significant"],  // z -1.2257
        "L31": ["−1.96 to 1.96", "0.05 or more", "0.05 or more", "not significant"],  // z -1.7705
        "L32": ["−2.58 to −1.96", "0.01 to 0.05", "0.05 or more", "not significant"],  // z -2.2055
        "L33": ["−1.96 to 1.96", "0.05 or more", "0.05 or more", "not significant"],  // z -1.6251
    ]

    static func hotspotRows(_ folder: String) -> (header: [String], rows: [[String]]) {
        let rows = StageTestSupport.csvRows(folder + "/tables/hotspots.csv")
        return (rows[0], Array(rows.dropFirst()))
    }

    /// The table keeps its columns in order and adds the four Gi* columns; ward rows show `*` in them, LSOA rows
    /// (`layer` = `lsoa`) carry esda's figures of the true counts as bands, or `~` where an alternative of a withheld
    /// count (L31, small, and L30, withheld to protect it inside ward W3) moves them.
    @Test func lsoaRowsCarryGiStar() throws {
        let r = try AssessTestSupport.run(root: Self.root)
        defer { try? FileManager.default.removeItem(atPath: r.output) }
        let (h, rows) = Self.hotspotRows(r.folder)
        #expect(h == ["theme_id", "theme", "layer", "area_code", "area", "count", "population", "rate_per_1000", "expected", "basis",
                      "p_value", "adjusted_p", "hotspot", "gi_star_z", "gi_star_p", "gi_star_adjusted_p", "gi_star_hotspot"])
        let col = Dictionary(uniqueKeysWithValues: h.enumerated().map { ($1, $0) })
        let wards = rows.filter { $0[col["layer"]!] == "ward" }, lsoas = rows.filter { $0[col["layer"]!] == "lsoa" }
        #expect(wards.count == 4 && lsoas.count == 16)
        for w in wards { #expect(Array(w.suffix(4)) == ["*", "*", "*", "*"], "\(w[3])") }
        #expect(lsoas.filter { $0[col["count"]!] == "~" }.map { $0[col["area_code"]!] }.sorted() == ["L30", "L31"],
                "the reference script assumes these two are withheld")
        var shown = 0
        for row in lsoas {
            let code = row[col["area_code"]!]
            for (k, cell) in row.suffix(4).enumerated() where cell != "~" {
                #expect(cell == Self.giStar[code]![k], "\(code) column \(k)")
                shown += 1
            }
        }
        #expect(shown >= 48, "most of the 64 Gi* figures are published")
        let l00 = try #require(lsoas.first { $0[col["area_code"]!] == "L00" })
        #expect(l00[col["gi_star_hotspot"]!] == "hot spot", "the corner of high rates")
    }

    /// Every published Gi* figure is the same for every value of the withheld counts that the policy's alternatives
    /// give: an attacker who tries every value 0…60 of L31 that keeps ward W3's published count (L30 taking the rest)
    /// finds, among those that print the same Gi* figures, L31 anywhere in a range at least the policy's protection wide.
    @Test func giStarGivesNoWithheldCountBack() throws {
        let r = try AssessTestSupport.run(root: Self.root)
        defer { try? FileManager.default.removeItem(atPath: r.output) }
        let (h, rows) = Self.hotspotRows(r.folder)
        let col = Dictionary(uniqueKeysWithValues: h.enumerated().map { ($1, $0) })
        let lsoas = rows.filter { $0[col["layer"]!] == "lsoa" }.sorted { $0[col["area_code"]!] < $1[col["area_code"]!] }
        let w3 = try #require(rows.first { $0[col["layer"]!] == "ward" && $0[col["area_code"]!] == "W3" }.flatMap { Int($0[col["count"]!]) })
        let codes = lsoas.map { $0[col["area_code"]!] }
        let populations = lsoas.map { Int($0[col["population"]!])! }
        let known = lsoas.map { Int($0[col["count"]!]) }
        let (l30, l31) = (codes.firstIndex(of: "L30")!, codes.firstIndex(of: "L31")!)
        let rest = w3 - [8, 9].reduce(0) { $0 + known[$1]! }
        let weights = SpatialWeights(codes: codes, neighbours: codes.indices.map { i in
            codes.indices.filter { j in j != i && abs(i / 4 - j / 4) <= 1 && abs(i % 4 - j % 4) <= 1 }
        })
        let published = lsoas.map { Array($0.suffix(4)) }
        var consistent: [Int] = []
        for a in 0...rest {
            var values = known.map { Double($0 ?? 0) }
            values[l31] = Double(a); values[l30] = Double(rest - a)
            let rates = values.indices.map { 1000 * values[$0] / Double(populations[$0]) }
            guard case .computed(let g) = GetisOrd.compute(values: rates, weights: weights) else { continue }
            // The candidate is consistent when every published Gi* figure is what it gives.
            let same = zip(published, g.areas.map(AssessClusters.banded)).allSatisfy { shown, candidate in
                zip(shown, candidate).allSatisfy { $0 == "~" || $0 == $1 }
            }
            if same { consistent.append(a) }
        }
        #expect(consistent.contains(3), "the true count gives the published figures")
        #expect(consistent.max()! - consistent.min()! >= DisclosurePolicy().protection, "L31 within \(consistent)")
    }

    /// The bands at and around their edges: an edge belongs to the band above it (|z| = 1.96 is significant at 5%), and
    /// negative bands print the minus sign U+2212, which no spreadsheet reads as a formula.
    @Test func bandsAtTheirEdges() {
        #expect(AssessClusters.zBand(0) == "\u{2212}1.96 to 1.96" && AssessClusters.zBand(1.959) == "\u{2212}1.96 to 1.96")
        #expect(AssessClusters.zBand(1.96) == "1.96 to 2.58" && AssessClusters.zBand(3.0) == "2.58 to 3.29" && AssessClusters.zBand(3.29) == "3.29 or more")
        #expect(AssessClusters.zBand(-2.0) == "\u{2212}2.58 to \u{2212}1.96" && AssessClusters.zBand(-7) == "\u{2212}3.29 or less")
        #expect(AssessClusters.zBand(nil) == "*" && AssessClusters.pBand(nil) == "*")
        #expect(AssessClusters.pBand(0.0009) == "<0.001" && AssessClusters.pBand(0.001) == "0.001 to 0.01" && AssessClusters.pBand(0.049) == "0.01 to 0.05")
        #expect(AssessClusters.pBand(0.05) == "0.05 or more" && AssessClusters.pBand(1) == "0.05 or more")
        #expect(AssessClusters.zLow("2.58 to 3.29") == 2.58 && AssessClusters.zLow("\u{2212}3.29 or less") == -3.29 && AssessClusters.zLow("~") == 0)
    }

    /// The report draws both maps with legends; assessment.json lists the LSOA hot spots; named places come from the
    /// records' "On or near" locations, never from a withheld LSOA or below the threshold.
    @Test func mapsJSONAndPlaces() throws {
        let r = try AssessTestSupport.run(root: Self.root)
        defer { try? FileManager.default.removeItem(atPath: r.output) }
        let report = StageTestSupport.read(r.folder + "/report.html")
        #expect(report.components(separatedBy: "<use href=\"#ward-").count - 1 == 4)
        #expect(report.components(separatedBy: "<use href=\"#lsoa21-").count - 1 == 16)
        #expect(report.contains("Rate per 1,000 residents</text>") && report.contains("Gi* hot spot</text>"))
        #expect(report.contains("class=\"maplbl\""), "the top wards are named on the map")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: r.folder + "/assessment.json"))) as! [String: Any]
        let theme = (json["themes"] as! [[String: Any]])[0]
        let hotspots = theme["hotspots"] as! [String: Any]
        let expectedHot = Self.giStar.filter { $0.value[3] == "hot spot" }.keys.map { "Lattice " + $0.dropFirst() }
        let listed = hotspots["lsoas"] as! [String]
        #expect(!listed.isEmpty && Set(listed).isSubset(of: Set(expectedHot)), "\(listed)")
        #expect((hotspots["top_places"] as! [String]).first == "On or near High Street (Ward 1)")
        let places = StageTestSupport.csvRows(r.folder + "/tables/places.csv")
        #expect(places[0] == ["theme_id", "theme", "place", "ward_code", "ward", "count", "in_hotspot_ward"])
        let named = places.dropFirst().map { $0[2] }
        // High Street: 14 in L00 and 4 in L10, both in Ward 1.
        #expect(places.dropFirst().first { $0[2] == "On or near High Street" }?[5] == "18")
        #expect(named.contains("On or near Market Square") && named.contains("On or near Station Road") && named.contains("On or near Mill Lane"))
        #expect(!named.contains("On or near Park Lane"), "3 records, in a withheld LSOA")
    }
}
