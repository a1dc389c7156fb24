import CSPCore
import CSPSchema
import CSPStorage
import CSPCSV
import Foundation
import Logging

/// Stage 5: the strategic assessment's tables, `assessment.json` and a self-contained `report.html`, computed from
/// stage 4's warehouse (opened read-only) and the `themes`, `msg_comparators`, `snt_priorities` reference files.
///
/// The stage aggregates and records the rows it read: conservation does not apply, so for each warehouse table
/// read the counts are in = out = rows in the table, with no rejects.
///
/// Periods are applied by month (`month` column, every pipeline period is whole months). Monthly series run from
/// the first month of the dataset holding at least half its median monthly count to the end of the `current`
/// period. Hotspots, victim and offender profiles and MSG rates use the `twelve_months` period; victims and
/// offenders are the people linked (on `crime_ref`) to the theme's crimes committed in those months, YOS themes
/// profile the young people of their cases. The MSG rate is the 12-month count per 1,000 residents of the area
/// (sum of the ward populations). With an `outcomes` table (data.police.uk), each crime theme's crimes of the
/// `twelve_months` period are counted by latest outcome (``AssessOutcomes``, grouped by the `outcome_groups` reference
/// file); with a `stop_searches` table, stop and search has its own section and tables (``StopSearchSummary``).
/// Neither table, neither figure: nothing changes for a warehouse without them.
public struct AssessStage: PipelineStage {
    public init() {}
    public var id: StageID { .assess }

    /// Area layers tested for hotspots: 2009 wards, 2008 wards (the assessment's ward names), places and 2021 LSOAs
    /// (whose rates also get Getis–Ord Gi*, ``AssessClusters``). A pipeline without a layer's geography has no rows for it.
    static let hotspotLayers = ["ward", "ward08", "place", AssessClusters.layer]

    /// A layer's name in the published tables (`lsoa` for the 2021 LSOAs; the others as they are).
    static func publishedLayer(_ layer: String) -> String { layer == AssessClusters.layer ? "lsoa" : layer }

    static let indicatorNames = ["NI17", "NI41", "NI42", "NI21", "NI27"]

    static func indicator(_ name: String, of s: SurveyIndicators) -> SurveyIndicators.Indicator? {
        switch name {
        case "NI17": s.ni17
        case "NI41": s.ni41
        case "NI42": s.ni42
        case "NI21": s.ni21
        case "NI27": s.ni27
        default: nil
        }
    }

    /// The pipeline file and the `themes`, `judgement_columns`, `judgements`, `msg_comparators`, `snt_priorities` and
    /// `outcome_groups` reference files. The report's map
    /// is drawn from the warehouse's `geometry` table: this stage opens no boundary file.
    public func declaredInputs(for pipeline: PipelineDefinition) throws -> [DeclaredInput] {
        [DeclaredInput.configuration(pipeline)]
            + ["themes", "judgement_columns", "judgements", "msg_comparators", "snt_priorities", "outcome_groups"].compactMap { DeclaredInput.reference($0, of: pipeline) }
            + PartnershipRates.declaredInputs(for: pipeline)
    }

    /// The figures shown as `*` because an input is absent, each with the source that would answer it.
    static func unavailable(pipeline: PipelineDefinition, warehouse: AssessWarehouse, layers: [(String, [(code: String, name: String, population: Int?)])],
                            placesKnown: Bool = false, msgKnown: Bool, sntKnown: Bool, surveyKnown: Bool) throws -> [(figure: String, missing: String)] {
        var out: [(figure: String, missing: String)] = []
        if !msgKnown { out.append(("MSG performance and position", "no msg_comparators reference file (the most similar group's rates per 1,000)")) }
        if !surveyKnown { out.append(("Public perception, Place Survey indicators", "no Place Survey source (respondent-level answers)")) }
        if !sntKnown { out.append(("Community/SNT priority, Community concern", "no snt_priorities reference file (Safer Neighbourhood Team priorities)")) }
        let empty = Set(layers.filter { $0.1.isEmpty }.map(\.0))
        if empty.contains("ward08") { out.append(("Hotspots (2008 wards)", "the geography has no ward08 layer (the pre-April-2009 wards)")) }
        if empty.contains("place") && !placesKnown { out.append(("Hotspots (places), Top places by count", "the geography has no place layer (named places)")) }
        if try !warehouse.tableExists("victims") || !warehouse.tableExists("offenders") {
            out.append(("Victims, Offenders", "no victim or offender records (a force export linked to crimes; data.police.uk publishes none)"))
        }
        return out
    }

