import CSPCore
import CSPSchema

/// csp's standard layouts: the source kinds whose stage 1 columns a pipeline names under `columns:` (`crimes`,
/// `asb-incidents`, `fire-incidents-legacy`, ...) are mappings from those column names onto their entity, the same
/// `SourceMapping` any export's own `mapping:` is, applied by the same `MappedCleaner`. What no layout can say (ages,
/// bands, scales, dates in order, the month) stays in `EntityRules`. Only data.police.uk keeps rules in Swift: its
/// byte-level fast path (`PoliceUKStreetFastPath`) is what `make bench` measures; and `crime-persons`, which splits
/// one record into a victim or an offender and links it to a crime cleaned earlier in the run.
enum StandardLayouts {
    /// The mapping of a kind, with the columns a source of that kind must have (the rest may be absent: blank).
    static func mapping(for kind: SourceKind) throws -> (SourceMapping, required: [String])? {
        guard let (yaml, required) = layouts[kind] else { return nil }
        return (try SourceMappingLoader.parse(yaml: yaml, file: "csp's standard layout `\(kind.rawValue)`"), required)
    }

    static let layouts: [SourceKind: (String, [String])] = [
        .crimes: ("""
        entity: crimes
        fields:
          crime_ref: {from: crime_number, pseudonymise: true}
          committed_from: committed_from
          committed_to: committed_to
          recorded_date: [recorded_date, recorded]
          ho_code: {from: ho_code, case: upper, lookup: {table: offence_codes, column: ho_code}}
          offence_description: {from: ho_code, lookup: {table: offence_codes, column: description}}
          offence_group: {from: ho_code, lookup: {table: offence_codes, column: offence_group}}
          ho_category: {from: ho_code, lookup: {table: offence_codes, column: ho_category}}
          beat: {from: beat, case: upper}
          ward_text: ward
          ward_reported_code: {from: ward, ward_aliases: true}
          district_code: {from: district, case: upper}
          domestic: {from: domestic, blank: "false"}
          hate: {from: hate, blank: "false"}
          alcohol: {from: alcohol, blank: "false"}
          distraction: {from: distraction, blank: "false"}
          extracted_date: extracted
        coordinates:
          - {easting: easting, northing: northing}
        """, ["crime_number", "ho_code", "committed_from"]),
        .asbIncidents: ("""
        entity: asb_incidents
        fields:
          incident_ref: {from: incident_number, pseudonymise: true}
          opened: opened
          category: category
          beat: {from: beat, case: upper}
          ward_text: ward
          ward_reported_code: {from: ward, ward_aliases: true}
          repeat_caller: {from: repeat_caller, blank: "false"}
          extracted_date: extracted
        coordinates:
          - {easting: easting, northing: northing}
        """, ["incident_number", "opened", "category"]),
        .yosCases: ("""
        entity: yos_cases
        fields:
          young_person_ref: {from: young_person_id, pseudonymise: true}
          date_of_birth: date_of_birth
          sex: sex
          ethnicity: ethnicity
          offence_date: offence_date
          offence_category: offence_category
          outcome: outcome
          outcome_date: outcome_date
          first_time_entrant: {from: first_time_entrant, blank: "false"}
          ppo: {from: ppo, blank: "false"}
          ward_text: ward
        """, ["young_person_id", "date_of_birth", "sex", "offence_date", "offence_category"]),
        .placeSurvey: ("""
        entity: survey_responses
        fields:
          respondent_ref: {from: respondent_id, pseudonymise: true}
          ward_text: {from: ward_code, case: upper}
          weight: {from: weight, required: true}
        \(SurveyScale.strands.map { "  \($0): \($0)" }.joined(separator: "\n"))
        \(SurveyScale.agreements.map { "  \($0): \($0)" }.joined(separator: "\n"))
          sex: sex
          age_band: age_band
        """, ["respondent_id", "ward_code", "weight"] + SurveyScale.strands + SurveyScale.agreements),
        .fireIncidentsLegacy: ("""
        entity: fire_incidents
        fields:
          incident_ref: {from: incident_id, prefix: "legacy:"}
          call_time: call_time
          incident_type: {from: incident_type, lookup: {table: fire_codes, keys: [legacy, INC_TYPE], column: value}}
          property_type: {from: property_type, lookup: {table: fire_codes, keys: [legacy, PROP_TYPE], column: value}}
          motive: {from: motive, lookup: {table: fire_codes, keys: [legacy, CAUSE], column: value}, blank: not_known}
          fatal_casualties: {from: fatal, range: [0, 1000]}
          non_fatal_casualties: {from: injured, range: [0, 1000]}
          ward_text: ward
          ward_reported_code: {from: ward, ward_aliases: true}
          district_code: {from: district, case: upper}
          source_system: {value: legacy}
        coordinates:
          - {easting: easting, northing: northing}
        """, ["incident_id", "call_time", "incident_type"]),
        .fireIncidentsIRS: ("""
        entity: fire_incidents
        fields:
          incident_ref: {from: incident_id, prefix: "irs:"}
          call_time: call_time
          incident_type:
            from: [special_service_type, incident_type]
            lookup: {table: fire_codes, keys: [[irs, SpecialServiceType], [irs, IncidentType]], column: value}
          property_type: {from: property_type, lookup: {table: fire_codes, keys: [irs, PropertyType], column: value}}
          motive: {from: motive, lookup: {table: fire_codes, keys: [irs, Motive], column: value}, blank: not_known}
          fatal_casualties: {from: fatal, range: [0, 1000]}
          non_fatal_casualties: {from: injured, range: [0, 1000]}
          ward_text: ward
          ward_reported_code: {from: ward, ward_aliases: true}
          district_code: {from: district, case: upper}
          source_system: {value: irs}
        coordinates:
          - {easting: easting, northing: northing}
        """, ["incident_id", "call_time", "incident_type"]),
    ]
}
