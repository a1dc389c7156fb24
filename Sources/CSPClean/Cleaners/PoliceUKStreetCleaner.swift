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
