import Foundation
import Testing
@testable import CSPFixtures

@Suite("Fixture generator", .serialized)
struct FixtureGeneratorTests {
    /// One generation with the default seed, shared by the tests below.
    static let generated: String = {
        let c = FixtureTestSupport.config()
        _ = try! FixtureGenerator.generateAll(c)
        return c.output
    }()

    @Test("The same seed gives byte-identical output; another seed differs")
    func deterministic() throws {
        let a = Self.generated
        let b = FixtureTestSupport.config()
        try FixtureGenerator.generateAll(b)
        let files = FixtureTestSupport.files(under: a)
        #expect(files == FixtureTestSupport.files(under: b.output))
        for f in files { #expect(FixtureTestSupport.bytes(a + "/" + f) == FixtureTestSupport.bytes(b.output + "/" + f), "\(f) differs") }
        let other = FixtureTestSupport.config(seed: 7)
        try FixtureGenerator.generateAll(other)
        for f in ["police/crimes/crimes_2009-01.csv", "police/asb/asb_2009-01.xml", "survey/place_survey_2008.csv", "yos/yos_cases.csv", "fire/irs_2009-05.xml"] {
            #expect(FixtureTestSupport.bytes(a + "/" + f) != FixtureTestSupport.bytes(other.output + "/" + f), "\(f) ignores the seed")
        }
    }

    @Test("The committed Fixtures/raw is exactly what the generator writes with the default seed")
    func committedMatches() {
        let committed = FixtureTestSupport.root + "/Fixtures/raw"
        let files = FixtureTestSupport.files(under: Self.generated)
        #expect(FixtureTestSupport.files(under: committed) == files)
        for f in files {
            #expect(FixtureTestSupport.bytes(committed + "/" + f) == FixtureTestSupport.bytes(Self.generated + "/" + f), "\(f) was edited by hand or is stale: run `swift run csp-fixtures`")
        }
    }

    @Test("Planted crime quirks in expected.json match counts recomputed from the files")
    func crimeQuirks() throws {
        let dir = Self.generated
        let expected = try FixtureTestSupport.expected(dir)
        let known = Set(try ReferenceCSV(path: FixtureTestSupport.root + "/Pipelines/reference/offence-codes.csv", requiring: ["ho_code"]).rows.map { $0[0] })
        let crimeFiles = FixtureTestSupport.files(under: dir + "/police/crimes")
        #expect(crimeFiles.count == 30)
        var unknown = 0, untidy = 0, ragged = 0, outOfArea = 0, noCoords = 0, noLocation = 0, oldCodes = 0, newCodes = 0, sameFile = 0
        var filesOf: [String: Set<String>] = [:]
        var rows = 0
        for f in crimeFiles {
            let lines = FixtureTestSupport.lines(dir + "/police/crimes/" + f)
            #expect(lines[0] == CrimeFactory.header.joined(separator: ","))
            var seen: Set<String> = []
            let raw = FixtureTestSupport.bytes(dir + "/police/crimes/" + f)
            let truncated = raw.last != UInt8(ascii: "\n")
            #expect(truncated == (f == "crimes_2009-06.csv"))
            for (i, line) in lines.enumerated().dropFirst() {
                if truncated && i == lines.count - 1 { continue }
                rows += 1
                let fields = FixtureTestSupport.split(line)
                // A ragged row is rejected by stage 1, so its other quirks are not planted (not counted).
                if fields.count != 17 { ragged += 1; continue }
                let code = fields[1].trimmingCharacters(in: .whitespaces).uppercased()
                if !known.contains(code) { unknown += 1 } else if code != fields[1] { untidy += 1 }
                switch fields[8] {
                case "09UC", "09UE": oldCodes += 1
                case "00KC": newCodes += 1
                default: outOfArea += 1
                }
                if fields[9].isEmpty { if fields[7].isEmpty { noLocation += 1 } else { noCoords += 1 } }
                if !seen.insert(fields[0]).inserted { sameFile += 1 }
                filesOf[fields[0], default: []].insert(f)
            }
        }
        #expect(rows == (try totals(dir))["crimes.rows"])
        #expect(unknown == expected["crimes.unknown_offence_code"])
        #expect(untidy == expected["crimes.offence_code_untidy"])
        #expect(ragged == expected["crimes.ragged_row"])
        #expect(outOfArea == expected["crimes.out_of_area"])
        #expect(oldCodes == expected["crimes.old_district_code"])
        #expect(newCodes == expected["crimes.new_district_code"])
        #expect(noCoords == expected["crimes.no_coordinates"])
        #expect(noLocation == expected["crimes.no_location"])
        #expect(sameFile == expected["crimes.duplicate_same_file"])
        #expect(filesOf.values.filter { $0.count == 2 }.count == expected["crimes.duplicate_next_month"])
        #expect(filesOf.values.allSatisfy { $0.count <= 2 })
        #expect(expected["crimes.truncated_final_line"] == 1)
        #expect((expected["crimes.unknown_offence_code"] ?? 0) > 0 && (expected["crimes.ragged_row"] ?? 0) > 0)
    }

    @Test("Persons, ASB, fire and YOS quirk counts match the files")
    func otherQuirks() throws {
        let dir = Self.generated
        let expected = try FixtureTestSupport.expected(dir)
        var crimeNumbers: Set<String> = []
        for f in FixtureTestSupport.files(under: dir + "/police/crimes") {
            for l in FixtureTestSupport.lines(dir + "/police/crimes/" + f).dropFirst() { crimeNumbers.insert(String(l.prefix { $0 != "," })) }
        }
        var orphans = 0, sexOdd = 0, icBlank = 0
        for f in FixtureTestSupport.files(under: dir + "/police/persons") {
            for l in FixtureTestSupport.lines(dir + "/police/persons/" + f).dropFirst() {
                let p = FixtureTestSupport.split(l)
                if !crimeNumbers.contains(p[0]) { orphans += 1 }
                if !["M", "F", "U"].contains(p[6]) { sexOdd += 1 }
                if p[7].isEmpty { icBlank += 1 }
            }
        }
        #expect(orphans == expected["persons.orphan_crime_number"])
        #expect(sexOdd == expected["persons.sex_nonstandard"])
        #expect(icBlank == expected["persons.ic_blank"])

        var incidents = 0, noLocation = 0, cdata = 0
        for f in FixtureTestSupport.files(under: dir + "/police/asb") {
            let text = String(decoding: FixtureTestSupport.bytes(dir + "/police/asb/" + f), as: UTF8.self)
            #expect(text.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"))
            let n = text.components(separatedBy: "<Incident ").count - 1
            incidents += n
            noLocation += n - (text.components(separatedBy: "<Location>").count - 1)
            cdata += text.components(separatedBy: "<![CDATA[").count - 1
        }
        #expect(incidents == (try totals(dir))["asb.incidents"])
        #expect(noLocation == expected["asb.no_location"])
        #expect(cdata == expected["asb.cdata_notes"])

        let legacy = FixtureTestSupport.lines(dir + "/fire/legacy_2007-01_2009-03.csv")
        #expect(legacy[0] == "INC_NO,CALL_DTTM,INC_TYPE,PROP_TYPE,CAUSE,FATAL,INJ,WARD,DISTRICT,EASTING,NORTHING")
        #expect(legacy.dropFirst().filter { ["09UD", "00KA", "00KB"].contains(FixtureTestSupport.split($0)[8]) }.count == expected["fire_legacy.out_of_area"])
        let irs5 = String(decoding: FixtureTestSupport.bytes(dir + "/fire/irs_2009-05.xml"), as: UTF8.self)
        let irs6 = String(decoding: FixtureTestSupport.bytes(dir + "/fire/irs_2009-06.xml"), as: UTF8.self)
        #expect(irs5.contains("xmlns=\"urn:irs:incident:2009\"") && irs6.contains("xmlns:irs=\"urn:irs:incident:2009\""))

        let yos = FixtureTestSupport.bytes(dir + "/yos/yos_cases.csv")
        #expect(Array(yos.prefix(3)) == [0xEF, 0xBB, 0xBF] && !yos.contains(UInt8(ascii: "\r")))
        var outOfRange = 0
        for l in FixtureTestSupport.lines(dir + "/yos/yos_cases.csv").dropFirst() {
            let f = FixtureTestSupport.split(l)
            let dob = f[1].split(separator: "/").map { Int($0)! }, off = f[4].split(separator: "/").map { Int($0)! }
            var age = off[2] - dob[2]
            if (off[1], off[0]) < (dob[1], dob[0]) { age -= 1 }
            if age < 10 || age > 17 { outOfRange += 1 }
        }
        #expect(outOfRange == expected["yos.age_out_of_range"])
    }

    @Test("Place Survey NI 17, NI 41 and NI 42 are near the assessment's 17%, 28% and 27%")
    func survey() throws {
        let lines = FixtureTestSupport.lines(Self.generated + "/survey/place_survey_2008.csv")
        #expect(lines[0] == SurveyExport.header)
        #expect(lines.count == 1801)
        let score = ["Very big problem": 3, "Fairly big problem": 2, "Not a very big problem": 1, "Not a problem at all": 0]
        var hi = 0.0, base = 0.0, drunk = 0.0, drunkBase = 0.0, drugs = 0.0, drugsBase = 0.0
        for l in lines.dropFirst() {
            let f = FixtureTestSupport.split(l)
            let w = Double(f[2])!
            #expect(w >= 0.3 && w <= 3.0)
            let s = f[3...9].map { score[$0] }
            if s.allSatisfy({ $0 != nil }) { base += w; if s.reduce(0, { $0 + $1! }) >= 11 { hi += w } }
            if let v = s[5] { drunkBase += w; if v >= 2 { drunk += w } }
            if let v = s[4] { drugsBase += w; if v >= 2 { drugs += w } }
        }
        #expect(abs(hi / base - 0.17) < 0.02)
        #expect(abs(drunk / drunkBase - 0.28) < 0.02)
        #expect(abs(drugs / drugsBase - 0.27) < 0.02)
    }

    @Test("Jan–Jun 2009 vs Jan–Jun 2008 moves the way the assessment says", arguments: [
        ("burglary_dwelling", false), ("theft_from_vehicle", false), ("theft_of_vehicle", false), ("criminal_damage", false),
        ("burglary_other", true), ("wounding", true), ("common_assault", true), ("drugs", true),
    ])
    func trend(group: String, rises: Bool) throws {
        let ref = try ReferenceCSV(path: FixtureTestSupport.root + "/Pipelines/reference/offence-codes.csv", requiring: ["ho_code", "offence_group"])
        let codes = Set(ref.rows.filter { ref.value($0, "offence_group") == group }.map { ref.value($0, "ho_code") })
        func count(_ year: Int) -> Int {
            (1...6).map { m in
                Set(FixtureTestSupport.lines(Self.generated + "/police/crimes/crimes_\(year)-0\(m).csv").dropFirst()
                    .map(FixtureTestSupport.split).filter { $0.count > 1 && codes.contains($0[1]) }.map { $0[0] }).count
            }.reduce(0, +)
        }
        #expect((count(2009) > count(2008)) == rises)
    }

    func totals(_ dir: String) throws -> [String: Int] {
        let json = try JSONSerialization.jsonObject(with: Data(FixtureTestSupport.bytes(dir + "/expected.json"))) as! [String: Any]
        return json["totals"] as! [String: Int]
    }
}

@Suite("Benchmark scale output")
struct ScaleExportTests {
    @Test("--scale 0.01 writes 10,000 CMSII rows")
    func cmsii() throws {
        let c = FixtureTestSupport.config()
        let r = try FixtureGenerator.generateScale(c, millions: 0.01, format: .cmsii)
        #expect(r.rows == 10_000 && r.files.count == 1)
        let lines = FixtureTestSupport.lines(r.files[0])
        #expect(lines.count == 10_001)
        #expect(lines[0] == CrimeFactory.header.joined(separator: ","))
    }

