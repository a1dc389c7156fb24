import Foundation

/// The five broad ethnic groups of Census 2021 (TS021), to which stop-and-search ethnicities are mapped for rates
/// per 1,000 residents, and the two categories of a search without a group.
///
/// One rule for every label, census or search: the group is the label's leading run of letters ("Asian, Asian British
/// or Asian Welsh" and "Asian/Asian British - Indian" are Asian; "Mixed or Multiple ethnic groups" and
/// "Mixed/Multiple ethnic groups - White and Asian" are Mixed; "Other ethnic group - Arab" is Other; the officer-defined
/// "White" is White). A self-defined "... - Not stated" (data.police.uk writes "Other ethnic group - Not stated") is
/// `Not stated`, a blank is `Blank`: neither has residents, so neither has a rate.
public enum EthnicGroup: String, CaseIterable, Sendable {
    /// Asian, Asian British or Asian Welsh.
    case asian = "Asian"
    /// Black, Black British, Black Welsh, Caribbean or African.
    case black = "Black"
    /// Mixed or Multiple ethnic groups.
    case mixed = "Mixed"
    /// White.
    case white = "White"
    /// Other ethnic group.
    case other = "Other"
    /// A self-defined "Not stated": no residents.
    case notStated = "Not stated"
    /// Nothing recorded: no residents.
    case blank = "Blank"

    /// The five groups with Census residents, in table order.
    public static let census: [EthnicGroup] = [.asian, .black, .mixed, .white, .other]

    /// Whether the group has residents (one of the five Census groups).
    public var hasResidents: Bool { EthnicGroup.census.contains(self) }

    /// The group of a label, nil for a label whose leading word is none of the five (never silently Other).
    ///
    /// Older data.police.uk files (the City of London Police's of 2016) use the 2001 Census categories: "Not Stated
    /// (NS)" is `Not stated`; "Chinese or other ethnic group - Chinese (O1)" is Asian (Census 2021 counts Chinese
    /// residents as Asian) and its other entries ("- Any other ethnic group (O9)") are Other; the placeholder
    /// "Self-defined ethnicity", which names no group, is `Not stated`.
    public static func of(_ label: String) -> EthnicGroup? {
        let t = label.trimmingCharacters(in: .whitespaces)
        if t.isEmpty { return .blank }
        let lower = t.lowercased()
        if lower.hasPrefix("not stated") || lower.hasSuffix("- not stated") || lower == "self-defined ethnicity" { return .notStated }
        if lower.hasPrefix("chinese or other ethnic group") { return lower.contains("- chinese") ? .asian : .other }
        let word = String(t.prefix { $0.isLetter })
        return census.first { $0.rawValue == word }
    }
}
