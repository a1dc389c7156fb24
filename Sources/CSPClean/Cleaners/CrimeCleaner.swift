import CSPCore
import CSPSchema
import CSPStorage

/// Police recorded crime exports (CMSII-like), kind `crimes`. Address text is read by stage 1 but never written here.
/// Duplicates: the same crime number in several monthly exports; the later extraction date wins, then the later line.
struct CrimeCleaner: RecordCleaner {
    let environment: CleanEnvironment
    let offences: ReferenceTable
    let pseudonyms: Pseudonymiser
    let requiredColumns = ["crime_number", "ho_code", "committed_from"]
    let entities = [Entities.crimes]
    let dedupe: DedupeRule? = DedupeRule(entity: "crimes", keyColumn: "crime_ref", rankColumn: "extracted_date")

    init(environment: CleanEnvironment) throws {
        self.environment = environment
        offences = try environment.table("offence_codes", key: "ho_code", required: ["offence_group", "ho_category"])
        pseudonyms = try environment.pseudonymiser()
    }

    func clean(_ row: InputRow) throws -> (EntitySchema, [String]) {
        let number = Text.trim(row["crime_number"])
        guard !number.isEmpty else { throw CleanRejection(rule: "clean.id.missing", field: "crime_number", value: "", message: "the crime has no crime number") }
        let code = Text.uppercased(Text.trim(row["ho_code"]))
        guard let offence = offences.lookup(code) else {
            throw CleanRejection(rule: "clean.offence.unknown-code", field: "ho_code", value: code, message: "Home Office code `\(code)` is not in the reference table `\(offences.name)`")
        }
        let from = try FieldRules.date(row, "committed_from")
        let to = try FieldRules.optionalDate(row, "committed_to")
        if let to, to < from {
            throw CleanRejection(rule: "clean.date.from-after-to", field: "committed_to", value: "\(row["committed_from"]) > \(row["committed_to"])",
                                 message: "committed from \(from) is after committed to \(to)")
        }
        let recorded = try FieldRules.optionalDate(row, row.has("recorded_date") ? "recorded_date" : "recorded")
        let extracted = try FieldRules.optionalDate(row, "extracted")
        let s = Entities.crimes
        var v = [String](repeating: "", count: s.columns.count)
        let ref = pseudonyms.pseudonym("crime", number)
        v[s.index("crime_ref")] = ref
        v[s.index("month")] = from.month
        v[s.index("committed_from")] = from.description
        v[s.index("committed_to")] = to?.description ?? ""
        v[s.index("recorded_date")] = recorded?.day.description ?? ""
        v[s.index("ho_code")] = code
        v[s.index("offence_description")] = offence["description"] ?? Vocabulary.tidy(row["offence_description"])
        v[s.index("offence_group")] = offence["offence_group"] ?? ""
        v[s.index("ho_category")] = offence["ho_category"] ?? ""
        v[s.index("beat")] = Text.uppercased(Vocabulary.tidy(row["beat"]))
        v[s.index("ward_text")] = Vocabulary.tidy(row["ward"])
        v[s.index("ward_reported_code")] = try environment.wardCode(row["ward"], on: from.day)
        v[s.index("district_code")] = Text.uppercased(Vocabulary.tidy(row["district"]))
        v[s.index("easting")] = try FieldRules.optionalInteger(row, "easting", range: 0...700_000)
        v[s.index("northing")] = try FieldRules.optionalInteger(row, "northing", range: 0...1_300_000)
        v[s.index("domestic")] = try FieldRules.flag(row, "domestic")
        v[s.index("hate")] = try FieldRules.flag(row, "hate")
        v[s.index("alcohol")] = try FieldRules.flag(row, "alcohol")
        v[s.index("distraction")] = try FieldRules.flag(row, "distraction")
        v[s.index("extracted_date")] = extracted?.day.description ?? ""
        environment.crimeDates[ref] = from.day
        return (s, v)
    }
}

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
