import CSPCSV
import Foundation

/// `audit.html`: a static page an auditor opens without csp — counts per stage, rejects by rule,
/// exclusions by reason, duplicates, inputs and outputs with their checksums.
public enum AuditPage {
    /// Renders the page for a run folder from its run.json and manifests.
    public static func render(runDirectory: String) -> String {
        let summary = try? JSON.read(RunSummary.self, from: runDirectory + "/run.json")
        var html = """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>csp run \(HTML.escape(summary?.runID ?? ""))</title>
        <style>
        body{font-family:system-ui,sans-serif;margin:2em;max-width:75em;color:#222}
        table{border-collapse:collapse;margin:.5em 0 1.5em}th,td{border:1px solid #bbb;padding:.25em .6em;text-align:left;vertical-align:top}
        td.n{text-align:right;font-variant-numeric:tabular-nums}code{font-size:.85em}.bad{color:#a00;font-weight:bold}.ok{color:#070}
        </style></head><body>
        <h1>Run \(HTML.escape(summary?.runID ?? "?"))</h1>

        """
        html += failureBanner(summary)
        if let s = summary {
            html += "<p>Pipeline <b>\(HTML.escape(s.pipeline))</b> · status <b class=\"\(s.status == "succeeded" ? "ok" : "bad")\">\(HTML.escape(s.status))</b> (exit \(s.exitCode)) · "
            html += "\(HTML.escape(s.trigger)) run by \(HTML.escape(s.user)) on \(HTML.escape(s.host)) · \(HTML.escape(s.started)) → \(HTML.escape(s.finished)) · csp \(HTML.escape(s.toolVersion)) · config <code>\(HTML.escape(String(s.configHash.prefix(16))))</code>"
            if let p = s.parentRun { html += " · parent run \(HTML.escape(p))" }
            html += "</p>\n"
        }
        html += "<h2>Counts per stage</h2>\n<p>Every stage must satisfy in = out + rejected + excluded + duplicates, in total and per source.</p>\n"
        html += "<table><tr><th>stage</th><th>part</th><th>status</th><th>in</th><th>out</th><th>rejected</th><th>excluded</th><th>duplicates</th><th>balances</th></tr>\n"
        var manifests: [(StageID, Manifest)] = []
        for stage in StageID.allCases {
            guard let m = try? JSON.read(Manifest.self, from: runDirectory + "/" + stage.folder + "/manifest.json") else { continue }
            manifests.append((stage, m))
            html += row(stage.folder, "total", m.status, m.counts)
            for (part, c) in m.sources.sorted(by: { $0.key < $1.key }) { html += row("", part, "", c) }
        }
        html += "</table>\n"
        html += coverage(runDirectory + "/" + StageID.ingest.folder + "/" + CoverageCalendar.fileName)
        for (title, file) in [("Rejects by rule", "rejects.csv"), ("Exclusions by reason", "excluded.csv"), ("Duplicates by rule", "duplicates.csv")] {
            html += "<h2>\(title)</h2>\n<table><tr><th>stage</th><th>rule</th><th>rows</th></tr>\n"
            var any = false
            for (stage, _) in manifests {
                for (rule, n) in countByRule(runDirectory + "/" + stage.folder + "/" + file).sorted(by: { $0.key < $1.key }) {
                    html += "<tr><td>\(stage.folder)</td><td><code>\(HTML.escape(rule))</code></td><td class=\"n\">\(n)</td></tr>\n"
                    any = true
                }
            }
            if !any { html += "<tr><td colspan=\"3\">none</td></tr>\n" }
            html += "</table>\n"
        }
        html += "<h2>Inputs and outputs</h2>\n<table><tr><th>stage</th><th>role</th><th>path</th><th>rows</th><th>bytes</th><th>SHA-256</th></tr>\n"
        for (stage, m) in manifests {
            for f in m.inputs + m.outputs {
                html += "<tr><td>\(stage.folder)</td><td>\(HTML.escape(f.role))</td><td><code>\(HTML.escape(f.path))</code></td><td class=\"n\">\(f.rows.map(String.init) ?? "")</td><td class=\"n\">\(f.bytes)</td><td><code>\(f.sha256)</code></td></tr>\n"
            }
        }
        html += "</table>\n<p>Verify with <code>csp audit --pipeline … --run \(HTML.escape(summary?.runID ?? "ID"))</code>.</p>\n</body></html>\n"
        return html
    }

    /// The coverage calendar as a grid: one row per source and force, one column per month; a missing, short or
    /// duplicated month is a highlighted cell naming its status.
    static func coverage(_ path: String) -> String {
        guard let calendar = try? CoverageCalendar.read(path: path), !calendar.rows.isEmpty else { return "" }
        let months = Array(Set(calendar.rows.map(\.month))).sorted()
        let gaps = calendar.gaps
        var html = "<h2>Coverage calendar</h2>\n<p>\(months.count) months, \(months.first ?? "") to \(months.last ?? "") (01-ingest/coverage.csv); "
        html += gaps.isEmpty ? "<span class=\"ok\">every month present</span>.</p>\n" : "<span class=\"bad\">\(gaps.count) gap(s)</span>: " + gaps.map { HTML.escape(CoverageCalendar.describe($0)) }.joined(separator: "; ") + ".</p>\n"
        html += "<table><tr><th>source</th><th>force</th>" + months.map { "<th>\(HTML.escape(String($0.dropFirst(2))))</th>" }.joined() + "</tr>\n"
        var keys: [String] = []
        var cells: [String: [String: CoverageCalendar.Row]] = [:]
        for r in calendar.rows {
            let k = r.source + "\u{1}" + r.force
            if cells[k] == nil { keys.append(k) }
            cells[k, default: [:]][r.month] = r
        }
        for k in keys {
            let parts = k.split(separator: "\u{1}", omittingEmptySubsequences: false).map(String.init)
            html += "<tr><td>\(HTML.escape(parts[0]))</td><td>\(HTML.escape(parts.count > 1 ? parts[1] : ""))</td>"
            for m in months {
                guard let r = cells[k]?[m] else { html += "<td></td>"; continue }
                switch r.status {
                case "present": html += "<td class=\"n\" title=\"\(HTML.escape(m)) present\">\(r.rows)</td>"
                default:
                    let colour = r.status == "missing" ? "#f5b7b1" : "#fad7a0"
                    html += "<td class=\"bad gap-\(HTML.escape(r.status))\" style=\"background:\(colour)\" title=\"\(HTML.escape(CoverageCalendar.describe(r)))\">\(HTML.escape(r.status))</td>"
                }
            }
            html += "</tr>\n"
        }
        return html + "</table>\n"
    }

    static func row(_ stage: String, _ part: String, _ status: String, _ c: StageCounts) -> String {
        "<tr><td>\(stage)</td><td>\(HTML.escape(part))</td><td>\(HTML.escape(status))</td><td class=\"n\">\(c.inCount)</td><td class=\"n\">\(c.out)</td><td class=\"n\">\(c.rejected)</td><td class=\"n\">\(c.excluded)</td><td class=\"n\">\(c.duplicates)</td><td class=\"\(c.balances ? "ok" : "bad")\">\(c.balances ? "yes" : "NO")</td></tr>\n"
    }

    static func countByRule(_ path: String) -> [String: Int] {
        guard let r = try? CSVReader(path: path), let ri = r.header.firstIndex(of: "rule") else { return [:] }
        var out: [String: Int] = [:]
        r.forEach { rec in if ri < rec.count { out[rec.string(ri), default: 0] += 1 } }
        return out
    }
}
