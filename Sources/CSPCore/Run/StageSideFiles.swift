/// The CSVs a stage writes beside its record files that no later stage reads as records: the issue files (rejects,
/// excluded, duplicates, disagreements), stage 2's list of ID collisions, stage 3's partnership counts and the coverage
/// calendar each stage carries.
/// Stage 3 skips them when it looks for record files, and progress leaves them out of a stage's inputs.
public enum StageSideFiles {
    /// Stage 3's per-method partnership counts (`PartnershipCounts`).
    public static let partnershipCounts = "csp-assignment.csv"
    /// Stage 2's list of records kept although another record shares their key (`crime_ref_collision`).
    public static let collisions = "collisions.csv"
    /// Stage 3's counts of every stop-and-search record read, in the area or not (`StopSearchForceCounts`).
    public static let stopSearchForce = "stop_search_force.csv"
    /// Stage 3's residents by ethnic group of the partnership and its force (`EthnicityResidents`).
    public static let populationEthnicity = "population_ethnicity.csv"
    /// Every side file's name.
    public static let names: Set<String> = ["rejects.csv", "excluded.csv", "duplicates.csv", "disagreements.csv", collisions, partnershipCounts, CoverageCalendar.fileName,
                                             stopSearchForce, populationEthnicity]
}
