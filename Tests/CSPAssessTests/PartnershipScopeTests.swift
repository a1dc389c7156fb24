import CSPTestSupport
import CSPCore
import Foundation
import GRDB
import Testing
@testable import CSPAssess

/// `area.partnership` (`--set csp=…` of the national pipeline): stage 5 assesses a copy of the warehouse holding
/// one partnership.
@Suite struct PartnershipScopeTests {
    /// A hand-made national warehouse: council L1 is CSP C1; council L2 has CSPs C2 (ward W3) and C3 (ward W4).
    func warehouse(_ dir: String) throws -> String {
        let path = dir + "/warehouse.sqlite"
        let q = try DatabaseQueue(path: path)
        try q.write { db in
            try db.execute(sql: """
                CREATE TABLE crimes (id INTEGER PRIMARY KEY, month TEXT, ward_code TEXT, la_code TEXT, csp_code TEXT, csp_name TEXT, pfa_name TEXT, csp_method TEXT,
                                     source_file TEXT);
                INSERT INTO crimes (month, ward_code, la_code, csp_code, csp_name, pfa_name, csp_method, source_file) VALUES
                  ('2024-01', 'W1', 'L1', 'C1', 'One', 'Force', 'council', 'm/2024-01/2024-01-own-street.csv'),
                  ('2024-01', 'W1', 'L1', 'C1', 'One', 'Force', 'council', 'm/2024-01/2024-01-btp-street.csv'),
                  ('2024-01', 'W3', 'L2', 'C2', 'Two', 'Force', 'old-district', 'm/2024-01/2024-01-own-street.csv'),
                  ('2024-01', 'W4', 'L2', 'C3', 'Three', 'Force', 'old-district', 'm/2024-01/2024-01-own-street.csv'),
                  ('2024-01', 'W4', 'L2', NULL, NULL, NULL, 'unassigned', 'm/2024-01/2024-01-own-street.csv');
                CREATE TABLE areas (id INTEGER PRIMARY KEY, layer TEXT, code TEXT, name TEXT, la_code TEXT, ward_code TEXT);
                INSERT INTO areas (layer, code, name, la_code, ward_code) VALUES
                  ('ward', 'W1', 'Ward 1', 'L1', 'W1'), ('ward', 'W2', 'Ward 2', 'L1', 'W2'), ('ward', 'W3', 'Ward 3', 'L2', 'W3'), ('ward', 'W4', 'Ward 4', 'L2', 'W4'),
                  ('la', 'L1', 'Council 1', 'L1', ''), ('la', 'L2', 'Council 2', 'L2', ''), ('csp', 'C1', 'One', '', ''), ('csp', 'C2', 'Two', '', ''), ('pfa', 'P', 'Force', '', '');
                CREATE TABLE population (id INTEGER PRIMARY KEY, layer TEXT, code TEXT, population INTEGER);
                INSERT INTO population (layer, code, population) VALUES ('ward', 'W1', 100), ('ward', 'W2', 50), ('ward', 'W3', 70), ('ward', 'W4', 30), ('csp', 'C1', 150), ('csp', 'C2', 70);
                CREATE TABLE geometry (id INTEGER PRIMARY KEY, layer TEXT, code TEXT, name TEXT, wkt TEXT);
                INSERT INTO geometry (layer, code, name, wkt) VALUES ('ward', 'W1', 'Ward 1', 'x'), ('ward', 'W3', 'Ward 3', 'y');
                CREATE TABLE coverage (id INTEGER PRIMARY KEY, source TEXT, force TEXT, month TEXT, status TEXT);
                INSERT INTO coverage (source, force, month, status) VALUES ('street', 'btp', '2024-01', 'present'), ('street', 'own', '2024-01', 'present'),
                  ('street', 'elsewhere', '2024-01', 'missing');
                """)
        }
        return path
    }

    func pipeline(_ partnership: String) throws -> PipelineDefinition {
        try PipelineLoader().parse(text: """
            name: n
            area: {name: England and Wales, la_code: K04000001, every_ward: true, partnership: "\(partnership)"}
            sources:
              - {id: s, agency: police, kind: police-uk-street, format: csv, path: x.csv}
            """, file: NSTemporaryDirectory() + "/scope.yaml")
    }

    func rows(_ path: String, _ sql: String) throws -> [String] {
        try DatabaseQueue(path: path).read { db in try String.fetchAll(db, sql: sql) }
    }

    @Test func aCouncilsPartnershipGetsEveryWardOfTheCouncil() throws {
        let dir = StageTestSupport.temporaryFolder("scope-council")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let s = try #require(try PartnershipScope.scoped(pipeline: try pipeline("C1"), national: try warehouse(dir), directory: dir))
        #expect(s.area.name == "One" && s.area.laCode == "C1" && s.area.everyWard == nil)
        #expect(try rows(s.path, "SELECT csp_code FROM crimes") == ["C1", "C1"])
        // The forces whose files hold its records: a force missing elsewhere is no gap of this partnership.
        #expect(try rows(s.path, "SELECT force FROM coverage ORDER BY id") == ["btp", "own"])
        #expect(try rows(s.path, "SELECT layer || ':' || code || ':' || la_code FROM areas ORDER BY id") == ["ward:W1:C1", "ward:W2:C1", "la:L1:L1", "csp:C1:", "pfa:P:"])
        #expect(try rows(s.path, "SELECT code || '=' || population FROM population ORDER BY id") == ["W1=100", "W2=50", "C1=150"])
        #expect(try rows(s.path, "SELECT code FROM geometry") == ["W1"])
    }

