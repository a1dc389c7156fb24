import Foundation

/// The ratio of two Poisson rates (searches per resident of a group against searches per resident of the reference
/// group) with its confidence interval by the log method.
///
/// Method: with `a` events among `na` people and `b` among `nb` (the populations taken as known, the counts as
/// Poisson), RR = (a/na) / (b/nb); ln RR is approximately normal with standard error sqrt(1/a + 1/b), so the
/// interval is exp(ln RR ± z·SE), z = 1.959963984540054 for 95% (the normal 0.975 quantile). Undefined (nil) when a
/// count is 0 (the log of 0, an infinite standard error) or a population is 0. This is the Wald interval on the log
/// scale for a rate ratio (Rothman & Greenland, person-time data); the reference test computes it with statsmodels'
/// `confint_poisson_2indep(..., compare="ratio", method="wald-log")`.
public struct RateRatio: Sendable, Equatable {
    /// The ratio of the two rates.
    public let ratio: Double
    /// Lower end of the interval.
    public let lower: Double
    /// Upper end of the interval.
    public let upper: Double

    /// The normal 0.975 quantile, for 95% intervals.
    public static let z95 = 1.959963984540054

    /// The ratio of `a`/`na` to `b`/`nb` with its log-method interval; nil when a count or population is 0.
    public init?(a: Int, na: Int, b: Int, nb: Int, z: Double = RateRatio.z95) {
        guard a > 0, b > 0, na > 0, nb > 0 else { return nil }
        let r = (Double(a) / Double(na)) / (Double(b) / Double(nb))
        let se = (1 / Double(a) + 1 / Double(b)).squareRoot()
        ratio = r
        lower = exp(log(r) - z * se)
        upper = exp(log(r) + z * se)
    }
}
