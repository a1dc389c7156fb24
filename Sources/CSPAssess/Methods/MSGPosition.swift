import CSPSchema
import CSPStorage
/// A partnership's position in its Home Office Most Similar Group (MSG) on a rate per 1,000 population.
///
/// Method. The group is the partnership plus the other members given; the MSG average is the unweighted
/// mean of all their rates (the partnership included, as the group's published average is). Position is
/// the rank of the partnership's rate among all members, 1 being the highest rate (most crime), with equal
/// rates sharing the best rank ("1 + number of members with a strictly higher rate"). The words compare the
/// rate with the mean using a relative tolerance (default ±5%): "Above MSG average" when
/// rate > mean × (1 + tolerance), "Below MSG average" when rate < mean × (1 − tolerance), otherwise
/// "In line with MSG average". With no other members, or no usable rate, the position is `*`
/// (data not available). Non-finite or negative rates of other members are ignored.
public struct MSGPosition: Sendable, Equatable {
    /// The comparison with the group mean.
    public enum Comparison: String, Sendable, Equatable {
        /// Above the mean by more than the tolerance.
        case above
        /// Below the mean by more than the tolerance.
        case below
        /// Within the tolerance of the mean.
        case inLine
        /// No group to compare with.
        case notAvailable

        /// The assessment's wording; `*` when not available.
        public var phrase: String {
            switch self {
            case .above: "Above MSG average"
            case .below: "Below MSG average"
            case .inLine: "In line with MSG average"
            case .notAvailable: AssessMarker.notAvailable
            }
        }
    }

    /// The partnership's rate per 1,000.
    public let rate: Double
    /// The MSG average, partnership included; nil when not available.
    public let groupMean: Double?
    /// Rank among the group including the partnership, 1 = highest rate; nil when not available.
    public let position: Int?
    /// Number of members including the partnership.
    public let groupSize: Int
    /// The comparison.
    public let comparison: Comparison

    /// Places `rate` among `otherMembers` (the other partnerships' rates per 1,000) with relative `tolerance`.
    public init(rate: Double, otherMembers: [Double], tolerance: Double = 0.05) {
        self.rate = rate
        let others = otherMembers.filter { $0.isFinite && $0 >= 0 }
        guard !others.isEmpty, rate.isFinite, rate >= 0 else {
            groupMean = nil
            position = nil
            groupSize = others.count + 1
            comparison = .notAvailable
            return
        }
        let all = others + [rate]
        groupSize = all.count
        let mean = all.reduce(0, +) / Double(all.count)
        groupMean = mean
        position = 1 + others.filter { $0 > rate }.count
        if rate > mean * (1 + tolerance) {
            comparison = .above
        } else if rate < mean * (1 - tolerance) {
            comparison = .below
        } else {
            comparison = .inLine
        }
    }
}
