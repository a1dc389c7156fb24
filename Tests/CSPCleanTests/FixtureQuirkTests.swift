import CSPTestSupport
import CSPPipeline
import CSPCore
@testable import CSPSchema
import CSPCSV
import Foundation
import Testing
@testable import CSPClean

/// The committed fixtures run through stages 1–2 once; every quirk planted in `Fixtures/raw/expected.json` is then
/// found with its documented count — in the rejects, in the duplicates, or in stage 1's rows — and shown handled
/// in stage 2's output.
final class FixtureRun: @unchecked Sendable {
    static let shared = Result { try FixtureRun() }

    let layout: RunLayout
    let runID: String
    let expected: [String: Int]
    private let tables = FixtureTableCache()

    typealias Table = FixtureTable

    init() throws {
        let out = StageTestSupport.temporaryFolder("fixture-run")
        let key = out + "/fixture.key"
        _ = try KeyFile.create(path: key)
        let pipeline = try PipelineLoader(overrides: ["key_file": key]).load(path: StageTestSupport.repositoryRoot + "/Pipelines/central-bedfordshire-2009.yaml")
        let summary = try PipelineRunner(pipeline: pipeline, stages: Stages.until(.clean), logger: StageTestSupport.logger).run(RunRequest(output: out))
        layout = RunLayout(output: out, pipeline: pipeline.name)
        runID = summary.runID
        expected = try FixtureTable.plantedQuirks()
    }

    /// A stage's CSV file, read once.
    func table(_ stage: StageID, _ name: String) -> Table { tables.table(layout.stage(stage, run: runID) + "/" + name) }

    /// Issue rows (rejects or duplicates) of a stage for files under `prefix`, with `rule`.
    func issues(_ stage: StageID, _ file: String, rule: String, under prefix: String) -> [[String]] {
        let t = table(stage, file)
        return t.rows.filter { $0[t.col("rule")] == rule && $0[t.col("source_file")].contains(prefix) }
    }
}

@Suite(.serialized) struct FixtureQuirkTests {
    var run: FixtureRun { get throws { try FixtureRun.shared.get() } }

    static func codeShaped(_ s: String) -> Bool {
        let u = Array(s.utf8)
        return u.count == 6 && u[0] >= 48 && u[0] <= 57 && u[1] >= 48 && u[1] <= 57 && u[2...].allSatisfy { ($0 >= 65 && $0 <= 90) || ($0 >= 48 && $0 <= 57) }
    }

    static func tidyUpper(_ s: String) -> String { s.trimmingCharacters(in: .whitespaces).uppercased() }

