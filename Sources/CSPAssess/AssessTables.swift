import CSPSchema
import CSPStorage
import Foundation

/// The CSV tables of `05-assess/tables/`.
struct AssessTables {
    let themes: [ThemeAssessment]
    let periods: [String]
    /// The area counts as published (every area figure and list goes through it).
    let areas: AreaDisclosure
    /// The Gi* columns of the LSOA rows.
    var clusters = AssessClusters(cells: [:], notComputable: [:], weights: nil, withheldClasses: 0, alternatives: 0)
    /// Named places from the records, for a geography without a place layer.
    var places = AssessPlaces(byTheme: [:], hotspotWards: [:])

    /// One row per theme: volumes per period, changes and their words, trend, seasonality, top hotspots,
    /// victims and offenders phrases, public perception and MSG position.
    func themeProfiles() -> [[String]] {
        var header = ["theme_id", "theme", "group", "dataset"]
        header += periods.map { "volume_\($0)" }
        header += ["change_current_vs_previous_year", "percent_change", "performance_current", "p_current",
                   "change_12m", "percent_change_12m", "performance_12m", "p_12m",
                   "trend", "trend_annual_change_percent", "trend_p", "seasonality", "seasonality_p",
                   "ward_hotspots", "top_wards", "ward08_hotspots", "place_hotspots", "top_places", "victims", "offenders", "survey_indicator", "survey_value_percent",
                   "snt_areas", "public_perception", "msg_rate_per_1000", "msg_average", "msg_position", "msg_group_size", "msg_performance",
                   "change_current_vs_previous_six_months", "percent_change_6m", "performance_6m", "p_6m"]
        var rows = [header]
        for t in themes {
            var r = [t.theme.id, t.theme.name, t.theme.group, t.theme.dataset]
            r += periods.map { p in t.volumes[p].map(String.init) ?? AssessMarker.notAvailable }
            r += Self.changeCells(t.performance) + Self.changeCells(t.performance12)
            r += [t.trendPhrase, AssessFormat.fixed(t.trend?.fit.map { 100 * $0.annualChange }, 1), AssessFormat.pvalue(t.trend?.fit?.pValue)]
            r += [t.seasonalityPhrase, AssessFormat.pvalue(t.seasonality?.sufficientData == true ? t.seasonality?.pValue : nil)]
            let ward = areas.layer(t.theme.id, "ward"), place = areas.layer(t.theme.id, "place")
            r += [list(tested(ward)?.hotspots, limit: 5, emptyIs: "None"), list(ward.map { Array($0.topByCount.prefix(3)) }),
                  list(tested(areas.layer(t.theme.id, "ward08"))?.hotspots, limit: 5, emptyIs: "None")]
            if place == nil, let top = places.top(t.theme.id) {
                r += [list(places.inHotspots(t.theme.id)?.map(AssessPlaces.label), emptyIs: "None"), list(top.map(AssessPlaces.label), emptyIs: "None")]
            } else {
                r += [list(tested(place)?.hotspots, limit: 5, emptyIs: "None"), list(place?.topWithEvents(3))]
            }
            r += [t.victims?.phrase ?? AssessMarker.notAvailable, t.offenders?.phrase ?? AssessMarker.notAvailable]
            r += [t.theme.surveyIndicator ?? AssessMarker.notAvailable, AssessFormat.fixed(t.surveyValue, 1), String(t.sntAreas.count), t.perceptionPhrase]
            if let m = t.msg {
                r += [AssessFormat.fixed(m.rate, 2), AssessFormat.fixed(m.groupMean, 2), m.position.map(String.init) ?? AssessMarker.notAvailable,
                      String(m.groupSize), m.comparison.phrase]
            } else {
                r += Array(repeating: AssessMarker.notAvailable, count: 5)
            }
            // Current against the six months before (appended: the columns before keep their order).
            r += Self.changeCells(t.performance6)
            rows.append(r)
        }
        return rows
    }

    /// A period comparison's four cells (change, per cent, words, p); `*` in each without one.
    static func changeCells(_ c: VolumeChange?) -> [String] {
        guard let c else { return Array(repeating: AssessMarker.notAvailable, count: 4) }
        return [String(c.change), AssessFormat.fixed(c.percentChange, 1), c.direction.phrase, AssessFormat.pvalue(c.pValue)]
    }

    /// The layer when at least one area was tested (had a population or size); nil otherwise (`*`).
    func tested(_ h: DisclosedLayer?) -> DisclosedLayer? { h.flatMap { $0.tested ? $0 : nil } }

    func list(_ names: [String]?, limit: Int = 3, emptyIs: String = AssessMarker.notAvailable) -> String {
        guard let names else { return AssessMarker.notAvailable }
        return names.isEmpty ? emptyIs : names.prefix(limit).joined(separator: "; ")
    }

