/// How one export layout becomes records of one entity: declared in YAML (a source's `mapping:`, inline or in a file
/// it names, so one layout serves many pipelines) and applied by stage 2. README, "Your own exports", lists every key.
/// The entity's schema stays the contract: `SourceMappingLoader` refuses a field the entity lacks and a required
/// field left unmapped (exit 78, file, line and key).
public struct SourceMapping: Sendable, Codable, Equatable {
    /// The file the mapping was read from (the pipeline itself for an inline one): errors name it.
    public var file: String
    /// The entity its records become (`crimes`, `fire_incidents`, …).
    public var entity: String
    /// Tokens read as blank in every field (`NULL`, `N/A`); a blank or all-space value is always blank.
    public var nullTokens: [String]
    /// One entry per entity field the layout fills, in the entity's column order.
    public var fields: [FieldMapping]
    /// Coordinate pairs in order of preference: the first pair with both values present is used, and its precision
    /// and columns are recorded per row (`location_precision_m`, `location_source`).
    public var coordinates: [CoordinatePair]
    /// Raw columns holding personal data that the layout reads but no field publishes: masked in stage 1 and rejects.
    public var personal: [String]
    /// Records with the same value here are one record published more than once (the latest by `dedupeRank` kept);
    /// nil: the entity's default.
    public var dedupeKey: String?
    /// The field compared to choose which of several duplicates is kept (the largest).
    public var dedupeRank: String?

    /// Every raw column (CSV header name or XML path) the mapping reads, in first-use order: stage 1 reads these.
    public var columns: [String] {
        var seen = Set<String>(), out: [String] = []
        let all = fields.flatMap { $0.from + ($0.pseudonymKey ?? []) } + coordinates.flatMap { [$0.x, $0.y] } + personal
        for c in all where seen.insert(c).inserted { out.append(c) }
        return out
    }

    /// The form vocabulary keys are compared in: each `|`-separated part tidied (trimmed, inner spaces collapsed) and
    /// upper-cased, so an export's spelling (`Primary Fire`, `PRIMARY FIRE `) does not matter.
    public static func vocabularyKey(_ s: String) -> String {
        s.split(separator: "|", omittingEmptySubsequences: false).map { ReferenceTable.normalise(String($0)) }.joined(separator: "|")
    }

    /// Creates a mapping.
    public init(file: String, entity: String, nullTokens: [String], fields: [FieldMapping], coordinates: [CoordinatePair], personal: [String],
                dedupeKey: String?, dedupeRank: String?) {
        self.file = file; self.entity = entity; self.nullTokens = nullTokens; self.fields = fields; self.coordinates = coordinates
        self.personal = personal; self.dedupeKey = dedupeKey; self.dedupeRank = dedupeRank
    }
}

/// How one entity field is made from one or more raw columns. The transforms apply in this order: read the columns
/// (null tokens are blank), trim, tidy, case; then `value` (a constant) or `values`/`values_file` (a vocabulary) or
/// `lookup` (a pipeline reference table); then the field's type: `formats` for dates and times, whole or decimal
/// numbers (`416.0` is 416) within `range`, yes/no flags; then `prefix`. A blank result takes `blank`; a required
/// blank is rejected.
public struct FieldMapping: Sendable, Codable, Equatable {
    /// The entity field.
    public var field: String
    /// The line of its entry in the mapping file.
    public var line: Int?
    /// Raw columns read, in order. Several columns: a vocabulary's key is their values joined with `|`; a date
    /// reads them joined with a space (a date column and a time column); text joins them with a space.
    public var from: [String]
    /// A constant value (no column read).
    public var constant: String?
    /// Collapse inner runs of spaces (default true).
    public var tidy: Bool
    /// `upper`, `lower` or nil (as given).
    public var letterCase: String?
    /// Layouts for a date, time or month field, tried in order; empty: csp's usual layouts
    /// (dd/mm/yyyy [HH:MM[:SS]], yyyy-mm-dd[THH:MM[:SS]], dd-Mon-yy [HH:MM], yyyy-mm).
    public var formats: [DatePattern]
    /// Inclusive bounds of a number.
    public var range: ClosedRange<Double>?
    /// Inline vocabulary: the (tidied, case-folded when `case` is set) value, or values joined with `|`, to the
    /// entity's code. Matching ignores letter case.
    public var values: [String: String]
    /// The vocabulary file it came from, if any (for messages).
    public var valuesFile: String?
    /// Value for anything not in the vocabulary; nil: rejected (`clean.mapping.unmapped-value`).
    public var defaultValue: String?
    /// Value for a blank (after null tokens); nil: blank stays blank (rejected when the field is required).
    public var blank: String?
    /// Look the value up in a pipeline reference table instead: `table`, the leading key values, and the column.
    public var lookup: ReferenceLookup?
    /// Text put before the value (`lfb:`), to keep identifiers of several systems apart.
    public var prefix: String
    /// Whether a blank is rejected (`clean.mapping.missing`); default from the entity (identifiers and the date
    /// that gives the month).
    public var required: Bool
    /// `pseudonymise`: the field is the keyed pseudonym of the columns (`pseudonym_key` or `from`); the value never
    /// leaves stage 1 in clear.
    public var pseudonymise: Bool
    /// Columns whose values together make the pseudonym's input (a person: surname, forename, date of birth), when
    /// not `from`.
    public var pseudonymKey: [String]?
    /// Whether the value is personal (masked in rejects).
    public var personal: Bool
    /// Area code field: the vintage of the codes the export gives (`WD22`, `LSOA21`), recorded in the manifest.
    public var vintage: String?
    /// Ward field: resolve names and old codes through the `ward_aliases` reference as of the record's date.
    public var wardAliases: Bool

    /// A field with no transforms.
    public init(field: String, line: Int?, from: [String]) {
        self.field = field; self.line = line; self.from = from; constant = nil; tidy = true; letterCase = nil; formats = []
        range = nil; values = [:]; valuesFile = nil; defaultValue = nil; blank = nil; lookup = nil; prefix = ""; required = false
        pseudonymise = false; pseudonymKey = nil; personal = false; vintage = nil; wardAliases = false
    }
}

/// A lookup of a field's value in a pipeline reference table.
public struct ReferenceLookup: Sendable, Codable, Equatable {
    /// Reference name (`fire_codes`, `offence_codes`).
    public var table: String
    /// Values of the table's leading key columns, before the field's own value (`[legacy, INC_TYPE]`).
    public var keys: [String]
    /// For a field read from several columns: the leading key values per column, in `from` order (IRS:
    /// `[[irs, SpecialServiceType], [irs, IncidentType]]`); nil: `keys` for every column.
    public var keysPerColumn: [[String]]? = nil
    /// The column whose value the field takes.
    public var column: String
}

/// One pair of coordinate columns and how exact they are.
public struct CoordinatePair: Sendable, Codable, Equatable {
    /// `bng` (British National Grid easting and northing, metres) or `wgs84` (longitude and latitude).
    public enum System: String, Sendable, Codable, Equatable { case bng, wgs84 }
    /// The coordinate system.
    public var system: System
    /// Easting or longitude column.
    public var x: String
    /// Northing or latitude column.
    public var y: String
    /// How exact the pair is, in metres (1 for exact, 50 for "rounded to 50 m"), recorded per row; nil when the
    /// mapping does not say.
    public var precisionMetres: Int?
    /// The line of its entry.
    public var line: Int?
}
