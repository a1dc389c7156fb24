import CSPCore
import CSPSchema
import CSPStorage

/// Fire and rescue incidents from both systems onto one entity: the legacy extract (kind `fire-incidents-legacy`,
/// its own codes) and IRS XML (kind `fire-incidents-irs`, labels). Codes and labels map through the `fire_codes`
/// reference (`system,source_field,code,field,value`); an unknown one is rejected (`clean.fire.unknown-code`).
/// A blank motive is `not_known`; blank casualty counts stay blank (unknown, not zero).
struct FireIncidentCleaner: RecordCleaner {
    enum System: String { case legacy, irs }

    let system: System
    let environment: CleanEnvironment
    let codes: ReferenceTable
    let requiredColumns = ["incident_id", "call_time", "incident_type"]
    let entities = [Entities.fireIncidents]
    let dedupe: DedupeRule? = DedupeRule(entity: "fire_incidents", keyColumn: "incident_ref", rankColumn: "call_time")

    init(system: System, environment: CleanEnvironment) throws {
        self.system = system
        self.environment = environment
        codes = try environment.table("fire_codes", keys: ["system", "source_field", "code"], required: ["field", "value"])
    }

    /// The source field names each system's codes are filed under in the reference.
    private func sourceField(_ column: String) -> String {
        switch (system, column) {
        case (.legacy, "incident_type"): return "INC_TYPE"
        case (.legacy, "property_type"): return "PROP_TYPE"
        case (.legacy, "motive"): return "CAUSE"
        case (.irs, "incident_type"): return "IncidentType"
        case (.irs, "special_service_type"): return "SpecialServiceType"
        case (.irs, "property_type"): return "PropertyType"
        case (.irs, "motive"): return "Motive"
        default: return column
        }
    }

    private func code(_ row: InputRow, _ column: String, blank: String? = nil) throws -> String {
        let raw = Vocabulary.tidy(row[column])
        if raw.isEmpty, let blank { return blank }
        guard let v = codes.value(system.rawValue, sourceField(column), raw, column: "value") else {
            throw CleanRejection(rule: "clean.fire.unknown-code", field: column, value: raw,
                                 message: "\(system.rawValue) \(sourceField(column)) `\(raw)` is not in the reference table `\(codes.name)`")
        }
        return v
    }

    func clean(_ row: InputRow) throws -> (EntitySchema, [String]) {
        let id = Text.trim(row["incident_id"])
        guard !id.isEmpty else { throw CleanRejection(rule: "clean.id.missing", field: "incident_id", value: "", message: "the incident has no id") }
        let call = try FieldRules.date(row, "call_time")
        var type = try code(row, "incident_type")
        if system == .irs, !Vocabulary.tidy(row["special_service_type"]).isEmpty,
           let special = codes.value("irs", "SpecialServiceType", Vocabulary.tidy(row["special_service_type"]), column: "value") {
            type = special
        }
        let s = Entities.fireIncidents
        var v = [String](repeating: "", count: s.columns.count)
        v[s.index("incident_ref")] = "\(system.rawValue):\(id)"
        v[s.index("call_time")] = call.description
        v[s.index("month")] = call.month
        v[s.index("incident_type")] = type
        v[s.index("property_type")] = try code(row, "property_type", blank: "")
        v[s.index("motive")] = try code(row, "motive", blank: "not_known")
        v[s.index("fatal_casualties")] = try FieldRules.optionalInteger(row, "fatal", range: 0...1000)
        v[s.index("non_fatal_casualties")] = try FieldRules.optionalInteger(row, "injured", range: 0...1000)
        v[s.index("ward_text")] = Vocabulary.tidy(row["ward"])
        v[s.index("ward_reported_code")] = try environment.wardCode(row["ward"], on: call.day)
        v[s.index("district_code")] = Text.uppercased(Vocabulary.tidy(row["district"]))
        v[s.index("easting")] = try FieldRules.optionalInteger(row, "easting", range: 0...700_000)
        v[s.index("northing")] = try FieldRules.optionalInteger(row, "northing", range: 0...1_300_000)
        v[s.index("source_system")] = system.rawValue
        return (s, v)
    }
}
