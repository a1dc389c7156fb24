import CSPCore
import CSPStageSupport
import CSPSchema
import CSPStorage
import CSPCSV
import CSPGeo
import Foundation

/// The loaded `geography:` of a pipeline: the area layers with their spatial indexes, and every lookup the
/// location methods use, resolved to feature indexes once so that locating a record costs no string work
/// beyond a dictionary lookup.
public final class Geography {
    /// One loaded layer.
    public struct Layer {
        /// Layer id (`ward`, `ward08`, `snt`, …).
        public let id: String
        /// Areas and index.
        public let areas: AreaLayer
        /// Local authority code of each area (from its file); "" when the file names none.
        public let laCodes: [String]
        /// Local authority name of each area.
        public let laNames: [String]
    }

    /// What an LSOA code resolves to.
    enum LSOAEntry {
        /// A ward of the ward layer; other layers' areas (-1 none); approximate when the LSOA spans several wards.
        case placed(ward: Int, layers: [Int32], approximate: Bool)
        /// An LSOA of another authority.
        case outside(laCode: String, laName: String)
    }

    /// What an old ward code resolves to.
    struct OldWard {
        /// The new ward holding most of its LSOAs.
        let ward: Int
        /// Every new ward holding some of them (more than one: the old ward was split).
        let candidates: [Int]
        /// Index of the old ward in the old ward layer, or -1.
        let oldArea: Int32
    }

    /// The pipeline's area.
    public let area: AreaDefinition
    /// Layers, `ward` first.
    public let layers: [Layer]
    /// Whether each ward lies in the pipeline's area.
    let wardInArea: [Bool]
    /// `area.every_ward`: the ward layer is the whole area, so a point in no ward is off its edge (a pier, a beach),
    /// and a later method that places the record (its LSOA) decides instead.
    let everyWard: Bool
    /// The ward layer's area index of a ward code (the layer's own code index).
    func wardIndex(_ code: String) -> Int? { layers[0].areas.index(ofCode: code) }
    /// Per ward: the area of every layer that holds the whole ward (-1 none); index 0 is the ward itself.
    let wardContext: [[Int32]]
    /// Old ward code → new ward.
    let oldWards: [String: OldWard]
    /// Index of the old ward layer, or -1.
    let oldWardLayer: Int
    /// Ward codes outside the area → (la code, la name).
    let outsideWards: [String: (String, String)]
    /// LSOA lookups by vintage.
    let lsoa: [String: [String: LSOAEntry]]
    /// LSOA boundaries by vintage (for population by LSOA).
    let lsoaLayers: [String: AreaLayer]
    /// Which vintages each LSOA code exists in (bit 1: the older vintage, bit 2: the newer), from `lsoa_vintages`.
    let vintagesOfCode: [String: UInt8]

    /// Every file the geography of `pipeline` reads, with its manifest role: each layer's boundary files, the
    /// old-ward and out-of-area tables, the LSOA boundaries and lookups of each vintage, and the population table.
    /// A file serving two roles is listed once, under its first. No geography is a configuration error.
    public static func declaredInputs(for pipeline: PipelineDefinition) throws -> [DeclaredInput] {
        guard let g = pipeline.geography else {
            throw StageError.configuration("stage geocode needs a `geography:` section in \(pipeline.file) (area layers and location methods)")
        }
        var out: [DeclaredInput] = []
        for def in g.layers { out += def.files.map { DeclaredInput(path: $0.path, role: "boundary:\(def.id)") } }
        if let o = g.oldWards { out.append(DeclaredInput(path: o.table, role: "reference:old_wards")) }
        if let o = g.outOfAreaWards { out.append(DeclaredInput(path: o.table, role: "reference:out_of_area_wards")) }
        for v in g.lsoa {
            if let b = v.boundaries { out.append(DeclaredInput(path: b, role: "boundary:lsoa\(v.vintage)")) }
            if let t = v.table { out.append(DeclaredInput(path: t, role: "reference:lsoa\(v.vintage)")) }
        }
        if let p = g.population { out.append(DeclaredInput(path: p.table, role: "reference:population")) }
        if let lv = g.lsoaVintages { out.append(DeclaredInput(path: lv.table, role: "reference:lsoa_vintages")) }
        if let c = g.csp {
            out.append(DeclaredInput(path: c.table, role: "reference:csp"))
            if let r = c.laRemap { out.append(DeclaredInput(path: r.table, role: "reference:csp_la_remap")) }
            if let o = c.oldDistricts {
                out.append(DeclaredInput(path: o.lsoaTable, role: "reference:csp_old_district_lsoas"))
                out.append(DeclaredInput(path: o.districtTable, role: "reference:csp_old_districts"))
            }
        }
        return out
    }

