import CSPCore
import CSPSchema
import CSPStorage

/// People linked to crimes (victims and suspects), kind `crime-persons`. Names and dates of birth are used only
/// to derive the person pseudonym and the age; neither is written. The crimes source must come first in the
/// pipeline: a person whose crime number is not among the cleaned crimes is rejected (`clean.person.unknown-crime`).
struct CrimePersonCleaner: RecordCleaner {
    let environment: CleanEnvironment
    let ethnicity: ReferenceTable
    let pseudonyms: Pseudonymiser
    let requiredColumns = ["crime_number", "role", "sex"]
    let entities = [Entities.victims, Entities.offenders]

    init(environment: CleanEnvironment) throws {
        self.environment = environment
        ethnicity = try environment.table("ethnicity_groups", key: "value", required: ["group"])
        pseudonyms = try environment.pseudonymiser()
    }

    func clean(_ row: InputRow) throws -> (EntitySchema, [String]) {
        let schema: EntitySchema
        switch Text.trim(row["role"]).lowercased() {
        case "victim", "v": schema = Entities.victims
        case "suspect", "s", "offender", "o", "accused": schema = Entities.offenders
        default: throw CleanRejection(rule: "clean.role.invalid", field: "role", value: row["role"], message: "role `\(row["role"])` is neither victim nor suspect")
        }
        let number = Text.trim(row["crime_number"])
        guard !number.isEmpty else { throw CleanRejection(rule: "clean.id.missing", field: "crime_number", value: "", message: "the person is linked to no crime number") }
        let crimeRef = pseudonyms.pseudonym("crime", number)
        guard let committed = environment.crimeDates[crimeRef] else {
            throw CleanRejection(rule: "clean.person.unknown-crime", field: "crime_number", value: "", message: "the person is linked to a crime number that is not among the cleaned crimes")
        }
        let dob = try FieldRules.optionalDate(row, "date_of_birth", personal: true)
        var age: Int?
        if let dob {
            let on = committed
            age = Age.years(from: dob.day, on: on)
            if age == nil {
                throw CleanRejection(rule: "clean.date.birth-after-offence", field: "date_of_birth", value: row["date_of_birth"], message: "date of birth is after the crime's committed-from date", personal: true)
            }
        }
        if age == nil {
            let t = Text.trim(row["age"])
            if !t.isEmpty {
                guard let a = Int(t), (0...120).contains(a) else {
                    throw CleanRejection(rule: "clean.age.invalid", field: "age", value: t, message: "age `\(t)` is not a whole number of years between 0 and 120")
                }
                age = a
            }
        }
        let surname = Vocabulary.tidy(row["surname"]), forename = Vocabulary.tidy(row["forename"])
        let personKey = surname.isEmpty || dob == nil ? "" : "\(surname)|\(forename)|\(dob!.day)"
        let ic = Text.uppercased(Text.trim(row["ic_code"]))
        var v = [String](repeating: "", count: schema.columns.count)
        v[schema.index("person_ref")] = pseudonyms.pseudonym("person", personKey)
        v[schema.index("crime_ref")] = crimeRef
        v[schema.index("role")] = schema.name == "victims" ? "victim" : "suspect"
        v[schema.index("age")] = age.map(String.init) ?? ""
        v[schema.index("age_band")] = Age.band(age)
        v[schema.index("sex")] = try FieldRules.sex(row, "sex")
        v[schema.index("ethnicity_code")] = ic
        v[schema.index("ethnicity_group")] = try FieldRules.ethnicityGroup(row, "ic_code", table: ethnicity)
        v[schema.index("ppo")] = try FieldRules.flag(row, "ppo")
        return (schema, v)
    }
}
