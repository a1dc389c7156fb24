import CSPCore
import CSPSchema
import CSPStorage
import CSPCSV

/// The cleaning rules of a source whose layout a `SourceMapping` declares (kind `mapped`): each entity field made
/// from its columns by the mapping's transforms (`FieldTransform`), then the entity's own rules (`EntityRules`: the
/// month, coordinates and their precision, dates in order, ages and bands, survey scales), which no layout can change.
struct MappedCleaner: RecordCleaner {
    let mapping: SourceMapping
    let schema: EntitySchema
    let transforms: [FieldTransform]
    let rules: EntityRules
    let coordinates: CoordinateRule?
    let requiredColumns: [String]
    let entities: [EntitySchema]
    let dedupe: DedupeRule?

    init(source: SourceDefinition, mapping: SourceMapping, environment: CleanEnvironment, requiredColumns: [String]? = nil) throws {
        guard let schema = EntityContract.schema(mapping.entity) else {
            throw StageError.configuration("source `\(source.id)`: \(mapping.file) maps onto `\(mapping.entity)`, which no mapping can fill")
        }
        self.mapping = mapping
        self.schema = schema
        let pseudonyms = mapping.fields.contains(where: \.pseudonymise) ? try environment.pseudonymiser() : nil
        let dateField = EntityContract.dateField[mapping.entity]
        transforms = try mapping.fields.map { f in
            let table = try f.lookup.map { l in try environment.table(l.table, keys: Self.lookupKeys(l, environment: environment), required: [l.column]) }
            return try FieldTransform(f, schema: schema, nullTokens: mapping.nullTokens, table: table, pseudonyms: pseudonyms,
                                      environment: f.wardAliases ? environment : nil, isDateField: f.field == dateField)
        }
        rules = try EntityRules(entity: mapping.entity, schema: schema, environment: environment, mapping: mapping)
        coordinates = mapping.coordinates.isEmpty ? nil : CoordinateRule(pairs: mapping.coordinates, schema: schema, nullTokens: mapping.nullTokens)
        self.requiredColumns = requiredColumns ?? mapping.columns
        entities = [schema]
        if let key = mapping.dedupeKey {
            dedupe = DedupeRule(entity: schema.name, keyColumn: key, rankColumn: mapping.dedupeRank ?? key)
        } else {
            dedupe = EntityRules.defaultDedupe[schema.name]
        }
    }

    /// The key columns of a lookup's table: as many leading key columns as the lookup gives values, then the value's.
    static func lookupKeys(_ l: ReferenceLookup, environment: CleanEnvironment) throws -> [String] {
        guard let path = environment.pipeline.referencePath(l.table) else {
            throw StageError.configuration("a mapping looks values up in the reference `\(l.table)`; declare it under `reference:` in \(environment.pipeline.file)")
        }
        let file = try environment.inputs.path(path)
        let header: [String]
        do { header = try CSVReader(path: file).header.map { Text.trim($0) } } catch { throw StageError.io(path: file, operation: "read", reason: "\(error)") }
        guard header.count > l.keys.count + 1 else {
            throw StageError.configuration("reference `\(l.table)` has \(header.count) columns: too few for \(l.keys.count) key value(s), the looked-up value and `\(l.column)`")
        }
        return Array(header.prefix(l.keys.count + 1))
    }

    func clean(_ row: InputRow) throws -> (EntitySchema, [String]) {
        var v = [String](repeating: "", count: schema.columns.count)
        var inputs: [String: (String, Day?)] = [:]
        var day: Day?
        // The date field first: a ward alias is resolved as of the record's date.
        for t in transforms where t.isDateField {
            let (value, d) = try t.apply(row, day: nil)
            if let c = t.column { v[c] = value }
            day = d
        }
        for t in transforms where !t.isDateField {
            let r = try t.apply(row, day: day)
            if let c = t.column { v[c] = r.0 } else { inputs[t.name] = r }
        }
        if let coordinates { try coordinates.apply(row, into: &v) }
        try rules.finish(&v, inputs: inputs, day: day, row: row)
        return (schema, v)
    }
}