    /// Loads the geography of `pipeline` through the stage's declared inputs (a configuration error when it has none).
    public convenience init(pipeline: PipelineDefinition, inputs: StageInputs) throws {
        try self.init(pipeline: pipeline, inputs: inputs, cache: nil)
    }

    /// As `init(pipeline:inputs:)`, large layers taken from `cache` when their files are unchanged (and kept there).
    init(pipeline: PipelineDefinition, inputs: StageInputs, cache: LayerCache?) throws {
        guard let g = pipeline.geography else {
            throw StageError.configuration("stage geocode needs a `geography:` section in \(pipeline.file) (area layers and location methods)")
        }
        area = pipeline.area
        var layers: [Layer] = []
        for def in g.layers {
            let paths = try def.files.map { try inputs.path($0.path) }
            let key = cache?.key(def, paths: paths)
            if let cache, let key, let kept = cache.load(def.id, key: key), kept.columns.allSatisfy({ $0.count == 2 }) {
                layers.append(Layer(id: def.id, areas: kept.layer, laCodes: kept.columns.map { $0[0] }, laNames: kept.columns.map { $0[1] }))
                cache.logger.info("layer `\(def.id)`: \(kept.layer.count) areas from \(cache.path(def.id)) (its \(paths.count) boundary files unchanged)")
                continue
            }
            var features: [AreaFeature] = [], codes: [String] = [], names: [String] = []
            // Files read on two threads (the 318 councils' ward files of the national pipeline: 40 MB), in file order.
            let read = try ParallelMap.map(paths.count) { k -> [(AreaFeature, (code: String, name: String))] in
                if def.laCodeProperty != nil {
                    // Many councils' files, each area's council from its own properties; indexed once, below.
                    return try Self.readWithCouncil(paths[k], def)
                }
                let la = (code: def.files[k].laCode ?? "", name: def.files[k].laName ?? "")
                return try Self.read(paths[k], def).map { ($0, la) }
            }
            for (f, la) in read.joined() {
                features.append(f); codes.append(la.code); names.append(la.name)
            }
            (features, codes, names) = Self.mergingRepeatedCodes(features, codes, names)
            let layer = Layer(id: def.id, areas: AreaLayer(source: def.files.map(\.path).joined(separator: ";"), features: features), laCodes: codes, laNames: names)
            if let cache, let key { cache.store(def.id, key: key, layer: layer.areas, columns: zip(codes, names).map { [$0, $1] }) }
            layers.append(layer)
        }
        self.layers = layers
        let wards = layers[0]
        everyWard = pipeline.area.everyWard == true
        wardInArea = pipeline.area.everyWard == true ? wards.laCodes.map { _ in true } : wards.laCodes.map { $0 == pipeline.area.laCode }
        wardContext = wards.areas.features.indices.map { w in
            layers.enumerated().map { li, l in li == 0 ? Int32(w) : Geography.holding(wards.areas, w, in: l.areas) }
        }

        // Old wards by LSOA majority.
        var old: [String: OldWard] = [:]
        var oldLayer = -1
        if let o = g.oldWards {
            oldLayer = o.layer.flatMap { id in layers.firstIndex { $0.id == id } } ?? -1
            let t = try Self.csv(try inputs.path(o.table), columns: [o.oldColumn, o.newColumn])
            var counts: [String: [String: Int]] = [:]
            for r in t.rows { counts[r[0], default: [:]][r[1], default: 0] += 1 }
            for (code, targets) in counts {
                let ranked = targets.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
                guard let w = wards.areas.index(ofCode: ranked[0].key) else {
                    throw StageError.configuration("old ward lookup \(o.table): new ward \(ranked[0].key) is not in the ward layer")
                }
                let oldArea = oldLayer >= 0 ? Int32(layers[oldLayer].areas.index(ofCode: code) ?? -1) : -1
                old[code] = OldWard(ward: w, candidates: ranked.compactMap { wards.areas.index(ofCode: $0.key) }, oldArea: oldArea)
            }
        }
        oldWards = old
        oldWardLayer = oldLayer

        var outside: [String: (String, String)] = [:]
        if let o = g.outOfAreaWards {
            let cols = [o.codeColumn] + [o.laCodeColumn, o.laNameColumn].compactMap { $0 }
            let t = try Self.csv(try inputs.path(o.table), columns: cols)
            for r in t.rows {
                let la = o.laCodeColumn == nil ? "" : r[1]
                let name = o.laNameColumn == nil ? "" : r[cols.count - 1]
                outside[ReferenceTable.normalise(r[0])] = (la, name)
            }
        }
        outsideWards = outside

        var lsoa: [String: [String: LSOAEntry]] = [:]
        var lsoaLayers: [String: AreaLayer] = [:]
        for v in g.lsoa {
            var entries: [String: LSOAEntry] = [:]
            if let path = v.boundaries {
                let l: AreaLayer
                do { l = try GeoJSONReader(codeProperty: v.boundaryCode ?? v.codeColumn).read(path: try inputs.path(path)) } catch { throw StageError.unreadable(error, path: path) ?? error }
                lsoaLayers[v.vintage] = l
                for (i, f) in l.features.enumerated() {
                    let (ward, share) = Geography.majority(l, i, in: wards.areas)
                    guard ward >= 0 else { continue }
                    let ctx = layers.enumerated().map { li, layer in li == 0 ? Int32(ward) : Geography.holding(l, i, in: layer.areas) }
                    entries[f.code] = .placed(ward: ward, layers: ctx, approximate: share < 0.999)
                }
            }
            if let path = v.table {
                let layerCols = v.layerColumns.sorted { $0.key < $1.key }
                let cols = [v.codeColumn] + layerCols.map(\.value) + [v.laCodeColumn, v.laNameColumn].compactMap { $0 }
                let t = try Self.csv(try inputs.path(path), columns: cols)
                for r in t.rows where entries[r[0]] == nil {
                    var ctx = [Int32](repeating: -1, count: layers.count)
                    var ward = -1
                    for (k, lc) in layerCols.enumerated() {
                        guard let li = layers.firstIndex(where: { $0.id == lc.key }) else { continue }
                        let idx = layers[li].areas.index(ofCode: r[1 + k]) ?? -1
                        ctx[li] = Int32(idx)
                        if li == 0 { ward = idx }
                    }
                    if ward >= 0 {
                        for (li, a) in wardContext[ward].enumerated() where ctx[li] < 0 { ctx[li] = a }
                        entries[r[0]] = .placed(ward: ward, layers: ctx, approximate: false)
                    } else if let lac = v.laCodeColumn, let laIndex = cols.firstIndex(of: lac) {
                        let la = r[laIndex]
                        if la != pipeline.area.laCode && !pipeline.area.otherCodes.contains(la) {
                            let name = v.laNameColumn.flatMap { cols.firstIndex(of: $0) }.map { r[$0] } ?? ""
                            entries[r[0]] = .outside(laCode: la, laName: name)
                        }
                    }
                }
            }
            lsoa[v.vintage] = entries
        }
        self.lsoa = lsoa
        self.lsoaLayers = lsoaLayers

        var vintagesOfCode: [String: UInt8] = [:]
        if let lv = g.lsoaVintages {
            let encoding = TextEncoding(name: lv.encoding) ?? .utf8
            let t = try Self.csv(try inputs.path(lv.table), columns: [lv.oldColumn, lv.newColumn], encoding: encoding)
            for r in t.rows {
                if !r[0].isEmpty { vintagesOfCode[r[0], default: 0] |= 1 }
                if !r[1].isEmpty { vintagesOfCode[r[1], default: 0] |= 2 }
            }
        }
        self.vintagesOfCode = vintagesOfCode
    }

