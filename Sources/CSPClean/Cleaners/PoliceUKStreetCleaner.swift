import CSPCore
import CSPSchema
import CSPStorage

/// data.police.uk street-level files: crimes to `crimes`, "Anti-social behaviour" rows (which have no Crime ID) to `asb_incidents`.
/// Crime types map through the `police_uk_categories` reference. Rows with no location are kept (stage 3 excludes them).
/// A Crime ID is one crime when its rows agree on crime type and place (a later month's row is the same crime
/// published again, a duplicate); rows of one month that share a Crime ID but differ in crime type, place or last
/// outcome are different records (the City of London Police publishes about ten such pairs a month): all are kept,
/// flagged `crime_ref_collision` and listed in `collisions.csv`.
struct PoliceUKStreetCleaner: RecordCleaner {
    let categories: ReferenceTable
    let requiredColumns = ["crime_id", "month", "longitude", "latitude", "location", "lsoa_code", "crime_type"]
    let entities = [Entities.crimes, Entities.asbIncidents]
    let dedupe: DedupeRule? = DedupeRule(entity: "crimes", keyColumn: "crime_ref", rankColumn: "month",
                                         sameRecord: ["offence_description", "longitude", "latitude", "location_description", "lsoa_code"],
                                         sameVersion: ["last_outcome"])

    init(environment: CleanEnvironment) throws {
        categories = try environment.table("police_uk_categories", key: "crime_type", required: ["offence_group", "ho_category", "entity"])
    }

    func clean(_ row: InputRow) throws -> (EntitySchema, [String]) {
        let month = try FieldRules.date(row, "month")
        let (lon, lat) = try FieldRules.coordinates(row)
        let type = Vocabulary.tidy(row["crime_type"])
        guard let cat = categories.lookup(type) else {
            throw CleanRejection(rule: "clean.offence.unknown-category", field: "crime_type", value: type, message: "crime type `\(type)` is not in the reference table `\(categories.name)`")
        }
        let location = Vocabulary.tidy(row["location"])
        let lsoa = Text.uppercased(Text.trim(row["lsoa_code"]))
        if cat["entity"] == "asb_incidents" {
            let s = Entities.asbIncidents
            var v = [String](repeating: "", count: s.columns.count)
            v[s.index("opened")] = month.day.description
            v[s.index("month")] = month.month
            v[s.index("category")] = cat["crime_type"] ?? type
            v[s.index("longitude")] = lon
            v[s.index("latitude")] = lat
            v[s.index("lsoa_code")] = lsoa
            v[s.index("location_description")] = location == "No location" ? "" : location
            return (s, v)
        }
        let s = Entities.crimes
        var v = [String](repeating: "", count: s.columns.count)
        v[s.index("crime_ref")] = Text.trim(row["crime_id"])
        v[s.index("month")] = month.month
        v[s.index("offence_group")] = cat["offence_group"] ?? ""
        v[s.index("ho_category")] = cat["ho_category"] ?? ""
        v[s.index("offence_description")] = cat["crime_type"] ?? type
        v[s.index("longitude")] = lon
        v[s.index("latitude")] = lat
        v[s.index("lsoa_code")] = lsoa
        v[s.index("location_description")] = location == "No location" ? "" : location
        v[s.index("last_outcome")] = Vocabulary.tidy(row["last_outcome"])
        return (s, v)
    }
}

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
