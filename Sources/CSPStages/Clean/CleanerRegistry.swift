import CSPCore

/// Which cleaning rules apply to which source `kind`.
public enum CleanerRegistry {
    /// Kinds with cleaning rules, and what they clean.
    public static let kinds: [String: String] = [
        "police-uk-street": "data.police.uk street-level crime and ASB",
        "police-uk-outcomes": "data.police.uk outcomes",
        "police-uk-stop-search": "data.police.uk stop and search",
        "crimes": "police recorded crime (CMSII-like export)",
        "crime-persons": "victims and suspects linked to crimes",
        "asb-incidents": "police command-and-control ASB incidents",
        "yos-cases": "Youth Offending Service cases",
        "place-survey": "Place Survey respondent-level answers",
        "fire-incidents-legacy": "fire and rescue legacy system extract (to March 2009)",
        "fire-incidents-irs": "fire and rescue Incident Recording System XML (from April 2009)",
    ]

    /// The reference files (names under `reference:`) each kind's rules read; `ward_aliases` is optional.
    /// `CleanStage.declaredInputs` declares them, and `CleanEnvironment.table` opens nothing else.
    static let references: [String: [String]] = [
        "police-uk-street": ["police_uk_categories"],
        "police-uk-stop-search": ["ethnicity_groups"],
        "crimes": ["offence_codes", "ward_aliases"],
        "crime-persons": ["ethnicity_groups"],
        "asb-incidents": ["ward_aliases"],
        "yos-cases": ["ethnicity_groups"],
        "fire-incidents-legacy": ["fire_codes", "ward_aliases"],
        "fire-incidents-irs": ["fire_codes", "ward_aliases"],
    ]

    /// Kinds whose rules pseudonymise person or case identifiers, and so read the pseudonym key.
    static let pseudonymising: Set<String> = ["crimes", "crime-persons", "asb-incidents", "yos-cases", "place-survey"]

    /// The cleaner for a source.
    static func cleaner(for source: SourceDefinition, environment: CleanEnvironment) throws -> any RecordCleaner {
        switch source.kind {
        case "police-uk-street": return try PoliceUKStreetCleaner(environment: environment)
        case "police-uk-outcomes": return PoliceUKOutcomeCleaner()
        case "police-uk-stop-search": return try PoliceUKStopSearchCleaner(environment: environment)
        case "crimes": return try CrimeCleaner(environment: environment)
        case "crime-persons": return try CrimePersonCleaner(environment: environment)
        case "asb-incidents": return try ASBIncidentCleaner(environment: environment)
        case "yos-cases": return try YOSCaseCleaner(environment: environment)
        case "place-survey": return try PlaceSurveyCleaner(environment: environment)
        case "fire-incidents-legacy": return try FireIncidentCleaner(system: .legacy, environment: environment)
        case "fire-incidents-irs": return try FireIncidentCleaner(system: .irs, environment: environment)
        default:
            throw StageError.configuration("source `\(source.id)` has kind `\(source.kind)`, which has no cleaning rules; known kinds: \(kinds.keys.sorted().joined(separator: ", "))")
        }
    }
}