    @Test(arguments: [
        (["crimes.ragged_row", "crimes.truncated_final_line"], StageID.ingest, "csv.ragged-row", "police/crimes/"),
        (["crimes.unknown_offence_code"], .clean, "clean.mapping.unknown-code", "police/crimes/"),
        (["crimes.impossible_date"], .clean, "clean.date.impossible", "police/crimes/"),
        (["crimes.from_after_to"], .clean, "clean.date.from-after-to", "police/crimes/"),
        (["persons.dob_impossible"], .clean, "clean.date.impossible", "police/persons/"),
        (["persons.orphan_crime_number"], .clean, "clean.person.unknown-crime", "police/persons/"),
        (["yos.age_out_of_range"], .clean, "clean.yos.age-out-of-range", "yos/"),
        (["yos.outcome_before_offence"], .clean, "clean.date.from-after-to", "yos/"),
    ])
    func rejectedQuirksAppearInTheRejectsWithTheirCounts(quirks: [String], stage: StageID, rule: String, prefix: String) throws {
        let r = try run
        let want = try quirks.map { try #require(r.expected[$0], "\($0) missing from expected.json") }.reduce(0, +)
        #expect(r.issues(stage, "rejects.csv", rule: rule, under: prefix).count == want)
    }

    @Test func nothingElseIsRejected() throws {
        let r = try run
        let rejecting = ["crimes.ragged_row", "crimes.truncated_final_line", "crimes.unknown_offence_code", "crimes.impossible_date", "crimes.from_after_to",
                         "persons.dob_impossible", "persons.orphan_crime_number", "yos.age_out_of_range", "yos.outcome_before_offence"]
        let total = r.table(.ingest, "rejects.csv").rows.count + r.table(.clean, "rejects.csv").rows.count
        #expect(total == rejecting.map { r.expected[$0] ?? 0 }.reduce(0, +))
        // The truncated final line is the last line of the last export.
        let last = try Data(contentsOf: URL(fileURLWithPath: StageTestSupport.repositoryRoot + "/Fixtures/raw/police/crimes/crimes_2009-06.csv"))
        #expect(last.last != 0x0A, "the export ends mid-record")
        let lines = last.filter { $0 == 0x0A }.count + 1
        #expect(r.issues(.ingest, "rejects.csv", rule: "csv.ragged-row", under: "crimes_2009-06.csv").contains { $0[3] == String(lines) })
    }

    @Test func duplicatesKeepTheLaterExportThenTheLaterLine() throws {
        let r = try run
        let ingest = r.table(.ingest, "police-crimes.csv")
        let number = ingest.col("crime_number"), file = ingest.col("source_file"), code = ingest.col("ho_code"), extracted = ingest.col("extracted")
        // The quirks as planted: a row repeating a crime number seen earlier in its own file, or in an earlier file
        // (files are read in name order, one a month); a re-export whose offence code changed.
        var seenInFile: [String: Set<String>] = [:]
        var firstSeen: [String: [String]] = [:]
        var sameFile = 0, nextMonth = 0, reclassified = 0
        for row in ingest.rows {
            let n = row[number]
            if seenInFile[row[file], default: []].contains(n) { sameFile += 1 } else if let earlier = firstSeen[n], earlier[file] != row[file] {
                nextMonth += 1
                if Self.tidyUpper(earlier[code]) != Self.tidyUpper(row[code]) { reclassified += 1 }
            }
            seenInFile[row[file], default: []].insert(n)
            if firstSeen[n] == nil { firstSeen[n] = row }
        }
        #expect(sameFile == r.expected["crimes.duplicate_same_file"])
        #expect(nextMonth == r.expected["crimes.duplicate_next_month"])
        #expect(reclassified == r.expected["crimes.duplicate_reclassified"])
        // Handled: one record per crime kept, the one from the later export, then the later line.
        let dups = r.table(.clean, "duplicates.csv")
        #expect(dups.rows.count == sameFile + nextMonth)
        let byLineage = ingest.byLineage
        for d in dups.rows {
            let kept = d[dups.col("message")].components(separatedBy: "same crime_ref as ")[1].components(separatedBy: ", which was kept")[0].components(separatedBy: " line ")
            let dropped = try #require(byLineage["\(d[dups.col("source_file")])|\(d[dups.col("source_record")])"])
            let winner = try #require(byLineage["\(kept[0])|\(kept[1])"])
            #expect(winner[number] == dropped[number])
            let a = try DateParser.parse(dropped[extracted]).get().day, b = try DateParser.parse(winner[extracted]).get().day
            #expect(b > a || (b == a && (kept[0], Int(kept[1])!) > (dropped[file], Int(d[dups.col("source_record")])!)), "the later export, then the later line, wins")
        }
        let crimes = r.table(.clean, "crimes.csv")
        #expect(Set(crimes.rows.map { $0[crimes.col("crime_ref")] }).count == crimes.rows.count, "one row per crime")
    }

    @Test func crimeQuirksAreInStageOneAndHandledInStageTwo() throws {
        let r = try run
        let ingest = r.table(.ingest, "police-crimes.csv"), clean = r.table(.clean, "crimes.csv")
        let cleaned = clean.byLineage
        let offences = try ReferenceTable(name: "offence_codes", path: StageTestSupport.repositoryRoot + "/Pipelines/reference/offence-codes.csv", keyColumn: "ho_code")
        var count: [String: Int] = [:]
        let lineage = { (row: [String]) in "\(row[ingest.col("source_file")])|\(row[ingest.col("source_record")])" }
        for row in ingest.rows {
            let out = cleaned[lineage(row)]
            let ward = row[ingest.col("ward")], code = row[ingest.col("ho_code")]
            if !ward.isEmpty && !Self.codeShaped(Self.tidyUpper(ward)) {
                count["crimes.ward_as_name", default: 0] += 1
                if let out { #expect(!out[clean.col("ward_reported_code")].isEmpty, "ward name `\(ward)` resolved") }
            }
            if Self.codeShaped(Self.tidyUpper(ward)) && ward != Self.tidyUpper(ward) {
                count["crimes.ward_code_untidy", default: 0] += 1
                if let out { #expect(out[clean.col("ward_reported_code")] == Self.tidyUpper(ward)) }
            }
            if offences.lookup(code) != nil && code != Self.tidyUpper(code) {
                count["crimes.offence_code_untidy", default: 0] += 1
                if let out { #expect(out[clean.col("ho_code")] == Self.tidyUpper(code)) }
            }
            if row[ingest.col("easting")].isEmpty {
                count[ward.isEmpty ? "crimes.no_location" : "crimes.no_coordinates", default: 0] += 1
                if let out { #expect(out[clean.col("easting")].isEmpty && out[clean.col("northing")].isEmpty) }
            }
            switch Self.tidyUpper(row[ingest.col("district")]) {
            case "09UC", "09UE": count["crimes.old_district_code", default: 0] += 1
            case "00KC": count["crimes.new_district_code", default: 0] += 1
            default: count["crimes.out_of_area", default: 0] += 1
            }
            for flag in ["domestic", "hate", "alcohol", "distraction"] {
                let v = row[ingest.col(flag)]
                if v.isEmpty { count["crimes.flag_blank", default: 0] += 1 } else if v != "Y" && v != "N" { count["crimes.flag_nonstandard", default: 0] += 1 }
                if let out { #expect(out[clean.col(flag)] == (Vocabulary.flag(v)! ? "true" : "false")) }
            }
            if case .success = DateParser.parse(row[ingest.col("committed_from")]), !row[ingest.col("committed_from")].contains(":") {
                count["crimes.date_only_from", default: 0] += 1
                if let out { #expect(!out[clean.col("committed_from")].contains("T")) }
            }
            if row[ingest.col("committed_to")].isEmpty {
                count["crimes.missing_to", default: 0] += 1
                if let out { #expect(out[clean.col("committed_to")].isEmpty) }
            }
            if row.contains(where: { $0.unicodeScalars.contains { $0.value >= 0x80 } }) { count["crimes.windows1252_text", default: 0] += 1 }
            #expect(!row.contains(where: { $0.unicodeScalars.contains { (0x80...0x9F).contains($0.value) || $0.value == 0xFFFD } }), "decoded as Windows-1252")
        }
        for (quirk, n) in count.sorted(by: { $0.key < $1.key }) { #expect(n == r.expected[quirk], "quirk \(quirk)") }
        // The Windows-1252 text is planted in the Address column, which the demo's crimes mapping does not read (the
        // persons source, read as Windows-1252 too, and the clean golden test keep the decoding checked).
        #expect(count.count == (ingest.has("address") ? 13 : 12))
    }

    @Test func personQuirksAreInStageOneAndHandledInStageTwo() throws {
        let r = try run
        let ingest = r.table(.ingest, "police-persons.csv")
        let crimes = r.table(.ingest, "police-crimes.csv")
        var committed: [String: Day] = [:]
        for c in crimes.rows { if case .success(let d) = DateParser.parse(c[crimes.col("committed_from")]) { committed[c[crimes.col("crime_number")]] = d.day } }
        let victims = r.table(.clean, "victims.csv"), offenders = r.table(.clean, "offenders.csv")
        let cleaned = victims.byLineage.merging(offenders.byLineage) { a, _ in a }
        let h = victims.header
        var count: [String: Int] = [:]
        for row in ingest.rows {
            let out = cleaned["\(row[ingest.col("source_file")])|\(row[ingest.col("source_record")])"]
            let dob = row[ingest.col("date_of_birth")], age = row[ingest.col("age")], sex = row[ingest.col("sex")]
            let ic = row[ingest.col("ic_code")], role = row[ingest.col("role")]
            if dob.isEmpty {
                count["persons.dob_blank", default: 0] += 1
                if let out { #expect(out[h.firstIndex(of: "person_ref")!].isEmpty) }
            }
            if age.isEmpty { count["persons.age_blank", default: 0] += 1 }
            if case .success(let born) = DateParser.parse(dob), let on = committed[row[ingest.col("crime_number")]], let derived = Age.years(from: born.day, on: on) {
                if !age.isEmpty && Int(age) != derived { count["persons.age_disagrees", default: 0] += 1 }
                if let out { #expect(out[h.firstIndex(of: "age")!] == String(derived), "the age comes from the date of birth") }
            }
            if sex == "U" { count["persons.sex_unknown", default: 0] += 1 } else if sex != "M" && sex != "F" { count["persons.sex_nonstandard", default: 0] += 1 }
            if let out { #expect(["M", "F", "U"].contains(out[h.firstIndex(of: "sex")!])) }
            if ic.isEmpty || ic == "IC0" || ic == "IC9" {
                count[ic.isEmpty ? "persons.ic_blank" : "persons.ic_not_known", default: 0] += 1
                if let out { #expect(out[h.firstIndex(of: "ethnicity_group")!] == "Not known") }
            }
            if role != "Victim" && role != "Suspect" { count["persons.role_untidy", default: 0] += 1 }
            if row.contains(where: { $0.unicodeScalars.contains { $0.value >= 0x80 } }) { count["persons.windows1252_text", default: 0] += 1 }
        }
        for (quirk, n) in count.sorted(by: { $0.key < $1.key }) { #expect(n == r.expected[quirk], "quirk \(quirk)") }
        #expect(count.count == 9)
    }

    @Test func asbQuirksAreInStageOneAndHandledInStageTwo() throws {
        let r = try run
        let ingest = r.table(.ingest, "police-asb.csv"), clean = r.table(.clean, "asb_incidents.csv")
        let cleaned = clean.byLineage
        let canonical: Set<String> = ["Rowdy or Nuisance Behaviour", "Vehicle Nuisance or Inappropriate Use", "Rowdy or Nuisance Neighbours", "Nuisance Noise",
            "Street Drinking", "Abandoned Vehicles", "Malicious/Nuisance Communications", "Littering/Drugs Paraphernalia", "Animal Problems", "Trespass",
            "Misuse of Fireworks", "Nuisance Calls", "Begging", "Prostitution Related Activity"]
        let outOfArea = Set(StageTestSupport.read(StageTestSupport.repositoryRoot + "/Fixtures/reference/out-of-area-wards.csv").split(separator: "\n").dropFirst().map { String($0.prefix(6)) })
        var count: [String: Int] = [:]
        for row in ingest.rows {
            let out = try #require(cleaned["\(row[ingest.col("source_file")])|\(row[ingest.col("source_record")])"], "no ASB incident is rejected")
            let category = row[ingest.col("category")], ward = row[ingest.col("ward")], flag = row[ingest.col("repeat_caller")]
            // The demo's ASB mapping does not read the free-text notes: they never reach stage 1 (the XML reader's own tests
            // check CDATA and escaped text); a pipeline that maps them has them here.
            let notes = ingest.has("notes") ? row[ingest.col("notes")] : ""
            if !canonical.contains(category) { count["asb.category_variant", default: 0] += 1 }
            #expect(canonical.contains(out[clean.col("category")]), "category `\(category)` standardised")
            if !ward.isEmpty && !Self.codeShaped(Self.tidyUpper(ward)) {
                count["asb.ward_as_name", default: 0] += 1
                #expect(!out[clean.col("ward_reported_code")].isEmpty)
            }
            if ward.isEmpty { count["asb.no_location", default: 0] += 1 } else if row[ingest.col("easting")].isEmpty { count["asb.no_coordinates", default: 0] += 1 }
            if outOfArea.contains(ward) { count["asb.out_of_area", default: 0] += 1 }
            if flag != "Y" && flag != "N" { count["asb.flag_nonstandard", default: 0] += 1 }
            #expect(out[clean.col("repeat_caller")] == (Vocabulary.flag(flag)! ? "true" : "false"))
            if notes.contains("<") { count["asb.cdata_notes", default: 0] += 1; #expect(notes == "Caller reports <youths> on bikes & mopeds") } else if !notes.isEmpty { count["asb.escaped_notes", default: 0] += 1 }
        }
        #expect(!StageTestSupport.read(r.layout.stage(.clean, run: r.runID) + "/asb_incidents.csv").contains("Caller"), "free-text notes do not leave stage 1")
        for (quirk, n) in count.sorted(by: { $0.key < $1.key }) { #expect(n == r.expected[quirk], "quirk \(quirk)") }
        // The notes' CDATA and escaped text are quirks of a column the demo's mapping does not read (FixtureGeneratorTests
        // checks they are planted in the raw XML): 6 of the 8 ASB quirks are in what stage 1 reads.
        #expect(count.count == (ingest.has("notes") ? 8 : 6))
    }

    @Test func fireQuirksFromBothSystemsLandInOneEntity() throws {
        let r = try run
        let legacy = r.table(.ingest, "fire-legacy.csv"), irs = r.table(.ingest, "fire-irs.csv"), clean = r.table(.clean, "fire_incidents.csv")
        let cleaned = clean.byLineage
        let outOfArea = Set(StageTestSupport.read(StageTestSupport.repositoryRoot + "/Fixtures/reference/out-of-area-wards.csv").split(separator: "\n").dropFirst().map { String($0.prefix(6)) })
        var count: [String: Int] = [:]
        for row in legacy.rows {
            let out = try #require(cleaned["\(row[legacy.col("source_file")])|\(row[legacy.col("source_record")])"])
            let type = row[legacy.col("incident_type")], prop = row[legacy.col("property_type")]
            if type != type.uppercased() || prop != prop.trimmingCharacters(in: .whitespaces) { count["fire_legacy.code_untidy", default: 0] += 1 }
            if row[legacy.col("motive")].isEmpty && !["FA", "SS", "RTC"].contains(Self.tidyUpper(type)) {
                count["fire_legacy.cause_blank", default: 0] += 1
                #expect(out[clean.col("motive")] == "not_known")
            }
            if row[legacy.col("fatal")].isEmpty { count["fire_legacy.fatal_blank", default: 0] += 1; #expect(out[clean.col("fatal_casualties")].isEmpty) }
            if ["09UD", "00KB", "00KA"].contains(Self.tidyUpper(row[legacy.col("district")])) { count["fire_legacy.out_of_area", default: 0] += 1 }
            if !Self.codeShaped(Self.tidyUpper(row[legacy.col("ward")])) {
                count["fire_legacy.ward_as_name", default: 0] += 1
                #expect(!out[clean.col("ward_reported_code")].isEmpty)
            }
        }
        var files = Set<String>()
        for row in irs.rows {
            let out = try #require(cleaned["\(row[irs.col("source_file")])|\(row[irs.col("source_record")])"])
            files.insert(row[irs.col("source_file")])
            #expect(!out[clean.col("call_time")].isEmpty && !out[clean.col("incident_type")].isEmpty, "namespaced files read by local names")
            if row[irs.col("fatal")].isEmpty && row[irs.col("injured")].isEmpty { count["fire_irs.casualties_missing", default: 0] += 1 }
            if outOfArea.contains(Self.tidyUpper(row[irs.col("ward")])) { count["fire_irs.out_of_area", default: 0] += 1 }
        }
        #expect(files.count == 3, "no namespace, default namespace and prefixed files all read")
        #expect(Set(clean.rows.map { $0[clean.col("source_system")] }) == ["legacy", "irs"])
        for (quirk, n) in count.sorted(by: { $0.key < $1.key }) { #expect(n == r.expected[quirk], "quirk \(quirk)") }
        #expect(count.count == 7)
    }

    @Test func yosAndSurveyQuirks() throws {
        let r = try run
        let yos = r.table(.ingest, "yos-cases.csv"), yosClean = r.table(.clean, "yos_cases.csv")
        #expect(Set(yos.rows.filter { $0[yos.col("ethnicity")] == "Not stated" }.map { $0[yos.col("young_person_id")] }).count == r.expected["yos.ethnicity_not_stated"], "young people recorded Not stated")
        #expect(yosClean.rows.filter { $0[yosClean.col("ethnicity")] == "Not stated" }.allSatisfy { $0[yosClean.col("ethnicity_group")] == "Not known" })
        let people = Set(yos.rows.map { $0[yos.col("young_person_id")] })
        #expect(yos.rows.count - people.count == r.expected["yos.repeat_case"])
        // Pseudonyms keep one young person one person: as many distinct refs as distinct ids among the kept cases.
        let keptLines = Set(yosClean.rows.map { $0[yosClean.col("source_record")] })
        let keptPeople = Set(yos.rows.filter { keptLines.contains($0[yos.col("source_record")]) }.map { $0[yos.col("young_person_id")] })
        #expect(Set(yosClean.rows.map { $0[yosClean.col("young_person_ref")] }).count == keptPeople.count)

        let survey = r.table(.ingest, "place-survey.csv"), surveyClean = r.table(.clean, "survey_responses.csv")
        let questions = SurveyScale.strands + SurveyScale.agreements
        let cells = survey.rows.flatMap { row in questions.map { row[survey.col($0)] } }
        #expect(cells.filter { $0.isEmpty }.count == r.expected["survey.blank_answer"])
        #expect(cells.filter { $0 == "Don't know" }.count == r.expected["survey.dont_know"])
        let cleanCells = surveyClean.rows.flatMap { row in questions.map { row[surveyClean.col($0)] } }
        #expect(cleanCells.filter { $0.isEmpty }.count == r.expected["survey.blank_answer"])
        #expect(cleanCells.filter { $0 == "dont_know" }.count == r.expected["survey.dont_know"])
    }

    @Test func countsBalanceAndNoPersonalDataLeavesStageOne() throws {
        let r = try run
        for stage in [StageID.ingest, .clean] {
            let m = try JSON.read(Manifest.self, from: r.layout.stage(stage, run: r.runID) + "/manifest.json")
            #expect(m.counts.balances)
            for (_, c) in m.sources { #expect(c.balances) }
        }
        // Names, dates of birth, addresses and crime numbers from the raw exports: none in any stage 2 file,
        // neither as a field nor inside a message.
        let persons = r.table(.ingest, "police-persons.csv"), crimes = r.table(.ingest, "police-crimes.csv"), yos = r.table(.ingest, "yos-cases.csv")
        var personal = Set(persons.rows.flatMap { row in
            ["\(row[persons.col("forename")]) \(row[persons.col("surname")])", row[persons.col("date_of_birth")]]
        })
        personal.formUnion(yos.rows.flatMap { [$0[yos.col("date_of_birth")], $0[yos.col("young_person_id")]] })
        // The demo's crimes mapping does not read the address at all; the crime numbers are read and pseudonymised.
        personal.formUnion(crimes.rows.flatMap { [crimes.has("address") ? $0[crimes.col("address")] : "", $0[crimes.col("crime_number")]] })
        personal.remove("")
        let dir = r.layout.stage(.clean, run: r.runID)
        let token = try Regex("[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}|[A-Z]{2}/[0-9]{5}/[0-9]{2}|YP[0-9]{5}")
        for file in try FileManager.default.contentsOfDirectory(atPath: dir) where file.hasSuffix(".csv") {
            let reader = try CSVReader(path: dir + "/" + file)
            var leaked: [String] = []
            reader.forEach { rec in
                for i in 0..<rec.count {
                    let v = rec.string(i)
                    if personal.contains(v) { leaked.append(v) }
                    for m in v.matches(of: token) where personal.contains(String(v[m.range])) { leaked.append(String(v[m.range])) }
                }
            }
            #expect(leaked.isEmpty, "\(file) holds \(leaked.prefix(5))")
        }
    }
}
