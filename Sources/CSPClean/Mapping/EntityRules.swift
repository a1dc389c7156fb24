import CSPCore
import CSPSchema
import CSPStorage

/// What stage 2 does to an entity's record whatever the layout it came in: the rules a mapping cannot change. The
/// month from the record's date; sex as M, F or U; a young person's age at the offence (10–17) from the date of birth
/// and its band, the ethnicity group, an outcome not before the offence; ASB categories in NSIR spelling; committed
/// dates in order; Place Survey answers on their scales with NI 17 scores and a positive weight.
struct EntityRules {
    let entity: String
    let schema: EntitySchema
    let month: Int?
    let environment: CleanEnvironment
    let ethnicity: ReferenceTable?

    /// Duplicate handling when a mapping does not declare its own.
    static let defaultDedupe: [String: DedupeRule] = [
        "crimes": DedupeRule(entity: "crimes", keyColumn: "crime_ref", rankColumn: "extracted_date"),
        "asb_incidents": DedupeRule(entity: "asb_incidents", keyColumn: "incident_ref", rankColumn: "extracted_date"),
        "fire_incidents": DedupeRule(entity: "fire_incidents", keyColumn: "incident_ref", rankColumn: "call_time"),
        "survey_responses": DedupeRule(entity: "survey_responses", keyColumn: "respondent_ref", rankColumn: "weight"),
    ]

    /// The pseudonym namespace of each pseudonymised field (the same value in two namespaces gives two pseudonyms).
    static let pseudonymNamespace: [String: String] = [
        "crime_ref": "crime", "incident_ref": "incident", "respondent_ref": "respondent", "young_person_ref": "young-person", "person_ref": "person",
    ]

    init(entity: String, schema: EntitySchema, environment: CleanEnvironment, mapping: SourceMapping) throws {
        self.entity = entity
        self.schema = schema
        self.environment = environment
        month = schema.columns.firstIndex { $0.name == "month" }
        ethnicity = entity == "yos_cases" ? try environment.table("ethnicity_groups", key: "value", required: ["group"]) : nil
    }

    private func at(_ name: String) -> Int { schema.index(name) }

    /// Finishes a record: `v` holds the mapped fields; `inputs` the mapped inputs that are not columns; `day` the
    /// record's date.
    func finish(_ v: inout [String], inputs: [String: (String, Day?)], day: Day?, row: InputRow) throws {
        if let month, let day { v[month] = String(day.description.prefix(7)) }
        if schema.columns.contains(where: { $0.name == "sex" }) {
            let i = at("sex")
            guard let s = Vocabulary.sex(v[i]) else {
                throw CleanRejection(rule: "clean.sex.invalid", field: "sex", value: v[i], message: "sex `\(v[i])` is not a sex code (M, F, U, Male, Female, Unknown)")
            }
            v[i] = s
        }
        switch entity {
        case "crimes":
            let from = v[at("committed_from")], to = v[at("committed_to")]
            if !to.isEmpty, to < from {
                throw CleanRejection(rule: "clean.date.from-after-to", field: "committed_to", value: "\(from) > \(to)", message: "committed from \(from) is after committed to \(to)")
            }
            if let day { environment.crimeDates[v[at("crime_ref")]] = day }
        case "asb_incidents":
            v[at("category")] = Self.nsirCategory(v[at("category")])
            if v[at("category")].isEmpty { throw CleanRejection(rule: "clean.category.missing", field: "category", value: "", message: "the incident has no ASB category") }
        case "yos_cases":
            guard let (_, birthDay) = inputs["date_of_birth"], let birth = birthDay, let offence = day else {
                throw CleanRejection(rule: "clean.date.missing", field: "date_of_birth", value: "", message: "date_of_birth is blank", personal: true)
            }
            guard let age = Age.years(from: birth, on: offence) else {
                throw CleanRejection(rule: "clean.date.birth-after-offence", field: "date_of_birth", value: birth.description, message: "date of birth is after the offence date", personal: true)
            }
            guard (10...17).contains(age) else {
                throw CleanRejection(rule: "clean.yos.age-out-of-range", field: "age", value: String(age), message: "age \(age) at the offence is outside the youth justice range 10–17")
            }
            v[at("age")] = String(age)
            v[at("age_band")] = Age.band(age)
            let outcome = v[at("outcome_date")]
            if !outcome.isEmpty, outcome < offence.description {
                throw CleanRejection(rule: "clean.date.from-after-to", field: "outcome_date", value: outcome, message: "outcome date \(outcome) is before the offence date \(offence)")
            }
            let e = v[at("ethnicity")]
            if e.isEmpty { v[at("ethnicity_group")] = "Not known" } else {
                guard let g = ethnicity?.value(e, column: "group") else {
                    throw CleanRejection(rule: "clean.ethnicity.unknown", field: "ethnicity", value: e, message: "ethnicity `\(e)` is not in the reference table `ethnicity_groups`")
                }
                v[at("ethnicity_group")] = g
            }
        case "survey_responses":
            let w = v[at("weight")]
            guard let weight = Double(w), weight > 0, weight.isFinite else {
                throw CleanRejection(rule: "clean.survey.weight-invalid", field: "weight", value: w, message: "weight `\(w)` is not a positive number")
            }
            for q in SurveyScale.strands {
                guard let (answer, score) = SurveyScale.strand(v[at(q)]) else {
                    throw CleanRejection(rule: "clean.survey.unknown-answer", field: q, value: v[at(q)], message: "`\(v[at(q)])` is not an answer on the problem scale")
                }
                v[at(q)] = answer
                v[at(q + "_score")] = score.map(String.init) ?? ""
            }
            for q in SurveyScale.agreements {
                guard let answer = SurveyScale.agreement(v[at(q)]) else {
                    throw CleanRejection(rule: "clean.survey.unknown-answer", field: q, value: v[at(q)], message: "`\(v[at(q)])` is not an answer on the agreement scale")
                }
                v[at(q)] = answer
            }
        default: break
        }
    }

    /// NSIR category spelling: words capitalised except short joining words; `/` separates words too.
    static func nsirCategory(_ text: String) -> String {
        let small: Set<String> = ["or", "and", "of", "in", "the", "to", "for"]
        var out: [String] = []
        for (i, word) in Vocabulary.tidy(text).lowercased().split(separator: " ").enumerated() {
            let parts = word.split(separator: "/", omittingEmptySubsequences: false).map { p -> String in
                (i > 0 && small.contains(String(p))) ? String(p) : p.prefix(1).uppercased() + p.dropFirst()
            }
            out.append(parts.joined(separator: "/"))
        }
        return out.joined(separator: " ")
    }
}
