import CSPCore
import CSPSchema
import CSPStorage
import Foundation

/// The priority scanning table and the threat/risk matrix, scored from the theme assessments and the partnership's
/// own judgements. Which columns there are is the partnership's `judgement_columns` file (``JudgementColumns``); the
/// judged cells come from its `judgements` file (``JudgementsFile``), and are `*` where it has none: never another
/// partnership's values, and no column list in code.
///
/// Priority scanning (✓ = yes, blank = no, `*` = data not available):
/// - High Volume: the theme's 12-month count is in the top third of all themes that have a 12-month count
///   (rank ≤ ⌈n/3⌉, largest first); `*` for a theme without one.
/// - MSG performance: ✓ when the rate per 1,000 is above the MSG average; `*` without an MSG comparison.
/// - Increasing trend: ✓ when the Poisson trend is "Increasing" or the 12-month volume change is "Increasing
///   volume"; `*` when neither can be computed (fewer than 24 months with data, and a previous twelve months the
///   data does not cover).
/// - Each judged column (in 2009: LAA, Individual agency, Partnership priority, PSA, National indicator): the
///   judgement (yes ✓, no blank, `*` when the partnership has not judged it).
/// - Community/SNT Priority: ✓ when at least one SNT area names one of the theme's priorities; blank otherwise.
/// - Total: the number of ✓, followed by " (*)" when any column is `*`.
///
/// Threat/risk matrix (each 1–3, `*` when not available; total = sum of the available scores, " (*)" when any is `*`;
/// rank 1 = highest total, ties by theme order):
/// - Volume: 3 top third, 2 middle third, 1 bottom third of the 12-month counts.
/// - Current MSG performance: 3 above, 2 in line with, 1 below the MSG average.
/// - Trend: 3 Increasing, 2 Stable, 1 Decreasing (Poisson trend).
/// - Each judged column (in 2009: Harm, Current activity): the judgement, `*` when not judged.
/// - Community concern: 1 when no SNT area names the theme, 2 for one or two SNT areas, 3 for three or more.
enum AssessScoring {
    static let tick = "✓"

    static func judged(_ v: String?) -> String {
        switch v {
        case "true": tick
        case "false": ""
        default: AssessMarker.notAvailable
        }
    }

    /// Third (1 = top) of each theme's 12-month count among the themes that have one.
    static func volumeThirds(_ themes: [ThemeAssessment]) -> [String: Int] {
        let counted = themes.compactMap { t in t.twelveMonthCount.map { (t.theme.id, $0) } }
            .sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
        let n = counted.count
        var out: [String: Int] = [:]
        for (i, c) in counted.enumerated() { out[c.0] = min(3, 1 + (i * 3) / max(1, n)) }
        return out
    }

    /// The scanning table's header.
    static func scanningHeader(_ columns: JudgementColumns) -> [String] { ["group", "theme"] + columns.scanning.map(\.name) + ["Total"] }

    /// The matrix's header.
    static func matrixHeader(_ columns: JudgementColumns) -> [String] { ["group", "theme"] + columns.matrix.map(\.name) + ["Total", "Rank"] }

    /// `sntKnown` false (the pipeline has no SNT priorities) shows the community column as `*`, not as "no".
    static func scanning(_ themes: [ThemeAssessment], columns: JudgementColumns, judgements: JudgementsFile?, sntKnown: Bool = true) -> [[String]] {
        let thirds = volumeThirds(themes)
        return themes.map { t in
            let j = judgements?.values[t.theme.id] ?? [:]
            let cells = columns.scanning.map { c -> String in
                if c.judged { return judged(j[c.id]) }
                switch c.id {
                case "high_volume":
                    return thirds[t.theme.id].map { $0 == 1 ? tick : "" } ?? AssessMarker.notAvailable
                case "msg_performance":
                    return t.msg.map { $0.comparison == .above ? tick : ($0.comparison == .notAvailable ? AssessMarker.notAvailable : "") } ?? AssessMarker.notAvailable
                case "increasing_trend":
                    let known = (t.trend.map { $0.classification != .insufficientData } ?? false) || t.performance12 != nil
                    let increasing = t.trend?.classification == .increasing || t.performance12?.direction == .increasing
                    return known ? (increasing ? tick : "") : AssessMarker.notAvailable
                default:  // community_priority
                    return !sntKnown ? AssessMarker.notAvailable : (t.sntAreas.isEmpty ? "" : tick)
                }
            }
            return [t.theme.group, t.theme.name] + cells + [total(cells.map { $0 == tick ? 1 : ($0 == AssessMarker.notAvailable ? nil : 0) })]
        }
    }

    static func total(_ scores: [Int?]) -> String {
        let sum = scores.compactMap { $0 }.reduce(0, +)
        return scores.contains { $0 == nil } ? "\(sum) (*)" : "\(sum)"
    }

    static func matrix(_ themes: [ThemeAssessment], columns: JudgementColumns, judgements: JudgementsFile?, sntKnown: Bool = true) -> [[String]] {
        let thirds = volumeThirds(themes)
        var rows: [(index: Int, cells: [String], total: Int)] = []
        for (i, t) in themes.enumerated() {
            let j = judgements?.values[t.theme.id] ?? [:]
            let scores: [Int?] = columns.matrix.map { c in
                if c.judged { return j[c.id].flatMap { Int($0) } }
                switch c.id {
                case "volume": return thirds[t.theme.id].map { 4 - $0 }
                case "msg_performance":
                    switch t.msg?.comparison {
                    case .above: return 3
                    case .inLine: return 2
                    case .below: return 1
                    default: return nil
                    }
                case "trend":
                    switch t.trend?.classification {
                    case .increasing: return 3
                    case .stable: return 2
                    case .decreasing: return 1
                    default: return nil
                    }
                default:  // community_concern
                    return !sntKnown ? nil : (t.sntAreas.isEmpty ? 1 : (t.sntAreas.count >= 3 ? 3 : 2))
                }
            }
            let cells = scores.map { $0.map(String.init) ?? AssessMarker.notAvailable }
            rows.append((i, [t.theme.group, t.theme.name] + cells + [total(scores)], scores.compactMap { $0 }.reduce(0, +)))
        }
        let ranked = rows.sorted { $0.total != $1.total ? $0.total > $1.total : $0.index < $1.index }
        var rank: [Int: Int] = [:]
        for (r, row) in ranked.enumerated() { rank[row.index] = r + 1 }
        return rows.map { $0.cells + [String(rank[$0.index]!)] }
    }
}
