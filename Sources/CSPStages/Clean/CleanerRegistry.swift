import CSPCore

/// Which cleaning rules apply to which source `kind`.
public enum CleanerRegistry {
    /// Kinds with cleaning rules, and what they clean.
    public static let kinds: [String: String] = [
        "police-uk-street": "data.police.uk street-level crime and ASB",
        "police-uk-outcomes": "data.police.uk outcomes",
        "police-uk-stop-search": "data.police.uk stop and search",
    ]

    /// The cleaner for a source.
    static func cleaner(for source: SourceDefinition, environment: CleanEnvironment) throws -> any RecordCleaner {
        switch source.kind {
        case "police-uk-street": return try PoliceUKStreetCleaner(environment: environment)
        case "police-uk-outcomes": return PoliceUKOutcomeCleaner()
        case "police-uk-stop-search": return try PoliceUKStopSearchCleaner(environment: environment)
        default:
            throw StageError.configuration("source `\(source.id)` has kind `\(source.kind)`, which has no cleaning rules; known kinds: \(kinds.keys.sorted().joined(separator: ", "))")
        }
    }
}
