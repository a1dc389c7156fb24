extension AuditPage {
    /// The banner at the top of a failed run's `audit.html`: every failed stage's message (from `run.json`).
    static func failureBanner(_ summary: RunSummary?) -> String {
        guard let summary, summary.status != "succeeded" else { return "" }
        var failures = summary.stages.filter { $0.status == "failed" }.map { "stage \($0.stage.rawValue): \($0.message ?? "failed")" }
        if failures.isEmpty { failures = ["exit \(summary.exitCode)"] }
        return FailureBanner.html(failures)
    }
}
