/// The pipeline's `geography:` section: the area layers stage 3 locates records in, the methods it tries, and the
/// lookups those methods use. Paths are absolute once loaded.
public struct GeographyDefinition: Sendable, Codable, Equatable {
    /// Area layers in output order. The first must have id `ward`: its areas give `ward_code`/`ward_name`, and its
    /// files give each record's local authority.
    public var layers: [LayerDefinition]
    /// Location methods in the order they are tried (the first that places a record is used).
    public var methods: [GeocodeMethod]
    /// LSOA lookups by vintage (`2001`, `2011`, `2021`).
    public var lsoa: [LSOAVintage]
    /// How old (pre-2009) ward codes reach the ward layer, if they do.
    public var oldWards: OldWardLookup?
    /// Ward codes known to lie outside the area (`ward_reported_code` values that mean out of area).
    public var outOfAreaWards: OutOfAreaTable?
    /// Where the population of each area comes from, if anywhere.
    public var population: PopulationSource?
    /// Per-source settings, by source id.
    public var sources: [SourceGeography]
    /// The lookup that decides each record's LSOA vintage (sources with `lsoa_vintage: auto`).
    public var lsoaVintages: LSOAVintageLookup? = nil
    /// The council → Community Safety Partnership → police force lookup (`csp:`); nil: no `csp_*`/`pfa_*` columns.
    public var csp: CSPLookupDefinition? = nil

    /// The settings of source `id` (nil: the defaults).
    public func source(_ id: String) -> SourceGeography? { sources.first { $0.id == id } }
}

/// A location method of stage 3.
public enum GeocodeMethod: String, Sendable, Codable, CaseIterable {
    /// Point in polygon: OSGB36 easting/northing, else WGS84 longitude/latitude.
    case point
    /// The record's LSOA code, through the LSOA lookup of the source's vintage.
    case lsoa
    /// A pre-2009 ward code alone: the new ward holding most of its LSOAs.
    case oldWard = "old_ward"
    /// The ward the export names (code or name, through the ward alias table).
    case wardName = "ward_name"
}

/// One area layer.
public struct LayerDefinition: Sendable, Codable, Equatable {
    /// Layer id: names the output columns `<id>_code`, `<id>_name` (`ward` gives `ward_code`, `ward_name`).
    public var id: String
    /// `geojson` or `kml`.
    public var format: String
    /// GeoJSON property or KML `ExtendedData` field holding the code (KML: `name` means the Placemark's `<name>`).
    public var codeField: String
    /// Property or field holding the name (KML: `name` means `<name>`).
    public var nameField: String
    /// GeoJSON only: `osgb36` or `wgs84` to override the file's `crs`; nil reads the file.
    public var crs: String?
    /// The files; their areas are read in order (earlier files win where areas overlap).
    public var files: [LayerFile]
    /// GeoJSON property holding each area's local authority code (a layer of many councils' files, `path` a glob);
    /// nil: the file's `la_code`.
    public var laCodeProperty: String? = nil
    /// GeoJSON property holding each area's local authority name; nil: the file's `la_name`.
    public var laNameProperty: String? = nil
}

/// One boundary file of a layer.
public struct LayerFile: Sendable, Codable, Equatable {
    /// Absolute path.
    public var path: String
    /// GSS code of the local authority holding this file's areas (needed in the `ward` layer).
    public var laCode: String?
    /// Name of that authority.
    public var laName: String?
}

/// How LSOA codes of one vintage are located.
public struct LSOAVintage: Sendable, Codable, Equatable {
    /// `2001`, `2011` or `2021`.
    public var vintage: String
    /// A CSV lookup keyed by LSOA code (optional when `boundaries` is given).
    public var table: String?
    /// The LSOA code column of `table`.
    public var codeColumn: String
    /// Layer id → column of `table` holding that layer's code (for example `ward: wd09_code`).
    public var layerColumns: [String: String]
    /// Column of `table` holding the local authority code (LSOAs of other authorities are out of area).
    public var laCodeColumn: String?
    /// Column of `table` holding the local authority name.
    public var laNameColumn: String?
    /// LSOA polygons (GeoJSON, any CRS the reader accepts): an LSOA goes to the ward holding most of it.
    public var boundaries: String?
    /// Property of `boundaries` holding the LSOA code.
    public var boundaryCode: String?
}

