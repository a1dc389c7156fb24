import CSPTestSupport
import Foundation
import Testing

/// Source mappings end to end (`csp run --until clean` on a small export written here, in a layout csp has no Swift
/// for): every transform on a row whose cleaned value is worked out by hand, every kind of bad record rejected with
/// its rule, field and value, and a bad mapping refused before any stage with exit 78 naming file, line and key.
@Suite struct SourceMappingTests {
    /// A mapping onto fire_incidents of an export with day-first dates split over two columns, `NULL` tokens,
    /// numbers written `3.0`, codes in two columns, an exact and a rounded coordinate pair, and a WGS84 pair.
    static let mapping = """
    entity: fire_incidents
    format: csv
    null: ["NULL", "n/a"]
    fields:
      incident_ref: {from: Ref, prefix: "x:"}
      call_time: {from: [Day, Time], formats: ["dd/MM/yyyy HH:mm", "yyyy-MM-dd HH:mm:ss"]}
      incident_type:
        from: [Group, Detail]
        values:
          "Fire|Primary": primary_fire
          "Fire|*": secondary_fire
          "Special|RTC": road_traffic_collision
      property_type: {from: Property, case: lower, values: {House: dwelling, Car: road_vehicle}, default: other}
      pumps_attending: {from: Pumps, range: [0, 50]}
      first_pump_seconds: Attendance
      ward_reported_code: {from: Ward, case: upper}
      source_system: {value: test}
    coordinates:
      - {easting: E_exact, northing: N_exact, precision_m: 1}
      - {easting: E_50, northing: N_50, precision_m: 50}
      - {longitude: Lon, latitude: Lat, precision_m: 10}
    """

    static let header = "Ref,Day,Time,Group,Detail,Property,Pumps,Attendance,Ward,E_exact,N_exact,E_50,N_50,Lon,Lat,Street"

    /// A pipeline of one mapped source over `rows`; returns the run's stage 2 folder and the command's result.
    static func run(_ dir: TempDir, rows: [String], mapping: String = mapping) throws -> (clean: String, result: CLI.Result) {
        dir.write("in/export.csv", ([header] + rows).joined(separator: "\n") + "\n")
        dir.write("m.yaml", mapping)
        dir.write("p.yaml", """
        name: mapped
        area: {name: Test, la_code: E06000056}
        sources:
          - {id: export, agency: fire, mapping: m.yaml, path: in/export.csv, max_reject_share: 1}
        output: {folder: out}
        """)
        let r = try CLI.run(["run", "--pipeline", dir.path + "/p.yaml", "--until", "clean"])
        let folder = r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        return (folder + "/02-clean", r)
    }

    /// The cleaned rows by incident_ref, as column → value.
    static func rows(_ clean: String) -> [String: [String: String]] {
        let csv = StageTestSupport.csvRows(clean + "/fire_incidents.csv")
        guard let h = csv.first else { return [:] }
        var out: [String: [String: String]] = [:]
        for r in csv.dropFirst() { out[r[0]] = Dictionary(uniqueKeysWithValues: zip(h, r)) }
        return out
    }

