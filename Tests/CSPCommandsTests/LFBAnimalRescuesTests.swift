import CSPCore
import CSPTestSupport
import Foundation
import Testing

/// Pipelines/lfb-animal-rescues.yaml on the real London Datastore file: every record cleaned (the identifier is never
/// blank and never shared), each record's month its call's, and geocoding accounting for every record.
@Suite struct LFBAnimalRescuesTests {
    @Test func everyRescueIsCleanedWithAUniqueIdentifierAndPlacedOrExcluded() throws {
        let realdata = try RealData.require()
        let data = try RealData.require("fire-lfb/animal_rescues.csv")
        let dir = TempDir(); defer { dir.cleanup() }
        let r = try CLI.run(["run", "--pipeline", CLI.repositoryRoot + "/Pipelines/lfb-animal-rescues.yaml", "--set", "realdata=\(realdata)",
                             "--until", "geocode", "--output", dir.path + "/out"])
        #expect(r.status == 0, "\(r.stderr)")
        let latest = dir.path + "/out/lfb-animal-rescues/latest"
        // Records: the file's lines less the header (no value in it spans lines).
        let lines = try String(contentsOfFile: data, encoding: .utf8).split(whereSeparator: \.isNewline)
        let clean = try JSON.read(Manifest.self, from: latest + "/02-clean/manifest.json").counts
        #expect(clean.inCount == lines.count - 1 && clean.out == clean.inCount && clean.rejected == 0 && clean.duplicates == 0)
        let rows = StageTestSupport.csvRows(latest + "/02-clean/fire_incidents.csv")
        let ref = try #require(rows.first?.firstIndex(of: "incident_ref")), month = try #require(rows.first?.firstIndex(of: "month"))
        #expect(Set(rows.dropFirst().map { $0[ref] }).count == clean.out)
        // The first data line's call (dd/MM/yyyy HH:mm, read here by position) gives the first row's month.
        let first = lines[1].split(separator: ",")[1]
        #expect(rows[1][month] == "\(first.dropFirst(6).prefix(4))-\(first.dropFirst(3).prefix(2))")
        let geocode = try JSON.read(Manifest.self, from: latest + "/03-geocode/manifest.json").counts
        #expect(geocode.inCount == clean.out && geocode.balances)
    }
}
