import CSPTestSupport
import CSPCore
import Foundation
import GRDB
import Testing
@testable import CSPAssess

/// Outcomes and stop and search on the hand-made warehouse of `Fixtures/tests/assess-outcomes`. Every literal is
/// printed by `Tests/Reference/outcomes_reference.py`, which counts the raw rows in Python.
@Suite(.serialized) struct AssessOutcomesTests {
    static let root = StageTestSupport.repositoryRoot + "/Fixtures/tests/assess-outcomes"
    static let groups = ["charge_summons", "out_of_court", "no_suspect", "unable_to_prosecute", "other", "no_outcome_yet"]
    /// Crimes of May 2023 - April 2024 and their latest outcome groups (in `groups` order), from the script.
    static let expected: [String: (total: Int, counts: [Int])] = [
        "violence": (37, [10, 3, 5, 8, 4, 7]),
        "burglary": (12, [3, 2, 3, 0, 0, 4]),
        "theft": (24, [0, 0, 8, 7, 0, 9]),
        "acquisitive": (36, [3, 2, 11, 7, 0, 13]),
    ]

    static func mapping() throws -> AssessOutcomes.Mapping {
        try AssessOutcomes.Mapping(rows: try AssessStage.readCSV(StageTestSupport.repositoryRoot + "/Pipelines/reference/outcome-groups.csv"))
    }

    /// The outcomes computed straight from a warehouse built from the SQL (then `extra`).
    static func outcomes(extra: String = "") throws -> AssessOutcomes {
        let path = StageTestSupport.temporaryFolder("outcomes-warehouse") + ".sqlite"
        let db = try DatabaseQueue(path: path)
        try db.write { try $0.execute(sql: StageTestSupport.read(root + "/warehouse.sql") + extra) }
        try db.close()
        let themes = try ThemeDefinition.load(path: root + "/themes.yaml")
        return try AssessOutcomes(themes: themes, mapping: try mapping(), warehouse: try AssessWarehouse(path: path), from: "2023-05", to: "2024-04",
                                  policy: DisclosurePolicy(threshold: 5))
    }

    @Test func latestOutcomeIsTheLatestMonthThenPrecedenceThenFileOrder() throws {
        let m = try Self.mapping()
        func group(_ o: [(String, String)]) -> String { m.groups[m.latestGroup(o.map { (month: $0.0, outcome: $0.1) })].id }
        #expect(group([]) == "no_outcome_yet")
        #expect(group([("2023-07", "Unable to prosecute suspect"), ("2023-09", "Suspect charged")]) == "charge_summons")
        #expect(group([("2023-09", "Suspect charged"), ("2023-07", "Unable to prosecute suspect")]) == "charge_summons")
        #expect(group([("2023-07", "Suspect charged"), ("2023-07", "Unable to prosecute suspect")]) == "charge_summons")
        #expect(group([("2023-07", "Local resolution"), ("2023-08", "Investigation complete; no suspect identified")]) == "no_suspect")
        #expect(group([("2023-07", "A brand new outcome")]) == "other")
        #expect(group([("2023-07", "Under investigation")]) == "no_outcome_yet")
        #expect(m.groups.map(\.id) == Self.groups)
    }

    @Test func countsPerThemeAndGroupMatchTheReference() throws {
        let o = try Self.outcomes()
        for (k, i) in o.crimeThemes.enumerated() {
            let e = try #require(Self.expected[o.themes[i].id])
            #expect(o.total(k) == e.total, "\(o.themes[i].id)")
            #expect(o.counts[k] == e.counts, "\(o.themes[i].id)")
        }
        #expect(o.unmapped == ["A brand new outcome"])
        #expect(o.crimeThemes.count == 4)
    }

    /// A Crime ID that data.police.uk gave to two different crimes (`crime_ref_collision`): both crimes count, and its
    /// one outcome row (a charge, at the second crime's point) counts once, for that crime; the other has none yet.
    /// Expected by hand from the rows added: violence 37 + 2 crimes, charge/summons 10 + 1, no outcome yet 7 + 1
    /// (the join on Crime ID alone would give 12 charges and 7 without outcome).
    @Test func aSharedCrimeIDCountsEachCrimeAndEachOutcomeOnce() throws {
        let extra = """
        ALTER TABLE crimes ADD COLUMN crime_ref_collision INTEGER;
        ALTER TABLE crimes ADD COLUMN longitude REAL;
        ALTER TABLE crimes ADD COLUMN latitude REAL;
        ALTER TABLE crimes ADD COLUMN last_outcome TEXT;
        ALTER TABLE outcomes ADD COLUMN longitude REAL;
        ALTER TABLE outcomes ADD COLUMN latitude REAL;
        UPDATE crimes SET crime_ref_collision = 0;
        INSERT INTO crimes (crime_ref, month, offence_group, ward_code, crime_ref_collision, longitude, latitude, last_outcome) VALUES
          ('SHARED', '2023-08', 'Violence', 'W1', 1, -0.5, 52.1, 'Court result unavailable'),
          ('SHARED', '2023-08', 'Violence', 'W1', 1, -0.6, 52.2, 'Status update unavailable');
        INSERT INTO outcomes (crime_ref, month, outcome_type, longitude, latitude) VALUES ('SHARED', '2023-10', 'Suspect charged', -0.6, 52.2);
        """
        let o = try Self.outcomes(extra: extra)
        let k = try #require(o.crimeThemes.firstIndex { o.themes[$0].id == "violence" })
        #expect(o.total(k) == 39)
        #expect(o.counts[k] == [11, 3, 5, 8, 4, 8])
    }

