import CSPSchema
/// A pipeline file, loaded, validated and with every variable substituted and path resolved.
public struct PipelineDefinition: Sendable {
    /// The pipeline's `name`; names its folder under the output folder.
    public var name: String
    /// Absolute path of the pipeline file.
    public var file: String
    /// Folder holding the pipeline file; relative paths inside it resolve against this.
    public var directory: String
    /// The partnership's area.
    public var area: AreaDefinition
    /// Final variable values (defaults overridden by `--set`).
    public var variables: [String: String]
    /// Named analysis periods, in file order.
    public var periods: [PeriodDefinition]
    /// Raw exports, in file order.
    public var sources: [SourceDefinition]
    /// Reference files by name (absolute paths), in file order.
    public var reference: [ReferenceFile]
    /// Pseudonymisation and masking settings.
    public var privacy: PrivacySettings
    /// Output settings.
    public var output: OutputSettings
    /// How long each class of run output is kept (`csp purge`).
    public var retention: RetentionPolicy = RetentionPolicy()
    /// SHA-256 over the pipeline's resolved settings: changes whenever its meaning changes.
    public var configHash: String
    /// `periods: as_of:` — the month the data-driven periods end on; nil: the latest complete month of the data.
    public var periodsAsOf: Day? = nil
    /// `quality.require_complete_months`: a missing or short month fails the run (65) after everything is published.
    public var requireCompleteMonths = false
    /// `quality.same_month`: what stage 1 does with two different files for the same source, force and month
    /// (data.police.uk names): `fail` (the default) reads both and fails the run (65) naming them; `newer` reads
    /// only the one modified last (a re-published month) and names the other in a warning.
    public var sameMonth: SameMonthPolicy = .fail
    /// Stage 3's area layers, methods and lookups (`geography:`); nil when the pipeline declares none.
    public var geography: GeographyDefinition? = nil
    /// What the coverage calendar expects (`coverage:`); nil when the pipeline declares nothing.
    public var coverage: CoverageSettings? = nil

    /// The source with this id.
    public func source(_ id: String) -> SourceDefinition? { sources.first { $0.id == id } }
    /// The reference file with this name.
    public func referencePath(_ name: String) -> String? { reference.first { $0.name == name }?.path }
}

/// The partnership's area.
public struct AreaDefinition: Sendable, Codable, Equatable {
    /// Display name, for example "Central Bedfordshire".
    public var name: String
    /// GSS local authority code, for example E06000056.
    public var laCode: String
    /// Other codes the area is known by (old-style `00KC`, CSP `E22000353`, predecessor districts).
    public var otherCodes: [String]
    /// `every_ward: true`: every ward of the ward layer lies in the area (a national pipeline, whose ward layer is
    /// every council's wards); nil or false: the wards whose local authority is `laCode`.
    public var everyWard: Bool? = nil
    /// `partnership`: the code of one Community Safety Partnership of a national warehouse (records' `csp_code`) whose
    /// assessment stage 5 writes instead of the whole area's (the national pipeline's `--set csp=E22000010`); nil or
    /// blank: the area's.
    public var partnership: String? = nil
}

/// A named period, inclusive at both ends.
public struct PeriodDefinition: Sendable, Codable, Equatable {
    /// Name, for example `current` or `previous_year`.
    public var name: String
    /// First day.
    public var from: Day
    /// Last day.
    public var to: Day

    /// Creates a period.
    public init(name: String, from: Day, to: Day) { self.name = name; self.from = from; self.to = to }
}

/// Input file formats a source may have.
public enum SourceFormat: String, Sendable, Codable, CaseIterable {
    /// Comma- (or other delimiter-) separated values.
    case csv
    /// XML with one element per record.
    case xml
}

/// One raw export declared in a pipeline.
public struct SourceDefinition: Sendable, Codable, Equatable {
    /// Identifier; names the stage 1 output `<id>.csv`.
    public var id: String
    /// The agency that sends it (police, fire, yos, survey, ...).
    public var agency: String
    /// What its records are (crimes, persons, asb-incidents, ...); stage 2 chooses its rules by this.
    public var kind: SourceKind
    /// CSV or XML.
    public var format: SourceFormat
    /// Glob patterns as written, after variable substitution, resolved to absolute paths.
    public var paths: [String]
    /// Character encoding of CSV input.
    public var encoding: String
    /// CSV delimiter (one ASCII character).
    public var delimiter: String
    /// XML: the element that holds one record.
    public var record: String?
    /// Output column name to source column (CSV header name or XML path). Empty: every CSV column as it is.
    public var columns: [ColumnMapping]
    /// Output columns holding personal data: masked in rejects and logs.
    public var personal: [String]
    /// The data-quality gate: the largest share of records that may be rejected.
    public var maxRejectShare: Double
    /// Optional per-file date taken from the file name (used to order monthly exports): a regex with one group.
    public var extractedPattern: String?
    /// The layout's mapping onto an entity (kind `mapped`); nil for the kinds whose rules are written in Swift.
    public var mapping: SourceMapping? = nil
}

/// One output column and where it comes from.
public struct ColumnMapping: Sendable, Codable, Equatable {
    /// Name in stage 1 output.
    public var name: String
    /// CSV header name or XML field path.
    public var from: String

    /// Creates a mapping.
    public init(name: String, from: String) { self.name = name; self.from = from }
}

/// A named reference file.
public struct ReferenceFile: Sendable, Codable, Equatable {
    /// Name used by stages (`offence_codes`, `ward_aliases`, ...).
    public var name: String
    /// Absolute path.
    public var path: String
}

/// Privacy settings.
public struct PrivacySettings: Sendable, Codable, Equatable {
    /// Absolute path of the pseudonym key file, outside the output folder. Nil: no personal sources.
    public var keyFile: String?
    /// Published tables suppress counts below this.
    public var suppressBelow: Int
}

/// Output settings.
public struct OutputSettings: Sendable, Codable, Equatable {
    /// Default output folder (absolute) when `--output` is not given.
    public var folder: String?
}

/// Days each class of run output is kept; nil keeps it forever. The ledger is append-only and never purged;
/// csp keeps no copies of raw exports (stage 1 reads them where they are), so there is nothing to purge there.
public struct RetentionPolicy: Sendable, Codable, Equatable {
    /// Stage folders 01-ingest to 03-geocode (stage 1 holds personal data in clear).
    public var intermediates: Int?
    /// rejects.csv, excluded.csv and duplicates.csv in every stage.
    public var rejects: Int?
    /// 04-normalised and 05-assess.
    public var published: Int?
    /// Whole run folders.
    public var runs: Int?

    /// Keep everything.
    public init(intermediates: Int? = nil, rejects: Int? = nil, published: Int? = nil, runs: Int? = nil) {
        self.intermediates = intermediates; self.rejects = rejects; self.published = published; self.runs = runs
    }
}

/// `quality.same_month`: which of two different files for one source, force and month stage 1 reads.
public enum SameMonthPolicy: String, Sendable, Codable, CaseIterable {
    /// Read both, then fail the run (65) naming them: someone decides which is right.
    case fail
    /// Read only the file modified last (the newer download of a re-published month); the other is named, not read.
    case newer
}
