import CSPCore
import CSPSchema
import CSPStorage

/// Police command-and-control ASB incidents (XML), kind `asb-incidents`.
/// Duplicates: the same incident number in several monthly exports; the later extraction date wins.
struct ASBIncidentCleaner: RecordCleaner {
    let environment: CleanEnvironment
    let pseudonyms: Pseudonymiser
    let requiredColumns = ["incident_number", "opened", "category"]
    let entities = [Entities.asbIncidents]
    let dedupe: DedupeRule? = DedupeRule(entity: "asb_incidents", keyColumn: "incident_ref", rankColumn: "extracted_date")

    init(environment: CleanEnvironment) throws {
        self.environment = environment
        pseudonyms = try environment.pseudonymiser()
    }

    /// NSIR category spelling: words capitalised except short joining words; `/` separates words too.
    static func category(_ text: String) -> String {
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

    func clean(_ row: InputRow) throws -> (EntitySchema, [String]) {
        let number = Text.trim(row["incident_number"])
        guard !number.isEmpty else { throw CleanRejection(rule: "clean.id.missing", field: "incident_number", value: "", message: "the incident has no number") }
        let opened = try FieldRules.date(row, "opened")
        let category = Self.category(row["category"])
        guard !category.isEmpty else { throw CleanRejection(rule: "clean.category.missing", field: "category", value: "", message: "the incident has no ASB category") }
        let s = Entities.asbIncidents
        var v = [String](repeating: "", count: s.columns.count)
        v[s.index("incident_ref")] = pseudonyms.pseudonym("incident", number)
        v[s.index("opened")] = opened.description
        v[s.index("month")] = opened.month
        v[s.index("category")] = category
        v[s.index("beat")] = Text.uppercased(Vocabulary.tidy(row["beat"]))
        v[s.index("ward_text")] = Vocabulary.tidy(row["ward"])
        v[s.index("ward_reported_code")] = try environment.wardCode(row["ward"], on: opened.day)
        v[s.index("easting")] = try FieldRules.optionalInteger(row, "easting", range: 0...700_000)
        v[s.index("northing")] = try FieldRules.optionalInteger(row, "northing", range: 0...1_300_000)
        v[s.index("repeat_caller")] = try FieldRules.flag(row, "repeat_caller")
        v[s.index("extracted_date")] = try FieldRules.optionalDate(row, "extracted")?.day.description ?? ""
        return (s, v)
    }
}