    /// Small counts are withheld, and an attacker who knows every published count, each theme's total (its
    /// twelve-month volume) and that acquisitive crime is burglary plus theft cannot place a withheld count within ±1.
    @Test func noWithheldCountCanBeWorkedOut() throws {
        let o = try Self.outcomes()
        let policy = DisclosurePolicy(threshold: 5)
        #expect(o.pattern.unprotected.isEmpty)
        for k in o.crimeThemes.indices {
            for g in o.mapping.groups.indices where policy.isSmall(o.counts[k][g]) { #expect(o.isWithheld(k, g)) }
        }
        var attack = AttackModel(classCount: o.tables.classCount, layerSizes: o.tables.layerSizes, signatures: o.tables.signatures,
                                 places: o.mapping.groups.indices.map { [$0] })
        for k in o.crimeThemes.indices {
            attack.solver.fix(attack.totals[k], o.total(k))
            for g in o.mapping.groups.indices where !o.isWithheld(k, g) { attack.solver.fix(attack.cell(k, 0, g), o.counts[k][g]) }
        }
        attack.solver.propagate()
        #expect(attack.solver.consistent)
        var withheld = 0
        for k in o.crimeThemes.indices {
            for g in o.mapping.groups.indices where o.isWithheld(k, g) {
                withheld += 1
                let r = attack.interval(attack.cell(k, 0, g))
                #expect(r.upperBound - r.lowerBound >= min(policy.protection, o.total(k)), "theme \(k) group \(g): \(r)")
            }
        }
        #expect(withheld > 0)
    }

    /// The stop-and-search breakdowns are one set of searches seen six ways: an attacker who knows every published
    /// count, the total and which combinations of categories occur cannot place a withheld count within ±1.
    @Test func noWithheldStopSearchCountCanBeWorkedOut() throws {
        let path = StageTestSupport.temporaryFolder("stop-search-warehouse") + ".sqlite"
        let db = try DatabaseQueue(path: path)
        try db.write { try $0.execute(sql: StageTestSupport.read(Self.root + "/warehouse.sql")) }
        try db.close()
        let periods = try JSONDecoder().decode([PeriodDefinition].self, from: Data(#"[{"name": "twelve_months", "from": "2023-05-01", "to": "2024-04-30"}]"#.utf8))
        let ctx = AssessContext(warehouse: try AssessWarehouse(path: path), periods: periods, indicators: nil, sntPriorities: [], msgRates: [:],
                                areaPopulation: 2000, layers: [])
        let s = try #require(try StopSearchSummary(context: ctx, from: "2023-05", to: "2024-04", population: 2000, policy: DisclosurePolicy(threshold: 5)))
        #expect(s.total == 110 && s.pattern.unprotected.isEmpty)
        var attack = AttackModel(classCount: 1, layerSizes: s.tables.layerSizes, signatures: s.tables.signatures, places: s.tables.places)
        attack.solver.fix(attack.totals[0], s.total)
        var withheld: [(Int, Int)] = []
        for (d, dim) in s.dimensions.enumerated() {
            for c in dim.categories.indices {
                if let n = s.count(d, c) { attack.solver.fix(attack.cell(0, d, c), n) } else { withheld.append((d, c)) }
            }
        }
        attack.solver.propagate()
        #expect(attack.solver.consistent && withheld.count >= 5)
        for (d, c) in withheld {
            let r = attack.interval(attack.cell(0, d, c))
            #expect(r.upperBound - r.lowerBound >= 3, "\(s.dimensions[d].categories[c]): \(r)")
            #expect(r.contains(s.values[s.tables.cell(class: 0, layer: d, area: c)]))
        }
    }

    @Test func stageWritesOutcomesAndStopSearch() throws {
        let r = try AssessTestSupport.run(root: Self.root)
        defer { try? FileManager.default.removeItem(atPath: r.output) }
        // tables/outcomes.csv
        let rows = StageTestSupport.csvRows(r.folder + "/tables/outcomes.csv")
        #expect(rows[0] == AssessOutcomes.header)
        for (theme, e) in Self.expected {
            let mine = rows.filter { $0[0] == theme }
            #expect(mine.map { $0[2] } == Self.groups)
            for (g, row) in mine.enumerated() {
                #expect(row[6] == String(e.total))
                if row[4] != AssessMarker.suppressed {
                    #expect(row[4] == String(e.counts[g]))
                    #expect(row[5] == String(format: "%.1f", 100 * Double(e.counts[g]) / Double(e.total)))
                } else {
                    #expect(row[5] == AssessMarker.suppressed)
                }
            }
        }
        // Violence: charge 10 of 37 (27.0%), unable to prosecute 8 (21.6%) are published.
        let violence = rows.filter { $0[0] == "violence" }
        #expect(violence[0][4...5] == ["10", "27.0"])
        #expect(violence[3][4...5] == ["8", "21.6"])
        #expect(rows.filter { $0[0] == "asb" }.map { $0[2] } == [AssessOutcomes.notApplicable])

        // tables/stop-search.csv
        let ss = StageTestSupport.csvRows(r.folder + "/tables/stop-search.csv")
        #expect(ss[1][0...4] == ["all", "All searches", "110", "100.0", "55.00"])
        func cell(_ b: String, _ c: String) -> [String]? { ss.first { $0[0] == b && $0[1] == c }.map { Array($0[2...3]) } }
        // Every published count is the script's; every small count is withheld (others may be, to protect them).
        let literals: [String: [String: Int]] = [
            "object_of_search": ["Controlled drugs": 54, "Firearms": 2, "Offensive weapons": 27, "Stolen goods": 27],
            "outcome": ["A no further action disposal": 88, "Arrest": 22],
            "outcome_linked": ["Not recorded (blank: no outcome, or not published)": 88, "Not linked to the object of search": 11, "Linked to the object of search": 11],
            "age_range": ["Not recorded": 15, "10-17": 31, "18-24": 31, "25-34": 2, "over 34": 31],
            "sex": ["Female": 18, "Male": 91, "Not known": 1],
            "self_defined_ethnicity": ["Not recorded": 1, "Asian/Asian British - Indian": 12, "Other ethnic group - Not stated": 7,
                                       "White - Any other White background": 1, "White - English/Welsh/Scottish/Northern Irish/British": 89],
        ]
        #expect(Set(ss.dropFirst(2).map { $0[0] }) == Set(literals.keys))
        for (b, cats) in literals {
            #expect(Set(ss.filter { $0[0] == b }.map { $0[1] }) == Set(cats.keys), "\(b)")
            for (c, n) in cats {
                let got = try #require(cell(b, c), "\(b) \(c)")
                if got[0] == AssessMarker.suppressed { #expect(got[1] == AssessMarker.suppressed) } else {
                    #expect(!DisclosurePolicy(threshold: 5).isSmall(n), "\(b) \(c) is small but published")
                    #expect(got == [String(n), String(format: "%.1f", 100 * Double(n) / 110)], "\(b) \(c)")
                }
            }
        }
        #expect(cell("object_of_search", "Controlled drugs") == ["54", "49.1"])
        #expect(cell("object_of_search", "Firearms") == ["~", "~"])
        #expect(ss.dropFirst(2).allSatisfy { $0[4] == AssessMarker.notAvailable })
        let ages = ss.filter { $0[0] == "age_range" }.map { $0[1] }
        #expect(ages == ["10-17", "18-24", "25-34", "over 34", "Not recorded"])
        // tables/stop-search-months.csv: 6 a month, then 9 (10 with a firearms search), May 2022 - April 2024.
        let months = StageTestSupport.csvRows(r.folder + "/tables/stop-search-months.csv")
        #expect(months.count == 25 && months[1] == ["2022-05", "6"] && months[24] == ["2024-04", "9"])
        #expect(months.dropFirst().map { Int($0[1])! } == [6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 9, 9, 9, 10, 9, 9, 9, 9, 10, 9, 9, 9])

        // assessment.json: per theme outcomes, stop_and_search at the top.
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: r.folder + "/assessment.json"))) as! [String: Any]
        let themes = json["themes"] as! [[String: Any]]
        let v = themes.first { $0["id"] as? String == "violence" }!
        let vo = v["outcomes"] as! [String: Any]
        #expect(vo["crimes"] as? Int == 37)
        #expect(((vo["groups"] as! [[String: Any]])[0]["share_percent"] as? Double) == 27.0)
        #expect(themes.first { $0["id"] as? String == "asb" }!["outcomes"] as? String == "not applicable")
        #expect(v["volumes"] != nil && v["trend"] != nil)
        let s = json["stop_and_search"] as! [String: Any]
        #expect(s["searches"] as? Int == 110)
        #expect(s["rate_per_1000_residents"] as? Double == 55.0)
        // 11 of 110 linked (10.0%) unless that count is withheld to protect another.
        let linked = cell("outcome_linked", "Linked to the object of search")!
        #expect(s["linked_share_percent"] as? Double == (linked[0] == "~" ? nil : 10.0))

        // report.html: both sections, the people are people searched.
        let html = StageTestSupport.read(r.folder + "/report.html")
        #expect(html.contains("id=\"outcomes\"") && html.contains("id=\"stop-and-search\"") && html.contains("Outcomes (12 months)"))
        let section = html.components(separatedBy: "id=\"stop-and-search\"")[1].components(separatedBy: "<h2")[0]
        #expect(section.contains("people searched") && !section.lowercased().contains("offender"))
    }
}
