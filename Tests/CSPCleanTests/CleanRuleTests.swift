import CSPTestSupport
import CSPCore
@testable import CSPSchema
import Foundation
import Testing
@testable import CSPClean

@Suite struct DateParserTests {
    @Test(arguments: [
        ("03/01/2009 22:10", "2009-01-03T22:10"),
        ("3/1/2009", "2009-01-03"),
        ("03/01/2009", "2009-01-03"),
        ("  03/01/2009 22:10:59 ", "2009-01-03T22:10"),
        ("2009-01-03", "2009-01-03"),
        ("2009-01-03T05:07", "2009-01-03T05:07"),
        ("2024-01-01T10:47:00+00:00", "2024-01-01T10:47"),
        ("03-Jan-08 14:22", "2008-01-03T14:22"),
        ("29-FEB-08", "2008-02-29"),
        ("2024-03", "2024-03-01"),
        ("29/02/2008", "2008-02-29"),
        ("31/12/2008 23:59", "2008-12-31T23:59"), ("2009-01-03T00:00", "2009-01-03T00:00"),
    ])
    func acceptsExportLayouts(text: String, iso: String) throws {
        guard case .success(let v) = DateParser.parse(text) else { Issue.record("rejected \(text)"); return }
        #expect(v.description == iso)
    }

    @Test(arguments: [
        ("31/02/2009", DateProblem.impossible), ("00/13/2008", .impossible), ("29/02/2009", .impossible), ("03/01/2009 25:00", .impossible),
        ("03/01/2009 24:00", .impossible), ("2009-01-03T24:00", .impossible), ("03/01/2009 23:60", .impossible),
        ("2009-02-30", .impossible), ("yesterday", .format), ("03/01/09", .format), ("03.01.2009", .format), ("2009/01/03", .format),
        ("03/01/2009 10", .format), ("32-Foo-08", .format), ("", .format),
    ])
    func rejectsWithTheRightRule(text: String, problem: DateProblem) {
        #expect(DateParser.parse(text) == .failure(problem))
    }

    @Test func ukLocalTimeFollowsBritishSummerTime() throws {
        // BST 2024: 31 March 01:00 UTC to 27 October 01:00 UTC.
        func local(_ s: String) -> String { (try? UKTime.parseInstant(s).get())?.description ?? "rejected" }
        #expect(local("2024-01-01T10:47:00+00:00") == "2024-01-01T10:47")
        #expect(local("2024-03-31T00:59:00+00:00") == "2024-03-31T00:59")
        #expect(local("2024-03-31T01:00:00+00:00") == "2024-03-31T02:00")
        #expect(local("2024-07-01T23:30:00+00:00") == "2024-07-02T00:30")
        #expect(local("2024-07-01T23:30:00+01:00") == "2024-07-01T23:30")
        #expect(local("2024-10-27T00:59:00Z") == "2024-10-27T01:59")
        #expect(local("2024-10-27T01:00:00Z") == "2024-10-27T01:00")
        #expect(local("2023-12-31T23:30:00-01:00") == "2024-01-01T00:30")
    }
}

@Suite struct VocabularyTests {
    @Test func flagsSexAgesAndBands() {
        #expect(Vocabulary.flag(" y") == true && Vocabulary.flag("Yes") == true && Vocabulary.flag("N") == false && Vocabulary.flag("") == false)
        #expect(Vocabulary.flag("maybe") == nil)
        #expect(Vocabulary.sex("m") == "M" && Vocabulary.sex(" Female ") == "F" && Vocabulary.sex("") == "U" && Vocabulary.sex("Q") == nil)
        let birth = Day(year: 1990, month: 6, day: 15)!
        #expect(Age.years(from: birth, on: Day(year: 2009, month: 6, day: 14)!) == 18)
        #expect(Age.years(from: birth, on: Day(year: 2009, month: 6, day: 15)!) == 19)
        #expect(Age.years(from: birth, on: Day(year: 1989, month: 1, day: 1)!) == nil)
        #expect(Age.band(9) == "0-9" && Age.band(10) == "10-19" && Age.band(29) == "20-29" && Age.band(85) == "80+" && Age.band(nil) == "unknown")
        #expect(EntityRules.nsirCategory("ROWDY OR NUISANCE  behaviour") == "Rowdy or Nuisance Behaviour")
        #expect(EntityRules.nsirCategory("littering/drugs paraphernalia") == "Littering/Drugs Paraphernalia")
    }

    @Test func surveyScalesFollowTheIndicatorDefinitions() {
        #expect(SurveyScale.strand("Very big problem")?.score == 3)
        #expect(SurveyScale.strand("Fairly big problem")?.score == 2)
        #expect(SurveyScale.strand("Not a very big problem")?.score == 1)
        #expect(SurveyScale.strand("Not a problem at all")?.score == 0)
        #expect(SurveyScale.strand("Don't know")?.answer == "dont_know" && SurveyScale.strand("Don't know")?.score == nil)
        #expect(SurveyScale.strand("")?.answer == "")
        #expect(SurveyScale.strand("Huge problem") == nil)
        #expect(SurveyScale.agreement("Tend to agree") == "tend_to_agree" && SurveyScale.agreement("Agree a lot") == nil)
    }
}

@Suite struct PseudonymTests {
    func key(_ dir: String, mode: mode_t = 0o600) throws -> String {
        let path = dir + "/k.key"
        _ = try KeyFile.create(path: path)
        chmod(path, mode)
        return path
    }

    @Test func keyedPseudonymsAreStableNamespacedAndChangeWithTheKey() throws {
        let dir = StageTestSupport.temporaryFolder("key"); defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = try key(dir)
        let p = Pseudonymiser(key: try KeyFile.load(path: path))
        #expect(p.pseudonym("crime", "WA/00001/09") == p.pseudonym("crime", " wa/00001/09 "))
        #expect(p.pseudonym("crime", "WA/00001/09") != p.pseudonym("person", "WA/00001/09"))
        #expect(p.pseudonym("crime", "WA/00001/09").count == 21)
        #expect(p.pseudonym("crime", "") == "")
        let before = p.pseudonym("crime", "WA/00001/09")
        _ = try KeyFile.create(path: path, replace: true)
        #expect(Pseudonymiser(key: try KeyFile.load(path: path)).pseudonym("crime", "WA/00001/09") != before)
    }

    @Test func unsafeOrMissingKeysAreRefusedAsConfigurationErrors() throws {
        let dir = StageTestSupport.temporaryFolder("key"); defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = try key(dir, mode: 0o644)
        for p in [path, dir + "/none.key"] {
            #expect { try KeyFile.load(path: p) } throws: { ($0 as? StageError)?.exitCode == .config }
        }
        #expect { try KeyFile.create(path: dir + "/k.key") } throws: { "\($0)".contains("already exists") }
        FileManager.default.createFile(atPath: dir + "/short.key", contents: Data([1, 2, 3]), attributes: [.posixPermissions: 0o600])
        #expect { try KeyFile.load(path: dir + "/short.key") } throws: { "\($0)".contains("at least 32") }
    }
}

