import CSPCore
import CSPSchema
import CSPStorage
import CSPCSV

/// One stage 1 row, with access by column name.
public struct InputRow {
    /// Values in stage 1 column order.
    public let fields: [String]
    /// Column positions (a repeated name is its last column).
    let index: NameIndex
    /// Lineage: the raw file.
    public let sourceFile: String
    /// Lineage: the physical line in the raw file.
    public let sourceRecord: Int

    /// The value of a column ("" when the source has no such column).
    public subscript(_ name: String) -> String {
        guard let i = index[name], i < fields.count else { return "" }
        return fields[i]
    }

    /// Whether the source has the column.
    public func has(_ name: String) -> Bool { index[name] != nil }
}

/// Why a record was rejected by a cleaning rule.
public struct CleanRejection: Error, Sendable {
    /// Rule id, for example `clean.date.impossible`.
    public let rule: String
    /// Column concerned.
    public let field: String
    /// The value (masked by the stage when personal).
    public let value: String
    /// A sentence an analyst can act on.
    public let message: String
    /// Whether the value is personal data (then it is masked in rejects).
    public let personal: Bool

    /// Creates a rejection.
    public init(rule: String, field: String, value: String, message: String, personal: Bool = false) {
        self.rule = rule; self.field = field; self.value = value; self.message = message; self.personal = personal
    }
}

/// How duplicates of a cleaner's records are found and which one is kept.
public struct DedupeRule: Sendable {
    /// Entity the rule applies to.
    public let entity: String
    /// Column whose equal values make records duplicates.
    public let keyColumn: String
    /// Column compared first to choose the record kept (the largest wins); ties go to the later record
    /// (later file in name order, then later line).
    public let rankColumn: String
    /// Columns that must agree for two records with the same key to be one record published again (for
    /// data.police.uk: the crime type and the place; a re-publication in a later month may carry a later outcome).
    /// Records that share a key but differ here are different records whose IDs collide: all are kept, flagged in
    /// `collisionColumn` and listed in `collisions.csv`, never dropped as duplicates nor rejected. Empty: no check.
    public var sameRecord: [String] = []
    /// Columns that must also agree between records of the same rank (data.police.uk: the last outcome, for two rows
    /// of one month): records of one rank that differ here are different records too. Older records (a smaller
    /// rank) of the same `sameRecord` values are duplicates of the newest whatever these columns hold.
    public var sameVersion: [String] = []
    /// Rule id written to duplicates.csv.
    public var rule: String { "clean.duplicate.\(keyColumn)" }
    /// Rule id of an ID collision (`collisions.csv`, the warning).
    public var collisionRule: String { "clean.id-collision.\(keyColumn)" }
    /// The boolean column of the entity that flags a record whose key another record shares: `<key>_collision`.
    public var collisionColumn: String { keyColumn + "_collision" }
    /// Whether the rule looks for ID collisions.
    public var checksCollisions: Bool { !sameRecord.isEmpty || !sameVersion.isEmpty }

    /// Creates a rule.
    public init(entity: String, keyColumn: String, rankColumn: String, sameRecord: [String] = [], sameVersion: [String] = []) {
        self.entity = entity; self.keyColumn = keyColumn; self.rankColumn = rankColumn; self.sameRecord = sameRecord; self.sameVersion = sameVersion
    }
}

/// The cleaning rules for one kind of source: from its stage 1 columns to one entity row per record.
public protocol RecordCleaner {
    /// Stage 1 columns the source must have (the pipeline's `columns:` mapping names them).
    var requiredColumns: [String] { get }
    /// Entities it writes.
    var entities: [EntitySchema] { get }
    /// Duplicate handling, if the source can repeat records.
    var dedupe: DedupeRule? { get }
    /// Cleans one record: the entity and its values (in schema column order), or a rejection.
    func clean(_ row: InputRow) throws -> (EntitySchema, [String])
}

extension RecordCleaner {
    /// No duplicate handling.
    public var dedupe: DedupeRule? { nil }
}

/// A cleaner with a byte-level fast path (`SourceCleaning` asks every cleaner whether it is one).
protocol FastPathProvider {
    /// The fast path for a source with this stage 1 header (lineage columns excluded); nil when it cannot apply.
    func fastPath(header: [String]) -> (any FastRecordCleaner)?
}

/// The byte-level fast path of a high-volume kind (data.police.uk street files), bound to one stage 1 header.
/// It cleans the usual shape of record straight from the stage 1 bytes, without a String per field.
protocol FastRecordCleaner: AnyObject {
    /// Cleans `record` into `row` and returns the position of its entity in the cleaner's `entities`; or nil when the
    /// record needs the general `RecordCleaner.clean` (anything unusual, and every rejection), which then gives the
    /// result it always gave. So a fast path only accepts records for which it gives exactly `clean`'s values.
    func clean(_ record: CSVRawRecord, into row: CleanRow) -> Int?
}
