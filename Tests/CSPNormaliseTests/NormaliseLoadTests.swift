import CSPTestSupport
import CSPCore
@testable import CSPSchema
import CSPCSV
import Foundation
import GRDB
import Testing
@testable import CSPNormalise
@testable import CSPStorage

/// The load's edge cases: duplicate natural keys and lineage (sequential semantics: a row that was not stored never
/// blocks a later one), NOT NULL refusals, type rejects, all in one dataset, and their exact outputs.
@Suite struct NormaliseLoadTests {
    static let crimesHeader = "crime_ref,month,committed_from,committed_to,recorded_date,ho_code,offence_description,offence_group,ho_category,beat,ward_text,ward_reported_code,district_code,easting,northing,longitude,latitude,lsoa_code,location_description,domestic,hate,alcohol,distraction,last_outcome,extracted_date,ward_code,ward_name,la_code,la_name,ward08_code,ward08_name,snt_code,snt_name,geocode_method,geocode_approximate,geocode_disagreement,source_file,source_record"

    /// A crimes row: `ref`, month, the few typed cells tests vary, then geography and lineage.
    static func crime(_ ref: String, file: String, line: String, easting: String = "502100", longitude: String = "-0.52", note: String = "On or near Park Road") -> String {
        "\(ref),2009-01,2009-01-04,,2009-01-05,28,Burglary in a dwelling,burglary_dwelling,Burglary,DU1,,,09UE,\(easting),222050,\(longitude),51.88,,\(note),false,false,true,false,,2009-02-05,00KCAA,Dunstable Icknield,00KC,Central Bedfordshire,09UEGC,Icknield,SNT01,Dunstable North,point,false,,\(file),\(line)"
    }

    /// Runs stage 4 on the golden fixture with `crimes.csv` replaced by `rows`.
    static func run(crimes rows: [String], asb: [String]? = nil, output: String? = nil, edit: (String) throws -> Void = { _ in }) throws -> (NormaliseTestSupport.Result, String) {
        let dir = output ?? StageTestSupport.temporaryFolder("normalise-load")
        let geo = dir + "/03-geocode"
        try FileManager.default.copyItem(atPath: NormaliseTestSupport.root + "/03-geocode", toPath: geo)
        try ([crimesHeader] + rows).map { $0 + "\n" }.joined().write(toFile: geo + "/crimes.csv", atomically: true, encoding: .utf8)
        if let asb {
            let header = try String(contentsOfFile: geo + "/asb_incidents.csv", encoding: .utf8).split(separator: "\n")[0]
            try ([String(header)] + asb).map { $0 + "\n" }.joined().write(toFile: geo + "/asb_incidents.csv", atomically: true, encoding: .utf8)
        }
        try edit(geo)
        return (try NormaliseTestSupport.run(geocode: geo), dir)
    }

