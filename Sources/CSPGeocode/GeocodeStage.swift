import CSPCore
import CSPStageSupport
import CSPSchema
import CSPStorage
import CSPCSV
import CSPGeo
import Foundation

/// Stage 3: every stage 2 record located in the pipeline's area layers (see `geography:`), or excluded with its reason.
///
/// For each record the methods of its source are tried in order (`point`, `lsoa`, `old_ward`, `ward_name` by
/// default); the first that places it (in the area, or outside it) decides, and is written in `geocode_method`. With
/// `area.every_ward` (a national ward layer) a point in no ward at all does not decide when a later method places the
/// record: a point off the coast's ward edges goes to its LSOA's ward, and the point is named as disagreeing.
/// Every later method that also gives an answer is compared with it: the first that places the record in another
/// ward (or on the other side of the area's boundary) is named in `geocode_disagreement` and counted in
/// `disagreements.csv` and the log. An old ward that was split agrees with either of its new wards.
/// Victims and offenders have no location of their own: they follow their crime (kept when it is kept, else
/// excluded as `geocode.crime-out-of-scope`). YOS cases and survey responses have only their ward text.
public struct GeocodeStage: PipelineStage {
    /// Stage 3.
    public let id = StageID.geocode

    /// Creates the stage.
    public init() {}

    /// Entities that follow their crime instead of being located.
    static let followers: Set<String> = ["victims", "offenders"]

    /// The pipeline file, the geography's boundary, lookup and population files, and the `ward_aliases` reference.
    public func declaredInputs(for pipeline: PipelineDefinition) throws -> [DeclaredInput] {
        [DeclaredInput.configuration(pipeline)] + (try Geography.declaredInputs(for: pipeline))
            + ([DeclaredInput.reference("ward_aliases", of: pipeline)] + EthnicityResidents.referenceKeys.map { DeclaredInput.reference($0, of: pipeline) }).compactMap { $0 }
    }