    /// The judged columns shown as `*`, with the file that would fill them: all of them without a `judgements` file,
    /// else those of the themes it leaves out.
    static func unjudged(columns: JudgementColumns, judgements: JudgementsFile?, themes: [String], columnsFile: String?) -> [(figure: String, missing: String)] {
        let judged = (columns.scanning + columns.matrix).filter(\.judged).map(\.name)
        guard columnsFile != nil, !judged.isEmpty else {
            return [("Partnership judgement columns (priorities, harm, current activity)",
                     "no `judgement_columns` reference file (the columns this partnership judges, in its own terms) nor `judgements` (its judgements per theme)")]
        }
        guard let judgements else {
            return [(judged.joined(separator: ", "), "no `judgements` reference file: this partnership's own judgement per theme (columns as in \((columnsFile! as NSString).lastPathComponent))")]
        }
        let left = themes.filter { judgements.values[$0] == nil }
        return left.isEmpty ? [] : [(judged.joined(separator: ", ") + " for " + left.joined(separator: ", "), "not judged in the `judgements` reference file")]
    }

    public func run(_ context: StageContext) throws -> StageReport {
        var pipeline = context.pipeline
        let fixedPeriods = pipeline.periods
        let warehousePath = try context.inputPath("warehouse.sqlite")
        // One partnership of a national warehouse (`area.partnership`): a copy holding its rows (National/).
        let forceSlugs = try PartnershipRates.slugs(pipeline: pipeline, inputs: context.inputs)
        let scoped = try PartnershipScope.scoped(pipeline: pipeline, national: warehousePath, directory: context.outputDirectory, slugs: forceSlugs)
        if let scoped { pipeline.area = scoped.area }
        let warehouse = try AssessWarehouse(path: scoped?.path ?? warehousePath)
        var report = StageReport()
        report.inputs.append(try context.inputEntry(warehousePath, role: "stage:normalise"))

        // Without a `themes` reference the assessment has nothing to assess: it reports the survey indicators only.
        var themes: [ThemeDefinition] = []
        if let themesPath = pipeline.referencePath("themes") {
            themes = try ThemeDefinition.load(path: try context.inputs.path(themesPath))
        } else {
            context.logger.warning("assess: the pipeline has no `themes` reference file; no themes assessed")
        }

        // The partnership's judgement columns and its own judgements (``JudgementsFile``): `*` where it has none.
        let judgementColumns = try pipeline.referencePath("judgement_columns").map { try JudgementColumns.load(path: try context.inputs.path($0), shown: $0) }
            ?? .computedOnly
        let judgements = try pipeline.referencePath("judgements").map {
            try JudgementsFile.load(path: try context.inputs.path($0), shown: $0, columns: judgementColumns, themes: Set(themes.map(\.id)))
        }

        // Reference tables.
        var msgRates: [String: [Double]] = [:]
        let ownCodes = Set([pipeline.area.laCode] + pipeline.area.otherCodes)
        if let p = pipeline.referencePath("msg_comparators") {
            for r in try Self.readCSV(try context.inputs.path(p)) where !ownCodes.contains(r["partnership_code"] ?? "") && r["partnership_name"] != pipeline.area.name {
                if let t = r["theme"], let v = Double(r["rate_per_1000"] ?? "") { msgRates[t, default: []].append(v) }
            }
        }
        var snt: [(area: String, priority: String)] = []
        if let p = pipeline.referencePath("snt_priorities") {
            snt = try Self.readCSV(try context.inputs.path(p)).compactMap { r in r["snt_area"].flatMap { a in r["priority"].map { (a, $0) } } }
        }

        // Survey indicators, overall and by ward.
        let respondents = try warehouse.respondents()
        let overall = respondents.isEmpty ? nil : SurveyIndicators(respondents: respondents.map(\.respondent))
        let wards = try warehouse.areas(layer: "ward", laCode: pipeline.area.laCode)
        var layers: [(String, [(code: String, name: String, population: Int?)])] = []
        for layer in Self.hotspotLayers {
            // A population that covers only some of a layer's areas (a few LSOAs of a neighbouring council's file)
            // is no population: rates and expectations would be nonsense, so the layer is tested on counts alone.
            // A known 0 (a ward that is no LSOA's best fit: stage 3's `best-fit-none`) is a figure: that ward's rate
            // and test are `*` (``Hotspots``: untested), and the other wards are tested against their shares.
            var list = try warehouse.areas(layer: layer, laCode: pipeline.area.laCode)
            if list.contains(where: { $0.population == nil }) { list = list.map { ($0.code, $0.name, nil) } }
            layers.append((layer, list))
        }
        let residents = Self.residents(wards: wards, partnership: scoped?.residents)
        // Periods: the pipeline's fixed dates, the rest from the months the data has (stage 4's coverage table).
        let coverage = try warehouse.coverage()
        var monthly: [String: [String: Int]] = [:]
        var datasetFiles: [String: Set<String>] = [:]
        for d in Set(themes.map(\.dataset)).sorted() {
            guard try warehouse.tableExists(d) else { throw StageError.configuration("theme dataset \(d) is not a warehouse table") }
            monthly[d] = try warehouse.tableMonthlyCounts(d)
            if coverage != nil { datasetFiles[d] = try warehouse.sourceFiles(d) }
        }
        // The themes anchor on the sources their datasets' rows come from (not on outcomes or stop and search).
        let themeSources = coverage.map { c in Set(AssessPeriods.sources(coverage: c, datasetFiles: datasetFiles).values.flatMap { $0 }) }
        let resolved = AssessPeriods(fixed: pipeline.periods, asOf: pipeline.periodsAsOf, coverage: coverage, sources: themeSources.flatMap { $0.isEmpty ? nil : $0 },
                                     monthsWithData: monthly.values.flatMap(\.keys).compactMap(Month.init))
        pipeline.periods = resolved.periods
        let missing = AssessPeriods.missingMonths(coverage: coverage, datasetFiles: datasetFiles)
        let covers = DataCover.make(coverage: coverage, datasetFiles: datasetFiles, monthly: monthly)
        context.logger.info("assess: periods \(resolved.periods.map { "\($0.name) \($0.from)..\($0.to)" }.joined(separator: ", ")) (\(resolved.anchorReason))")
        for (d, c) in covers.sorted(by: { $0.key < $1.key }) {
            let out = resolved.periods.compactMap { p in c.unavailable(p.name, from: Month(p.from), to: Month(p.to)).map { "\(p.name) (\($0.words))" } }
            let note = out.isEmpty ? ", every period covered" : "; not available: " + out.joined(separator: ", ")
            context.logger.info("assess: \(d): data \(c.first.text)..\(c.last.text)\(note)")
        }
        for (d, months) in missing.sorted(by: { $0.key < $1.key }) {
            context.logger.warning("assess: \(d): months with no export left out of trend, seasonality and period comparisons: \(months.sorted().map(\.text).joined(separator: ", "))")
        }
        var ctx = AssessContext(warehouse: warehouse, periods: pipeline.periods, indicators: overall, sntPriorities: snt, msgRates: msgRates,
                                areaPopulation: residents, layers: layers)
        ctx.missingMonths = missing
        ctx.covers = covers
        for (d, counts) in monthly {
            if let s = AssessContext.seriesStart(counts) { ctx.seriesStarts[d] = s }
        }
        let assessed = try themes.map { try ctx.assess($0) }
        // Every published area figure goes through one disclosure policy.
        let policy = DisclosurePolicy(threshold: pipeline.privacy.suppressBelow)
        let twelve = ctx.period("twelve_months")
        let areas = try AreaDisclosure.make(themes: assessed, layers: layers, warehouse: warehouse, from: twelve?.from.text, to: twelve?.to.text, policy: policy)
        for u in areas.unprotected {
            context.logger.warning("assess: no two alternatives \(policy.protection) apart were found for the withheld count of \(u): review the tables before publishing them")
        }
        // Gi* on the LSOA rates, with the LSOA outlines stage 3 published.
        let clusters = AssessClusters.make(themes: assessed, areas: areas,
                                           weights: try AssessClusters.weights(warehouse: warehouse, areas: layers.first { $0.0 == AssessClusters.layer }?.1 ?? []))
        if let w = clusters.weights {
            context.logger.info("assess: Gi*: \(w.count) LSOAs, \(w.pairCount) neighbour pairs (queen contiguity), \(w.islands.count) islands; from the true counts, recomputed for \(clusters.alternatives) alternatives of withheld counts; \(clusters.withheldClasses) classes withheld (an alternative changes them)")
        }
        for (theme, why) in clusters.notComputable.sorted(by: { $0.key < $1.key }) { context.logger.warning("assess: \(theme): \(why)") }

        // Outcomes of the crimes of the last twelve months, and stop and search, when the warehouse has them.
        var outcomes: AssessOutcomes? = nil
        if try warehouse.tableExists("outcomes"), let twelve {
            if let p = pipeline.referencePath("outcome_groups") {
                let mapping = try AssessOutcomes.Mapping(rows: try Self.readCSV(try context.inputs.path(p)), file: p)
                let o = try AssessOutcomes(themes: themes, mapping: mapping, warehouse: warehouse, from: twelve.from.text, to: twelve.to.text, policy: policy)
                if !o.unmapped.isEmpty {
                    context.logger.warning("assess: outcome texts not in \(p), counted as other: \(o.unmapped.sorted().joined(separator: "; "))")
                }
                outcomes = o
            } else {
                context.logger.warning("assess: the warehouse has outcomes but the pipeline has no `outcome_groups` reference file; outcomes not assessed")
            }
        }
        // Stop and search anchors on its own source's latest complete month (its files may end before or after
        // the street files); its section says which months it covers.
        var stopSearch: StopSearchSummary? = nil
        if try warehouse.tableExists("stop_searches") {
            let counts = try warehouse.tableMonthlyCounts("stop_searches")
            let files = coverage != nil ? ["stop_searches": try warehouse.sourceFiles("stop_searches")] : [:]
            let own = coverage.map { c in AssessPeriods.sources(coverage: c, datasetFiles: files)["stop_searches"] ?? [] } ?? []
            let ssPeriods = AssessPeriods(fixed: fixedPeriods, asOf: pipeline.periodsAsOf, coverage: coverage, sources: own.isEmpty ? nil : own,
                                          monthsWithData: counts.keys.compactMap(Month.init))
            var ss = ctx.with(periods: ssPeriods.periods)
            if let s = AssessContext.seriesStart(counts) { ss.seriesStarts["stop_searches"] = s }
            ss.missingMonths.merge(AssessPeriods.missingMonths(coverage: coverage, datasetFiles: files)) { a, _ in a }
            ss.covers.merge(DataCover.make(coverage: coverage, datasetFiles: files, monthly: ["stop_searches": counts])) { _, b in b }
            if let t = ss.period("twelve_months") {
                context.logger.info("assess: stop and search: periods \(ssPeriods.periods.map { "\($0.name) \($0.from)..\($0.to)" }.joined(separator: ", ")) (\(ssPeriods.anchorReason))")
                stopSearch = try StopSearchSummary(context: ss, from: t.from.text, to: t.to.text, population: ctx.areaPopulation, policy: policy)
                stopSearch?.anchorReason = ssPeriods.anchorReason
            }
        }

        // Rows read.
        for table in Set(themes.map(\.dataset) + ["victims", "offenders", "survey_responses", "areas", "population", "coverage", "outcomes", "stop_searches"]).sorted() where try warehouse.tableExists(table) {
            let n = try warehouse.rowCount(table)
            report.add(part: table, StageCounts(inCount: n, out: n))
        }

        let out = context.outputDirectory
        try FileManager.default.createDirectory(atPath: out + "/tables", withIntermediateDirectories: true)
        // Named places from the records' "On or near" locations, where the geography has no place layer.
        var places = AssessPlaces(byTheme: [:], hotspotWards: [:])
        if layers.first(where: { $0.0 == "place" })?.1.isEmpty != false, let twelve {
            places = try AssessPlaces.make(themes: assessed, areas: areas, warehouse: warehouse, from: twelve.from.text, to: twelve.to.text,
                                           threshold: policy.threshold)
        }
        let tables = AssessTables(themes: assessed, periods: pipeline.periods.map(\.name), areas: areas, clusters: clusters, places: places)
        var files: [(String, [[String]])] = [
            ("tables/theme-profiles.csv", tables.themeProfiles()),
            ("tables/hotspots.csv", tables.hotspots()),
            ("tables/priority-scanning.csv", [AssessScoring.scanningHeader(judgementColumns)]
                + AssessScoring.scanning(assessed, columns: judgementColumns, judgements: judgements, sntKnown: !snt.isEmpty)),
            ("tables/threat-risk-matrix.csv", [AssessScoring.matrixHeader(judgementColumns)]
                + AssessScoring.matrix(assessed, columns: judgementColumns, judgements: judgements, sntKnown: !snt.isEmpty)),
        ]
        if !places.byTheme.isEmpty { files.append(("tables/places.csv", places.rows(themes: assessed))) }
        if let rates = try PartnershipRates(warehouse: warehouse, coverage: coverage, slugs: forceSlugs) {  // National/
            files.append((PartnershipRates.file, rates.rows()))
            context.logger.info("assess: \(PartnershipRates.file): \(rates.partnerships.count) CSPs with records, \(rates.covered.count) of them with their force's file")
        }
        var indicatorRows = [AssessIndicatorTable.header]
        var withheld = areas.counts.map { ("hotspots.csv " + $0.layer, $0.cells, $0.primary, $0.secondary, $0.largestComplement) }
        if !respondents.isEmpty {
            let t = AssessIndicatorTable(names: Self.indicatorNames, code: pipeline.area.laCode, area: pipeline.area.name, respondents: respondents, policy: policy)
            indicatorRows = t.rows
            withheld.append(("indicators.csv", t.tables.cellCount, t.pattern.primaryCount, t.pattern.secondaryCount, t.pattern.largestComplement(t.tables.values)))
        }
        context.logger.info("assess: hotspots.csv: \(areas.adjustedCount) adjusted p-values of published areas withheld")
        if areas.coarsened.cells > 0 {
            context.logger.info("assess: hotspots.csv: \(areas.coarsened.cells) counts of \(policy.coarsenFrom) or more needed to protect others published as a band, the largest \(areas.coarsened.largest)")
        }
        files.append(("tables/indicators.csv", indicatorRows))
        if let o = outcomes {
            files.append(("tables/outcomes.csv", o.rows()))
            withheld.append(("outcomes.csv", o.tables.cellCount, o.pattern.primaryCount, o.pattern.secondaryCount, o.pattern.largestComplement(o.tables.values)))
        }
        if let s = stopSearch {
            files.append(("tables/stop-search.csv", s.rows()))
            files.append(("tables/stop-search-months.csv", s.monthRows()))
            if let rows = s.disparityRows() { files.append(("tables/stop-search-disparity.csv", rows)) }
            withheld.append(("stop-search.csv", s.tables.cellCount, s.pattern.primaryCount, s.pattern.secondaryCount, s.pattern.largestComplement(s.tables.values)))
        }
        for (name, unprotected) in [("outcomes.csv", outcomes?.pattern.unprotected ?? []), ("stop-search.csv", stopSearch?.pattern.unprotected ?? [])] where !unprotected.isEmpty {
            context.logger.warning("assess: \(name): \(unprotected.count) withheld counts without two alternatives \(policy.protection) apart: review the table before publishing it")
        }
        for w in withheld {
            context.logger.info("assess: \(w.0): \(w.2 + w.3) of \(w.1) counts withheld (\(w.2) small, \(w.3) to protect them, the largest of these \(w.4))")
        }
        for (name, rows) in files {
            try Self.writeCSV(rows, to: out + "/" + name)
            report.outputRows[name] = rows.count - 1
        }
        // The map layers for GIS (README "Publish"): built from the published hotspots table's cells, never the counts.
        let gpkg = AssessGeoPackage.fileName(pipeline: pipeline.name)
        let features = try AssessGeoPackage.write(to: out + "/" + gpkg, hotspots: tables.hotspots(), warehouse: warehouse, pipeline: pipeline,
                                                  twelve: twelve.map { ($0.from.text, $0.to.text) }, areas: areas)
        report.outputRows[gpkg] = features.count
        context.logger.info("assess: \(gpkg): \(features.layers) layers, \(features.count) features\(features.missing.isEmpty ? "" : "; no outline for \(features.missing.joined(separator: ", "))")")

        var unavailable = try Self.unavailable(pipeline: pipeline, warehouse: warehouse, layers: layers, placesKnown: !places.byTheme.isEmpty, msgKnown: !msgRates.isEmpty,
                                               sntKnown: !snt.isEmpty, surveyKnown: !respondents.isEmpty)
        unavailable += Self.unjudged(columns: judgementColumns, judgements: judgements, themes: themes.map(\.id),
                                     columnsFile: pipeline.referencePath("judgement_columns"))
        let summary = AssessSummary.make(files: files, unavailable: unavailable)
        let json = AssessJSON.make(themes: assessed, areas: areas, clusters: clusters, places: places, indicators: overall, names: Self.indicatorNames, periods: resolved.json,
                                   outcomes: outcomes, stopSearch: stopSearch, summary: summary.json)
        try json.write(to: URL(fileURLWithPath: out + "/assessment.json"))
        var page = AssessReport(pipeline: pipeline, runID: context.runID, themes: assessed, indicators: indicatorRows, files: files, areas: areas)
        page.disclosure = policy
        page.withheld = withheld
        page.outcomes = outcomes
        if outcomes != nil {
            let files = coverage != nil ? ["outcomes": try warehouse.sourceFiles("outcomes")] : [:]
            page.outcomesCover = DataCover.make(coverage: coverage, datasetFiles: files, monthly: ["outcomes": try warehouse.tableMonthlyCounts("outcomes")])["outcomes"]
        }
        page.stopSearch = stopSearch
        page.clusters = clusters
        page.lsoaWards = try AssessClusters.wards(warehouse: warehouse, datasets: themes.map(\.dataset))
        page.places = places
        page.coverage = AssessReport.CoverageNote(calendar: coverage, missing: missing, anchorReason: resolved.anchorReason,
                                                  noPopulation: residents == nil, noWards: wards.isEmpty)
        page.coverage?.noResidents = try Self.wardsWithoutResidents(wards, warehouse: warehouse)
        page.coverage?.unavailable = unavailable
        page.coverage?.covers = covers.filter { d, _ in themes.contains { $0.dataset == d } }
        page.coverage?.periods = pipeline.periods
        page.summary = summary
        page.wardMap = try AssessWardMap.load(warehouse: warehouse, laCode: pipeline.area.laCode)
        page.lsoaMap = try AssessWardMap.load(warehouse: warehouse, laCode: pipeline.area.laCode, layer: AssessClusters.layer)
        let html = page.html(failures: context.earlierFailures)
        try Data(html.utf8).write(to: URL(fileURLWithPath: out + "/report.html"))
        context.logger.info("assess: \(assessed.count) themes, report.html written")
        return report
    }

