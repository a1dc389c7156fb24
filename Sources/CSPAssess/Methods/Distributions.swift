import CSPSchema
import CSPStorage
import Foundation

/// Probability functions used by the assessment methods: exact Poisson and binomial tails, the
/// chi-square survival function and the normal tail. Plain `Double` arithmetic, no I/O.
enum Distributions {
    /// ln Γ(x) for x > 0.
    static func logGamma(_ x: Double) -> Double { lgamma(x) }

    /// Regularised lower incomplete gamma P(a, x) = γ(a, x) / Γ(a), for a > 0, x ≥ 0.
    /// Series for x < a + 1, Lentz continued fraction otherwise (Numerical Recipes 6.2).
    static func regularizedGammaP(_ a: Double, _ x: Double) -> Double {
        if x <= 0 { return 0 }
        if x < a + 1 { return min(1, gammaSeries(a, x)) }
        return max(0, 1 - gammaContinuedFraction(a, x))
    }

    /// Regularised upper incomplete gamma Q(a, x) = 1 − P(a, x), computed without cancellation.
    static func regularizedGammaQ(_ a: Double, _ x: Double) -> Double {
        if x <= 0 { return 1 }
        if x < a + 1 { return max(0, 1 - gammaSeries(a, x)) }
        return min(1, gammaContinuedFraction(a, x))
    }

    private static func gammaSeries(_ a: Double, _ x: Double) -> Double {
        var ap = a
        var sum = 1 / a
        var del = sum
        for _ in 0..<10_000 {
            ap += 1
            del *= x / ap
            sum += del
            if abs(del) < abs(sum) * 1e-16 { break }
        }
        return sum * exp(-x + a * log(x) - logGamma(a))
    }

    private static func gammaContinuedFraction(_ a: Double, _ x: Double) -> Double {
        let tiny = 1e-300
        var b = x + 1 - a
        var c = 1 / tiny
        var d = 1 / b
        var h = d
        for i in 1..<10_000 {
            let an = -Double(i) * (Double(i) - a)
            b += 2
            d = an * d + b
            if abs(d) < tiny { d = tiny }
            c = b + an / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let del = d * c
            h *= del
            if abs(del - 1) < 1e-16 { break }
        }
        return exp(-x + a * log(x) - logGamma(a)) * h
    }

    /// P(X ≥ k) for X ~ Poisson(mean). 1 when k ≤ 0; for k ≥ 1 it equals P(k, mean).
    static func poissonUpperTail(atLeast k: Int, mean: Double) -> Double {
        if k <= 0 { return 1 }
        if mean <= 0 { return 0 }
        return regularizedGammaP(Double(k), mean)
    }

    /// P(X ≥ x) for X ~ χ²(df); 1 when x ≤ 0 or df ≤ 0.
    static func chiSquareSurvival(_ x: Double, degreesOfFreedom df: Int) -> Double {
        if df <= 0 || !(x > 0) { return 1 }
        return regularizedGammaQ(Double(df) / 2, x / 2)
    }

    /// P(Z ≥ z) for a standard normal Z.
    static func normalSurvival(_ z: Double) -> Double { 0.5 * erfc(z / 2.0.squareRoot()) }

    /// ln of the binomial probability P(X = k), X ~ Bin(n, p).
    static func binomialLogPMF(_ k: Int, n: Int, p: Double) -> Double {
        if p <= 0 { return k == 0 ? 0 : -.infinity }
        if p >= 1 { return k == n ? 0 : -.infinity }
        let choose = logGamma(Double(n + 1)) - logGamma(Double(k + 1)) - logGamma(Double(n - k + 1))
        return choose + Double(k) * log(p) + Double(n - k) * log1p(-p)
    }

    /// Exact two-sided binomial test p-value by the "minimum likelihood" rule (as `scipy.stats.binomtest`):
    /// the total probability of every outcome j with P(X = j) ≤ P(X = k)·(1 + 10⁻⁷), capped at 1.
    static func binomialTwoSidedP(_ k: Int, n: Int, p: Double) -> Double {
        if n == 0 { return 1 }
        let observed = binomialLogPMF(k, n: n, p: p)
        let limit = observed + log1p(1e-7)
        var total = 0.0
        for j in 0...n {
            let l = binomialLogPMF(j, n: n, p: p)
            if l <= limit { total += exp(l) }
        }
        return min(1, total)
    }
}