    @Test func anOldDistrictsPartnershipGetsTheWardsOfItsRecords() throws {
        let dir = StageTestSupport.temporaryFolder("scope-old-district")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let s = try #require(try PartnershipScope.scoped(pipeline: try pipeline("C2"), national: try warehouse(dir), directory: dir))
        #expect(try rows(s.path, "SELECT code FROM areas WHERE layer = 'ward'") == ["W3"])
        #expect(try rows(s.path, "SELECT code FROM areas WHERE layer = 'la'") == ["L2"])
        // Its own force through the slug table ("Force" is `elsewhere`), though none of its records came from that file.
        try FileManager.default.createDirectory(atPath: dir + "/again", withIntermediateDirectories: true)
        let t = try #require(try PartnershipScope.scoped(pipeline: try pipeline("C2"), national: try warehouse(dir + "/again"), directory: dir + "/again", slugs: ["Force": "elsewhere"]))
        #expect(try rows(t.path, "SELECT force FROM coverage ORDER BY id") == ["own", "elsewhere"])
    }

    @Test func aPartnershipsResidentsAreItsOwnFigureAndAWardWithZeroByBestFitIsAKnownZero() throws {
        let dir = StageTestSupport.temporaryFolder("scope-residents")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let w = try warehouse(dir)
        // W2 is no LSOA's best fit (stage 3 writes 0 and the reason); C1's residents are its LSOAs', all in W1.
        try DatabaseQueue(path: w).write { db in
            try db.execute(sql: """
                ALTER TABLE population ADD COLUMN note TEXT;
                UPDATE population SET population = 0, note = 'no LSOA has it as best fit' WHERE code = 'W2';
                UPDATE population SET population = 100 WHERE code = 'C1';
                """)
        }
        let s = try #require(try PartnershipScope.scoped(pipeline: try pipeline("C1"), national: w, directory: dir))
        #expect(s.residents == 100)
        let scoped = try AssessWarehouse(path: s.path)
        let wards = try scoped.areas(layer: "ward", laCode: "C1")
        #expect(wards.map(\.population) == [100, 0])
        #expect(AssessStage.residents(wards: wards, partnership: s.residents) == 100)
        let without = try AssessStage.wardsWithoutResidents(wards, warehouse: scoped)
        #expect(without.map { "\($0.name): \($0.note)" } == ["Ward 2: no LSOA has it as best fit"])
        // The report's footnote names them with the reason.
        var note = AssessReport.CoverageNote(calendar: nil, missing: [:], anchorReason: "r", noPopulation: false, noWards: false)
        note.noResidents = without
        #expect(note.html().contains("1 of this partnership's wards have 0 residents: their rate per 1,000 and hotspot test are not available"))
        #expect(note.html().contains("<li>Ward 2: no LSOA has it as best fit</li>"))
        // The ward test runs on the wards with residents: Ward 2 has no rate, no expectation, no p-value (`*`).
        let h = Hotspots(areas: wards.map { Hotspots.Area(name: $0.name, count: 12, population: $0.population) })
        #expect(h.areas.map(\.ratePer1000) == [120, nil] && h.areas.map(\.expected) == [12, nil] && h.areas[1].pValue == nil && h.areas[1].basis == .untested)
        // A council of several CSPs: the partnership's own figure (C2: 70, its LSOAs), not its wards' sum.
        try FileManager.default.createDirectory(atPath: dir + "/c2", withIntermediateDirectories: true)
        #expect(try PartnershipScope.scoped(pipeline: try pipeline("C2"), national: try warehouse(dir + "/c2"), directory: dir + "/c2")?.residents == 70)
    }

    /// The assessed area's residents: the partnership's figure if any, else the wards' sum when every ward has one.
    @Test(arguments: [
        ([100, 0], nil, 100), ([100, 50], nil, 150), ([100, nil], nil, nil), ([0, 0], nil, nil), ([100, nil], 250, 250), ([], nil, nil), ([100], 0, nil),
    ] as [([Int?], Int?, Int?)])
    func residentsOfTheAssessedArea(wards: [Int?], partnership: Int?, expected: Int?) {
        let list = wards.enumerated().map { (code: "W\($0.offset)", name: "W\($0.offset)", population: $0.element) }
        #expect(AssessStage.residents(wards: list, partnership: partnership) == expected)
    }

    @Test func noPartnershipIsTheWholeWarehouseAndAnUnknownOneIsAnError() throws {
        let dir = StageTestSupport.temporaryFolder("scope-none")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let w = try warehouse(dir)
        #expect(try PartnershipScope.scoped(pipeline: try pipeline(""), national: w, directory: dir) == nil)
        #expect {
            _ = try PartnershipScope.scoped(pipeline: try pipeline("C9"), national: w, directory: dir)
        } throws: { e in "\(e)".contains("area.partnership C9: no record of the warehouse is in that CSP") }
    }
}