/// Old ward codes to new wards, by LSOA majority.
public struct OldWardLookup: Sendable, Codable, Equatable {
    /// The layer of old wards (its `<id>_code` is set to the old code).
    public var layer: String?
    /// CSV with one row per LSOA: its old ward and its new ward.
    public var table: String
    /// Old ward column.
    public var oldColumn: String
    /// New ward column (codes of the `ward` layer).
    public var newColumn: String
}

/// Ward codes outside the area.
public struct OutOfAreaTable: Sendable, Codable, Equatable {
    /// CSV path.
    public var table: String
    /// Ward code column.
    public var codeColumn: String
    /// Local authority (district) code column, optional.
    public var laCodeColumn: String?
    /// Local authority name column, optional.
    public var laNameColumn: String?
}

/// Population reference for `population.csv`.
public struct PopulationSource: Sendable, Codable, Equatable {
    /// CSV path (UTF-8, BOM and CRLF allowed; numbers may carry thousands separators).
    public var table: String
    /// Column holding the unit's code.
    public var codeColumn: String
    /// Column holding the population.
    public var valueColumn: String
    /// `ward` (codes of the ward layer) or `lsoa:<vintage>` (an LSOA vintage with boundaries).
    public var unit: String
    /// What the figures are, as the report names them (for example `Census 2021 usual residents`); nil: unnamed.
    public var label: String? = nil
}

/// A national LSOA lookup between two vintages (ONS `LSOA11_to_LSOA21_…`), from which each record's LSOA vintage
/// is decided by its code: a code that exists in one vintage only decides it; a code in both is unchanged (ONS
/// change type U) and the same area in both. Sources opt in with `lsoa_vintage: auto`.
public struct LSOAVintageLookup: Sendable, Codable, Equatable {
    /// CSV path.
    public var table: String
    /// Its encoding (`utf-8`, `windows-1252`, `iso-8859-1`).
    public var encoding: String
    /// Older vintage (e.g. `2011`).
    public var oldVintage: String
    /// Column of the older codes.
    public var oldColumn: String
    /// Newer vintage (e.g. `2021`).
    public var newVintage: String
    /// Column of the newer codes.
    public var newColumn: String
}

/// Per-source settings.
public struct SourceGeography: Sendable, Codable, Equatable {
    /// Source id.
    public var id: String
    /// Methods for this source (nil: the geography's `methods`).
    public var methods: [GeocodeMethod]?
    /// Vintage of the source's LSOA codes, or `auto`: decided per record from its code (`geography.lsoa_vintages`).
    public var lsoaVintage: String?

    /// Creates settings.
    public init(id: String, methods: [GeocodeMethod]?, lsoaVintage: String?) { self.id = id; self.methods = methods; self.lsoaVintage = lsoaVintage }
}

extension PipelineLoader {
    static let geographyKeys: Set<String> = ["layers", "methods", "lsoa", "old_wards", "out_of_area_wards", "population", "sources", "lsoa_vintages", "csp"]