    @Test func everyTransformGivesTheValueWorkedOutByHand() throws {
        let dir = TempDir("mapping-ok")
        defer { dir.cleanup() }
        let (clean, r) = try Self.run(dir, rows: [
            "A1,03/02/2023,14:05,Fire,Primary,House,3.0,416.0,e05013638,521277.0,193865.0,521250,193850,,,12 High St",
            "A2,2023-02-04,09:00:07,Fire,Chimney,NULL,1,,E05000001,,,538350,179450,,,",
            "A3,04/02/2023,23:59,Special,RTC,Car,2,n/a,NULL,,,,,-0.1276,51.5072,",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let got = Self.rows(clean)
        let a1 = try #require(got["x:A1"]), a2 = try #require(got["x:A2"]), a3 = try #require(got["x:A3"])
        #expect(a1["call_time"] == "2023-02-03T14:05" && a1["month"] == "2023-02")
        #expect(a1["incident_type"] == "primary_fire" && a1["property_type"] == "dwelling")
        #expect(a1["pumps_attending"] == "3" && a1["first_pump_seconds"] == "416")
        #expect(a1["ward_reported_code"] == "E05013638")
        #expect(a1["easting"] == "521277" && a1["northing"] == "193865" && a1["location_precision_m"] == "1" && a1["location_source"] == "E_exact/N_exact")
        // The second layout; a wildcard code; NULL is blank, and a blank with a vocabulary is blank (not the default).
        #expect(a2["call_time"] == "2023-02-04T09:00" && a2["incident_type"] == "secondary_fire" && a2["property_type"] == "")
        #expect(a2["easting"] == "538350" && a2["location_precision_m"] == "50" && a2["location_source"] == "E_50/N_50")
        #expect(a2["motive"] == "" && a2["source_system"] == "test")
        #expect(a3["incident_type"] == "road_traffic_collision" && a3["property_type"] == "road_vehicle" && a3["first_pump_seconds"] == "")
        #expect(a3["longitude"] == "-0.1276" && a3["latitude"] == "51.5072" && a3["easting"] == "" && a3["location_precision_m"] == "10")
        // The unread Street column never reaches stage 1.
        let stage1 = StageTestSupport.read((clean as NSString).deletingLastPathComponent + "/01-ingest/export.csv")
        #expect(!stage1.contains("High St") && !stage1.contains("Street"))
    }

    @Test func badRecordsAreRejectedWithRuleFieldAndValueAndCountsBalance() throws {
        let dir = TempDir("mapping-bad")
        defer { dir.cleanup() }
        let (clean, r) = try Self.run(dir, rows: [
            "B1,31/02/2023,10:00,Fire,Primary,House,1,60,W,,,,,,,",         // no 31 February
            "B2,3rd Feb 2023,10:00,Fire,Primary,House,1,60,W,,,,,,,",       // no declared layout
            "B3,03/02/2023,10:00,Flood,Big,House,1,60,W,,,,,,,",            // not in the vocabulary
            "B4,03/02/2023,10:00,Fire,Primary,House,99,60,W,,,,,,,",        // outside the range
            "B5,03/02/2023,10:00,Fire,Primary,House,1,60,W,-0.12,51.5,,,,,", // a longitude given as an easting
            "B6,03/02/2023,10:00,Fire,Primary,House,1,60,W,,,,,521277,193865,", // an easting given as a longitude
            "B7,03/02/2023,10:00,Fire,Primary,House,1.5,60,W,,,,,,,",       // not a whole number
            ",03/02/2023,10:00,Fire,Primary,House,1,60,W,,,,,,,",           // no identifier
            "B9,03/02/2023,10:00,Fire,Primary,House,1,60,W,,,,,,,",         // fine
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let rejects = StageTestSupport.csvRows(clean + "/rejects.csv")
        let byLine = Dictionary(uniqueKeysWithValues: rejects.dropFirst().map { ($0[3], (rule: $0[1], field: $0[4], value: $0[5], message: $0[6])) })
        #expect(byLine["2"]?.rule == "clean.date.impossible" && byLine["2"]?.field == "call_time")
        #expect(byLine["3"]?.rule == "clean.date.format" && byLine["3"]?.value == "3rd Feb 2023 10:00")
        #expect(byLine["4"]?.rule == "clean.mapping.unmapped-value" && byLine["4"]?.field == "incident_type" && byLine["4"]?.value == "Flood|Big")
        #expect(byLine["5"]?.rule == "clean.number.out-of-range" && byLine["5"]?.field == "pumps_attending")
        #expect(byLine["6"]?.rule == "clean.coordinate.out-of-range" && byLine["6"]?.message.contains("longitude and latitude") == true)
        #expect(byLine["7"]?.rule == "clean.coordinate.out-of-range" && byLine["7"]?.message.contains("easting and northing") == true)
        #expect(byLine["8"]?.rule == "clean.number.invalid" && byLine["8"]?.value == "1.5")
        #expect(byLine["9"]?.rule == "clean.mapping.missing" && byLine["9"]?.field == "incident_ref")
        #expect(rejects.count - 1 == 8)
        #expect(Self.rows(clean).keys.sorted() == ["x:B9"])
        let m = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: clean + "/manifest.json"))) as! [String: Any]
        let counts = (m["sources"] as! [String: [String: Int]])["export"]!
        #expect(counts["in"] == 9 && counts["out"] == 1 && counts["rejected"] == 8)
    }

    @Test func aMissingColumnFailsBeforeAnyRecordIsRead() throws {
        let dir = TempDir("mapping-header")
        defer { dir.cleanup() }
        let (_, r) = try Self.run(dir, rows: ["A1,03/02/2023,14:05,Fire,Primary,House,3,416,W,,,,,,,"],
                                  mapping: Self.mapping.replacingOccurrences(of: "from: Pumps", with: "from: PumpCount"))
        #expect(r.status == 65)
        #expect(r.stderr.contains("export.csv:1") && r.stderr.contains("lacks `PumpCount`") && r.stderr.contains("the header is Ref,Day,Time"))
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/out/mapped/latest"))
    }

    /// A mapping that breaks the entity's contract or YAML: exit 78 naming the mapping file, the line and the key.
    @Test(arguments: [
        ("entity: fire_incidents\nfields:\n  incident_ref: Ref\n  call_time: Day\n  incident_type: {from: Group, colour: red}\n", 5, "fields.incident_type.colour", "is not a known setting"),
        ("entity: fire_incidents\nfields:\n  incident_ref: Ref\n  call_time: Day\n  incident_type: Group\n  flavour: Detail\n", 6, "fields.flavour", "is not a field of `fire_incidents`"),
        ("entity: fire_incidents\nfields:\n  incident_ref: Ref\n  call_time: Day\n", 3, "fields.incident_type", "needs `incident_type`"),
        ("entity: fire_incidents\nfields:\n  incident_ref: Ref\n  call_time: {from: Day, formats: [\"dd/QQ/yyyy\"]}\n  incident_type: Group\n", 4, "fields.call_time.formats", "not a date layout"),
        ("entity: fire_incidents\nfields:\n  incident_ref: Ref\n  month: Day\n  call_time: Day\n  incident_type: Group\n", 4, "fields.month", "derived by csp"),
        ("entity: fire_incidents\nfields: [unclosed\n", 3, "", "not valid YAML"),
        ("entity: spaceships\nfields: {}\n", 1, "entity", "not an entity a mapping can fill"),
    ])
    func aBadMappingIsAConfigurationError(_ yaml: String, line: Int, key: String, message: String) throws {
        let dir = TempDir("mapping-config")
        defer { dir.cleanup() }
        let (_, r) = try Self.run(dir, rows: [], mapping: yaml)
        #expect(r.status == 78, "\(r.stderr)")
        #expect(r.stderr.contains("m.yaml:\(line)"), "\(r.stderr)")
        #expect(key.isEmpty || r.stderr.contains("`\(key)`"), "\(r.stderr)")
        #expect(r.stderr.contains(message), "\(r.stderr)")
    }
}
