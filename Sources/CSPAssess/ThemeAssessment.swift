import CSPCore
import CSPSchema
import CSPStorage
import Foundation

/// Everything the assessment says about one theme.
struct ThemeAssessment {
    struct AreaRow {
        let layer: String
        let code: String
        let name: String
        let result: Hotspots.AreaResult
    }

    let theme: ThemeDefinition
    /// Whether the theme's dataset has months (volumes, trend, seasonality, hotspots).
    let hasSeries: Bool
    /// First month of the series.
    let firstMonth: Month?
    /// Monthly counts, consecutive, oldest first.
    let series: [Int]
    /// Volume per pipeline period name.
    let volumes: [String: Int]
    /// Current vs previous_year.
    let performance: VolumeChange?
    /// twelve_months vs previous_twelve_months.
    let performance12: VolumeChange?
    let trend: PoissonTrend?
    let seasonality: Seasonality?
    let wardHotspots: Hotspots?
    let placeHotspots: Hotspots?
    /// Every layer's hotspots, by layer id.
    let layerHotspots: [String: Hotspots]
    let areaRows: [AreaRow]
    let victims: Profile?
    let offenders: Profile?
    /// Survey indicator value (per cent) tied to the theme.
    let surveyValue: Double?
    /// SNT areas naming one of the theme's priorities.
    let sntAreas: [String]
    let msg: MSGPosition?
    /// Indices into `series` of months with no export: left out of trend, seasonality and period comparisons.
    var seriesGaps: Set<Int> = []
    /// current vs previous_six_months (consecutive periods: seasonality is not removed).
    var performance6: VolumeChange? = nil
    /// Periods the data cannot answer (``DataCover``), with why: no volume, and no comparison uses them.
    var unavailablePeriods: [String: DataCover.Unavailable] = [:]
    /// Periods assessed on only some of their months: period → (months with data, months).
    var partialPeriods: [String: (covered: Int, of: Int)] = [:]

    /// Why a comparison of the periods `names` is `*` (a period the data does not cover), for a footnote; nil when
    /// every one of them is covered.
    func notCovered(_ names: String...) -> String? {
        let why = names.compactMap { n in unavailablePeriods[n].map { "\(n.replacingOccurrences(of: "_", with: " ")): \($0.words)" } }
        return why.isEmpty ? nil : why.joined(separator: "; ")
    }

    var trendPhrase: String { trend?.classification.phrase ?? AssessMarker.notAvailable }
    /// The seasonality words, always as ``Seasonality/phrase`` words them ("Summer and winter peaks"); `*` without a series.
    var seasonalityPhrase: String { seasonality?.phrase ?? AssessMarker.notAvailable }
    var perceptionPhrase: String {
        var parts: [String] = []
        if let v = surveyValue, let i = theme.surveyIndicator { parts.append(String(format: "%@ %.1f%%", i, v)) }
        if theme.sntPriority.isEmpty && theme.surveyIndicator == nil { return AssessMarker.notAvailable }
        parts.append(sntAreas.isEmpty ? "Not a community concern" : "SNT priority in \(sntAreas.count) area\(sntAreas.count == 1 ? "" : "s")")
        return parts.joined(separator: "; ")
    }
    var msgPhrase: String { msg?.comparison.phrase ?? AssessMarker.notAvailable }
    var twelveMonthCount: Int? { hasSeries ? volumes["twelve_months"] : nil }
}
