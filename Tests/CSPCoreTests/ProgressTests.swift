import CSPCSV
import Foundation
import Testing
@testable import CSPCore

/// A clock the test moves by hand.
private final class HandClock: @unchecked Sendable {
    var t = 100.0
}

/// What the console was given, in order.
private final class Captured: @unchecked Sendable {
    var writes: [String] = []
    var text: String { writes.joined() }
}

@Suite struct ProgressTests {
    // MARK: - Arithmetic and formats

    @Test func rateAndTimeLeftComeFromRecordsAndBytesSoFar() {
        let s = ProgressSnapshot(stage: .clean, filesDone: 1, filesTotal: 4, bytesDone: 25_000_000, bytesTotal: 100_000_000,
                                 records: 500_000, elapsed: 2.0)
        #expect(s.ratePerSecond == 250_000)
        #expect(s.fraction == 0.25)
        // 2 s for a quarter of the bytes: 6 s for the other three quarters.
        #expect(s.etaSeconds == 6.0)
        #expect(s.line == "clean       1/4 files   500,000 records   250,000/s   25%   0:06 left")
    }

    @Test func noBytesReadOrNoTotalMeansNoTimeLeft() {
        let none = ProgressSnapshot(stage: .ingest, filesDone: 0, filesTotal: 3, bytesDone: 0, bytesTotal: 900, records: 0, elapsed: 4)
        #expect(none.etaSeconds == nil)
        #expect(none.ratePerSecond == 0)
        #expect(none.line == "ingest      0/3 files   0 records   0%   0:04 elapsed")
        let unknown = ProgressSnapshot(stage: .assess, filesDone: 0, filesTotal: 0, bytesDone: 10, bytesTotal: 0, records: 7, elapsed: 3725)
        #expect(unknown.etaSeconds == nil && unknown.fraction == nil)
        #expect(unknown.line == "assess      7 records   0/s   1:02:05 elapsed")
        var done = none
        done.done = true
        #expect(done.etaSeconds == 0)
        // All bytes read but the stage not done (stage 4's index builds): no promise of time left.
        let read = ProgressSnapshot(stage: .normalise, filesDone: 5, filesTotal: 5, bytesDone: 900, bytesTotal: 900, records: 10, elapsed: 65)
        #expect(read.line == "normalise   5/5 files   10 records   0/s   100%   finishing, 1:05 elapsed")
    }

    @Test(arguments: [(0.0, "0:00"), (0.2, "0:01"), (59.5, "1:00"), (61, "1:01"), (600, "10:00"), (3725, "1:02:05")])
    func clockFormat(seconds: Double, shown: String) {
        #expect(ProgressSnapshot.clock(seconds) == shown)
    }

    @Test(arguments: [(0, "0"), (12, "12"), (999, "999"), (1000, "1,000"), (1_234_567, "1,234,567"), (-4500, "-4,500")])
    func groupedDigits(n: Int, shown: String) {
        #expect(ProgressSnapshot.grouped(n) == shown)
    }

    @Test func theJSONLineIsOneObjectWithTheFigures() throws {
        let s = ProgressSnapshot(stage: .ingest, filesDone: 12, filesTotal: 40, bytesDone: 30, bytesTotal: 120, records: 90_000, elapsed: 3.0)
        let line = s.json(time: "2026-12-02T19:00:00.000Z")
        #expect(!line.contains("\n"))
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(obj["event"] as? String == "progress")
        #expect(obj["stage"] as? String == "ingest")
        #expect(obj["files_done"] as? Int == 12 && obj["files_total"] as? Int == 40)
        #expect(obj["records"] as? Int == 90_000)
        #expect(obj["rate_per_s"] as? Int == 30_000)
        #expect(obj["bytes_done"] as? Int == 30 && obj["bytes_total"] as? Int == 120)
        #expect(obj["eta_s"] as? Double == 9.0)
        #expect(obj["done"] as? Bool == false)
        #expect(obj["time"] as? String == "2026-12-02T19:00:00.000Z")
        let unknown = ProgressSnapshot(stage: .geocode, filesDone: 0, filesTotal: 1, bytesDone: 0, bytesTotal: 5, records: 0, elapsed: 1)
        let o2 = try #require(try JSONSerialization.jsonObject(with: Data(unknown.json(time: "t").utf8)) as? [String: Any])
        #expect(o2["eta_s"] is NSNull)
    }

