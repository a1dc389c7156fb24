import CSPSchema
import CSPStorage
import Foundation

/// Long-run trend of a monthly count series: "Increasing", "Decreasing" or "Stable", or `*` when there
/// are too few months.
///
/// Method. With y_t the count in month t = 0, 1, …, n − 1 (n ≥ `minimumMonths`, default 24), fit the
/// Poisson regression log μ_t = a + b·t + s_{m(t)} by maximum likelihood (iteratively reweighted least
/// squares with step halving), where s_m are month-of-year effects (one per calendar month, the first
/// calendar month with any events as reference) when `seasonalTerms` is true (the default), so that a
/// series starting in a peak season is not read as a trend; with `seasonalTerms` false the model is
/// log μ_t = a + b·t. A calendar month whose count is 0 in every year has fitted value 0 and does not
/// enter the fit. The trend is tested by the likelihood-ratio statistic
/// G = D₀ − D₁ (deviance without and with b), referred to χ² with 1 degree of freedom. Because crime
/// counts vary more than Poisson, when `allowOverdispersion` is true (the default) G is divided by the
/// dispersion φ = max(1, Pearson χ² / (n_used − p)) (quasi-Poisson), and the standard error of b is
/// multiplied by √φ. The series is "Increasing" when p < `significance` (default 0.05) and b > 0,
/// "Decreasing" when p < `significance` and b < 0, and "Stable" otherwise. The fitted rate of change is
/// exp(b) − 1 per month and exp(12b) − 1 per year; the fitted series μ̂_t is returned for charting.
/// An all-zero series is "Stable" with b = 0, p = 1 and a fitted series of zeros.
public struct PoissonTrend: Sendable, Equatable {
    /// Settings of the trend method, with the defaults stated in the type's documentation.
    public struct Settings: Sendable, Equatable {
        /// Level below which the likelihood-ratio p-value counts as a trend. Default 0.05.
        public var significance: Double
        /// Fewest months the method will classify. Default 24.
        public var minimumMonths: Int
        /// Whether month-of-year effects are fitted alongside the trend. Default true.
        public var seasonalTerms: Bool
        /// Whether the test is scaled by the Pearson dispersion (quasi-Poisson). Default true.
        public var allowOverdispersion: Bool

        /// Settings with the documented defaults unless given.
        public init(significance: Double = 0.05, minimumMonths: Int = 24, seasonalTerms: Bool = true, allowOverdispersion: Bool = true) {
            self.significance = significance
            self.minimumMonths = minimumMonths
            self.seasonalTerms = seasonalTerms
            self.allowOverdispersion = allowOverdispersion
        }
    }

    /// The trend's classification.
    public enum Classification: String, Sendable, Equatable {
        /// Significant upward trend.
        case increasing
        /// Significant downward trend.
        case decreasing
        /// No significant trend.
        case stable
        /// Fewer months than the method needs.
        case insufficientData

        /// The assessment's wording; `*` (data not available) for too few months.
        public var phrase: String {
            switch self {
            case .increasing: "Increasing"
            case .decreasing: "Decreasing"
            case .stable: "Stable"
            case .insufficientData: AssessMarker.notAvailable
            }
        }
    }

    /// The estimates behind a classification.
    public struct Fit: Sendable, Equatable {
        /// b, the change in log mean per month.
        public let slope: Double
        /// Standard error of b (scaled by √φ when overdispersion is allowed); nil for an all-zero series.
        public let standardError: Double?
        /// Wald statistic b / SE; nil when the standard error is nil.
        public let z: Double?
        /// Likelihood-ratio p-value for b = 0 (scaled by φ when overdispersion is allowed).
        public let pValue: Double
        /// The dispersion φ used (1 when overdispersion is not allowed or the data are not overdispersed).
        public let dispersion: Double
        /// exp(b) − 1: fitted proportional change per month.
        public let monthlyChange: Double
        /// exp(12b) − 1: fitted proportional change per year.
        public let annualChange: Double
        /// Fitted monthly means μ̂_t, one per input month.
        public let fitted: [Double]
        /// Whether month-of-year effects were in the model.
        public let seasonalTerms: Bool
    }