    /// Geocodes every entity file of stage 2.
    public func run(_ context: StageContext) throws -> StageReport {
        let started = Date()
        let geography = try Geography(pipeline: context.pipeline, inputs: context.inputs, cache: LayerCache(context: context))
        let loaded = Date()
        context.logger.info("geocode: geography loaded in \(String(format: "%.2f", loaded.timeIntervalSince(started))) s (\(geography.layers.map { "\($0.id) \($0.areas.count) areas" }.joined(separator: ", ")))")
        var report = StageReport()
        guard let input = context.inputDirectory else { throw StageError.configuration("stage geocode has no stage 2 input") }
        let names = try FileManager.default.contentsOfDirectory(atPath: input).filter {
            $0.hasSuffix(".csv") && !StageSideFiles.names.contains($0)
        }.map { String($0.dropLast(4)) }
        // Crimes first: victims and offenders follow them.
        let ordered = names.filter { $0 == "crimes" } + names.filter { $0 != "crimes" }.sorted()
        var aliases: ReferenceTable?
        if let p = context.pipeline.referencePath("ward_aliases") {
            aliases = try ReferenceTable(name: "ward_aliases", path: try context.inputs.path(p), keyColumns: ["alias", "vintage"], required: ["ward_code"])
        }
        let partnerships = try context.pipeline.geography?.csp.map { try PartnershipAssignment($0, councils: geography.layers[0].laCodes, inputs: context.inputs) }
        let run = EntityGeocoding(context: context, geography: geography, geocoder: Geocoder(geography: geography, pipeline: context.pipeline), aliases: aliases)
        run.partnerships = partnerships
        var cspDecisions: [(entity: String, counts: [Int])] = []
        run.rememberCrimes = ordered.contains { Self.followers.contains($0) }
        var disagreements: [String: Int] = [:]
        var total = 0
        for name in ordered {
            let path = try context.inputPath(name + ".csv")
            report.inputs.append(try context.inputEntry(path, role: "stage:clean"))
            let r = try run.run(entity: name, input: path, follow: Self.followers.contains(name))
            report.add(part: name, r.counts)
            report.outputRows[name + ".csv"] = r.counts.out
            total += r.counts.inCount
            for (k, v) in r.disagreements { disagreements["\(name),\(k)", default: 0] += v }
            if partnerships != nil { cspDecisions.append((name, r.cspDecisions)) }
            let d = r.disagreements.values.reduce(0, +)
            context.logger.info("geocode \(name): \(r.counts.inCount) records, \(r.counts.out) out, \(r.counts.excluded) excluded (\(r.outOfArea) out of area, \(r.noLocation) no location), \(d) disagreements; methods \(r.methods.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))")
        }
        // Disagreements by entity, method used and method that disagreed.
        let dw = try CSVWriter(path: context.outputPath("disagreements.csv"))
        try dw.writeRow(["entity", "geocode_method", "disagreeing_method", "records"])
        for (k, v) in disagreements.sorted(by: { $0.key < $1.key }) { try dw.writeRow(k.split(separator: ",").map(String.init) + [String(v)]) }
        try dw.close()
        report.outputRows["disagreements.csv"] = disagreements.count
        if let partnerships {
            report.outputRows[PartnershipCounts.fileName] = try PartnershipCounts.write(cspDecisions, to: context.outputPath(PartnershipCounts.fileName))
            func total(_ method: String) -> Int {
                cspDecisions.reduce(0) { sum, e in sum + e.counts.enumerated().filter { PartnershipAssignment.outcomes[$0.offset].method == method }.reduce(0) { $0 + $1.element } }
            }
            let split = total("old-district"), unassigned = total("unassigned") + total("unknown-council")
            context.logger.info("geocode: \(partnerships.partnerships.count) CSPs in the lookup; \(split) records placed in a CSP by their old district, \(unassigned) without a CSP (\(PartnershipCounts.fileName))")
        }
        let located = Date()
        report.outputRows["areas.csv"] = try GeographyReference.writeAreas(geography, partnerships: partnerships, to: context.outputPath("areas.csv"))
        report.outputRows["geometry.csv"] = try GeographyReference.writeGeometry(geography, to: context.outputPath("geometry.csv"))
        if let pop = context.pipeline.geography?.population {
            report.outputRows["population.csv"] = try GeographyReference.writePopulation(geography, source: pop, partnerships: partnerships, inputs: context.inputs, to: context.outputPath("population.csv"))
        }
        // Stop and search by ethnicity (stage 5's stop-search-disparity.csv): the force's searches in or out of the area, and
        // the residents by ethnic group of the partnership and its force.
        if ordered.contains("stop_searches") {
            report.outputRows[StopSearchForceCounts.fileName] = try StopSearchForceCounts.write(
                input: try context.inputPath("stop_searches.csv"), output: context.outputPath("stop_searches.csv"), to: context.outputPath(StopSearchForceCounts.fileName),
                partnership: context.pipeline.area.partnership)
        }
        if let rows = try EthnicityResidents.rows(pipeline: context.pipeline, inputs: context.inputs) {
            report.outputRows["population_ethnicity.csv"] = try EthnicityResidents.write(rows, to: context.outputPath("population_ethnicity.csv"))
        }
        try CoverageCarry.carry(context, role: "stage:clean", report: &report)
        let seconds = Date().timeIntervalSince(started)
        context.logger.info("geocode: records located in \(String(format: "%.2f", located.timeIntervalSince(loaded))) s, areas, geometry and population written in \(String(format: "%.2f", Date().timeIntervalSince(located))) s")
        context.logger.info("geocode: \(total) records in \(String(format: "%.2f", seconds)) s (\(seconds > 0 ? Int(Double(total) / seconds) : 0) records/s); \(disagreements.values.reduce(0, +)) disagreements")
        return report
    }
}

/// What geocoding one entity file gave.
struct EntityResult {
    var counts = StageCounts()
    var outOfArea = 0
    var noLocation = 0
    var methods: [String: Int] = [:]
    /// `method,disagreeing method` → records.
    var disagreements: [String: Int] = [:]
    /// Records per `PartnershipAssignment.outcomes` index (with `geography.csp`).
    var cspDecisions = [Int](repeating: 0, count: PartnershipAssignment.outcomes.count)
}

/// Geocodes entity files; remembers where each crime went so that its victims and offenders follow it.
final class EntityGeocoding {
    let context: StageContext
    let geography: Geography
    let geocoder: Geocoder
    let aliases: ReferenceTable?
    /// The CSP and force of each placed record (`geography.csp`), if the pipeline declares the lookup.
    var partnerships: PartnershipAssignment?
    /// Whether victims or offenders will follow their crimes: only then are kept crimes remembered
    /// (about 110 bytes a crime), so a pipeline without persons keeps its memory flat.
    var rememberCrimes = true
    /// Kept crimes: crime_ref → index into `crimeGeo`.
    private var crimeIndex: [String: Int32] = [:]
    private var crimeGeo: [[String]] = []
    private var geoIntern: [[String]: Int32] = [:]
    /// Source settings by lineage file name.
    private var sourceByFile: [String: SourceGeography?] = [:]

