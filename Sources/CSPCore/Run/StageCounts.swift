/// The conservation counts of a stage, or of one source inside it.
public struct StageCounts: Sendable, Codable, Equatable {
    /// Records read.
    public var inCount: Int = 0
    /// Records written to the stage's datasets.
    public var out: Int = 0
    /// Records written to rejects.csv.
    public var rejected: Int = 0
    /// Records written to excluded.csv.
    public var excluded: Int = 0
    /// Records written to duplicates.csv.
    public var duplicates: Int = 0

    /// Zero counts.
    public init() {}

    /// Counts with given values.
    public init(inCount: Int, out: Int, rejected: Int = 0, excluded: Int = 0, duplicates: Int = 0) {
        self.inCount = inCount; self.out = out; self.rejected = rejected; self.excluded = excluded; self.duplicates = duplicates
    }

    /// `in = out + rejected + excluded + duplicates`.
    public var balances: Bool { inCount == out + rejected + excluded + duplicates }

    /// Sum of two sets of counts.
    public static func + (a: StageCounts, b: StageCounts) -> StageCounts {
        StageCounts(inCount: a.inCount + b.inCount, out: a.out + b.out, rejected: a.rejected + b.rejected,
                    excluded: a.excluded + b.excluded, duplicates: a.duplicates + b.duplicates)
    }

    enum CodingKeys: String, CodingKey {
        case inCount = "in", out, rejected, excluded, duplicates
    }
}