    @Test("--scale 0.01 --format police-uk writes the real street-file header, CRLF, 10,000 rows")
    func policeUK() throws {
        let c = FixtureTestSupport.config()
        let r = try FixtureGenerator.generateScale(c, millions: 0.01, format: .policeUK)
        #expect(r.files.count == 30)
        var rows = 0
        for f in r.files {
            let b = FixtureTestSupport.bytes(f)
            let header = Array("Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context\r\n".utf8)
            #expect(Array(b.prefix(header.count)) == header)
            let lines = FixtureTestSupport.lines(f).dropFirst()
            rows += lines.count
            #expect(lines.allSatisfy { FixtureTestSupport.split($0).count == 12 })
        }
        #expect(rows == 10_000)
        // About 1% re-publish a crime of the previous month: same Crime ID, this month's label.
        #expect(r.republished > 40 && r.republished < 160)
        var seen: [String: String] = [:], repeats = 0
        for f in r.files {
            for line in FixtureTestSupport.lines(f).dropFirst() {
                let fields = FixtureTestSupport.split(line)
                guard !fields[0].isEmpty else { continue }
                if let earlier = seen[fields[0]] { repeats += 1; #expect(earlier < fields[1]) }
                seen[fields[0]] = fields[1]
            }
        }
        #expect(repeats == r.republished)
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: c.output + "/scale.json"))) as? [String: Any]
        #expect(summary?["republished"] as? Int == r.republished && summary?["rows"] as? Int == 10_000)
    }
}

