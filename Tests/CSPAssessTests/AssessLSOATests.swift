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

    // code: (z, p, adjusted p, class) as hotspots.csv prints them
    static let giStar: [String: [String]] = [
        "L00": ["3.68", "0.0002", "0.0037", "hot spot"],
        "L01": ["3.08", "0.0020", "0.0135", "hot spot"],
        "L02": ["0.64", "0.5196", "0.6395", "not significant"],
        "L03": ["-0.74", "0.4563", "0.6084", "not significant"],
        "L10": ["3.02", "0.0025", "0.0135", "hot spot"],
        "L11": ["2.47", "0.0137", "0.0548", "not significant"],
        "L12": ["-0.23", "0.8204", "0.8204", "not significant"],
        "L13": ["-1.32", "0.1855", "0.2699", "not significant"],
        "L20": ["0.25", "0.8024", "0.8204", "not significant"],
        "L21": ["-0.51", "0.6129", "0.7004", "not significant"],
        "L22": ["-1.71", "0.0879", "0.1762", "not significant"],
        "L23": ["-1.71", "0.0881", "0.1762", "not significant"],
        "L30": ["-1.45", "0.1479", "0.2366", "not significant"],
        "L31": ["-1.91", "0.0563", "0.1502", "not significant"],
        "L32": ["-2.05", "0.0407", "0.1303", "not significant"],
        "L33": ["-1.49", "0.1371", "0.2366", "not significant"],
    ]

    static func hotspotRows(_ folder: String) -> (header: [String], rows: [[String]]) {
        let rows = StageTestSupport.csvRows(folder + "/tables/hotspots.csv")
        return (rows[0], Array(rows.dropFirst()))
    }

    /// The table keeps its columns in order and adds the four Gi* columns; ward rows show `*` in them, LSOA rows
    /// (`layer` = `lsoa`) carry esda's figures, computed from the published counts (L31, small, and L30, withheld to
    /// protect it inside ward W3, enter as 2.5).
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
        for row in lsoas {
            let code = row[col["area_code"]!]
            #expect(Array(row.suffix(4)) == Self.giStar[code], "\(code)")
        }
        let l00 = try #require(lsoas.first { $0[col["area_code"]!] == "L00" })
        #expect(l00[col["gi_star_hotspot"]!] == "hot spot", "the corner of high rates")
    }

    /// Every printed Gi* figure is a function of the published counts: an attacker who tries every value 0…60 of the two
    /// withheld counts that keeps ward W3's published count finds L31 anywhere in a range at least the policy's
    /// protection wide, and the Gi* columns print the same for all of them.
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
        let printed = lsoas.map { Array($0.suffix(4)) }
        var consistent: [Int] = []
        var differentGi = 0
        for a in 0...rest {
            var values = known.map { Double($0 ?? 0) }
            values[l31] = Double(a); values[l30] = Double(rest - a)
            // The attacker's candidate table gives the same ward total; Gi* as csp prints it does not move with it.
            let rates = values.indices.map { 1000 * values[$0] / Double(populations[$0]) }
            if case .computed(let g) = GetisOrd.compute(values: rates, weights: weights), g.areas.map(AssessClusters.printed) != printed { differentGi += 1 }
            consistent.append(a)
        }
        #expect(differentGi > 0, "Gi* of the true counts would differ: the attacker learns nothing from the printed figures")
        #expect(consistent.contains(3) && consistent.max()! - consistent.min()! >= DisclosurePolicy().protection, "L31 within \(consistent)")
        // And the printed figures are exactly Gi* of the published table with the withheld counts at 2.5.
        var imputed = known.map { Double($0 ?? 0) }
        imputed[l30] = 2.5; imputed[l31] = 2.5
        guard case .computed(let g) = GetisOrd.compute(values: imputed.indices.map { 1000 * imputed[$0] / Double(populations[$0]) }, weights: weights) else {
            Issue.record("Gi* not computable"); return
        }
        #expect(g.areas.map(AssessClusters.printed) == printed)
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