    /// The features of one boundary file of a layer (the layer is indexed once, over all its files).
    static func read(_ path: String, _ def: LayerDefinition) throws -> [AreaFeature] {
        do {
            if def.format == "kml" {
                func field(_ s: String) -> KMLReader.Field { s == "name" ? .name : .data(s) }
                return try KMLReader(codeField: field(def.codeField), nameField: field(def.nameField)).features(path: path)
            }
            return try geoJSONReader(def).features(path: path, properties: []).map(\.feature)
        } catch {
            throw StageError.unreadable(error, path: path) ?? StageError.configuration("layer `\(def.id)`: \(error)")
        }
    }

    /// The GeoJSON reader of a layer: its code and name properties, and its `crs` when the pipeline overrides the file's.
    static func geoJSONReader(_ def: LayerDefinition) -> GeoJSONReader {
        GeoJSONReader(codeProperty: def.codeField, nameProperty: def.nameField, coordinateSystem: def.crs.map { $0 == "osgb36" ? .osgb36 : .wgs84 })
    }

    /// One area per code: a layer whose files give one code to several features (the May 2025 ward file of North
    /// Yorkshire has Hunmanby & Sherburn, E05014284, as two polygons) gets one area with all their polygons, where the
    /// first of them stood. Each area is one row of `areas`, `population` and `geometry`, whose keys are the code.
    static func mergingRepeatedCodes(_ features: [AreaFeature], _ codes: [String], _ names: [String]) -> ([AreaFeature], [String], [String]) {
        var first: [String: Int] = [:]
        var polygons: [[AreaPolygon]] = []
        var keep: [Int] = []
        for (i, f) in features.enumerated() {
            // The same polygon twice (a feature repeated) adds nothing: under the even-odd rule it would cancel itself.
            if let k = first[f.code] { polygons[k] += f.polygons.filter { !polygons[k].contains($0) }; continue }
            first[f.code] = keep.count
            keep.append(i)
            polygons.append(f.polygons)
        }
        guard keep.count < features.count else { return (features, codes, names) }
        return (keep.enumerated().map { k, i in AreaFeature(code: features[i].code, name: features[i].name, polygons: polygons[k]) },
                keep.map { codes[$0] }, keep.map { names[$0] })
    }

