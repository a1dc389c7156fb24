import CSPCore
import CSPSchema
import CSPStorage

/// Youth Offending Service case records, kind `yos-cases`. Young people are 10–17 at the offence;
/// a case outside that range is rejected (`clean.yos.age-out-of-range`), as is an outcome before the offence.
struct YOSCaseCleaner: RecordCleaner {
    let ethnicity: ReferenceTable
    let pseudonyms: Pseudonymiser
    let requiredColumns = ["young_person_id", "date_of_birth", "sex", "offence_date", "offence_category"]
    let entities = [Entities.yosCases]

    init(environment: CleanEnvironment) throws {
        ethnicity = try environment.table("ethnicity_groups", key: "value", required: ["group"])
        pseudonyms = try environment.pseudonymiser()
    }

    func clean(_ row: InputRow) throws -> (EntitySchema, [String]) {
        let id = Text.trim(row["young_person_id"])
        guard !id.isEmpty else { throw CleanRejection(rule: "clean.id.missing", field: "young_person_id", value: "", message: "the case has no young person id") }
        let dob = try FieldRules.date(row, "date_of_birth", personal: true)
        let offence = try FieldRules.date(row, "offence_date")
        guard let age = Age.years(from: dob.day, on: offence.day) else {
            throw CleanRejection(rule: "clean.date.birth-after-offence", field: "date_of_birth", value: row["date_of_birth"], message: "date of birth is after the offence date", personal: true)
        }
        guard (10...17).contains(age) else {
            throw CleanRejection(rule: "clean.yos.age-out-of-range", field: "age", value: String(age), message: "age \(age) at the offence is outside the youth justice range 10–17")
        }
        let outcomeDate = try FieldRules.optionalDate(row, "outcome_date")
        if let outcomeDate, outcomeDate.day < offence.day {
            throw CleanRejection(rule: "clean.date.from-after-to", field: "outcome_date", value: row["outcome_date"], message: "outcome date \(outcomeDate.day) is before the offence date \(offence.day)")
        }
        let s = Entities.yosCases
        var v = [String](repeating: "", count: s.columns.count)
        v[s.index("young_person_ref")] = pseudonyms.pseudonym("young-person", id)
        v[s.index("age")] = String(age)
        v[s.index("age_band")] = Age.band(age)
        v[s.index("sex")] = try FieldRules.sex(row, "sex")
        v[s.index("ethnicity")] = Vocabulary.tidy(row["ethnicity"])
        v[s.index("ethnicity_group")] = try FieldRules.ethnicityGroup(row, "ethnicity", table: ethnicity)
        v[s.index("offence_date")] = offence.day.description
        v[s.index("month")] = offence.month
        v[s.index("offence_category")] = Vocabulary.tidy(row["offence_category"])
        v[s.index("outcome")] = Vocabulary.tidy(row["outcome"])
        v[s.index("outcome_date")] = outcomeDate?.day.description ?? ""
        v[s.index("first_time_entrant")] = try FieldRules.flag(row, "first_time_entrant")
        v[s.index("ppo")] = try FieldRules.flag(row, "ppo")
        v[s.index("ward_text")] = Vocabulary.tidy(row["ward"])
        return (s, v)
    }
}
