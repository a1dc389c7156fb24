/// Whether and how a run shows its progress on standard error. Chosen at the command layer (`CommonOptions`):
/// a redrawn line when standard error is a terminal, JSON lines with `--log-format json`, nothing with `--quiet`
/// or when standard error is a file or a pipe (tests and cron logs stay clean).
public struct ProgressSettings: Sendable, Equatable {
    /// Where progress goes.
    public enum Mode: Sendable, Equatable {
        /// No progress at all.
        case off
        /// One line redrawn in place with `\r` (standard error is a terminal).
        case terminal
        /// One JSON object per line (`"event":"progress"`), beside the JSON log lines.
        case json
    }

    /// Where progress goes.
    public var mode: Mode
    /// Seconds since the run started before anything is shown: a run shorter than this shows no progress.
    public var after: Double
    /// Least seconds between two progress outputs (a stage's last line, at its end, is always written).
    public var interval: Double

    /// Default delay before progress is shown: a few seconds, so that short runs print nothing.
    public static let defaultAfter = 3.0
    /// Default least time between two redraws of the terminal line.
    public static let terminalInterval = 0.25
    /// Default least time between two JSON progress lines (a log collector wants a heartbeat, not a stream).
    public static let jsonInterval = 5.0

    /// Creates settings; `interval` defaults to the mode's (`terminalInterval`, `jsonInterval`).
    public init(mode: Mode, after: Double = ProgressSettings.defaultAfter, interval: Double? = nil) {
        self.mode = mode
        self.after = after
        self.interval = interval ?? (mode == .json ? Self.jsonInterval : Self.terminalInterval)
    }

    /// No progress.
    public static let off = ProgressSettings(mode: .off)
}