    /// Reads one GeoJSON file of a layer with `la_code_property`: each feature with its council's code and name.
    /// A feature without the property is a configuration error naming the file, the feature and the property.
    static func readWithCouncil(_ path: String, _ def: LayerDefinition) throws -> [(AreaFeature, (code: String, name: String))] {
        guard let codeProperty = def.laCodeProperty else { return [] }
        let read: [(feature: AreaFeature, properties: [String?])]
        do { read = try geoJSONReader(def).features(path: path, properties: [codeProperty] + [def.laNameProperty].compactMap { $0 }) } catch {
            throw StageError.unreadable(error, path: path) ?? StageError.configuration("layer `\(def.id)`: \(error)")
        }
        return try read.enumerated().map { i, r in
            guard let code = r.properties[0] else {
                throw StageError.configuration("layer `\(def.id)`: \(path), feature \(i + 1) (\(r.feature.code)) has no `\(codeProperty)` property (la_code_property)")
            }
            return (r.feature, (code, r.properties.count > 1 ? r.properties[1] ?? "" : ""))
        }
    }

    /// The named columns of a CSV reference (BOM and CRLF allowed), row by row.
    static func csv(_ path: String, columns: [String], encoding: TextEncoding = .utf8) throws -> (header: [String], rows: [[String]]) {
        try ReferenceColumns.read(path, columns: columns, encoding: encoding) { StageError.unreadable($0, path: path) ?? StageError.configuration("reference \(path): \($0)") }
    }

    /// Sample points inside area `i` of `layer`: a grid of about 900 points over its bounds, kept when inside.
    static func samples(_ layer: AreaLayer, _ i: Int) -> [GridPoint] {
        guard let b = layer.features[i].bounds else { return [] }
        let w = b.max.easting - b.min.easting, h = b.max.northing - b.min.northing
        let step = max((w * h / 900).squareRoot(), 1)
        var out: [GridPoint] = []
        var y = b.min.northing + step / 2
        while y < b.max.northing {
            var x = b.min.easting + step / 2
            while x < b.max.easting {
                let p = GridPoint(easting: x, northing: y)
                if layer.index.contains(feature: i, p) { out.append(p) }
                x += step
            }
            y += step
        }
        return out
    }

    /// The area of `target` holding every sample point of area `i` of `layer`, or -1.
    static func holding(_ layer: AreaLayer, _ i: Int, in target: AreaLayer) -> Int32 {
        let pts = samples(layer, i)
        guard let first = pts.first, let a = target.locate(first) else { return -1 }
        return pts.allSatisfy({ target.locate($0) == a }) ? Int32(a) : -1
    }

    /// The area of `target` holding most sample points of area `i` of `layer`, and its share (-1, 0 for none).
    static func majority(_ layer: AreaLayer, _ i: Int, in target: AreaLayer) -> (Int, Double) {
        let pts = samples(layer, i)
        var counts: [Int: Int] = [:]
        for p in pts { if let a = target.locate(p) { counts[a, default: 0] += 1 } }
        guard let best = counts.max(by: { ($0.value, $1.key) < ($1.value, $0.key) }) else { return (-1, 0) }
        return (best.key, Double(best.value) / Double(pts.count))
    }

    /// Share of area `i` of `layer` in each area of `target` (by sample points): area index → share.
    static func shares(_ layer: AreaLayer, _ i: Int, in target: AreaLayer) -> [Int: Double] {
        let pts = samples(layer, i)
        guard !pts.isEmpty else { return [:] }
        var counts: [Int: Int] = [:]
        for p in pts { if let a = target.locate(p) { counts[a, default: 0] += 1 } }
        return counts.mapValues { Double($0) / Double(pts.count) }
    }
}