    // MARK: - The meter: threshold, frequency, files and bytes

    private func meter(_ mode: ProgressSettings.Mode, after: Double = 3, interval: Double? = nil) -> (ProgressMeter, HandClock, Captured) {
        let clock = HandClock(), out = Captured()
        let console = StderrConsole { out.writes.append($0) }
        let m = ProgressMeter(settings: ProgressSettings(mode: mode, after: after, interval: interval), console: console,
                              now: { clock.t }, timestamp: { "T" })
        return (m, clock, out)
    }

    private func feed(_ observer: CSVByteObserver?, bytes: Int, records: Int = 0) {
        [UInt8](repeating: 0x41, count: bytes).withUnsafeBufferPointer { observer?.read($0) }
        if records > 0 { observer?.consumed(records: records) }
    }

    @Test func nothingIsShownBeforeTheThresholdThenAtMostOncePerInterval() {
        let (m, clock, out) = meter(.terminal, after: 3, interval: 0.25)
        m.beginStage(.ingest, sizes: ["/d/a.csv": 100, "/d/b.csv": 300])
        let a = m.file("/d/a.csv")
        clock.t += 1
        feed(a, bytes: 50, records: 10)
        #expect(out.writes.isEmpty, "a run younger than `after` shows nothing")
        clock.t += 2.5  // 3.5 s into the run
        feed(a, bytes: 50, records: 10)
        #expect(out.writes.count == 1)
        #expect(out.writes[0].hasPrefix("\r") && out.writes[0].hasSuffix("\u{1B}[K"))
        // Drawn on the block read, before that batch's records were counted.
        #expect(out.writes[0].contains("1/2 files") && out.writes[0].contains("10 records") && out.writes[0].contains("25%"))
        clock.t += 0.1
        feed(m.file("/d/b.csv"), bytes: 100, records: 5)
        #expect(out.writes.count == 1, "a second redraw within the interval")
        clock.t += 0.2
        m.add(records: 5)
        #expect(out.writes.count == 2)
        #expect(out.writes[1].contains("30 records") && out.writes[1].contains("50%"))
        m.endStage()
        #expect(out.writes.last == "\r\u{1B}[K", "the line is cleared when the stage ends")
        #expect(!out.text.contains("\n"), "a terminal progress line never scrolls")
    }

    @Test func jsonLinesAreBoundedAndTheStageEndsWithADoneLine() throws {
        let (m, clock, out) = meter(.json, after: 0, interval: 5)
        m.beginStage(.clean, sizes: ["/d/x.csv": 1000])
        let x = m.file("/d/x.csv")
        for _ in 0..<100 {
            clock.t += 0.1
            feed(x, bytes: 10, records: 100)
        }
        // Updates every 0.1 s for 9.9 s after the first: the first line, and one 5 s later (the next would be at 10 s).
        let lines = out.text.split(separator: "\n")
        #expect(lines.count == 2)
        m.endStage()
        let all = out.text.split(separator: "\n")
        #expect(all.count == 3)
        let last = try #require(try JSONSerialization.jsonObject(with: Data(all[2].utf8)) as? [String: Any])
        #expect(last["done"] as? Bool == true)
        #expect(last["records"] as? Int == 10_000)
        #expect(last["files_done"] as? Int == 1 && last["bytes_done"] as? Int == 1000)
        #expect(!out.text.contains("\r"))
    }

