import CSPCSV
import Foundation

/// A run's progress: files and bytes read, records handled, rate and time left, per stage, shown on standard error
/// as `ProgressSettings` says (a line redrawn in place on a terminal, JSON lines with `--log-format json`).
///
/// Off the hot path: the framework tells it which files a stage reads (`beginStage`); a stage hands each file's
/// reader an observer from `file(_:also:)`, which the CSV reader calls once per block read (1 MB) and
/// `BackgroundCSVReader` once per batch of records (up to 8,192). Only those calls take the lock and read the clock;
/// nothing is done per record. With the settings `off`, `file(_:also:)` returns the observer it was given (or nil),
/// so a quiet run does no work at all.
///
/// Time left is from bytes: elapsed x (bytes left / bytes read). Stage 1 knows every raw file and its size before
/// it starts; stages 2-4 read the previous stage's CSVs, whose sizes are known too.
public final class ProgressMeter: @unchecked Sendable {
    /// The settings.
    public let settings: ProgressSettings
    private let console: StderrConsole?
    private let now: @Sendable () -> Double
    private let timestamp: @Sendable () -> String
    private let lock = NSLock()
    private let runStarted: Double

    // Guarded by `lock`: the current stage.
    private var stage: StageID?
    private var stageStarted = 0.0
    private var sizes: [String: Int] = [:]
    private var bytesTotal = 0
    private var bytesRead: [String: Int] = [:]
    private var completed = Set<String>()
    private var current: String?
    private var bytesDone = 0
    private var records = 0
    private var lastOutput: Double?

    /// No progress (tests and library callers that do not ask for it).
    public static let off = ProgressMeter(settings: .off)