    /// Every area of every layer for every theme (last twelve months), as the ``DisclosurePolicy`` publishes it: a
    /// withheld area's count and everything computed from it (rate, expected count, p-values, flag) are `~`. LSOA rows
    /// (`layer` = `lsoa`) add Getis–Ord Gi* (``AssessClusters``); those columns are `*` on other layers' rows.
    func hotspots() -> [[String]] {
        var rows = [["theme_id", "theme", "layer", "area_code", "area", "count", "population", "rate_per_1000", "expected", "basis",
                     "p_value", "adjusted_p", "hotspot"] + AssessClusters.header]
        for t in themes {
            for layer in AssessStage.hotspotLayers {
                guard let d = areas.layer(t.theme.id, layer) else { continue }
                for r in d.rows {
                    rows.append([t.theme.id, t.theme.name, AssessStage.publishedLayer(layer), r.code, r.name] + r.cells
                                + clusters.row(theme: layer == AssessClusters.layer ? t.theme.id : "", code: r.code))
                }
            }
        }
        return rows
    }
}

/// `assessment.json`: the themes and the survey indicators, for other tools; per theme `outcomes` and a top-level
/// `stop_and_search` when the warehouse has outcomes and stop-and-search records (absent otherwise).
enum AssessJSON {
    static func round(_ v: Double?, _ places: Int = 2) -> Any {
        guard let v, v.isFinite else { return NSNull() }
        let f = pow(10.0, Double(places))
        return (v * f).rounded() / f
    }

    /// A period comparison in assessment.json: `{words, change, percent, p}`.
    static func change(_ c: VolumeChange) -> [String: Any] {
        ["words": c.direction.phrase, "change": c.change, "percent": round(c.percentChange, 1), "p": round(c.pValue, 4)]
    }

    /// A theme's `hotspots`: ward lists, places (the place layer's, else the records' named places) and, with an LSOA
    /// layer, its Gi* hot spots, top LSOAs and LSOAs above expectation.
    static func hotspots(_ t: ThemeAssessment, areas: AreaDisclosure, clusters: AssessClusters?, places: AssessPlaces?) -> [String: Any] {
        let ward = areas.layer(t.theme.id, "ward"), place = areas.layer(t.theme.id, "place")
        var out: [String: Any] = ["wards": ward?.hotspots ?? [], "top_wards": ward?.topByCount ?? [], "top_places": place?.topByCount ?? [],
                                  "wards_2008": areas.layer(t.theme.id, "ward08")?.hotspots ?? [], "places": place?.hotspots ?? []]
        if place == nil, let top = places?.top(t.theme.id) {
            out["top_places"] = top.map(AssessPlaces.label)
            out["places"] = places?.inHotspots(t.theme.id)?.map(AssessPlaces.label) ?? []
        }
        if let lsoa = areas.layer(t.theme.id, AssessClusters.layer) {
            out["lsoas"] = clusters?.hotSpots(theme: t.theme.id, layer: lsoa) ?? []
            out["top_lsoas"] = lsoa.topByCount
            out["lsoas_excess"] = lsoa.hotspots
        }
        return out
    }

    static func make(themes: [ThemeAssessment], areas: AreaDisclosure, clusters: AssessClusters? = nil, places: AssessPlaces? = nil, indicators: SurveyIndicators?, names: [String], periods: [String: Any] = [:],
                     outcomes: AssessOutcomes? = nil, stopSearch: StopSearchSummary? = nil, summary: [[String: Any]] = []) -> Data {
        var list: [[String: Any]] = []
        for (i, t) in themes.enumerated() {
            var volumes: [String: Any] = [:]
            for (k, v) in t.volumes { volumes[k] = v }
            var item: [String: Any] = [
                "id": t.theme.id, "name": t.theme.name, "group": t.theme.group, "dataset": t.theme.dataset, "volumes": volumes,
                // A period the data does not cover has no volume (never 0): its reason instead.
                "periods_not_covered": t.unavailablePeriods.mapValues(\.words),
                "trend": t.trendPhrase, "seasonality": t.seasonalityPhrase,
                "hotspots": hotspots(t, areas: areas, clusters: clusters, places: places),
                "victims": t.victims?.phrase ?? AssessMarker.notAvailable, "offenders": t.offenders?.phrase ?? AssessMarker.notAvailable,
                "public_perception": t.perceptionPhrase, "msg": t.msgPhrase,
            ]
            for (key, c) in [("performance_current", t.performance), ("performance_six_months", t.performance6), ("performance_12_months", t.performance12)] {
                if let c { item[key] = change(c) }
            }
            if let f = t.trend?.fit { item["trend_annual_change_percent"] = round(100 * f.annualChange, 1) }
            if let outcomes { item["outcomes"] = outcomes.json(themeIndex: i) }
            if let first = t.firstMonth { item["series"] = ["first_month": first.text, "counts": t.series.indices.map { t.seriesGaps.contains($0) ? NSNull() : t.series[$0] as Any }] }
            list.append(item)
        }
        var ind: [String: Any] = [:]
        if let indicators {
            for n in names {
                let i = AssessStage.indicator(n, of: indicators)!
                ind[n] = ["value": round(i.value, 2), "base": i.unweightedBase, "ci_lower": round(i.lower, 2), "ci_upper": round(i.upper, 2)]
            }
        }
        var root: [String: Any] = ["themes": list, "indicators": ind]
        if !periods.isEmpty { root["periods"] = periods }
        if let stopSearch { root["stop_and_search"] = stopSearch.json() }
        if !summary.isEmpty { root["summary"] = summary }
        return (try? JSONSerialization.data(withJSONObject: root, options: [.prettyPrinted, .sortedKeys])) ?? Data("{}".utf8)
    }
}
