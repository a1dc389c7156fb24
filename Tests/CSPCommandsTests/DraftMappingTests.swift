import CSPCore
import CSPTestSupport
import Foundation
import Testing

/// `csp inspect FILE --draft-mapping ENTITY` on exports no mapping was written for: every header column named, the
/// facts of the file (layouts, null tokens) found, personal values never printed, and the draft, its TODOs filled,
/// loaded by the pipeline loader and run through stages 1–2 with every record accounted for.
@Suite(.serialized) struct DraftMappingTests {
    /// The draft printed for `file` onto `entity`.
    func draft(_ file: String, _ entity: String, _ extra: [String] = []) throws -> String {
        let r = try CLI.run(["inspect", file, "--draft-mapping", entity] + extra)
        #expect(r.status == 0, "\(r.stderr)")
        return r.stdout
    }

    /// The header of a CSV file read plainly (no quoted names in these files): the test's own reading, not csp's.
    func header(_ path: String) throws -> [String] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let first = text.prefix { $0 != "\n" && $0 != "\r\n" }
        return first.split(separator: ",", omittingEmptySubsequences: false).map { String($0).replacingOccurrences(of: "\u{FEFF}", with: "").trimmingCharacters(in: .whitespacesAndNewlines) }
    }

    /// The values of one column of a CSV file, from the rows without quoted commas (the test's own plain reading).
    func values(_ path: String, column: String) throws -> [String] {
        let cols = try header(path)
        let i = try #require(cols.firstIndex(of: column))
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(whereSeparator: \.isNewline).dropFirst()
        return lines.compactMap { line in
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
            return f.count == cols.count ? String(f[i]) : nil
        }
    }

    /// Fills the TODOs as a person would (every code `special_service`), writes the draft and a one-source pipeline
    /// beside it, loads that with `PipelineLoader`, runs stages 1–2 and returns the clean stage's counts.
    func fillLoadAndClean(_ yaml: String, data: String, in dir: TempDir) throws -> StageCounts {
        let filled = yaml.replacingOccurrences(of: ": TODO  #", with: ": special_service  #")
        #expect(!filled.contains(": TODO"), "a TODO left: \(filled)")
        _ = dir.write("draft.yaml", filled)
        let p = dir.write("p.yaml", """
        name: draft-test
        area: {name: London, la_code: E12000007}
        quality: {max_reject_share: 1.0, require_complete_months: false}
        sources:
          - id: drafted
            agency: fire
            mapping: draft.yaml
            path: \(data)
        """)
        let pipeline = try PipelineLoader().load(path: p)
        #expect(pipeline.sources.count == 1)
        let r = try CLI.run(["run", "--pipeline", p, "--output", dir.path + "/out", "--until", "clean"])
        #expect(r.status == 0, "\(r.stderr)")
        return try JSON.read(Manifest.self, from: dir.path + "/out/draft-test/latest/02-clean/manifest.json").counts
    }

    @Test func animalRescuesDraftNamesEveryColumnFindsTheLayoutAndNullAndCleans() throws {
        let data = try RealData.require("fire-lfb/animal_rescues.csv")
        let yaml = try draft(data, "fire_incidents")
        for c in try header(data) { #expect(yaml.contains(c), "column `\(c)` not named") }
        // Every value of `date_time of call` is dd/MM/yyyy HH:mm (checked here by pattern, not by csp's parser).
        let calls = try values(data, column: "date_time of call")
        #expect(!calls.isEmpty && calls.allSatisfy { $0.range(of: #"^\d\d/\d\d/\d{4} \d\d:\d\d$"#, options: .regularExpression) != nil })
        #expect(yaml.contains(#"call_time: {from: date_time of call, formats: ["dd/MM/yyyy HH:mm"]}"#))
        // NULL stands for a missing easting in the file; it is among the null tokens.
        #expect(try values(data, column: "easting m").contains("NULL"))
        let nullLine = try #require(yaml.split(separator: "\n").first { $0.hasPrefix("null:") })
        #expect(nullLine.contains("\"NULL\""))
        #expect(yaml.contains("pumps_attending: pump count") && yaml.contains("station: stn ground name"))
        #expect(yaml.contains("- {easting: easting m, northing: northing m, precision_m: 1}"))
        #expect(yaml.contains("- {easting: easting rounded, northing: northing rounded, precision_m: 50}"))
        // Streets are personal: not one is printed.
        for street in Set(try values(data, column: "street")).filter({ $0.count > 3 && $0 != "NULL" }).prefix(200) {
            #expect(!yaml.contains(street), "personal value `\(street)` printed")
        }
        let dir = TempDir(); defer { dir.cleanup() }
        let counts = try fillLoadAndClean(yaml, data: data, in: dir)
        // Records: the file's lines less the header (no value in it spans lines).
        let lines = try String(contentsOfFile: data, encoding: .utf8).split(whereSeparator: \.isNewline).count
        #expect(counts.inCount == lines - 1)
        #expect(counts.inCount == counts.out + counts.rejected + counts.duplicates + counts.excluded)
    }

    @Test func lfb2009ExtractPairsDateAndTimeAndCleansEveryRecord() throws {
        let data = try RealData.require("fire-lfb/LFB_Incident_data_sample.csv")
        let yaml = try draft(data, "fire_incidents")
        for c in try header(data) { #expect(yaml.contains(c), "column `\(c)` not named") }
        let dates = try values(data, column: "DateOfCall"), times = try values(data, column: "TimeOfCall")
        #expect(dates.allSatisfy { $0.range(of: #"^\d\d [A-Z][a-z]{2} \d{4}$"#, options: .regularExpression) != nil })
        #expect(times.allSatisfy { $0.range(of: #"^\d\d:\d\d:\d\d$"#, options: .regularExpression) != nil })
        #expect(yaml.contains(#"call_time: {from: [DateOfCall, TimeOfCall], formats: ["dd MMM yyyy HH:mm:ss"]}"#))
        // incident_type: one vocabulary entry per combination of the three columns present in the file.
        let groups = try values(data, column: "IncidentGroup"), stops = try values(data, column: "StopCodeDescription")
        let specials = try values(data, column: "SpecialServiceType")
        let combos = Set(zip(zip(groups, stops), specials).map { "\"\($0.0)|\($0.1)|\($1)\":" })
        for c in combos { #expect(yaml.contains(c), "combination \(c) not listed") }
        for postcode in try values(data, column: "Postcode_full") where !postcode.isEmpty { #expect(!yaml.contains(postcode)) }
        let dir = TempDir(); defer { dir.cleanup() }
        let counts = try fillLoadAndClean(yaml, data: data, in: dir)
        #expect(counts.inCount == dates.count && counts.inCount == 20)
        #expect(counts.inCount == counts.out + counts.rejected + counts.duplicates + counts.excluded)
        #expect(counts.out > 0)
    }

    @Test func yosDraftMapsTheDateOfBirthWithoutPrintingIt() throws {
        let data = CLI.repositoryRoot + "/Fixtures/tests/clean/raw/yos_cases.csv"
        let yaml = try draft(data, "yos_cases")
        for c in try header(data) { #expect(yaml.contains(c), "column `\(c)` not named") }
        for dob in try values(data, column: "DOB") { #expect(!yaml.contains(dob), "date of birth \(dob) printed") }
        #expect(yaml.contains("date_of_birth: {from: DOB"))
        #expect(yaml.contains("young_person_ref: {from: YP_ID, pseudonymise: true}"))
        #expect(yaml.contains(#"offence_date: {from: OffenceDate, formats: ["dd/MM/yyyy"]}"#))
        let dir = TempDir(); defer { dir.cleanup() }
        _ = dir.write("draft.yaml", yaml)
        let p = dir.write("p.yaml", "name: yos\narea: {name: Central Bedfordshire, la_code: E06000056}\nsources:\n  - {id: yos, agency: yos, mapping: draft.yaml, path: \(data)}\n")
        #expect(try PipelineLoader().load(path: p).sources.count == 1)
    }

    @Test func asbXMLDraftReadsPathsAndLoads() throws {
        let data = CLI.repositoryRoot + "/Fixtures/tests/clean/raw/asb_2009-01.xml"
        let yaml = try draft(data, "asb_incidents", ["--record", "Incident"])
        for path in ["IncidentNumber", "Opened", "Category", "Location/Beat", "Location/Ward", "Location/Easting", "Location/Northing", "RepeatCaller", "@extracted"] {
            #expect(yaml.contains(path), "path `\(path)` not named")
        }
        #expect(yaml.contains("record: Incident") && yaml.contains("format: xml"))
        #expect(yaml.contains("- {easting: Location/Easting, northing: Location/Northing, precision_m: 1}"))
        let dir = TempDir(); defer { dir.cleanup() }
        _ = dir.write("draft.yaml", yaml)
        let p = dir.write("p.yaml", "name: asb\narea: {name: Central Bedfordshire, la_code: E06000056}\nsources:\n  - {id: asb, agency: police, mapping: draft.yaml, path: \(data)}\n")
        #expect(try PipelineLoader().load(path: p).sources.count == 1)
    }

    @Test func aRequiredFieldWithoutAColumnIsATodoThatStopsTheRunUntilFilled() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let data = dir.write("odd.csv", "Ref No,When,Offence,Where\nA1,2009-01-03,58/1,Sandy\nA2,2009-01-04,28/3,Linslade\n")
        let yaml = try draft(data, "crimes")
        #expect(yaml.contains("crime_ref: {from: TODO}") && yaml.contains("ho_code: {from: TODO}") && yaml.contains("committed_from: {from: TODO}"))
        #expect(yaml.contains("columns whose values fit: When (yyyy-MM-dd)"))
        for c in ["Ref No", "When", "Offence", "Where"] { #expect(yaml.contains(c)) }
        _ = dir.write("draft.yaml", yaml)
        let p = dir.write("p.yaml", "name: odd\narea: {name: Central Bedfordshire, la_code: E06000056}\nsources:\n  - {id: odd, agency: police, mapping: draft.yaml, path: \(data)}\n")
        // Unfilled, it loads (the loader does not read the file) but stage 1 stops at the column `TODO`.
        let unfilled = try CLI.run(["run", "--pipeline", p, "--output", dir.path + "/out", "--until", "ingest"])
        #expect(unfilled.status == 65 && unfilled.stderr.contains("lacks `TODO`"), "\(unfilled.stderr)")
        let filled = yaml.replacingOccurrences(of: "crime_ref: {from: TODO}", with: "crime_ref: {from: Ref No, pseudonymise: true}")
            .replacingOccurrences(of: "ho_code: {from: TODO}", with: "ho_code: Offence")
            .replacingOccurrences(of: "committed_from: {from: TODO}", with: "committed_from: {from: When, formats: [yyyy-MM-dd]}")
        _ = dir.write("draft.yaml", filled)
        #expect(try PipelineLoader().load(path: p).sources.count == 1)
    }

    @Test func aWindows1252FileIsReadAsCspInspectDetectsIt() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let f = dir.path + "/w.csv"
        // "IncidentNumber,DateOfCall,Ward\r\n1,03/01/2009,Zoë Park\r\n" with ë as the single Windows-1252 byte 0xEB.
        var bytes = Array("IncidentNumber,DateOfCall,Ward\r\n1,03/01/2009,Zo".utf8)
        bytes += [0xEB] + Array(" Park\r\n2,13/01/2009,Zo".utf8) + [0xEB] + Array(" Park\r\n".utf8)
        FileManager.default.createFile(atPath: f, contents: Data(bytes))
        let yaml = try draft(f, "fire_incidents")
        #expect(yaml.contains("encoding: windows-1252"))
        #expect(yaml.contains("Zoë Park (2)"))
        #expect(yaml.contains(#"call_time: {from: DateOfCall, formats: ["dd/MM/yyyy"]}"#))
        #expect(yaml.contains("incident_type: {from: TODO}"))
    }

    @Test func anUnknownEntityIsAUsageError() throws {
        let r = try CLI.run(["inspect", CLI.repositoryRoot + "/Fixtures/tests/clean/raw/yos_cases.csv", "--draft-mapping", "fires"])
        #expect(r.status == 64)
        #expect(r.stderr.contains("fire_incidents"))
    }
}
