import CSPCore
import CSPSchema
import CSPStorage

/// data.police.uk stop-and-search files: ISO 8601 instants with offsets, converted to UK local time.
struct PoliceUKStopSearchCleaner: RecordCleaner {
    let ethnicity: ReferenceTable
    let requiredColumns = ["type", "date", "latitude", "longitude", "gender", "age_range", "officer_defined_ethnicity"]
    let entities = [Entities.stopSearches]

    init(environment: CleanEnvironment) throws {
        ethnicity = try environment.table("ethnicity_groups", key: "value", required: ["group"])
    }

    func clean(_ row: InputRow) throws -> (EntitySchema, [String]) {
        let when: LocalDateTime
        switch UKTime.parseInstant(row["date"]) {
        case .success(let v): when = v
        case .failure(let p): throw CleanRejection(rule: p.rule, field: "date", value: row["date"], message: "date `\(row["date"])` is not an ISO 8601 date and time")
        }
        let (lon, lat) = try FieldRules.coordinates(row)
        let s = Entities.stopSearches
        var v = [String](repeating: "", count: s.columns.count)
        v[s.index("search_time")] = when.description
        v[s.index("month")] = when.month
        v[s.index("type")] = Vocabulary.tidy(row["type"])
        v[s.index("part_of_operation")] = try FieldRules.optionalFlag(row, "part_of_operation")
        v[s.index("longitude")] = lon
        v[s.index("latitude")] = lat
        v[s.index("sex")] = try FieldRules.sex(row, "gender")
        v[s.index("age_range")] = Vocabulary.tidy(row["age_range"])
        v[s.index("self_defined_ethnicity")] = Vocabulary.tidy(row["self_defined_ethnicity"])
        v[s.index("officer_defined_ethnicity")] = Vocabulary.tidy(row["officer_defined_ethnicity"])
        let group = try FieldRules.ethnicityGroup(row, "officer_defined_ethnicity", table: ethnicity)
        v[s.index("ethnicity_group")] = group == "Not known" && row.has("self_defined_ethnicity")
            ? ((try? FieldRules.ethnicityGroup(row, "self_defined_ethnicity", table: ethnicity)) ?? group) : group
        v[s.index("legislation")] = Vocabulary.tidy(row["legislation"])
        v[s.index("object_of_search")] = Vocabulary.tidy(row["object_of_search"])
        v[s.index("outcome")] = Vocabulary.tidy(row["outcome"])
        v[s.index("outcome_linked")] = try FieldRules.optionalFlag(row, "outcome_linked")
        v[s.index("removal_of_clothing")] = try FieldRules.optionalFlag(row, "removal_of_clothing")
        return (s, v)
    }
}
