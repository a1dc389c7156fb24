import CSPSchema
import CSPStorage
import Foundation

/// Change in volume between a previous and a current period, with the assessment's words
/// "Increasing volume", "Decreasing volume" or "Stable".
///
/// Method. Let n₁ be the count in the previous period of length t₁ and n₂ the count in the current
/// period of length t₂ (any unit, e.g. days or months; equal lengths by default). The change in number
/// is n₂ − n₁. The per cent change compares rates: 100 × (n₂/t₂ − n₁/t₁) / (n₁/t₁), which is
/// 100 × (n₂ − n₁)/n₁ for equal lengths; it is nil when n₁ = 0. Whether the change is real or noise is
/// decided by the exact conditional test of two Poisson counts: under "same underlying rate", given
/// N = n₁ + n₂, n₂ ~ Binomial(N, t₂/(t₁ + t₂)). The two-sided p-value is the total probability of every
/// outcome no more likely than the one observed (the "minimum likelihood" rule, as
/// `scipy.stats.binomtest(n2, N, t2/(t1+t2))`). If p < the significance level (default 0.05) the words
/// are "Increasing volume" when the current rate is higher and "Decreasing volume" when lower;
/// otherwise "Stable". With no events in either period, p = 1 and the words are "Stable".
public struct VolumeChange: Sendable, Equatable {
    /// The direction of a volume change, decided by the test.
    public enum Direction: String, Sendable, Equatable {
        /// Significantly more events per unit time in the current period.
        case increasing
        /// Significantly fewer events per unit time in the current period.
        case decreasing
        /// No significant difference.
        case stable

        /// The assessment's wording.
        public var phrase: String {
            switch self {
            case .increasing: "Increasing volume"
            case .decreasing: "Decreasing volume"
            case .stable: "Stable"
            }
        }
    }

    /// Count in the earlier (comparison) period.
    public let previous: Int
    /// Count in the current period.
    public let current: Int
    /// `current − previous`.
    public let change: Int
    /// Per cent change in the rate per unit length; nil when `previous` is 0.
    public let percentChange: Double?
    /// Two-sided p-value of the conditional binomial test.
    public let pValue: Double
    /// Significance level the direction was decided at.
    public let significance: Double
    /// Direction decided at `significance`.
    public let direction: Direction

    /// Compares `current` with `previous`; lengths are the periods' lengths in any common unit.
    /// Negative counts are treated as 0; non-positive lengths as 1.
    public init(previous: Int, current: Int, previousLength: Double = 1, currentLength: Double = 1, significance: Double = 0.05) {
        let n1 = max(0, previous)
        let n2 = max(0, current)
        let t1 = previousLength > 0 ? previousLength : 1
        let t2 = currentLength > 0 ? currentLength : 1
        self.previous = n1
        self.current = n2
        self.change = n2 - n1
        self.significance = significance
        if n1 == 0 {
            percentChange = nil
        } else {
            let r1 = Double(n1) / t1
            let r2 = Double(n2) / t2
            percentChange = 100 * (r2 - r1) / r1
        }
        let p = Distributions.binomialTwoSidedP(n2, n: n1 + n2, p: t2 / (t1 + t2))
        pValue = p
        if p < significance {
            direction = Double(n2) / t2 > Double(n1) / t1 ? .increasing : .decreasing
        } else {
            direction = .stable
        }
    }
}