    /// Parses the `geography:` section. `str` substitutes variables; `path` resolves a path that must exist.
    /// `paths` expands a path that may be a glob (`*`, `?`, `[`) into the files it matches, sorted (none is an error).
    static func parseGeography(_ g: YAMLCursor, sourceIDs: Set<String>, str: (YAMLCursor) throws -> String,
                               path: (YAMLCursor) throws -> String, paths: (YAMLCursor) throws -> [String]) throws -> GeographyDefinition {
        let f = try g.fields(allowed: geographyKeys, required: ["layers"])
        func methods(_ c: YAMLCursor) throws -> [GeocodeMethod] {
            let list = try c.sequence()
            guard !list.isEmpty else { throw c.error(.badValue("list at least one method (point, lsoa, old_ward, ward_name)")) }
            return try list.map { m in
                let s = try str(m)
                guard let v = GeocodeMethod(rawValue: s) else {
                    throw m.error(.badValue("`\(s)` is not a geocoding method (point, lsoa, old_ward, ward_name)"))
                }
                return v
            }
        }
        var layers: [LayerDefinition] = []
        for c in try f["layers"]!.sequence() {
            let l = try c.fields(allowed: ["id", "format", "code", "name", "crs", "path", "la_code", "la_name", "la_code_property", "la_name_property", "files", "description"], required: ["id", "code"])
            let id = try str(l["id"]!)
            guard !id.isEmpty, id.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }), id == id.lowercased() else {
                throw l["id"]!.error(.badValue("a layer id is lower-case letters, digits and `_` (it names the columns `<id>_code`, `<id>_name`)"))
            }
            guard !layers.contains(where: { $0.id == id }) else { throw l["id"]!.error(.badValue("layer id `\(id)` is used twice")) }
            if layers.isEmpty && id != "ward" { throw l["id"]!.error(.badValue("the first layer must be `ward` (the wards that give ward_code, ward_name and the local authority)")) }
            if id == "la" || id == "geocode" { throw l["id"]!.error(.badValue("`\(id)` is reserved")) }
            var files: [LayerFile] = []
            let laCodeProperty = try l["la_code_property"].map(str), laNameProperty = try l["la_name_property"].map(str)
            if let p = l["path"] {
                // A glob (one file per council) takes each area's council from its own properties.
                let matched = try paths(p)
                if try matched.count > 1 || FileSystem.isPattern(str(p)) {
                    guard laCodeProperty != nil || id != "ward" else {
                        throw p.error(.badValue("a `path` pattern of the ward layer needs `la_code_property` (the property naming each area's local authority)"))
                    }
                    guard l["la_code"] == nil else { throw l["la_code"]!.error(.badValue("`la_code` names one file's authority: with a `path` pattern use `la_code_property`")) }
                }
                for m in matched { files.append(LayerFile(path: m, laCode: try l["la_code"].map(str), laName: try l["la_name"].map(str))) }
            }
            if let fl = l["files"] {
                for fc in try fl.sequence() {
                    let ff = try fc.fields(allowed: ["path", "la_code", "la_name"], required: ["path"])
                    files.append(LayerFile(path: try path(ff["path"]!), laCode: try ff["la_code"].map(str), laName: try ff["la_name"].map(str)))
                }
            }
            guard !files.isEmpty else { throw PipelineError(file: c.file, key: "\(c.key).path", kind: .missingKey, line: c.line) }
            if id == "ward", laCodeProperty == nil, let i = files.firstIndex(where: { $0.laCode == nil }) {
                throw PipelineError(file: c.file, key: "\(c.key).files[\(i)].la_code", kind: .badValue("every file of the ward layer names its local authority (`la_code`, `la_name`)"), line: c.line)
            }
            let fileFormat = files[0].path.lowercased().hasSuffix(".kml") ? "kml" : "geojson"
            let format = try l["format"].map(str) ?? fileFormat
            guard format == "geojson" || format == "kml" else { throw l["format"]!.error(.badValue("format `\(format)` is not one of geojson, kml")) }
            let crs = try l["crs"].map(str)
            if let crs, !(crs == "osgb36" || crs == "wgs84") { throw l["crs"]!.error(.badValue("crs `\(crs)` is not one of osgb36, wgs84")) }
            if laCodeProperty != nil, format != "geojson" { throw l["la_code_property"]!.error(.badValue("`la_code_property` reads GeoJSON feature properties; this layer is \(format)")) }
            layers.append(LayerDefinition(id: id, format: format, codeField: try str(l["code"]!), nameField: try l["name"].map(str) ?? "name", crs: crs, files: files,
                                          laCodeProperty: laCodeProperty, laNameProperty: laNameProperty))
        }
        guard !layers.isEmpty else { throw f["layers"]!.error(.badValue("declare at least the `ward` layer")) }
        let layerIDs = Set(layers.map(\.id))

        var lsoa: [LSOAVintage] = []
        if let l = f["lsoa"] {
            for (vintage, c) in try l.mapping() {
                guard ["2001", "2011", "2021"].contains(vintage) else { throw c.error(.badValue("an LSOA vintage is 2001, 2011 or 2021")) }
                let v = try c.fields(allowed: ["table", "code", "layers", "la_code", "la_name", "boundaries", "boundary_code"], required: ["code"])
                guard v["table"] != nil || v["boundaries"] != nil else { throw c.error(.badValue("give a lookup `table`, LSOA `boundaries`, or both")) }
                var cols: [String: String] = [:]
                if let m = v["layers"] {
                    for (layer, col) in try m.mapping() {
                        guard layerIDs.contains(layer) else { throw col.error(.badValue("`\(layer)` is not one of the layers (\(layers.map(\.id).joined(separator: ", ")))")) }
                        cols[layer] = try str(col)
                    }
                }
                lsoa.append(LSOAVintage(vintage: vintage, table: try v["table"].map(path), codeColumn: try str(v["code"]!), layerColumns: cols,
                                        laCodeColumn: try v["la_code"].map(str), laNameColumn: try v["la_name"].map(str),
                                        boundaries: try v["boundaries"].map(path), boundaryCode: try v["boundary_code"].map(str)))
            }
        }
        var oldWards: OldWardLookup?
        if let o = f["old_wards"] {
            let v = try o.fields(allowed: ["layer", "table", "old", "new"], required: ["table", "old", "new"])
            let layer = try v["layer"].map(str)
            if let layer, !layerIDs.contains(layer) { throw v["layer"]!.error(.badValue("`\(layer)` is not one of the layers")) }
            oldWards = OldWardLookup(layer: layer, table: try path(v["table"]!), oldColumn: try str(v["old"]!), newColumn: try str(v["new"]!))
        }
        var outOfArea: OutOfAreaTable?
        if let o = f["out_of_area_wards"] {
            let v = try o.fields(allowed: ["table", "code", "la_code", "la_name"], required: ["table", "code"])
            outOfArea = OutOfAreaTable(table: try path(v["table"]!), codeColumn: try str(v["code"]!), laCodeColumn: try v["la_code"].map(str), laNameColumn: try v["la_name"].map(str))
        }
        var population: PopulationSource?
        if let p = f["population"] {
            let v = try p.fields(allowed: ["table", "code", "value", "unit", "label"], required: ["table", "code", "value", "unit"])
            let unit = try str(v["unit"]!)
            // An LSOA unit is apportioned by its boundaries, or given whole to the ward its lookup table names.
            let ok = unit == "ward" || (unit.hasPrefix("lsoa:") && lsoa.contains { "lsoa:" + $0.vintage == unit && ($0.boundaries != nil || $0.layerColumns["ward"] != nil) })
            guard ok else { throw v["unit"]!.error(.badValue("unit `\(unit)` is `ward` or `lsoa:<vintage>` naming an LSOA vintage with `boundaries` or a `ward` column")) }
            population = PopulationSource(table: try path(v["table"]!), codeColumn: try str(v["code"]!), valueColumn: try str(v["value"]!), unit: unit,
                                          label: try v["label"].map(str))
        }
        var lsoaVintages: LSOAVintageLookup?
        if let lv = f["lsoa_vintages"] {
            let v = try lv.fields(allowed: ["table", "encoding", "2001", "2011", "2021"], required: ["table"])
            let declared = ["2001", "2011", "2021"].filter { v[$0] != nil }
            guard declared.count == 2 else { throw lv.error(.badValue("name the code column of exactly two vintages, e.g. \"2011\": LSOA11CD, \"2021\": LSOA21CD")) }
            for vintage in declared where !lsoa.contains(where: { $0.vintage == vintage }) {
                throw v[vintage]!.error(.badValue("no LSOA lookup of vintage \(vintage) under `geography.lsoa`"))
            }
            let encoding = try PipelineLoader.encoding(v["encoding"], str: str)
            lsoaVintages = LSOAVintageLookup(table: try path(v["table"]!), encoding: encoding, oldVintage: declared[0], oldColumn: try str(v[declared[0]]!),
                                             newVintage: declared[1], newColumn: try str(v[declared[1]]!))
        }
        var sources: [SourceGeography] = []
        if let s = f["sources"] {
            for (id, c) in try s.mapping() {
                guard sourceIDs.contains(id) else { throw c.error(.badValue("`\(id)` is not one of the pipeline's sources")) }
                let v = try c.fields(allowed: ["methods", "lsoa_vintage"])
                let vintage = try v["lsoa_vintage"].map(str)
                if vintage == "auto" {
                    guard lsoaVintages != nil else { throw v["lsoa_vintage"]!.error(.badValue("`auto` decides each record's vintage from `geography.lsoa_vintages`, which this pipeline does not declare")) }
                } else if let vintage, !lsoa.contains(where: { $0.vintage == vintage }) {
                    throw v["lsoa_vintage"]!.error(.badValue("no LSOA lookup of vintage \(vintage) under `geography.lsoa`"))
                }
                sources.append(SourceGeography(id: id, methods: try v["methods"].map(methods), lsoaVintage: vintage))
            }
        }
        let ms = try f["methods"].map(methods) ?? GeocodeMethod.allCases
        if ms.contains(.oldWard) || sources.contains(where: { $0.methods?.contains(.oldWard) == true }), oldWards == nil {
            throw (f["methods"] ?? g).error(.badValue("method `old_ward` needs `geography.old_wards`"))
        }
        var definition = GeographyDefinition(layers: layers, methods: ms, lsoa: lsoa, oldWards: oldWards, outOfAreaWards: outOfArea, population: population, sources: sources)
        definition.lsoaVintages = lsoaVintages
        definition.csp = try f["csp"].map { try parseCSPLookup($0, str: str, path: path) }
        return definition
    }
}
