import CSPTestSupport
import CSPCore
@testable import CSPStorage
import CSPCSV
import Foundation
import GRDB
import Testing
@testable import CSPNormalise

@Suite struct NormaliseStageTests {
    static let expected = NormaliseTestSupport.root + "/expected"

    @Test func goldenFilesAndCounts() throws {
        let r = try NormaliseTestSupport.run()
        var same = true
        defer { if same { r.cleanup() } }
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.expected).sorted()
        #expect(names == ["DICTIONARY.md", "areas.csv", "asb_incidents.csv", "crimes.csv", "duplicates.csv", "fire_incidents.csv", "geometry.csv", "population.csv", "rejects.csv", "victims.csv"])
        for name in names {
            let ok = StageTestSupport.read(r.folder + "/" + name) == StageTestSupport.read(Self.expected + "/" + name)
            same = same && ok
            #expect(ok, "\(name) differs from the golden file (kept in \(r.folder))")
        }
        let published = try FileManager.default.contentsOfDirectory(atPath: r.folder).sorted()
        // coverage.csv: the fixtures' exports are not monthly files, so the calendar is empty (header only).
        #expect(published == (names + ["coverage.csv", "manifest.json", "warehouse.sqlite"]).sorted())

        let m = try JSON.read(Manifest.self, from: r.folder + "/manifest.json")
        #expect(m.sources["crimes"] == StageCounts(inCount: 9, out: 5, rejected: 3, duplicates: 1))
        #expect(m.sources["victims"] == StageCounts(inCount: 2, out: 2))
        #expect(m.sources["asb_incidents"] == StageCounts(inCount: 4, out: 4))
        #expect(m.sources["fire_incidents"] == StageCounts(inCount: 2, out: 2))
        #expect(m.counts == StageCounts(inCount: 17, out: 13, rejected: 3, duplicates: 1))
        #expect(m.outputs.first { $0.path == "areas.csv" }?.rows == 6)
        #expect(m.inputs.contains { $0.path.hasSuffix("03-geocode/crimes.csv") && $0.role == "stage:geocode" && $0.rows == 9 })
    }

    @Test func warehouseRowsTypesNullsAndBooleans() throws {
        let r = try NormaliseTestSupport.run()
        defer { r.cleanup() }
        try NormaliseTestSupport.open(r.warehouse).read { db throws in
            for name in ["crimes", "victims", "asb_incidents", "fire_incidents", "areas", "population"] {
                let csvRows = NormaliseTestSupport.rows(r.folder + "/\(name).csv").count - 1
                #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(name)") == csvRows, "\(name)")
                // id is the CSV's data row number.
                #expect(try Int.fetchOne(db, sql: "SELECT MAX(id) FROM \(name)") == csvRows, "\(name)")
            }
            let row = try #require(try Row.fetchOne(db, sql: """
                SELECT typeof(easting) AS e, typeof(longitude) AS lon, typeof(domestic) AS dom, domestic, alcohol, typeof(committed_to) AS ct,
                       typeof(month) AS mo, typeof(source_record) AS sr, typeof(geocode_approximate) AS ga, typeof(lsoa_code) AS lsoa
                FROM crimes WHERE crime_ref = 'C0001'
                """))
            #expect(row["e"] as String? == "integer")
            #expect(row["lon"] as String? == "null")
            #expect(row["dom"] as String? == "integer")
            #expect(row["domestic"] as Int? == 0 && row["alcohol"] as Int? == 1)
            #expect(row["ct"] as String? == "null")
            #expect(row["mo"] as String? == "text")
            #expect(row["sr"] as String? == "integer")
            #expect(row["ga"] as String? == "integer")
            #expect(row["lsoa"] as String? == "null")
            #expect(try Double.fetchOne(db, sql: "SELECT longitude FROM crimes WHERE crime_ref = 'C0003'") == -0.52)
            #expect(try String.fetchOne(db, sql: "SELECT typeof(longitude) FROM crimes WHERE crime_ref = 'C0003'") == "real")
            // Blank crime refs are NULL and never clash with each other.
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM crimes WHERE crime_ref IS NULL") == 2)
            #expect(try String.fetchOne(db, sql: "SELECT typeof(age) FROM victims WHERE crime_ref = 'C0002'") == "null")
            #expect(try String.fetchOne(db, sql: "SELECT typeof(population) FROM population WHERE code = '00KC'") == "integer")
            // Every boolean is 0, 1 or NULL; every month has its shape.
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM crimes WHERE domestic NOT IN (0, 1) OR hate NOT IN (0, 1)") == 0)
            #expect(try Int.fetchOne(db, sql: "PRAGMA user_version") == NormaliseStage.schemaVersion)
        }
    }

    @Test func viewsAnswerMonthlyCounts() throws {
        let r = try NormaliseTestSupport.run()
        defer { r.cleanup() }
        try NormaliseTestSupport.open(r.warehouse).read { db throws in
            let crimes = try Row.fetchAll(db, sql: "SELECT month, ward_code, offence_group, count FROM crimes_by_month_ward_group").map {
                "\($0["month"] as String? ?? "") \($0["ward_code"] as String? ?? "") \($0["offence_group"] as String? ?? "") \($0["count"] as Int? ?? -1)"
            }
            #expect(crimes == ["2009-01 00KCAA burglary_dwelling 1", "2009-01 00KCAB theft_of_vehicle 1", "2009-02 00KCAA burglary_dwelling 1",
                               "2009-02 00KCAA criminal_damage 1", "2009-02 00KCAB theft_from_vehicle 1"])
            let monthly = try Row.fetchAll(db, sql: "SELECT dataset, month, ward_code, count FROM monthly_counts").map {
                "\($0["dataset"] as String? ?? "") \($0["month"] as String? ?? "") \($0["ward_code"] as String? ?? "") \($0["count"] as Int? ?? -1)"
            }
            #expect(monthly == ["asb_incidents 2009-01 00KCAA 2", "asb_incidents 2009-01 00KCAB 1", "asb_incidents 2009-02 00KCAA 1",
                                "crimes 2009-01 00KCAA 1", "crimes 2009-01 00KCAB 1", "crimes 2009-02 00KCAA 2", "crimes 2009-02 00KCAB 1",
                                "fire_incidents 2009-01 00KCAA 1", "fire_incidents 2009-02 00KCAB 1"])
            #expect(try Int.fetchOne(db, sql: "SELECT SUM(count) FROM asb_by_month_ward") == 4)
            #expect(try Int.fetchOne(db, sql: "SELECT SUM(count) FROM fires_by_month_ward_type WHERE motive = 'deliberate'") == 1)
            let views = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'view' ORDER BY name")
            #expect(views == ["asb_by_month_ward", "asb_by_month_ward_category", "crimes_by_month_ward_group", "fires_by_month_ward_type", "monthly_counts"])
        }
    }

    @Test func indexesAndUniqueKeysExist() throws {
        let r = try NormaliseTestSupport.run()
        defer { r.cleanup() }
        try NormaliseTestSupport.open(r.warehouse).read { db throws in
            let indexes = Set(try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"))
            for i in ["idx_crimes_month", "idx_crimes_ward_code", "idx_crimes_la_code", "idx_crimes_ward08_code", "idx_crimes_snt_code", "idx_crimes_offence_group",
                      "idx_asb_incidents_month", "idx_asb_incidents_ward_code", "idx_asb_incidents_category", "idx_fire_incidents_incident_type",
                      "idx_victims_crime_ref"] {
                #expect(indexes.contains(i), "missing index \(i)")
            }
            // Victims carry no geography here: no area index for them.
            #expect(!indexes.contains("idx_victims_ward_code"))
            let unique = try Row.fetchAll(db, sql: "SELECT il.name AS name, group_concat(ii.name, ',') AS cols FROM pragma_index_list('crimes') il, pragma_index_info(il.name) ii WHERE il.\"unique\" = 1 GROUP BY il.name ORDER BY cols")
                .map { $0["cols"] as String? ?? "" }
            #expect(unique == ["crime_ref", "source_file,source_record"])
            let areaKeys = try Row.fetchAll(db, sql: "SELECT group_concat(ii.name, ',') AS cols FROM pragma_index_list('areas') il, pragma_index_info(il.name) ii WHERE il.\"unique\" = 1 GROUP BY il.name")
            #expect(areaKeys.map { $0["cols"] as String? ?? "" } == ["layer,code"])
        }
    }

    /// UNIQUE violations: the stage never lets one through (the later row goes to duplicates.csv, naming the row kept);
    /// the warehouse itself refuses a second row with a published natural key or lineage.
    @Test func uniqueViolationsAreDuplicatesAndTheWarehouseRefusesThem() throws {
        let r = try NormaliseTestSupport.run()
        defer { r.cleanup() }
        let dups = NormaliseTestSupport.rows(r.folder + "/duplicates.csv")
        #expect(dups.count == 2)
        #expect(dups[1] == ["normalise", "normalise.duplicate.crime_ref", "raw/crimes_2009-02.csv", "3", "crime_ref", "C0001",
                                   "same crime_ref as raw/crimes_2009-01.csv line 3, which was kept"])
        let q = try DatabaseQueue(path: r.warehouse)
        for sql in ["INSERT INTO crimes (crime_ref, source_file, source_record) VALUES ('C0001', 'x', 1)",
                    "INSERT INTO crimes (crime_ref, source_file, source_record) VALUES ('C9999', 'raw/crimes_2009-01.csv', 3)",
                    "INSERT INTO areas (layer, code) VALUES ('ward', '00KCAA')"] {
            #expect { try q.write { db in try db.execute(sql: sql) } } throws: { ($0 as? DatabaseError)?.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE }
        }
    }

    @Test(arguments: [
        "INSERT INTO crimes (month, source_file, source_record) VALUES ('2009-13', 'x', 1)",
        "INSERT INTO crimes (month, source_file, source_record) VALUES ('Jan 2009', 'x', 1)",
        "INSERT INTO crimes (recorded_date, source_file, source_record) VALUES ('2009-02-30', 'x', 1)",
        "INSERT INTO crimes (committed_from, source_file, source_record) VALUES ('2009-02-03T25:00', 'x', 1)",
        "INSERT INTO crimes (committed_from, source_file, source_record) VALUES ('03/02/2009', 'x', 1)",
        "INSERT INTO crimes (domestic, source_file, source_record) VALUES (2, 'x', 1)",
        "INSERT INTO crimes (domestic, source_file, source_record) VALUES ('yes', 'x', 1)",
        "INSERT INTO crimes (easting, source_file, source_record) VALUES ('12x', 'x', 1)",
        "INSERT INTO crimes (longitude, source_file, source_record) VALUES ('west', 'x', 1)",
        "INSERT INTO crimes (source_file, source_record) VALUES (NULL, 1)",
    ])
    func typeChecksRefuseBadValues(sql: String) throws {
        let r = try NormaliseTestSupport.run()
        defer { r.cleanup() }
        let q = try DatabaseQueue(path: r.warehouse)
        #expect { try q.write { db in try db.execute(sql: sql) } } throws: { ($0 as? DatabaseError)?.resultCode == .SQLITE_CONSTRAINT }
        // The good shapes pass the same CHECKs.
        try q.write { db in
            try db.execute(sql: "INSERT INTO crimes (month, recorded_date, committed_from, committed_to, domestic, easting, longitude, source_file, source_record) VALUES ('2009-12', '2008-02-29', '2009-02-03T23:59', '2009-02-04T00:00:59', 1, -5, 2.0, 'y', 1)")
        }
    }

    /// A row with a cell not of its column's type is a reject with a rule, never a crash; conservation holds.
    @Test func badCellsAreRejectsWithRules() throws {
        let r = try NormaliseTestSupport.run()
        defer { r.cleanup() }
        let rejects = NormaliseTestSupport.rows(r.folder + "/rejects.csv").dropFirst()
        #expect(rejects.map { [$0[1], $0[3], $0[4], $0[5]] } == [
            ["normalise.type.integer", "4", "easting", "12x"],
            ["normalise.type.date", "5", "recorded_date", "2009-02-30"],
            ["normalise.type.boolean", "6", "domestic", "yes"],
        ])
    }

    @Test func csvInjectionIsNeutralisedInCSVsOnly() throws {
        let r = try NormaliseTestSupport.run()
        defer { r.cleanup() }
        let rows = NormaliseTestSupport.rows(r.folder + "/crimes.csv")
        let header = rows[0]
        func cell(_ ref: String, _ column: String) -> String? {
            let i = header.firstIndex(of: column)!
            return rows.first { $0[0] == ref }?[i]
        }
        #expect(cell("C0003", "location_description") == "'=cmd|' /C calc'!A0")
        #expect(cell("C0003", "ho_category") == "'+1")
        #expect(cell("C0003", "offence_description") == "'@SUM(A1)")
        #expect(cell("C0002", "beat") == "'-2+3")
        #expect(cell("C0003", "longitude") == "-0.52")
        #expect(cell("C0003", "latitude") == "51.88")
        #expect(StageTestSupport.read(r.folder + "/asb_incidents.csv").contains(",'@home,"))
        try NormaliseTestSupport.open(r.warehouse).read { db throws in
            let row = try #require(try Row.fetchOne(db, sql: "SELECT location_description, ho_category, offence_description FROM crimes WHERE crime_ref = 'C0003'"))
            #expect(row["location_description"] as String? == "=cmd|' /C calc'!A0")
            #expect(row["ho_category"] as String? == "+1")
            #expect(row["offence_description"] as String? == "@SUM(A1)")
            #expect(try String.fetchOne(db, sql: "SELECT beat FROM crimes WHERE crime_ref = 'C0002'") == "-2+3")
        }
    }

    @Test(arguments: [("=1+1", "'=1+1"), ("+1", "'+1"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("\rx", "'\rx"),
                      ("a=b", "a=b"), ("", ""), ("'", "'"), ("On or near -", "On or near -")])
    func spreadsheetSafeCells(input: String, published: String) {
        #expect(SpreadsheetSafe.cell(input) == published)
    }

    @Test func sameInputsGiveIdenticalOutputs() throws {
        let a = try NormaliseTestSupport.run(), b = try NormaliseTestSupport.run()
        defer { a.cleanup(); b.cleanup() }
        for name in try FileManager.default.contentsOfDirectory(atPath: a.folder) where name.hasSuffix(".csv") || name.hasSuffix(".md") {
            #expect(FileManager.default.contents(atPath: a.folder + "/" + name) == FileManager.default.contents(atPath: b.folder + "/" + name), "\(name)")
        }
        let dump = try NormaliseTestSupport.dump(a.warehouse)
        #expect(dump == (try NormaliseTestSupport.dump(b.warehouse)))
        #expect(dump.count > 30)
    }

    @Test func victimsWithGeographyAndUnknownColumnsArePublished() throws {
        let dir = StageTestSupport.temporaryFolder("normalise-geo")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let geo = dir + "/03-geocode"
        try FileManager.default.copyItem(atPath: NormaliseTestSupport.root + "/03-geocode", toPath: geo)
        try """
        person_ref,crime_ref,role,age,age_band,sex,ethnicity_code,ethnicity_group,ppo,ward_code,ward_name,la_code,la_name,town_code,town_name,geocode_method,geocode_approximate,geocode_disagreement,extra_note,source_file,source_record
        P0001,C0001,victim,34,30-39,F,IC1,White European,false,00KCAA,Dunstable Icknield,00KC,Central Bedfordshire,T01,Dunstable,point,false,,=x,raw/persons_2009.csv,2

        """.write(toFile: geo + "/victims.csv", atomically: true, encoding: .utf8)
        unlink(geo + "/crimes.csv")
        let r = try NormaliseTestSupport.run(geocode: geo)
        defer { r.cleanup() }
        try NormaliseTestSupport.open(r.warehouse).read { db throws in
            #expect(try String.fetchOne(db, sql: "SELECT town_name FROM victims") == "Dunstable")
            #expect(try String.fetchOne(db, sql: "SELECT extra_note FROM victims") == "=x")
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sqlite_master WHERE name IN ('idx_victims_town_code', 'idx_victims_ward_code')") == 2)
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sqlite_master WHERE name = 'crimes'") == 0)
        }
        #expect(StageTestSupport.read(r.folder + "/victims.csv").contains(",'=x,"))
        let dictionary = StageTestSupport.read(r.folder + "/DICTIONARY.md")
        #expect(dictionary.contains("| `town_code` | text | TEXT | code of the town the record falls in (areas.layer = 'town') |"))
        #expect(dictionary.contains("| `extra_note` | text | TEXT |"))
        #expect(!dictionary.contains("## `crimes`"))
    }

    @Test func aRunWithoutGeocodeOutputsFailsAsMissingInput() throws {
        let out = StageTestSupport.temporaryFolder("normalise-missing")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let p = try NormaliseTestSupport.pipeline()
        let id = try NormaliseTestSupport.baseRun(geocode: NormaliseTestSupport.root + "/03-geocode", output: out, pipeline: p.name)
        try FileManager.default.removeItem(atPath: RunLayout(output: out, pipeline: p.name).stage(.geocode, run: id))
        #expect { try PipelineRunner(pipeline: p, stages: [NormaliseStage()], logger: StageTestSupport.logger).run(RunRequest(output: out, from: .normalise)) } throws: {
            ($0 as? StageError)?.exitCode == .noInput
        }
    }
}
