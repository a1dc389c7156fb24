/// The five stages, in order.
public enum StageID: String, Sendable, Codable, CaseIterable, Comparable {
    /// Raw exports to one UTF-8 CSV per source.
    case ingest
    /// Typed, validated, standardised records; duplicates removed.
    case clean
    /// Records mapped onto the new boundaries.
    case geocode
    /// The published datasets and the warehouse.
    case normalise
    /// Assessment tables and report.
    case assess

    /// 1-based position.
    public var number: Int { StageID.allCases.firstIndex(of: self)! + 1 }

    /// Folder name inside a run, for example `01-ingest`.
    public var folder: String {
        switch self {
        case .ingest: return "01-ingest"
        case .clean: return "02-clean"
        case .geocode: return "03-geocode"
        case .normalise: return "04-normalised"
        case .assess: return "05-assess"
        }
    }

    /// The stage before this one.
    public var previous: StageID? { number > 1 ? StageID.allCases[number - 2] : nil }

    /// Pipeline order.
    public static func < (a: StageID, b: StageID) -> Bool { a.number < b.number }
}