    /// The assessed area's residents, for its rates per 1,000 and MSG figures: a partnership's own figure when the
    /// stage scoped one (`partnership`: the sum of its LSOAs), else the sum of its wards' when every ward has a figure
    /// (a ward with 0 by best fit counts: a known zero); nil when neither, or when the sum is 0 (rates are `*`).
    static func residents(wards: [(code: String, name: String, population: Int?)], partnership: Int?) -> Int? {
        let sum = wards.isEmpty || wards.contains { $0.population == nil } ? nil : wards.reduce(0) { $0 + ($1.population ?? 0) }
        return (partnership ?? sum).flatMap { $0 > 0 ? $0 : nil }
    }

    /// The wards with 0 residents when the other wards have residents (rate and hotspot test `*`), with the reason
    /// stage 3 gave (`population.note`, e.g. no LSOA's best fit); none when the wards' residents are unknown.
    static func wardsWithoutResidents(_ wards: [(code: String, name: String, population: Int?)], warehouse: AssessWarehouse) throws -> [(name: String, note: String)] {
        guard !wards.contains(where: { $0.population == nil }) else { return [] }
        let zero = wards.filter { $0.population == 0 }
        let notes = zero.isEmpty ? [:] : try warehouse.populationNotes(layer: "ward")
        return zero.map { ($0.name, notes[$0.code] ?? "") }
    }

