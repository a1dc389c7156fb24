/// The banner at the top of a failed run's pages (`audit.html`, stage 5's `report.html`): the run failed, why, and
/// that its figures must not be published as they stand. Empty when there is no failure.
public enum FailureBanner {
    /// The `class` of the banner's element (tests look for it).
    public static let cssClass = "run-failed"

    /// A `<div>` naming each failure, or "" when `failures` is empty.
    public static func html(_ failures: [String]) -> String {
        guard !failures.isEmpty else { return "" }
        var h = "<div class=\"\(cssClass)\" role=\"alert\" style=\"border:3px solid #a00;background:#fdecea;color:#600;padding:.6em 1em;margin:1em 0\">"
        h += "<p style=\"margin:.2em 0\"><b>This run failed.</b> Its outputs were written so that the failure can be examined, "
            + "but they are not a published result (<code>latest</code> was not moved). The failure:</p><ul>"
        h += failures.map { "<li>\(HTML.escape($0))</li>" }.joined()
        return h + "</ul></div>"
    }
}
