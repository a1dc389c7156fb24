/// What a source is: the `kind` of a pipeline's source, which decides the rules stage 2 cleans it with and the
/// entity it becomes. Checked when the pipeline loads (an unknown kind is exit 78 naming the file and line), so a
/// typo never waits for stage 2 to be found.
public enum SourceKind: String, Sendable, CaseIterable, Codable, CustomStringConvertible {
    case policeUKStreet = "police-uk-street"
    case policeUKOutcomes = "police-uk-outcomes"
    case policeUKStopSearch = "police-uk-stop-search"
    case crimes
    case crimePersons = "crime-persons"
    case asbIncidents = "asb-incidents"
    case yosCases = "yos-cases"
    case placeSurvey = "place-survey"
    case fireIncidentsLegacy = "fire-incidents-legacy"
    case fireIncidentsIRS = "fire-incidents-irs"
    /// Any layout, declared by the source's `mapping:` (README, "Your own exports").
    case mapped

    /// What the kind's exports hold, in words.
    public var meaning: String {
        switch self {
        case .policeUKStreet: return "data.police.uk street-level crime and ASB"
        case .policeUKOutcomes: return "data.police.uk outcomes"
        case .policeUKStopSearch: return "data.police.uk stop and search"
        case .crimes: return "police recorded crime (CMSII-like export)"
        case .crimePersons: return "victims and suspects linked to crimes"
        case .asbIncidents: return "police command-and-control ASB incidents"
        case .yosCases: return "Youth Offending Service cases"
        case .placeSurvey: return "Place Survey respondent-level answers"
        case .fireIncidentsLegacy: return "fire and rescue legacy system extract (to March 2009)"
        case .fireIncidentsIRS: return "fire and rescue Incident Recording System XML (from April 2009)"
        case .mapped: return "an export whose layout a source mapping declares"
        }
    }

    /// The kind's name as the pipeline writes it.
    public var description: String { rawValue }

    /// Every kind's name, sorted (for error messages).
    public static var names: [String] { allCases.map(\.rawValue).sorted() }
}
