import Foundation

/// Where a stage is at one moment, and how it is shown: the arithmetic (rate, time left) and the two formats
/// (the terminal line, the JSON line). Pure values, so the tests check them without a clock or a terminal.
public struct ProgressSnapshot: Sendable, Equatable {
    /// The stage.
    public var stage: StageID
    /// Input files read to their end (or left behind for the next file).
    public var filesDone: Int
    /// Input files the stage reads, as the framework knows them before it starts.
    public var filesTotal: Int
    /// Input bytes read.
    public var bytesDone: Int
    /// Input bytes in all (0 when unknown).
    public var bytesTotal: Int
    /// Records handled so far.
    public var records: Int
    /// Seconds since the stage started.
    public var elapsed: Double
    /// True for the stage's last line (written when it ends).
    public var done = false

    /// Creates a snapshot.
    public init(stage: StageID, filesDone: Int, filesTotal: Int, bytesDone: Int, bytesTotal: Int, records: Int, elapsed: Double, done: Bool = false) {
        self.stage = stage; self.filesDone = filesDone; self.filesTotal = filesTotal; self.bytesDone = bytesDone
        self.bytesTotal = bytesTotal; self.records = records; self.elapsed = elapsed; self.done = done
    }

    /// Records a second since the stage started (0 before any time has passed).
    public var ratePerSecond: Double { elapsed > 0 ? Double(records) / elapsed : 0 }

    /// Share of the input bytes read, 0...1; nil when the total is unknown.
    public var fraction: Double? { bytesTotal > 0 ? min(1, Double(bytesDone) / Double(bytesTotal)) : nil }

    /// Seconds left at the bytes-per-second rate so far: elapsed x bytes left / bytes read. Nil until some bytes are
    /// read or when the total is unknown; 0 once done.
    public var etaSeconds: Double? {
        if done { return 0 }
        guard bytesTotal > 0, bytesDone > 0, elapsed > 0 else { return nil }
        return elapsed * Double(max(0, bytesTotal - bytesDone)) / Double(bytesDone)
    }

    /// The terminal line: `clean       3/30 files   812,345 records   270,781/s   27%   0:08 left`.
    public var line: String {
        var parts = [stage.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)]
        if filesTotal > 0 { parts.append("\(filesDone)/\(filesTotal) files") }
        parts.append("\(Self.grouped(records)) records")
        if records > 0 { parts.append("\(Self.grouped(Int(ratePerSecond.rounded())))/s") }
        if let fraction { parts.append("\(Int((fraction * 100).rounded(.down)))%") }
        if !done, bytesTotal > 0, bytesDone >= bytesTotal {
            // Every input byte read, the stage still working (stage 4 builds its indexes): no time left to promise.
            parts.append("finishing, \(Self.clock(elapsed)) elapsed")
        } else if let eta = etaSeconds, !done {
            parts.append("\(Self.clock(eta)) left")
        } else {
            parts.append("\(Self.clock(elapsed)) elapsed")
        }
        return parts.joined(separator: "   ")
    }

    /// The JSON line (no final newline): `{"event":"progress","stage":…,"files_done":…,"files_total":…,"records":…,
    /// "rate_per_s":…,"bytes_done":…,"bytes_total":…,"elapsed_s":…,"eta_s":…,"done":…,"level":"info","time":…}`.
    /// Keys in a fixed order; `eta_s` is null when unknown.
    public func json(time: String) -> String {
        let eta = etaSeconds.map { Self.decimal($0) } ?? "null"
        return "{\"event\":\"progress\",\"stage\":\"\(stage.rawValue)\",\"files_done\":\(filesDone),\"files_total\":\(filesTotal),"
            + "\"records\":\(records),\"rate_per_s\":\(Int(ratePerSecond.rounded())),\"bytes_done\":\(bytesDone),\"bytes_total\":\(bytesTotal),"
            + "\"elapsed_s\":\(Self.decimal(elapsed)),\"eta_s\":\(eta),\"done\":\(done),\"level\":\"info\",\"time\":\"\(time)\"}"
    }

    /// `1234567` as `1,234,567`.
    static func grouped(_ n: Int) -> String {
        let digits = String(abs(n))
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return n < 0 ? "-" + out : out
    }

    /// Seconds as `m:ss`, or `h:mm:ss` from an hour (rounded up: a second left is shown as 0:01, not 0:00).
    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded(.up))
        let h = s / 3600, m = (s % 3600) / 60, r = s % 60
        func two(_ x: Int) -> String { x < 10 ? "0\(x)" : "\(x)" }
        return h > 0 ? "\(h):\(two(m)):\(two(r))" : "\(m):\(two(r))"
    }

    /// A number of seconds with one decimal (JSON).
    static func decimal(_ x: Double) -> String { String(format: "%.1f", x) }
}