    /// Number of months given.
    public let months: Int
    /// The classification at the configured significance.
    public let classification: Classification
    /// The fit; nil when there were too few months.
    public let fit: Fit?

    /// Fits the trend of `counts` (one per consecutive month, oldest first); `firstMonth` is the calendar
    /// month (1 = January … 12 = December) of `counts[0]`, used only by the month-of-year terms.
    /// `missing` holds the indices of months with no data (no export for the month): they are left out of the fit
    /// rather than counted as no events, and do not count towards the months needed.
    public init(counts: [Int], firstMonth: Int = 1, missing: Set<Int> = [], settings: Settings = Settings()) {
        let missing = missing.filter { counts.indices.contains($0) }
        months = counts.count - missing.count
        guard months >= max(3, settings.minimumMonths) else {
            classification = .insufficientData
            fit = nil
            return
        }
        let y = counts.map { Double(max(0, $0)) }
        if y.indices.allSatisfy({ y[$0] == 0 || missing.contains($0) }) {
            classification = .stable
            fit = Fit(slope: 0, standardError: nil, z: nil, pValue: 1, dispersion: 1, monthlyChange: 0, annualChange: 0,
                      fitted: y, seasonalTerms: settings.seasonalTerms)
            return
        }
        let calendar = (0..<y.count).map { ((firstMonth - 1 + $0) % 12 + 12) % 12 }
        // Observations used: all, or (with month-of-year terms) those whose calendar month has any events.
        var monthTotals = [Double](repeating: 0, count: 12)
        for (i, m) in calendar.enumerated() where !missing.contains(i) { monthTotals[m] += y[i] }
        let used = (0..<y.count).filter { !missing.contains($0) && (!settings.seasonalTerms || monthTotals[calendar[$0]] > 0) }
        let centre = Double(y.count - 1) / 2
        var dummyMonths: [Int] = []
        if settings.seasonalTerms {
            let present = Array(Set(used.map { calendar[$0] })).sorted { a, b in
                // Reference = first calendar month (in series order) with events.
                (calendar.firstIndex(of: a) ?? 0) < (calendar.firstIndex(of: b) ?? 0)
            }
            dummyMonths = Array(present.dropFirst())
        }
        func row(_ i: Int, trend: Bool) -> [Double] {
            var r: [Double] = [1]
            if trend { r.append(Double(i) - centre) }
            for m in dummyMonths { r.append(calendar[i] == m ? 1 : 0) }
            return r
        }
        let yUsed = used.map { y[$0] }
        guard let full = PoissonRegression.fit(y: yUsed, design: used.map { row($0, trend: true) }),
              let null = PoissonRegression.fit(y: yUsed, design: used.map { row($0, trend: false) }) else {
            // Singular design (cannot happen with ≥ 3 months and some events); report no trend.
            classification = .stable
            fit = nil
            return
        }
        let b = full.coefficients[1]
        let parameters = 2 + dummyMonths.count
        let residualDF = used.count - parameters
        var phi = 1.0
        if settings.allowOverdispersion, residualDF > 0 {
            phi = max(1, full.pearson / Double(residualDF))
        }
        let g = max(0, null.deviance - full.deviance) / phi
        let p = Distributions.chiSquareSurvival(g, degreesOfFreedom: 1)
        let se = (full.covariance[1][1] * phi).squareRoot()
        var fitted = [Double](repeating: 0, count: y.count)
        for (k, i) in used.enumerated() { fitted[i] = full.fitted[k] }
        // A missing month shows the model's value for it (it was not fitted).
        for i in missing { fitted[i] = exp(zip(row(i, trend: true), full.coefficients).reduce(0) { $0 + $1.0 * $1.1 }) }
        let fit = Fit(slope: b, standardError: se.isFinite ? se : nil, z: se.isFinite && se > 0 ? b / se : nil, pValue: p,
                      dispersion: phi, monthlyChange: expm1(b), annualChange: expm1(12 * b), fitted: fitted,
                      seasonalTerms: settings.seasonalTerms)
        self.fit = fit
        if p < settings.significance {
            classification = b > 0 ? .increasing : .decreasing
        } else {
            classification = .stable
        }
    }
}
