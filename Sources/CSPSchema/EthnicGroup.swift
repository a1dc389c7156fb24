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
    public static func of(_ label: String) -> EthnicGroup? {
        let t = label.trimmingCharacters(in: .whitespaces)
        if t.isEmpty { return .blank }
        if t == "Not stated" || t.hasSuffix("- Not stated") { return .notStated }
        let word = String(t.prefix { $0.isLetter })
        return census.first { $0.rawValue == word }
    }
}