    /// Creates a meter; the run's clock starts now. `console` is standard error (shared with the log lines); `now` is
    /// a monotonic clock in seconds and `timestamp` the time written in JSON lines (tests give their own).
    public init(settings: ProgressSettings, console: StderrConsole? = nil, now: (@Sendable () -> Double)? = nil,
                timestamp: (@Sendable () -> String)? = nil) {
        self.settings = settings
        self.console = console ?? (settings.mode == .off ? nil : StderrConsole())
        let clock = now ?? { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
        self.now = clock
        self.timestamp = timestamp ?? { Timestamp.iso() }
        runStarted = clock()
    }

    /// True when progress is shown at all.
    public var isOn: Bool { settings.mode != .off }

    /// A stage starts, reading `files` (its inputs as far as they are known before it starts; sizes by `stat`).
    public func beginStage(_ id: StageID, files: [String]) {
        guard isOn else { return }
        var sizes: [String: Int] = [:]
        for f in files {
            var st = stat()
            sizes[Self.key(f)] = stat(f, &st) == 0 ? Int(st.st_size) : 0
        }
        beginStage(id, sizes: sizes)
    }

    /// As `beginStage(_:files:)`, with the sizes given (tests).
    func beginStage(_ id: StageID, sizes: [String: Int]) {
        lock.lock()
        defer { lock.unlock() }
        stage = id
        stageStarted = now()
        self.sizes = sizes
        bytesTotal = sizes.values.reduce(0, +)
        bytesRead = [:]; completed = []; current = nil; bytesDone = 0; records = 0; lastOutput = nil
    }

    /// The stage ended: its last line (JSON: `"done":true`; terminal: the line is cleared), when anything was shown.
    public func endStage() {
        guard isOn else { return }
        lock.lock()
        defer { lock.unlock() }
        guard stage != nil else { return }
        if lastOutput != nil {
            bytesDone = bytesTotal
            completed = Set(sizes.keys)
            var s = snapshotLocked()
            s.done = true
            switch settings.mode {
            case .json: console?.write(s.json(time: timestamp()) + "\n")
            case .terminal: console?.clearLine()
            case .off: break
            }
        }
        stage = nil
    }

    /// An observer for the reader of `path`: counts its bytes and records, and passes every block on to `inner` (a
    /// checksum of the bytes read). Opening a file marks the file read before it as done. Returns `inner` when off.
    public func file(_ path: String, also inner: CSVByteObserver? = nil) -> CSVByteObserver? {
        guard isOn else { return inner }
        let key = Self.key(path)
        lock.lock()
        if let previous = current, previous != key { completeLocked(previous) }
        current = key
        lock.unlock()
        return ProgressFile(meter: self, key: key, inner: inner)
    }

    /// Counts records handled (for readers that are not `BackgroundCSVReader`s: call it every few thousand records).
    public func add(records n: Int) {
        guard isOn else { return }
        lock.lock()
        defer { lock.unlock() }
        records += n
        outputLocked()
    }

    /// Counts bytes read from `key`'s file.
    func add(bytes n: Int, key: String) {
        lock.lock()
        defer { lock.unlock() }
        if let size = sizes[key], !completed.contains(key) {
            let before = min(bytesRead[key, default: 0], size)
            let after = min(before + n, size)
            bytesRead[key] = bytesRead[key, default: 0] + n
            bytesDone += after - before
            if after >= size { completed.insert(key) }
        }
        outputLocked()
    }

    /// The current stage's figures (nil between stages).
    var snapshot: ProgressSnapshot? {
        lock.lock()
        defer { lock.unlock() }
        return stage == nil ? nil : snapshotLocked()
    }

    private func snapshotLocked() -> ProgressSnapshot {
        ProgressSnapshot(stage: stage ?? .ingest, filesDone: completed.count, filesTotal: sizes.count, bytesDone: bytesDone,
                         bytesTotal: bytesTotal, records: records, elapsed: now() - stageStarted)
    }

    private func completeLocked(_ key: String) {
        guard let size = sizes[key], !completed.contains(key) else { return }
        bytesDone += size - min(bytesRead[key, default: 0], size)
        completed.insert(key)
    }

    /// Writes a line when the run is old enough and the last one is old enough.
    private func outputLocked() {
        guard stage != nil else { return }
        let t = now()
        guard t - runStarted >= settings.after else { return }
        if let last = lastOutput, t - last < settings.interval { return }
        lastOutput = t
        let s = snapshotLocked()
        switch settings.mode {
        case .terminal: console?.draw(s.line)
        case .json: console?.write(s.json(time: timestamp()) + "\n")
        case .off: break
        }
    }

    private static func key(_ path: String) -> String { (path as NSString).standardizingPath }
}

/// One file's reader's observer (see `ProgressMeter.file(_:also:)`).
final class ProgressFile: CSVByteObserver {
    private let meter: ProgressMeter
    private let key: String
    private let inner: CSVByteObserver?

    /// Counts into `meter` for the file `key`, passing every block on to `inner`.
    init(meter: ProgressMeter, key: String, inner: CSVByteObserver?) {
        self.meter = meter; self.key = key; self.inner = inner
    }

    /// A block read (on the reading thread): to the checksum, then counted.
    func read(_ bytes: UnsafeBufferPointer<UInt8>) {
        inner?.read(bytes)
        meter.add(bytes: bytes.count, key: key)
    }

    /// A batch of records handled (on the consuming thread).
    func consumed(records n: Int) {
        inner?.consumed(records: n)
        meter.add(records: n)
    }
}

extension ProgressMeter {
    /// The files a stage reads, as the framework knows them before it starts: stage 1's raw exports (its declared
    /// `source:` inputs), or the previous stage's CSVs but its side files (``StageSideFiles``), which no stage reads as
    /// records. A file the stage does not open is counted done at the stage's end.
    static func inputFiles(of stage: StageID, inputs: StageInputs, inputDirectory: String?) -> [String] {
        if stage == .ingest { return inputs.declared.filter { $0.role.hasPrefix("source:") }.map(\.path) }
        guard let dir = inputDirectory, let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { return [] }
        return names.filter { $0.hasSuffix(".csv") && !StageSideFiles.names.contains($0) }.sorted().map { dir + "/" + $0 }
    }
}
