import CSPCore
import CSPSchema
import CSPStorage
import Foundation

/// Inputs shared by every theme's assessment.
struct AssessContext {
    let warehouse: AssessWarehouse
    let periods: [PeriodDefinition]
    let indicators: SurveyIndicators?
    /// snt_priorities rows: (snt area, priority).
    let sntPriorities: [(area: String, priority: String)]
    /// msg_comparators rows: theme → other members' rates.
    let msgRates: [String: [Double]]
    let areaPopulation: Int?
    /// Hotspot layers in order (`ward`, `ward08`, `place`), each with its areas inside the partnership.
    let layers: [(String, [(code: String, name: String, population: Int?)])]
    /// First month of each dataset's series (see `seriesStart`).
    var seriesStarts: [String: Month] = [:]
    /// Months of each dataset with no export (see `AssessPeriods.missingMonths`).
    var missingMonths: [String: Set<Month>] = [:]
    /// The months each dataset's data covers (``DataCover``); a dataset without one has no period volumes.
    var covers: [String: DataCover] = [:]

    /// The same inputs with other periods (a section anchored on its own source: stop and search).
    func with(periods: [PeriodDefinition]) -> AssessContext {
        var c = AssessContext(warehouse: warehouse, periods: periods, indicators: indicators, sntPriorities: sntPriorities, msgRates: msgRates,
                              areaPopulation: areaPopulation, layers: layers)
        c.seriesStarts = seriesStarts; c.missingMonths = missingMonths; c.covers = covers
        return c
    }

    func period(_ name: String) -> (from: Month, to: Month)? {
        periods.first { $0.name == name }.map { (Month($0.from), Month($0.to)) }
    }

    /// Where a dataset's monthly series starts: the first month whose count (whole table) is at least half the
    /// table's median monthly count, so that a few late-recorded old events do not open a near-empty tail.
    static func seriesStart(_ counts: [String: Int]) -> Month? {
        let months = counts.compactMap { k, v in Month(k).map { ($0, v) } }.sorted { $0.0 < $1.0 }
        guard !months.isEmpty else { return nil }
        let sorted = months.map(\.1).sorted()
        let median = Double(sorted[sorted.count / 2])
        return months.first { Double($0.1) >= median / 2 }?.0
    }

