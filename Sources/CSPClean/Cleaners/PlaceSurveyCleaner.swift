import CSPCore
import CSPSchema
import CSPStorage

/// Place Survey 2008 respondent-level answers, kind `place-survey`: labels to standard answers and NI 17 scores.
struct PlaceSurveyCleaner: RecordCleaner {
    let pseudonyms: Pseudonymiser
    let requiredColumns = ["respondent_id", "ward_code", "weight"] + SurveyScale.strands + SurveyScale.agreements
    let entities = [Entities.surveyResponses]
    let dedupe: DedupeRule? = DedupeRule(entity: "survey_responses", keyColumn: "respondent_ref", rankColumn: "weight")

    init(environment: CleanEnvironment) throws { pseudonyms = try environment.pseudonymiser() }

    func clean(_ row: InputRow) throws -> (EntitySchema, [String]) {
        let id = Text.trim(row["respondent_id"])
        guard !id.isEmpty else { throw CleanRejection(rule: "clean.id.missing", field: "respondent_id", value: "", message: "the response has no respondent id") }
        let w = Text.trim(row["weight"])
        guard let weight = Double(w), weight > 0, weight.isFinite else {
            throw CleanRejection(rule: "clean.survey.weight-invalid", field: "weight", value: w, message: "weight `\(w)` is not a positive number")
        }
        let s = Entities.surveyResponses
        var v = [String](repeating: "", count: s.columns.count)
        v[s.index("respondent_ref")] = pseudonyms.pseudonym("respondent", id)
        v[s.index("ward_text")] = Text.uppercased(Vocabulary.tidy(row["ward_code"]))
        v[s.index("weight")] = w
        for q in SurveyScale.strands {
            guard let (answer, score) = SurveyScale.strand(row[q]) else {
                throw CleanRejection(rule: "clean.survey.unknown-answer", field: q, value: row[q], message: "`\(row[q])` is not an answer on the problem scale")
            }
            v[s.index(q)] = answer
            v[s.index(q + "_score")] = score.map(String.init) ?? ""
        }
        for q in SurveyScale.agreements {
            guard let answer = SurveyScale.agreement(row[q]) else {
                throw CleanRejection(rule: "clean.survey.unknown-answer", field: q, value: row[q], message: "`\(row[q])` is not an answer on the agreement scale")
            }
            v[s.index(q)] = answer
        }
        v[s.index("sex")] = try FieldRules.sex(row, "sex")
        v[s.index("age_band")] = Vocabulary.tidy(row["age_band"])
        return (s, v)
    }
}