    @Test func aShortStageShowsNothingNotEvenADoneLine() {
        let (m, clock, out) = meter(.json, after: 3)
        m.beginStage(.geocode, sizes: ["/d/x.csv": 10])
        clock.t += 1
        feed(m.file("/d/x.csv"), bytes: 10, records: 3)
        m.endStage()
        #expect(out.writes.isEmpty)
    }

    @Test func openingTheNextFileCountsThePreviousOneDone() throws {
        let (m, _, _) = meter(.json, after: 1000)
        m.beginStage(.ingest, sizes: ["/d/a.csv": 100, "/d/b.csv": 100, "/d/c.csv": 100])
        feed(m.file("/d/a.csv"), bytes: 40)
        var s = try #require(m.snapshot)
        #expect(s.filesDone == 0 && s.bytesDone == 40)
        feed(m.file("/d/b.csv"), bytes: 100)
        s = try #require(m.snapshot)
        #expect(s.filesDone == 2 && s.bytesDone == 200)
        // Bytes past a file's size (it grew) are not counted beyond it; a file not planned is not counted.
        feed(m.file("/d/other.csv"), bytes: 500)
        s = try #require(m.snapshot)
        #expect(s.filesDone == 2 && s.bytesDone == 200 && s.bytesTotal == 300 && s.filesTotal == 3)
    }

    @Test func offPassesTheObserverThroughAndWritesNothing() {
        final class Digest: CSVByteObserver { var n = 0; func read(_ bytes: UnsafeBufferPointer<UInt8>) { n += bytes.count } }
        let out = Captured()
        let m = ProgressMeter(settings: .off, console: StderrConsole { out.writes.append($0) })
        let d = Digest()
        #expect(m.file("/d/a.csv", also: d) === d)
        #expect(m.file("/d/a.csv") == nil)
        m.beginStage(.ingest, files: ["/d/a.csv"])
        m.add(records: 5)
        m.endStage()
        #expect(out.writes.isEmpty && m.snapshot == nil)
    }

    @Test func theObserverPassesEveryBlockOnToTheChecksum() {
        final class Digest: CSVByteObserver { var n = 0; func read(_ bytes: UnsafeBufferPointer<UInt8>) { n += bytes.count } }
        let (m, _, _) = meter(.terminal)
        m.beginStage(.ingest, sizes: ["/d/a.csv": 100])
        let d = Digest()
        let o = m.file("/d/a.csv", also: d)
        feed(o, bytes: 64)
        feed(o, bytes: 36)
        #expect(d.n == 100)
    }

    @Test func aLogLineClearsTheProgressLineFirst() {
        let out = Captured()
        let c = StderrConsole { out.writes.append($0) }
        c.write("one\n")
        c.draw("ingest 5 records")
        c.write("two\n")
        c.write("three\n")
        #expect(out.writes == ["one\n", "\ringest 5 records\u{1B}[K", "\r\u{1B}[K", "two\n", "three\n"])
    }

    @Test func theStageInputsAreTheRawFilesOrThePreviousStagesDatasets() throws {
        let dir = NSTemporaryDirectory() + "progress-inputs-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for f in ["crimes.csv", "rejects.csv", "duplicates.csv", "excluded.csv", "disagreements.csv", "areas.csv", "manifest.json"] {
            FileManager.default.createFile(atPath: dir + "/" + f, contents: Data("h\n".utf8))
        }
        let inputs = StageInputs(stage: .geocode, declared: [])
        #expect(ProgressMeter.inputFiles(of: .geocode, inputs: inputs, inputDirectory: dir) == [dir + "/areas.csv", dir + "/crimes.csv"])
        let raw = StageInputs(stage: .ingest, declared: [DeclaredInput(path: "/p.yaml", role: "configuration"), DeclaredInput(path: "/raw/a.csv", role: "source:things")])
        #expect(ProgressMeter.inputFiles(of: .ingest, inputs: raw, inputDirectory: nil) == ["/raw/a.csv"])
    }
}