    func assess(_ theme: ThemeDefinition) throws -> ThemeAssessment {
        let monthly = try warehouse.monthlyCounts(theme)
        let hasSeries = try warehouse.columns(theme.dataset).contains("month")
        let end = period("current")?.to ?? monthly.keys.compactMap(Month.init).max()
        var series: [Int] = []
        var first: Month? = nil
        if hasSeries, let start = seriesStarts[theme.dataset], let end, start <= end {
            first = start
            series = (start.index...end.index).map { monthly[Month(index: $0).text] ?? 0 }
        }
        // Volumes of the periods the data covers (``DataCover``); the others are `*`, never 0.
        var volumes: [String: Int] = [:]
        var unavailable: [String: DataCover.Unavailable] = [:]
        var partial: [String: (covered: Int, of: Int)] = [:]
        let cover = covers[theme.dataset]
        if hasSeries {
            for p in periods {
                let a = Month(p.from), b = Month(p.to)
                guard let cover else { unavailable[p.name] = .empty; continue }
                if let why = cover.unavailable(p.name, from: a, to: b) { unavailable[p.name] = why; continue }
                let n = cover.covered(a, b), length = b.index - a.index + 1
                if n < length { partial[p.name] = (n, length) }
                volumes[p.name] = monthly.reduce(0) { acc, kv in
                    guard let m = Month(kv.key), m >= a, m <= b else { return acc }
                    return acc + kv.value
                }
            }
        }
        let missing = missingMonths[theme.dataset] ?? []
        // Months of the series with no export, or outside the data (an anchor after its last month), are gaps.
        let gaps = first.map { f in Set(series.indices.filter { i in
            let m = Month(index: f.index + i)
            return missing.contains(m) || cover.map { m < $0.first || m > $0.last || $0.gaps.contains(m) } ?? false
        }) } ?? []
        func change(_ prev: String, _ cur: String) -> VolumeChange? {
            guard let p = volumes[prev], let c = volumes[cur], let pp = period(prev), let cp = period(cur), let cover else { return nil }
            // Months with no export are left out: a period's length is its months with data.
            let lp = Double(cover.covered(pp.from, pp.to)), lc = Double(cover.covered(cp.from, cp.to))
            guard lp > 0, lc > 0 else { return nil }
            return VolumeChange(previous: p, current: c, previousLength: lp, currentLength: lc)
        }
        let trend = hasSeries && first != nil ? PoissonTrend(counts: series, firstMonth: first!.month, missing: gaps) : nil
        let seasonality = hasSeries && first != nil ? Seasonality(counts: series, firstMonth: first!.month, missing: gaps) : nil

        // Hotspots over the last twelve months, for every layer (ward, ward08, place) with areas.
        var layerHotspots: [String: Hotspots] = [:]
        var areaRows: [ThemeAssessment.AreaRow] = []
        if hasSeries, let twelve = period("twelve_months"), unavailable["twelve_months"] == nil {
            for (layer, list) in layers where !list.isEmpty {
                let counts = try warehouse.areaCounts(theme, codeColumn: layer + "_code", from: twelve.from.text, to: twelve.to.text)
                let h = Hotspots(areas: list.map { Hotspots.Area(name: $0.name, count: counts[$0.code] ?? 0, population: $0.population) })
                layerHotspots[layer] = h
                for (a, r) in zip(list, h.areas) { areaRows.append(.init(layer: layer, code: a.code, name: a.name, result: r)) }
            }
        }
        let wardHot = layerHotspots["ward"], placeHot = layerHotspots["place"]

        // Victims and offenders of the last twelve months.
        var victims: Profile? = nil, offenders: Profile? = nil
        if let twelve = period("twelve_months") {
            if theme.dataset == "crimes" {
                // data.police.uk publishes no victims or offenders: without the tables the profiles are `*`.
                if try warehouse.tableExists("victims") {
                    victims = Profile(records: try warehouse.people("victims", crimeTheme: theme, from: twelve.from.text, to: twelve.to.text))
                }
                if try warehouse.tableExists("offenders") {
                    offenders = Profile(records: try warehouse.people("offenders", crimeTheme: theme, from: twelve.from.text, to: twelve.to.text))
                }
            } else if theme.dataset == "yos_cases" {
                offenders = Profile(records: try warehouse.yosPeople(theme, from: twelve.from.text, to: twelve.to.text))
            }
        }

        // Public perception.
        var surveyValue: Double? = nil
        if let i = theme.surveyIndicator, let ind = indicators { surveyValue = AssessStage.indicator(i, of: ind)?.value }
        let wanted = Set(theme.sntPriority.map { $0.lowercased() })
        let snt = Array(Set(sntPriorities.filter { wanted.contains($0.priority.lowercased()) }.map(\.area))).sorted()

        // MSG: a rate per 1,000 a year needs the twelve months whole.
        var msg: MSGPosition? = nil
        if let m = theme.msgTheme, let others = msgRates[m], let pop = areaPopulation, pop > 0, let c = volumes["twelve_months"], partial["twelve_months"] == nil {
            msg = MSGPosition(rate: 1000 * Double(c) / Double(pop), otherMembers: others)
        }
        return ThemeAssessment(theme: theme, hasSeries: hasSeries, firstMonth: first, series: series, volumes: volumes,
                               performance: change("previous_year", "current"), performance12: change("previous_twelve_months", "twelve_months"),
                               trend: trend, seasonality: seasonality, wardHotspots: wardHot, placeHotspots: placeHot, layerHotspots: layerHotspots, areaRows: areaRows,
                               victims: victims, offenders: offenders, surveyValue: surveyValue, sntAreas: snt, msg: msg, seriesGaps: gaps,
                               performance6: change("previous_six_months", "current"), unavailablePeriods: unavailable, partialPeriods: partial)
    }
}
