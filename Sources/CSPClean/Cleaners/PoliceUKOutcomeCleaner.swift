import CSPCore
import CSPSchema
import CSPStorage

/// data.police.uk outcomes files.
struct PoliceUKOutcomeCleaner: RecordCleaner {
    let requiredColumns = ["crime_id", "month", "longitude", "latitude", "location", "lsoa_code", "outcome_type"]
    let entities = [Entities.outcomes]

    func clean(_ row: InputRow) throws -> (EntitySchema, [String]) {
        let month = try FieldRules.date(row, "month")
        let (lon, lat) = try FieldRules.coordinates(row)
        let id = Text.trim(row["crime_id"])
        if id.isEmpty { throw CleanRejection(rule: "clean.id.missing", field: "crime_id", value: "", message: "an outcome without a Crime ID cannot be linked to its crime") }
        let location = Vocabulary.tidy(row["location"])
        return (Entities.outcomes, [id, month.month, lon, lat, location == "No location" ? "" : location,
                                    Text.uppercased(Text.trim(row["lsoa_code"])), Vocabulary.tidy(row["outcome_type"])])
    }
}