    /// Duplicates on the natural key, on the lineage and on both; a row refused as a duplicate does not block a later
    /// row with its values; NOT NULL refusals win over duplicates; type rejects in between. The CSV, the table,
    /// duplicates.csv and rejects.csv are checked line by line.
    @Test func duplicatesRefusalsAndRejectsInOneDataset() throws {
        let rows = [
            Self.crime("K1", file: "raw/a.csv", line: "2"),                  // 1 kept
            Self.crime("K1", file: "raw/a.csv", line: "3"),                  // 2 duplicate crime_ref of 1
            Self.crime("K2", file: "raw/a.csv", line: "2"),                  // 3 duplicate lineage of 1
            Self.crime("K1", file: "raw/a.csv", line: "2"),                  // 4 duplicate of 1 on both
            Self.crime("K3", file: "raw/a.csv", line: "3"),                  // 5 kept: row 2 (same lineage) was not stored
            Self.crime("K2", file: "raw/a.csv", line: "4"),                  // 6 kept: row 3 (same crime_ref) was not stored
            Self.crime("K4", file: "", line: "5"),                           // 7 NOT NULL source_file
            Self.crime("K5", file: "raw/a.csv", line: ""),                   // 8 NOT NULL source_record
            Self.crime("K1", file: "", line: "2"),                           // 9 NOT NULL before the duplicate
            Self.crime("K6", file: "raw/a.csv", line: "6", easting: "1.5"), // 10 type reject
            Self.crime("", file: "raw/a.csv", line: "7", note: "=x"),        // 11 kept (blank keys never clash)
            Self.crime("", file: "raw/a.csv", line: "8", longitude: "-1e2"), // 12 kept
            Self.crime("K3", file: "raw/b.csv", line: "3"),                  // 13 duplicate crime_ref of 5
        ]
        let (r, dir) = try Self.run(crimes: rows, asb: [
            ",2009-02-01,2009-02,Anti-social behaviour,,,,,,-0.52,51.88,E01017540,On or near Park Road,,,00KCAA,Dunstable Icknield,00KC,Central Bedfordshire,09UEGC,Icknield,SNT01,Dunstable North,point,true,,raw/p.csv,4",
            "I1,2009-02-01,2009-02,Anti-social behaviour,,,,,,-0.52,51.88,E01017540,On or near Park Road,,,00KCAA,Dunstable Icknield,00KC,Central Bedfordshire,09UEGC,Icknield,SNT01,Dunstable North,point,true,,raw/p.csv,5",
            "I1,2009-02-01,2009-02,Anti-social behaviour,,,,,,-0.52,51.88,E01017540,On or near Park Road,,,00KCAA,Dunstable Icknield,00KC,Central Bedfordshire,09UEGC,Icknield,SNT01,Dunstable North,point,true,,raw/p.csv,6",
            ",2009-02-01,2009-02,Anti-social behaviour,,,,,,-0.52,51.88,E01017540,On or near Park Road,,,00KCAA,Dunstable Icknield,00KC,Central Bedfordshire,09UEGC,Icknield,SNT01,Dunstable North,point,true,,raw/p.csv,4",
        ])
        defer { r.cleanup(); try? FileManager.default.removeItem(atPath: dir) }

        let published = NormaliseTestSupport.rows(r.folder + "/crimes.csv").dropFirst().map { "\($0[0]) \($0[36]):\($0[37]) \($0[18]) \($0[15])" }
        #expect(published == ["K1 raw/a.csv:2 On or near Park Road -0.52", "K3 raw/a.csv:3 On or near Park Road -0.52", "K2 raw/a.csv:4 On or near Park Road -0.52",
                              " raw/a.csv:7 '=x -0.52", " raw/a.csv:8 On or near Park Road -1e2"])
        try NormaliseTestSupport.open(r.warehouse).read { db throws in
            let stored = try Row.fetchAll(db, sql: "SELECT id, crime_ref, source_file, source_record, location_description, longitude FROM crimes ORDER BY id").map {
                "\($0["id"] as Int) \($0["crime_ref"] as String? ?? "NULL") \($0["source_file"] as String):\($0["source_record"] as Int) \($0["location_description"] as String) \($0["longitude"] as Double)"
            }
            #expect(stored == ["1 K1 raw/a.csv:2 On or near Park Road -0.52", "2 K3 raw/a.csv:3 On or near Park Road -0.52", "3 K2 raw/a.csv:4 On or near Park Road -0.52",
                               "4 NULL raw/a.csv:7 =x -0.52", "5 NULL raw/a.csv:8 On or near Park Road -100.0"])
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM asb_incidents") == 2)
        }
        let duplicates = NormaliseTestSupport.rows(r.folder + "/duplicates.csv").dropFirst().map { $0.joined(separator: "|") }
        #expect(duplicates == [
            "normalise|normalise.duplicate.crime_ref|raw/a.csv|3|crime_ref|K1|same crime_ref as raw/a.csv line 2, which was kept",
            "normalise|normalise.duplicate.source_file+source_record|raw/a.csv|2|source_file+source_record|raw/a.csv+2|same source_file, source_record as raw/a.csv line 2, which was kept",
            // Both keys clash: SQLite reports the lineage (its UNIQUE indexes are checked lineage first).
            "normalise|normalise.duplicate.source_file+source_record|raw/a.csv|2|source_file+source_record|raw/a.csv+2|same source_file, source_record as raw/a.csv line 2, which was kept",
            "normalise|normalise.duplicate.crime_ref|raw/b.csv|3|crime_ref|K3|same crime_ref as raw/a.csv line 3, which was kept",
            "normalise|normalise.duplicate.incident_ref|raw/p.csv|6|incident_ref|I1|same incident_ref as raw/p.csv line 5, which was kept",
            "normalise|normalise.duplicate.source_file+source_record|raw/p.csv|4|source_file+source_record|raw/p.csv+4|same source_file, source_record as raw/p.csv line 4, which was kept",
        ])
        let rejects = NormaliseTestSupport.rows(r.folder + "/rejects.csv").dropFirst().map { $0.joined(separator: "|") }
        #expect(rejects == [
            "normalise|normalise.constraint||5|||the warehouse refused the row: NOT NULL constraint failed: crimes.source_file",
            "normalise|normalise.constraint|raw/a.csv|0|||the warehouse refused the row: NOT NULL constraint failed: crimes.source_record",
            "normalise|normalise.constraint||2|||the warehouse refused the row: NOT NULL constraint failed: crimes.source_file",
            "normalise|normalise.type.integer|raw/a.csv|6|easting|1.5|crimes.easting `1.5` is not a valid integer (INTEGER); the row was not published",
        ])
        let m = try JSON.read(Manifest.self, from: r.folder + "/manifest.json")
        #expect(m.sources["crimes"] == StageCounts(inCount: 13, out: 5, rejected: 4, duplicates: 4))
        #expect(m.sources["asb_incidents"] == StageCounts(inCount: 4, out: 2, rejected: 0, duplicates: 2))
    }

    /// The cells the load binds from bytes are exactly the values `ColumnType.value` gives (same acceptance, same
    /// storage class, same value, bit for bit for reals), and every accepted cell passes the column's CHECK.
    @Test func boundCellsAreTheCheckedValues() throws {
        var cases: [ColumnType: [String]] = [
            .text: ["x", "=1", "'", "é中😀", " ", "-"],
            .integer: ["0", "-0", "-", "7", "007", "-42", "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
                       "12x", "1.0", "+1", " 1", "1 ", "1e3", "0x10"],
            .real: ["0", "-0", "-0.0", "1.", ".5", "-.5", ".", "-", "1e5", "1E+5", "1e-5", "1.5e", "e5", "1.2.3", "123456789012345", "1234567890123456",
                    "0.1", "0.30000000000000004", "-0.621328", "52.062263", "1e400", "-1e400", "1e-400", "nan", "inf", "0x1p3", " 1", "1 ", "+1",
                    "00012.5000", "9007199254740993", "0.000000000000000000000001", "0.0000000000000000000001", "1234567.1234567891",
                    "999999999999999.9", "99999999999999.99", "-123456789.012345", "0000000000000000000001.5", "1e", "--1", "1-"],
            .boolean: ["true", "false", "True", "FALSE", "1", "0", "yes", "truex", "fals"],
            .date: ["2009-02-28", "2009-02-29", "2008-02-29", "2000-02-29", "1900-02-29", "2009-13-01", "2009-00-10", "2009-01-00", "2009-1-01",
                    "2009-01-01T00:00", "0001-01-01", "9999-12-31", "2009-04-31", "2009-04-30", "2009-02-30", "20090101", "2009/01/01", "2009-01-01 "],
            .month: ["2009-12", "2009-13", "2009-00", "2009-1", "0001-01", "2009-01-01", "2009/01", "200901"],
            .datetime: ["2009-01-01", "2009-01-01T23:59", "2009-01-01T24:00", "2009-01-01T23:60", "2009-01-01T23:59:59", "2009-01-01T23:59:60",
                        "2009-01-01 23:59", "2009-01-01T23:59:5", "2009-02-29T10:00", "2008-02-29T00:00:00", "2009-01-01T", "2009-01-01T1:00"],
        ]
        // Random decimals around the fast path's limits (15 significant digits, 22 decimals).
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<3000 {
            let whole = String(UInt64.random(in: 0...UInt64(999_999_999), using: &rng))
            let fraction = String((0..<Int.random(in: 0...24, using: &rng)).map { _ in Character(String(Int.random(in: 0...9, using: &rng))) })
            cases[.real, default: []].append((Bool.random(using: &rng) ? "-" : "") + whole + (fraction.isEmpty ? "" : "." + fraction))
        }
        let columns = ColumnType.allCases.map { PublishedColumn(name: "c_\($0.rawValue)", type: $0, meaning: "", role: .entity) }
        let dataset = PublishedDataset(name: "t", meaning: "", columns: columns, naturalKey: nil, hasLineage: false)
        let dir = StageTestSupport.temporaryFolder("normalise-cells")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        var lines = [dataset.header.joined(separator: ",")]
        var expected: [(column: Int, text: String)] = []
        for (c, type) in ColumnType.allCases.enumerated() {
            for text in cases[type] ?? [] {
                lines.append(CSV.format([(0..<columns.count).map { $0 == c ? text : "" }]).dropLast().description)
                expected.append((c, text))
            }
        }
        try (lines.joined(separator: "\n") + "\n").write(toFile: dir + "/t.csv", atomically: true, encoding: .utf8)
        let queue = try DatabaseQueue(path: dir + "/t.sqlite")
        try queue.write { db in
            try db.create(table: "t") { t in
                t.primaryKey("id", .integer)
                for c in columns {
                    let col = t.column(c.name, c.type.sqlType)
                    if let check = c.type.check(c.name) { col.check(sql: check) }
                }
            }
            let inserter = try TableInserter(dataset, db: db)
            let reader = try CSVReader(path: dir + "/t.csv")
            var k = 0
            var failure: Error?
            reader.forEach { rec in
                let (c, text) = expected[k]
                k += 1
                let old = columns[c].type.value(text)
                let bad = inserter.bind(rec)
                #expect((bad == c) == (old == nil), "\(columns[c].type) `\(text)`: bind says \(bad), value says \(String(describing: old))")
                guard bad < 0, let old else { return }
                var t = text
                switch (t.withUTF8 { columns[c].type.cell($0) }, old.storage) {
                case (.null?, .null): break
                case (.integer(let a)?, .int64(let b)): #expect(a == b, "\(columns[c].type) `\(text)`")
                case (.real(let a)?, .double(let b)): #expect(a.bitPattern == b.bitPattern, "real `\(text)`: \(a) vs \(b)")
                case (.text?, .string(let b)): #expect(text == b)
                case (let a, let b): Issue.record("\(columns[c].type) `\(text)`: cell \(String(describing: a)), value \(b)")
                }
                do {
                    guard case .inserted = try inserter.step(rec) else { Issue.record("\(columns[c].type) `\(text)` refused by the CHECK"); return }
                } catch { failure = error }
            }
            if let failure { throw failure }
            #expect(k == expected.count)
        }
    }

    /// Many batches: type rejects and NOT NULL refusals all along, a duplicate lineage in the middle (refused while
    /// the rows go in, when the reading thread is already ahead) and duplicate natural keys later (found when the
    /// index is built). Every issue is written once, in file order; the CSV and the table hold the same rows.
    @Test(arguments: [(3000, 7000), (0, 7000), (3000, 0), (0, 0)])
    func clashesInALargeFile(lineageClashAt: Int, keyClashAt: Int) throws {
        let count = 10_000
        var rows: [String] = []
        var expectedRejects: [String] = [], expectedDuplicates: [String] = [], expectedPublished: [String] = []
        for i in 1...count {
            let line = String(i + 1)
            if i % 97 == 0 {
                rows.append(Self.crime("R\(i)", file: "raw/big.csv", line: line, easting: "x\(i)"))
                expectedRejects.append("normalise.type.integer|\(line)|easting|x\(i)")
            } else if i % 1013 == 0 {
                rows.append(Self.crime("R\(i)", file: "", line: line))
                expectedRejects.append("normalise.constraint|\(line)||")
            } else if i == lineageClashAt {
                rows.append(Self.crime("R\(i)", file: "raw/big.csv", line: "2"))
                expectedDuplicates.append("normalise.duplicate.source_file+source_record|2")
            } else if i == keyClashAt {
                rows.append(Self.crime("R1", file: "raw/big.csv", line: line))
                expectedDuplicates.append("normalise.duplicate.crime_ref|\(line)")
            } else {
                rows.append(Self.crime("R\(i)", file: "raw/big.csv", line: line, note: i % 10 == 0 ? "-\(i)" : "On or near \(i)"))
                expectedPublished.append("R\(i) \(line) \(i % 10 == 0 ? "'-\(i)" : "On or near \(i)")")
            }
        }
        let (r, dir) = try Self.run(crimes: rows)
        defer { r.cleanup(); try? FileManager.default.removeItem(atPath: dir) }
        let published = NormaliseTestSupport.rows(r.folder + "/crimes.csv").dropFirst().map { "\($0[0]) \($0[37]) \($0[18])" }
        #expect(published == expectedPublished)
        let rejects = NormaliseTestSupport.rows(r.folder + "/rejects.csv").dropFirst().map { "\($0[1])|\($0[3])|\($0[4])|\($0[5])" }
        #expect(rejects == expectedRejects)
        let duplicates = NormaliseTestSupport.rows(r.folder + "/duplicates.csv").dropFirst().map { "\($0[1])|\($0[3])" }
        #expect(duplicates == expectedDuplicates)
        try NormaliseTestSupport.open(r.warehouse).read { db throws in
            let stored = try Row.fetchAll(db, sql: "SELECT id, crime_ref, source_record FROM crimes ORDER BY id").map { "\($0["crime_ref"] as String) \($0["source_record"] as Int)" }
            #expect(stored == expectedPublished.map { $0.split(separator: " ").prefix(2).joined(separator: " ") })
            #expect(try Int.fetchOne(db, sql: "SELECT MAX(id) FROM crimes") == expectedPublished.count)
            // The unique indexes are in place and the CHECKs are enforced for later writers.
            #expect { try db.execute(sql: "INSERT INTO crimes (crime_ref, source_file, source_record) VALUES ('R1', 'x', 1)") } throws: { _ in true }
        }
        let m = try JSON.read(Manifest.self, from: r.folder + "/manifest.json")
        #expect(m.sources["crimes"] == StageCounts(inCount: count, out: expectedPublished.count, rejected: expectedRejects.count, duplicates: expectedDuplicates.count))
    }

    /// A reader opening the warehouse sees the CHECKs, the unique keys and their usual error messages.
    @Test func laterWritersGetTheConstraints() throws {
        let (r, dir) = try Self.run(crimes: [Self.crime("K1", file: "raw/a.csv", line: "2")])
        defer { r.cleanup(); try? FileManager.default.removeItem(atPath: dir) }
        let q = try DatabaseQueue(path: r.warehouse)
        for (sql, message) in [
            ("INSERT INTO crimes (crime_ref, source_file, source_record) VALUES ('K1', 'x', 1)", "UNIQUE constraint failed: crimes.crime_ref"),
            ("INSERT INTO crimes (crime_ref, source_file, source_record) VALUES ('K2', 'raw/a.csv', 2)", "UNIQUE constraint failed: crimes.source_file, crimes.source_record"),
            ("INSERT INTO crimes (month, source_file, source_record) VALUES ('2009-13', 'x', 1)", "CHECK constraint failed"),
            ("INSERT INTO crimes (source_record) VALUES (1)", "NOT NULL constraint failed: crimes.source_file"),
        ] {
            #expect { try q.write { db in try db.execute(sql: sql) } } throws: { (($0 as? DatabaseError)?.message ?? "").hasPrefix(message) }
        }
    }

    /// A damaged stage 3 line stops the stage with the line named, whether it comes in the first batch or far into
    /// the file (the reading thread stops; the inserting thread is not left waiting).
    @Test(arguments: [3, 6000])
    func aDamagedLineStopsTheStage(at: Int) throws {
        var rows = (1...8000).map { Self.crime("R\($0)", file: "raw/big.csv", line: String($0 + 1)) }
        rows[at - 1] = "R\(at),2009-01,too,few,fields"
        let dir = StageTestSupport.temporaryFolder("normalise-damaged")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect { _ = try Self.run(crimes: rows, output: dir) } throws: { error in
            guard case .malformedInput(_, let line, let message)? = error as? StageError else { return false }
            return line == at + 1 && message.contains("stage 3 output is damaged") && message.contains("5 fields where the header has 38")
        }
    }

    /// A clash in a reference table stops the stage, as before (no duplicates.csv for reference tables).
    @Test func aReferenceClashStopsTheStage() throws {
        let dir = StageTestSupport.temporaryFolder("normalise-areas")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect { _ = try Self.run(crimes: [Self.crime("K1", file: "raw/a.csv", line: "2")], output: dir) { geo in
            let areas = try String(contentsOfFile: geo + "/areas.csv", encoding: .utf8)
            let lines = areas.split(separator: "\n")
            try (areas + lines[1] + "\n").write(toFile: geo + "/areas.csv", atomically: true, encoding: .utf8)
        } } throws: { error in
            guard case .malformedInput(_, _, let message)? = error as? StageError else { return false }
            return message.contains("UNIQUE constraint failed: areas.layer, areas.code")
        }
    }

    /// A NUL byte in a cell is a damaged line (text is bound with its length; GRDB bound it as a C string, so the
    /// two agree only because no cell holds a NUL).
    @Test func aNulByteIsADamagedLine() throws {
        let dir = StageTestSupport.temporaryFolder("normalise-nul")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect { _ = try Self.run(crimes: [Self.crime("K1", file: "raw/a.csv", line: "2", note: "On or near\u{0}Park Road")], output: dir) } throws: { error in
            guard case .malformedInput(_, let line, let message)? = error as? StageError else { return false }
            return line == 2 && message.contains("NUL")
        }
    }
}
