import Foundation

/// The Wilson score interval of a proportion (successes out of trials).
///
/// Method: with p = x/n, the interval is (p + z²/2n ± z·sqrt(p(1−p)/n + z²/4n²)) / (1 + z²/n), z = 1.959963984540054
/// for 95%. It stays inside [0, 1] and is sound for small n and for p near 0 or 1, where the Wald interval is not
/// (statsmodels' `proportion_confint(method="wilson")`). Undefined (nil) for 0 trials.
public struct WilsonInterval: Sendable, Equatable {
    /// The proportion x/n.
    public let proportion: Double
    /// Lower end.
    public let lower: Double
    /// Upper end.
    public let upper: Double

    /// The interval of `successes` out of `trials`; nil when `trials` is 0 or `successes` is outside 0...trials.
    public init?(successes x: Int, trials n: Int, z: Double = RateRatio.z95) {
        guard n > 0, x >= 0, x <= n else { return nil }
        let nd = Double(n), p = Double(x) / nd, z2 = z * z
        let centre = p + z2 / (2 * nd)
        let half = z * (p * (1 - p) / nd + z2 / (4 * nd * nd)).squareRoot()
        let denominator = 1 + z2 / nd
        proportion = p
        lower = max(0, (centre - half) / denominator)
        upper = min(1, (centre + half) / denominator)
    }
}