    /// Reads a small reference CSV into header-keyed rows.
    static func readCSV(_ path: String) throws -> [[String: String]] {
        let reader = try CSVReader(path: path)
        var rows: [[String: String]] = []
        while let r = reader.next() {
            var d: [String: String] = [:]
            for (h, v) in zip(reader.header, r.fields) { d[h] = v }
            rows.append(d)
        }
        return rows
    }

    /// Writes rows as RFC 4180 CSV (LF line ends, quoted when needed).
    static func writeCSV(_ rows: [[String]], to path: String) throws {
        var text = ""
        for r in rows {
            text += r.map(SpreadsheetSafe.textCell).map { f in
                f.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) ? "\"" + f.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : f
            }.joined(separator: ",") + "\n"
        }
        try FileSystem.writeFile(Data(text.utf8), to: path)
    }
}

/// Number formatting of the tables: fixed decimals, `*` for nil.
enum AssessFormat {
    static func fixed(_ v: Double?, _ places: Int) -> String {
        guard let v, v.isFinite else { return AssessMarker.notAvailable }
        let s = String(format: "%.\(places)f", v)
        return s == "-0.0" || s == "-0.00" || s == "-0.000" || s == "-0.0000" ? String(s.dropFirst()) : s
    }
    /// "p = 0.0123" or "p < 0.0001".
    static func pText(_ v: Double) -> String { v < 0.0001 ? "p < 0.0001" : "p = " + fixed(v, 4) }
    static func pvalue(_ v: Double?) -> String {
        guard let v else { return AssessMarker.notAvailable }
        return v < 0.0001 ? "<0.0001" : fixed(v, 4)
    }
    /// A count published as a band, "80 to 99" (the least and the greatest count it allows, written as the Gi* bands).
    static func band(_ r: ClosedRange<Int>) -> String { "\(r.lowerBound) to \(r.upperBound)" }
    /// A rate published as a band, "4.21 to 5.12": the rates of the band's two ends with `places` decimals, the lower
    /// rounded down and the upper up, so that the band holds every rate its counts allow.
    static func band(_ r: ClosedRange<Double>, _ places: Int) -> String {
        let scale = pow(10, Double(places))
        return fixed((r.lowerBound * scale).rounded(.down) / scale, places) + " to " + fixed((r.upperBound * scale).rounded(.up) / scale, places)
    }
}
