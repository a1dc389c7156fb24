import CSPSchema
import CSPStorage
import Foundation

/// The priority scanning table and the threat/risk matrix, scored from the theme assessments and the analysts'
/// judgement in the themes file.
///
/// Priority scanning (✓ = yes, blank = no, `*` = data not available):
/// - High Volume: the theme's 12-month count is in the top third of all themes that have a 12-month count
///   (rank ≤ ⌈n/3⌉, largest first); `*` for a theme without one.
/// - MSG performance: ✓ when the rate per 1,000 is above the MSG average; `*` without an MSG comparison.
/// - Increasing trend: ✓ when the Poisson trend is "Increasing" or the 12-month volume change is "Increasing
///   volume"; `*` when neither can be computed.
/// - LAA, Individual agency, Partnership priority, PSA, National indicator: the judgement (true ✓, false blank, `*`).
/// - Community/SNT Priority: ✓ when at least one SNT area names one of the theme's priorities; blank otherwise.
/// - Total: the number of ✓, followed by " (*)" when any column is `*`.
///
/// Threat/risk matrix (each 1–3, `*` when not available; total = sum of the available scores, " (*)" when any is `*`;
/// rank 1 = highest total, ties by theme order):
/// - Volume: 3 top third, 2 middle third, 1 bottom third of the 12-month counts.
/// - Current MSG performance: 3 above, 2 in line with, 1 below the MSG average.
/// - Trend: 3 Increasing, 2 Stable, 1 Decreasing (Poisson trend).
/// - Harm and Current activity: the judgement.
/// - Community concern: 1 when no SNT area names the theme, 2 for one or two SNT areas, 3 for three or more.
enum AssessScoring {
    static let tick = "✓"
    static let scanningColumns = ["High Volume", "MSG performance", "Increasing trend", "LAA Priority", "Individual agency priority",
                                  "Partnership priority", "Community/SNT Priority", "PSA", "National indicator"]
    static let matrixColumns = ["Volume", "Current MSG performance", "Trend", "Harm", "Current activity", "Community concern"]

    /// Third (1 = top) of each theme's 12-month count among the themes that have one.
    static func volumeThirds(_ themes: [ThemeAssessment]) -> [String: Int] {
        let counted = themes.compactMap { t in t.twelveMonthCount.map { (t.theme.id, $0) } }
            .sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
        let n = counted.count
        var out: [String: Int] = [:]
        for (i, c) in counted.enumerated() { out[c.0] = min(3, 1 + (i * 3) / max(1, n)) }
        return out
    }

    static func judged(_ v: String?) -> String {
        switch v {
        case "true": tick
        case "false", nil: ""
        default: AssessMarker.notAvailable
        }
    }

    /// `sntKnown` false (the pipeline has no SNT priorities) shows the community column as `*`, not as "no".
    static func scanning(_ themes: [ThemeAssessment], sntKnown: Bool = true) -> [[String]] {
        let thirds = volumeThirds(themes)
        return themes.map { t in
            let j = t.theme.judgement
            let high = thirds[t.theme.id].map { $0 == 1 ? tick : "" } ?? AssessMarker.notAvailable
            let msg = t.msg.map { $0.comparison == .above ? tick : ($0.comparison == .notAvailable ? AssessMarker.notAvailable : "") } ?? AssessMarker.notAvailable
            let trendKnown = (t.trend.map { $0.classification != .insufficientData } ?? false) || t.performance12 != nil
            let increasing = t.trend?.classification == .increasing || t.performance12?.direction == .increasing
            let trend = trendKnown ? (increasing ? tick : "") : AssessMarker.notAvailable
            let cells = [high, msg, trend, judged(j["laa"]), judged(j["agency"]), judged(j["partnership"]),
                         !sntKnown ? AssessMarker.notAvailable : (t.sntAreas.isEmpty ? "" : tick), judged(j["psa"]), judged(j["national_indicator"])]
            return [t.theme.group, t.theme.name] + cells + [total(cells.map { $0 == tick ? 1 : ($0 == AssessMarker.notAvailable ? nil : 0) })]
        }
    }

    static func total(_ scores: [Int?]) -> String {
        let sum = scores.compactMap { $0 }.reduce(0, +)
        return scores.contains { $0 == nil } ? "\(sum) (*)" : "\(sum)"
    }

    static func matrix(_ themes: [ThemeAssessment], sntKnown: Bool = true) -> [[String]] {
        let thirds = volumeThirds(themes)
        var rows: [(index: Int, cells: [String], total: Int)] = []
        for (i, t) in themes.enumerated() {
            let volume = thirds[t.theme.id].map { 4 - $0 }
            let msg: Int? = switch t.msg?.comparison {
            case .above: 3
            case .inLine: 2
            case .below: 1
            default: nil
            }
            let trend: Int? = switch t.trend?.classification {
            case .increasing: 3
            case .stable: 2
            case .decreasing: 1
            default: nil
            }
            let harm = t.theme.judgement["harm"].flatMap { Int($0) }
            let activity = t.theme.judgement["current_activity"].flatMap { Int($0) }
            let concern: Int? = !sntKnown ? nil : (t.sntAreas.isEmpty ? 1 : (t.sntAreas.count >= 3 ? 3 : 2))
            let scores: [Int?] = [volume, msg, trend, harm, activity, concern]
            let cells = scores.map { $0.map(String.init) ?? AssessMarker.notAvailable }
            rows.append((i, [t.theme.group, t.theme.name] + cells + [total(scores)], scores.compactMap { $0 }.reduce(0, +)))
        }
        let ranked = rows.sorted { $0.total != $1.total ? $0.total > $1.total : $0.index < $1.index }
        var rank: [Int: Int] = [:]
        for (r, row) in ranked.enumerated() { rank[row.index] = r + 1 }
        return rows.map { $0.cells + [String(rank[$0.index]!)] }
    }
}
