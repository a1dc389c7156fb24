/// What a source mapping must and may fill for each entity: the fields without which a record is not one (a mapping
/// that leaves one unmapped is exit 78), and the fields stage 2's entity rules derive (a mapping may not name them:
/// `month` comes from the record's date, a person's age band from the age). Everything else of the schema is
/// optional: left blank when the layout has no such column.
public enum EntityContract {
    /// Entities a mapping can fill, and their required fields.
    public static let required: [String: [String]] = [
        "crimes": ["crime_ref", "committed_from", "ho_code"],
        "asb_incidents": ["opened", "category"],
        "fire_incidents": ["incident_ref", "call_time", "incident_type"],
        "yos_cases": ["young_person_ref", "offence_date"],
        "survey_responses": ["respondent_ref"],
    ]

    /// Fields the entity rules derive.
    public static let derived: [String: [String]] = [
        "crimes": ["month", "crime_ref_collision"],
        "asb_incidents": ["month"],
        "fire_incidents": ["month", "location_precision_m", "location_source"],
        "yos_cases": ["month", "age", "age_band", "ethnicity_group"],
        "survey_responses": SurveyScale.strands.map { $0 + "_score" },
    ]

    /// Inputs a mapping may name that are not columns of the entity: used by its rules, never written (a young
    /// person's date of birth gives the age at the offence and its band; the date itself leaves no trace).
    public static let inputs: [String: [String: ColumnType]] = [
        "yos_cases": ["date_of_birth": .date],
    ]

    /// The field whose date gives a record's `month`.
    public static let dateField: [String: String] = [
        "crimes": "committed_from", "asb_incidents": "opened", "fire_incidents": "call_time", "yos_cases": "offence_date",
    ]

    /// The schema of an entity a mapping can fill.
    public static func schema(_ entity: String) -> EntitySchema? {
        guard required[entity] != nil else { return nil }
        return NormaliseCatalog.entities.first { $0.name == entity }
    }

    /// Entity names a mapping can fill, sorted (for messages).
    public static var entities: [String] { required.keys.sorted() }
}
