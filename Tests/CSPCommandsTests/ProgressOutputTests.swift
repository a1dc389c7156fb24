import CSPTestSupport
import Foundation
import Testing

/// Progress on standard error, from real `csp run` processes (standard error is a pipe here, never a terminal).
/// The runs are short, so `--progress-after 0` lowers the threshold (default 3 s) that keeps short runs silent.
@Suite(.serialized) struct ProgressOutputTests {
    /// `RunCommandTests`' one-source pipeline over `raw/*.csv`, with a second file of `rows / 2` rows (different bytes:
    /// stage 1 reads a file with the same bytes as another once).
    func makePipeline(_ dir: TempDir, rows: Int) -> String {
        let p = RunCommandTests().makePipeline(dir, rows: rows)
        dir.writeBigCSV("raw/b.csv", rows: rows / 2)
        return p
    }

    private func progressLines(_ stderr: String) throws -> [[String: Any]] {
        try stderr.split(separator: "\n").compactMap { line in
            let obj = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "not JSON: \(line)")
            return obj["event"] as? String == "progress" ? obj : nil
        }
    }

    @Test func jsonLogsCarryProgressLinesEndingWithTheStagesTotals() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let p = makePipeline(dir, rows: 30_000)
        let bytes = try ["data", "b"].reduce(0) { $0 + ((try FileManager.default.attributesOfItem(atPath: dir.path + "/raw/\($1).csv")[.size] as? Int) ?? 0) }
        let r = try CLI.run(["run", "--pipeline", p, "--output", dir.path + "/out", "--until", "ingest", "--log-format", "json", "--progress-after", "0"])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = try progressLines(r.stderr)
        #expect(lines.count >= 2, "\(r.stderr)")
        #expect(lines.allSatisfy { $0["stage"] as? String == "ingest" && $0["files_total"] as? Int == 2 && $0["bytes_total"] as? Int == bytes })
        // The first line at once (threshold 0), then at most one per 5 s, then the last.
        let last = try #require(lines.last)
        let elapsed = try #require(last["elapsed_s"] as? Double)
        #expect(lines.filter { $0["done"] as? Bool == false }.count <= 1 + Int(elapsed / 5))
        #expect(last["done"] as? Bool == true)
        #expect(last["records"] as? Int == 45_000)
        #expect(last["files_done"] as? Int == 2 && last["bytes_done"] as? Int == bytes)
        #expect(last["rate_per_s"] is Int && last["eta_s"] as? Double == 0)
        #expect(!r.stderr.contains("\r"))
    }

    @Test func aShortRunShowsNoProgressAtTheDefaultThreshold() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let p = makePipeline(dir, rows: 1_000)
        let r = try CLI.run(["run", "--pipeline", p, "--output", dir.path + "/out", "--until", "ingest", "--log-format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try progressLines(r.stderr).isEmpty)
        #expect(r.stderr.contains("\"message\""), "the log lines are still there")
    }

    @Test func textLogsToANonTerminalGetNoProgress() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let p = makePipeline(dir, rows: 30_000)
        let r = try CLI.run(["run", "--pipeline", p, "--output", dir.path + "/out", "--until", "ingest", "--progress-after", "0"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(!r.stderr.contains("\r"), "no line redrawn in place on a pipe")
        #expect(!r.stderr.contains("records   "), "no progress line at all")
        #expect(!r.stderr.contains("\"progress\""))
        #expect(r.stderr.contains("stage ingest"), "the log lines are still there")
    }

    @Test func quietTurnsProgressOff() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let p = makePipeline(dir, rows: 1_000)
        let r = try CLI.run(["run", "--pipeline", p, "--output", dir.path + "/out", "--until", "ingest", "--log-format", "json", "--progress-after", "0", "-q"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try progressLines(r.stderr).isEmpty)
    }
}