    init(context: StageContext, geography: Geography, geocoder: Geocoder, aliases: ReferenceTable?) {
        self.context = context; self.geography = geography; self.geocoder = geocoder; self.aliases = aliases
    }

    /// The geography columns, in output order.
    var geoHeader: [String] {
        var h = ["ward_code", "ward_name", "la_code", "la_name"]
        for l in geography.layers.dropFirst() { h += [l.id + "_code", l.id + "_name"] }
        if partnerships != nil { h += PartnershipCounts.columns }
        // With `lsoa_vintages`, the vintage of each record's LSOA code (`2011`, `2021`, `2011=2021` when unchanged).
        if geocoder.lookupVintages != nil { h.append("lsoa_vintage") }
        return h + ["geocode_method", "geocode_approximate", "geocode_disagreement"]
    }

    /// The pipeline source whose paths match a lineage file name (cached).
    func source(forFile file: String) -> SourceGeography? {
        if let s = sourceByFile[file] { return s }
        let abs = absolute(file, against: context.pipeline.directory)
        var found: SourceGeography?
        for s in context.pipeline.sources where s.paths.contains(where: { fnmatch($0, abs, 0) == 0 }) {
            found = context.pipeline.geography?.source(s.id) ?? SourceGeography(id: s.id, methods: nil, lsoaVintage: nil)
            break
        }
        sourceByFile[file] = .some(found)
        return found
    }

    /// A ward code from ward text (YOS, survey): a code of a layer as it is, else through the alias table (2009, then 2008).
    func wardCode(fromText text: String) -> String {
        let t = text.trimmingCharacters(in: .whitespaces)
        if t.isEmpty { return "" }
        let u = t.uppercased()
        if geography.wardIndex(u) != nil || geography.oldWards[u] != nil || geography.outsideWards[u] != nil { return u }
        if let aliases {
            for v in ["2009", "2008"] { if let c = aliases.value(t, v, column: "ward_code") { return c } }
        }
        return ""
    }

