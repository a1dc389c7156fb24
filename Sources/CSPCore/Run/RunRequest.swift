/// What to run: which stages, where, and on whose behalf.
public struct RunRequest: Sendable {
    /// Output folder (absolute).
    public var output: String
    /// First stage to execute; earlier ones are carried over from `baseRun`.
    public var from: StageID?
    /// Last stage to execute.
    public var until: StageID?
    /// Run whose earlier stages are carried over (`latest` when nil).
    public var baseRun: String?
    /// `cron` or `interactive`.
    public var trigger: String
    /// The command line, for the ledger.
    public var arguments: [String]
    /// User running it.
    public var user: String
    /// Host running it.
    public var host: String
    /// Rerun stages even when their inputs are unchanged.
    public var force = false
    /// With `from` and no `baseRun`: carry the earlier stages from the newest run that has them (a failed
    /// nightly run is resumed where it stopped) rather than from `latest`.
    public var resume = false

    /// Creates a request.
    public init(output: String, from: StageID? = nil, until: StageID? = nil, baseRun: String? = nil, trigger: String = "interactive",
                arguments: [String] = [], user: String = "unknown", host: String = "unknown", force: Bool = false) {
        self.output = output; self.from = from; self.until = until; self.baseRun = baseRun; self.trigger = trigger
        self.arguments = arguments; self.user = user; self.host = host; self.force = force
    }
}
