import CSPTestSupport
import Foundation
import Testing

/// `csp audit`, as an auditor runs it, on fresh good runs of both committed pipelines: exit 0. Then the same run
/// tampered with (a published file truncated, a manifest edited): exit 65 naming what was changed.
@Suite(.serialized) struct AuditCommandTests {
    @Test(arguments: ["central-bedfordshire-2009", "police-uk-central-bedfordshire"])
    func auditPassesAGoodRunAndCatchesTampering(_ name: String) throws {
        let dir = TempDir("audit-cli"); defer { dir.cleanup() }
        let pipeline = CLI.repositoryRoot + "/Pipelines/\(name).yaml"
        var options = ["--pipeline", pipeline, "--output", dir.path + "/out"]
        if name.hasPrefix("police-uk") {
            options += ["--set", "realdata=\(try RealData.require())"]
        } else {
            options += ["--set", "key_file=\(dir.path)/k.key"]
            let key = try CLI.run(["key", "init"] + options)
            #expect(key.status == 0, "\(key.stderr)")
        }
        let run = try CLI.run(["run"] + options)
        try #require(run.status == 0, "\(run.stderr.suffix(2000))")
        let good = try CLI.run(["audit"] + options)
        #expect(good.status == 0, "a good run must pass its audit:\n\(good.stdout)\(good.stderr)")
        #expect(good.stdout.contains("0 mismatches"))

        // A published dataset truncated after the run.
        let runDir = run.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let crimes = runDir + "/04-normalised/crimes.csv"
        chmod(crimes, 0o640)
        let text = try String(contentsOfFile: crimes, encoding: .utf8)
        try String(text.prefix(text.count / 2)).write(toFile: crimes, atomically: false, encoding: .utf8)
        let truncated = try CLI.run(["audit"] + options)
        #expect(truncated.status == 65)
        #expect(truncated.stdout.contains("04-normalised/crimes.csv"), "\(truncated.stdout)")

        // A manifest's counts edited by hand (the dataset restored first).
        try text.write(toFile: crimes, atomically: false, encoding: .utf8)
        let manifest = runDir + "/02-clean/manifest.json"
        chmod(manifest, 0o640)
        let m = try String(contentsOfFile: manifest, encoding: .utf8)
        let edited = m.replacingOccurrences(of: "\"rejected\" : ", with: "\"rejected\" : 1", options: [], range: m.range(of: "\"rejected\" : "))
        #expect(edited != m)
        try edited.write(toFile: manifest, atomically: false, encoding: .utf8)
        let tampered = try CLI.run(["audit"] + options)
        #expect(tampered.status == 65)
        #expect(tampered.stdout.contains("02-clean"), "\(tampered.stdout)")
    }
}
