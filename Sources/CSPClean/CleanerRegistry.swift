import CSPCore
import CSPSchema
import CSPStorage

/// Which cleaning rules apply to which source `kind`.
public enum CleanerRegistry {
    /// Kinds with cleaning rules, and what they clean: every `SourceKind` (the switch in `cleaner(for:environment:)` is
    /// exhaustive, so a kind added to the schema without rules does not build).
    public static var kinds: [String: String] { Dictionary(uniqueKeysWithValues: SourceKind.allCases.map { ($0.rawValue, $0.meaning) }) }

    /// The reference files (names under `reference:`) each kind's rules read; `ward_aliases` is optional.
    /// `CleanStage.declaredInputs` declares them, and `CleanEnvironment.table` opens nothing else.
    static let references: [SourceKind: [String]] = [
        .policeUKStreet: ["police_uk_categories"],
        .policeUKStopSearch: ["ethnicity_groups"],
        .crimes: ["offence_codes", "ward_aliases"],
        .crimePersons: ["ethnicity_groups"],
        .asbIncidents: ["ward_aliases"],
        .yosCases: ["ethnicity_groups"],
        .fireIncidentsLegacy: ["fire_codes", "ward_aliases"],
        .fireIncidentsIRS: ["fire_codes", "ward_aliases"],
    ]

    /// Kinds whose rules pseudonymise person or case identifiers, and so read the pseudonym key.
    static let pseudonymising: Set<SourceKind> = [.crimes, .crimePersons, .asbIncidents, .yosCases, .placeSurvey]

    /// The reference files a source's rules read: its kind's, or those its mapping looks values up in (and
    /// `ethnicity_groups` and `ward_aliases` where the entity's rules or a ward field need them).
    static func references(of source: SourceDefinition) -> [String] {
        guard let m = source.mapping else { return references[source.kind] ?? [] }
        var out = m.fields.compactMap { $0.lookup?.table }
        if m.fields.contains(where: \.wardAliases) { out.append("ward_aliases") }
        if m.entity == "yos_cases" { out.append("ethnicity_groups") }
        return out
    }

    /// Whether a source's rules pseudonymise (and so read the pseudonym key).
    static func pseudonymises(_ source: SourceDefinition) -> Bool {
        source.mapping.map { $0.fields.contains(where: \.pseudonymise) } ?? pseudonymising.contains(source.kind)
    }

    /// The cleaner for a source: its mapping, the standard layout of its kind, or (data.police.uk, linked persons)
    /// rules in Swift.
    static func cleaner(for source: SourceDefinition, environment: CleanEnvironment) throws -> any RecordCleaner {
        if let mapping = source.mapping { return try MappedCleaner(source: source, mapping: mapping, environment: environment) }
        if let (mapping, required) = try StandardLayouts.mapping(for: source.kind) {
            return try MappedCleaner(source: source, mapping: mapping, environment: environment, requiredColumns: required)
        }
        switch source.kind {
        case .policeUKStreet: return try PoliceUKStreetCleaner(environment: environment)
        case .policeUKOutcomes: return PoliceUKOutcomeCleaner()
        case .policeUKStopSearch: return try PoliceUKStopSearchCleaner(environment: environment)
        case .crimePersons: return try CrimePersonCleaner(environment: environment)
        case .crimes, .asbIncidents, .yosCases, .placeSurvey, .fireIncidentsLegacy, .fireIncidentsIRS, .mapped:
            throw StageError.configuration("source `\(source.id)` is of kind `\(source.kind)` but has no mapping")
        }
    }
}
