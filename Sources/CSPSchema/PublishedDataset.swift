/// A published dataset: one `04-normalised/<name>.csv` and one warehouse table of the same name, with its columns
/// (in the order of the stage 3 header), natural key and indexes.
public struct PublishedDataset: Sendable {
    /// Table and file name.
    public let name: String
    /// What one row is.
    public let meaning: String
    /// Columns, in CSV order (the warehouse adds `id` first).
    public let columns: [PublishedColumn]
    /// Column whose non-blank values are unique (the entity's natural key), if any.
    public let naturalKey: String?
    /// A boolean column whose true rows are outside the natural key (`crimes.crime_ref_collision`: a Crime ID the
    /// source gave to several different records); nil when every row is under it.
    public var naturalKeyExemption: String? = nil
    /// Whether rows carry `source_file`, `source_record` (and so `UNIQUE(source_file, source_record)`).
    public let hasLineage: Bool

    /// Creates a dataset from its parts.
    public init(name: String, meaning: String, columns: [PublishedColumn], naturalKey: String?, hasLineage: Bool) {
        self.name = name; self.meaning = meaning; self.columns = columns; self.naturalKey = naturalKey; self.hasLineage = hasLineage
    }

    /// Column names, in CSV order.
    public var header: [String] { columns.map(\.name) }

    /// Whether the dataset has a column.
    public func has(_ column: String) -> Bool { columns.contains { $0.name == column } }

    /// The geography layers the dataset carries (`ward`, `la`, then the pipeline's other layers), in header order.
    public var layers: [String] {
        columns.filter { $0.role == .geography && $0.name.hasSuffix("_code") }.map { String($0.name.dropLast(5)) }
    }

    /// Indexed column sets: month, every area layer's code, and the grouping columns the views use.
    public var indexes: [[String]] {
        var out: [[String]] = []
        if has("month") { out.append(["month"]) }
        for layer in layers { out.append([layer + "_code"]) }
        for c in ["offence_group", "category", "incident_type", "outcome_type"] where has(c) { out.append([c]) }
        if name != "crimes", has("crime_ref") { out.append(["crime_ref"]) }
        return out
    }

    /// The published form of a stage 2 entity, given the header of its stage 3 file.
    ///
    /// Entity columns take their type and meaning from the schema; `<layer>_code`/`<layer>_name` pairs are geography;
    /// `geocode_*` columns describe the placement; `source_file`, `source_record` must come last.
    /// - Throws: `StageError.malformedInput` when the lineage columns are not last.
    public static func entity(_ schema: EntitySchema, header: [String], file: String) throws -> PublishedDataset {
        guard header.suffix(2) == ["source_file", "source_record"] else {
            throw SchemaMismatch(file: file, line: 1, message: "not a stage 3 file: the lineage columns source_file, source_record are not last")
        }
        let known = Dictionary(schema.columns.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let names = Set(header)
        var columns: [PublishedColumn] = []
        for name in header.dropLast(2) {
            if let c = known[name] {
                columns.append(PublishedColumn(name: name, type: c.type, meaning: c.meaning, role: .entity))
            } else if let g = GeocodeColumns.column(name) {
                columns.append(g)
            } else if let layer = AreaLayers.layer(ofColumn: name), names.contains(layer + "_code") {
                columns.append(AreaLayers.column(name))
            } else {
                columns.append(PublishedColumn(name: name, type: .text, meaning: "column added by stage 3 that this stage does not describe (kept as text)", role: .other))
            }
        }
        columns.append(PublishedColumn(name: "source_file", type: .text, meaning: "lineage: the raw file the record came from, relative to the pipeline's folder", role: .lineage, notNull: true))
        columns.append(PublishedColumn(name: "source_record", type: .integer, meaning: "lineage: the physical line (1-based) where the record begins in that file", role: .lineage, notNull: true))
        var dataset = PublishedDataset(name: schema.name, meaning: schema.meaning, columns: columns,
                                       naturalKey: NormaliseCatalog.naturalKeys[schema.name].flatMap { header.contains($0) ? $0 : nil }, hasLineage: true)
        if dataset.naturalKey != nil { dataset.naturalKeyExemption = NormaliseCatalog.naturalKeyExemptions[schema.name].flatMap { header.contains($0) ? $0 : nil } }
        return dataset
    }
}

/// The columns stage 3 adds to say how it placed a record.
package enum GeocodeColumns {
    package static func column(_ name: String) -> PublishedColumn? {
        switch name {
        case "geocode_method":
            return PublishedColumn(name: name, type: .text, meaning: "how stage 3 placed the record: point (coordinates inside a boundary), lsoa (LSOA lookup), old_ward (an old ward mapped onto the new wards) or ward_name (a ward name or alias)", role: .geocode)
        case "geocode_approximate":
            return PublishedColumn(name: name, type: .boolean, meaning: "the placement is approximate (for example an old ward split between new wards)", role: .geocode)
        case "geocode_disagreement":
            return PublishedColumn(name: name, type: .text, meaning: "where the record's location fields disagree, what each said; blank when they agree", role: .geocode)
        case "csp_method":
            return PublishedColumn(name: name, type: .text, meaning: "how stage 3 gave the record its Community Safety Partnership (csp_code) and force (pfa_code): council (the council of its ward has one CSP), old-district (the council has several CSPs; the old district of the record's LSOA decides), unassigned (it does not decide: see 03-geocode/csp-assignment.csv) or unknown-council", role: .geocode)
        default:
            return nil
        }
    }
}

/// Area layers and their columns: `<layer>_code`, `<layer>_name`.
package enum AreaLayers {
    /// What a layer is, for the dictionary; other layers are described by name.
    package static func describe(_ layer: String) -> String {
        switch layer {
        case "ward": return "ward (the new wards, boundaries from April 2009)"
        case "la": return "local authority"
        case "ward08": return "old district ward (2008 boundaries)"
        case "snt": return "Safer Neighbourhood Team area"
        case "town": return "town"
        case "place": return "named place (estate, town centre)"
        case "csp": return "Community Safety Partnership"
        case "pfa": return "police force area"
        default: return "`\(layer)` area"
        }
    }

    /// The layer of a `<layer>_code` or `<layer>_name` column.
    package static func layer(ofColumn name: String) -> String? {
        for suffix in ["_code", "_name"] where name.hasSuffix(suffix) && name.count > suffix.count { return String(name.dropLast(suffix.count)) }
        return nil
    }

    package static func column(_ name: String) -> PublishedColumn {
        let layer = layer(ofColumn: name)!
        let what = name.hasSuffix("_code") ? "code" : "name"
        return PublishedColumn(name: name, type: .text, meaning: "\(what) of the \(describe(layer)) the record falls in (areas.layer = '\(layer)')", role: .geography)
    }
}