    func run(entity: String, input: String, follow: Bool) throws -> EntityResult {
        // Parsed on a second thread (about 12% of the stage's CPU), written behind on another (CSVWriter): this
        // thread only locates and encodes.
        let reader: BackgroundCSVReader
        do { reader = try BackgroundCSVReader(path: input, observer: context.progress.file(input)) } catch { throw StageError.io(path: input, operation: "read", reason: "\(error)") }
        let header = reader.header
        guard header.suffix(2) == ["source_file", "source_record"] else {
            throw StageError.malformedInput(file: input, line: 1, message: "not a stage 2 file: the lineage columns are missing")
        }
        // Stage 2 writes each entity with the columns its schema declares, in order: anything else is not its output.
        if let schema = NormaliseCatalog.entities.first(where: { $0.name == entity }), header != schema.header {
            let missing = schema.header.filter { !header.contains($0) }, extra = header.filter { !schema.header.contains($0) }
            throw SchemaMismatch(file: input, line: 1, message: "the header is not the `\(entity)` schema's"
                + (missing.isEmpty ? "" : "; missing: \(missing.joined(separator: ", "))") + (extra.isEmpty ? "" : "; not in the schema: \(extra.joined(separator: ", "))")
                + (missing.isEmpty && extra.isEmpty ? "; the columns are out of order" : ""))
        }
        let n = header.count - 2
        func col(_ name: String) -> Int { header.firstIndex(of: name).map { $0 < n ? $0 : -1 } ?? -1 }
        let cE = col("easting"), cN = col("northing"), cLon = col("longitude"), cLat = col("latitude"), cLSOA = col("lsoa_code")
        let cReported = col("ward_reported_code"), cText = col("ward_text"), cCrime = col("crime_ref")
        let isCrimes = entity == "crimes"
        let path = context.outputPath(entity + ".csv")
        let writer: CSVWriter
        do { writer = try CSVWriter(path: path) } catch { throw StageError.io(path: path, operation: "create", reason: "\(error)") }
        try writer.writeRow(Array(header.prefix(n)) + geoHeader + ["source_file", "source_record"])
        let excluded = try context.excluded()
        let layerCount = geography.layers.count
        var areas = [Int32](repeating: -1, count: layerCount)
        var result = EntityResult()
        let defaults = context.pipeline.geography?.methods ?? GeocodeMethod.allCases
        var lastFile = "", lastSource: SourceGeography? = nil, lastFileSet = false
        var lastFileBytes: [UInt8] = []
        // Hoisted out of the loop: a `Layer` is a struct of arrays, and reading it per record costs retains.
        let wards = geography.layers[0]
        let otherLayers = Array(geography.layers.dropFirst())
        let recordVintage = geocoder.lookupVintages != nil
        var hits: [GeocodeHit] = []
        hits.reserveCapacity(4)
        do {
            try reader.forEach { rec in
                result.counts.inCount += 1
                guard rec.problem == nil, rec.count == header.count else {
                    throw StageError.malformedInput(file: input, line: rec.line, message: "stage 2 output is damaged at this line")
                }
                // The lineage file name changes once per source file: compare its bytes, make a String only then.
                let fileBytes = rec.bytes(n)
                if !lastFileSet || !Bytes.equal(fileBytes, lastFileBytes) {
                    lastFileBytes = Array(fileBytes); lastFile = String(decoding: fileBytes, as: UTF8.self)
                    lastSource = source(forFile: lastFile); lastFileSet = true
                }
                let file = lastFile, line = Self.int(rec.bytes(n + 1)) ?? 0
                if follow {
                    let ref = cCrime >= 0 ? rec.string(cCrime) : ""
                    guard let gi = crimeIndex[ref] else {
                        result.counts.excluded += 1
                        try excluded.write(RecordIssue(stage: .geocode, rule: "geocode.crime-out-of-scope", sourceFile: file, sourceRecord: line, field: "crime_ref",
                                                       value: ref, message: "the crime this person is linked to was not kept by stage 3 (out of area or no location)"))
                        return
                    }
                    for i in 0..<n { writer.writeField(bytes: rec.bytes(i)) }
                    for v in crimeGeo[Int(gi)] { writer.writeField(v) }
                    writer.writeField(bytes: rec.bytes(n)); writer.writeField(bytes: rec.bytes(n + 1))
                    try writer.endRow()
                    result.counts.out += 1
                    result.methods[crimeGeo[Int(gi)][geoHeader.count - 3], default: 0] += 1
                    return
                }
                let methods = lastSource?.methods ?? defaults
                hits.removeAll(keepingCapacity: true)
                var reported: String?
                func reportedCode() -> String {
                    if let r = reported { return r }
                    let r = cReported >= 0 ? rec.string(cReported) : (cText >= 0 ? wardCode(fromText: rec.string(cText)) : "")
                    reported = r
                    return r
                }
                for m in methods {
                    let h: GeocodeHit
                    switch m {
                    case .point:
                        if cE >= 0, cN >= 0, let e = Self.int(rec.bytes(cE)), let nn = Self.int(rec.bytes(cN)) {
                            h = geocoder.point(GridPoint(easting: Double(e), northing: Double(nn)))
                        } else if cLon >= 0, cLat >= 0, let lon = Self.double(rec.bytes(cLon)), let lat = Self.double(rec.bytes(cLat)), LonLat(lon: lon, lat: lat).isValid {
                            h = geocoder.point(OSGB36.fromWGS84(LonLat(lon: lon, lat: lat)))
                        } else { continue }
                    case .lsoa:
                        guard cLSOA >= 0, rec.bytes(cLSOA).count > 0 else { continue }
                        h = geocoder.lsoa(rec.string(cLSOA), vintage: lastSource?.lsoaVintage)
                    case .oldWard: h = geocoder.oldWard(reportedCode())
                    case .wardName: h = geocoder.wardName(reportedCode())
                    }
                    if h.kind != .miss { hits.append(h) }
                }
                guard var best = hits.first else {
                    result.counts.excluded += 1; result.noLocation += 1
                    try excluded.write(RecordIssue(stage: .geocode, rule: "geocode.no-location", sourceFile: file, sourceRecord: line, field: "",
                                                   value: "", message: "no coordinates, LSOA code or ward that the methods \(methods.map(\.rawValue).joined(separator: ", ")) can place"))
                    return
                }
                var bestIndex = 0
                if geography.everyWard, best.kind == .outside, case .pointInNoWard = best.outside, let i = hits.firstIndex(where: { $0.kind == .placed }) {
                    bestIndex = i; best = hits[i]
                }
                let other = hits.indices.first { $0 != bestIndex && !best.agrees(with: hits[$0]) }.map { hits[$0] }
                if let other { result.disagreements["\(best.method.rawValue),\(other.method.rawValue)", default: 0] += 1 }
                if best.kind == .outside {
                    result.counts.excluded += 1; result.outOfArea += 1
                    let (field, value): (String, String)
                    switch best.method {
                    case .point: (field, value) = cE >= 0 && !rec.string(cE).isEmpty ? ("easting", rec.string(cE) + " " + rec.string(cN)) : ("longitude", rec.string(cLon) + " " + rec.string(cLat))
                    case .lsoa: (field, value) = ("lsoa_code", rec.string(cLSOA))
                    case .oldWard, .wardName: (field, value) = (cReported >= 0 ? "ward_reported_code" : "ward_text", cReported >= 0 ? reportedCode() : rec.string(cText))
                    }
                    let also = other.map { "; method \($0.method.rawValue) disagrees" } ?? ""
                    try excluded.write(RecordIssue(stage: .geocode, rule: "geocode.out-of-area", sourceFile: file, sourceRecord: line, field: field, value: value,
                                                   message: "by method \(best.method.rawValue), " + geocoder.outsideMessage(best) + also))
                    return
                }
                geocoder.areas(of: best, into: &areas)
                for i in 0..<n { writer.writeField(bytes: rec.bytes(i)) }
                let w = Int(areas[0])
                var geo: [String]? = isCrimes && rememberCrimes ? [] : nil
                func put(_ s: String) { writer.writeField(s); geo?.append(s) }
                put(wards.areas.features[w].code); put(wards.areas.features[w].name); put(wards.laCodes[w]); put(wards.laNames[w])
                for (k, layer) in otherLayers.enumerated() {
                    let a = Int(areas[k + 1])
                    if a >= 0 { put(layer.areas.features[a].code); put(layer.areas.features[a].name) } else { put(""); put("") }
                }
                if let partnerships {
                    let d = partnerships.decide(ward: w) { cLSOA >= 0 ? rec.string(cLSOA) : "" }
                    let p = d.partnership >= 0 ? partnerships.partnerships[Int(d.partnership)] : nil
                    let f = d.force >= 0 ? partnerships.partnerships[Int(d.force)] : nil
                    put(p?.code ?? ""); put(p?.name ?? ""); put(f?.pfaCode ?? ""); put(f?.pfaName ?? ""); put(d.method)
                    result.cspDecisions[d.outcome] += 1
                }
                if recordVintage { put(cLSOA >= 0 ? geocoder.vintage(ofCode: rec.string(cLSOA))?.recorded ?? "" : "") }
                put(best.method.rawValue); put(best.approximate ? "true" : "false"); put(other?.method.rawValue ?? "")
                writer.writeField(bytes: rec.bytes(n)); writer.writeField(bytes: rec.bytes(n + 1))
                try writer.endRow()
                result.counts.out += 1
                result.methods[best.method.rawValue, default: 0] += 1
                if rememberCrimes, let geo, cCrime >= 0 {
                    let gi: Int32
                    if let g = geoIntern[geo] { gi = g } else { gi = Int32(crimeGeo.count); crimeGeo.append(geo); geoIntern[geo] = gi }
                    crimeIndex[rec.string(cCrime)] = gi
                }
            }
        } catch { try? writer.close(); throw error }
        if let e = reader.readError { throw StageError.io(path: input, operation: "read", reason: e.description) }
        try writer.close()
        return result
    }

    /// A number from ASCII bytes, exactly as `Double(String)` reads it: plain decimals (every coordinate stage 2
    /// writes) through `Bytes.plainDecimal`, without a String per field; anything else through `Double(String)`.
    static func double(_ b: ByteView) -> Double? {
        Bytes.plainDecimal(b) ?? (b.isEmpty ? nil : Double(String(decoding: b, as: UTF8.self)))
    }

    /// A whole number from ASCII bytes (optional sign, surrounding spaces); nil for anything else or empty.
    static func int(_ b: ByteView) -> Int? {
        var i = 0, end = b.count
        while i < end, b[i] == 0x20 { i += 1 }
        while end > i, b[end - 1] == 0x20 { end -= 1 }
        guard i < end else { return nil }
        var neg = false
        if b[i] == 0x2D { neg = true; i += 1 } else if b[i] == 0x2B { i += 1 }
        guard i < end, end - i <= 12 else { return nil }
        var v = 0
        while i < end {
            let d = Int(b[i]) - 48
            guard d >= 0, d <= 9 else { return nil }
            v = v * 10 + d
            i += 1
        }
        return neg ? -v : v
    }
}