@Suite("Building blocks")
struct BuildingBlockTests {
    @Test("Civil dates round-trip and format")
    func dates() {
        let d = CivilDate(2009, 2, 28, hour: 23, minute: 5)
        #expect(d.ymd == (2009, 2, 28))
        #expect(d.ukTime == "28/02/2009 23:05")
        #expect(d.adding(minutes: 60).ukTime == "01/03/2009 00:05")
        #expect(CivilDate(2008, 1, 3, hour: 14, minute: 22).legacy == "03-Jan-08 14:22")
        #expect(CivilDate(2009, 4, 1).weekday == 2)
    }

    @Test("Windows-1252 encoding of ’, é, £ and ë")
    func windows1252() {
        var out: [UInt8] = []
        Windows1252.append("O’Brien Café £1 Zoë", to: &out)
        #expect(out.contains(0x92) && out.contains(0xE9) && out.contains(0xA3) && out.contains(0xEB))
    }
}

@Suite struct BoundaryExportTests {
    @Test("The committed Fixtures/boundaries is exactly what `csp-fixtures --boundaries` writes")
    func committedBoundariesMatch() throws {
        let root = FixtureTestSupport.root
        let out = FileManager.default.temporaryDirectory.path + "/boundaries-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: out) }
        let config = FixtureConfiguration(output: root + "/Fixtures/raw", fixturesReference: root + "/Fixtures/reference", pipelineReference: root + "/Pipelines/reference")
        let files = try FixtureGenerator.generateBoundaries(config, to: out)
        #expect(files.count == 7)
        #expect(FixtureTestSupport.files(under: root + "/Fixtures/boundaries") == files.sorted())
        for f in files {
            #expect(FixtureTestSupport.bytes(root + "/Fixtures/boundaries/" + f) == FixtureTestSupport.bytes(out + "/" + f), "\(f) is stale: run `swift run csp-fixtures --boundaries Fixtures/boundaries`")
        }
    }
}
