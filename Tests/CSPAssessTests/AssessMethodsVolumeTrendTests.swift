import CSPTestSupport
import Foundation
import Testing
@testable import CSPAssess

@Suite struct AssessMethodsDistributionTests {
    @Test func tailsMatchScipy() {
        // python3 -c "from scipy import stats; print(stats.chi2.sf(3.84,1), stats.chi2.sf(20.0,3), stats.chi2.sf(0.5,4), stats.poisson.sf(9,3.5))"
        #expect(approx(Distributions.chiSquareSurvival(3.84, degreesOfFreedom: 1), 0.05004352124870519, 1e-10))
        #expect(approx(Distributions.chiSquareSurvival(20.0, degreesOfFreedom: 3), 0.00016974243555282632, 1e-9))
        #expect(approx(Distributions.chiSquareSurvival(0.5, degreesOfFreedom: 4), 0.9735009788392561, 1e-10))
        // P(X >= 10 | 3.5) = stats.poisson.sf(9, 3.5)
        #expect(approx(Distributions.poissonUpperTail(atLeast: 10, mean: 3.5), 0.003314944264632366, 1e-9))
        #expect(Distributions.poissonUpperTail(atLeast: 0, mean: 2) == 1)
        #expect(approx(Distributions.poissonUpperTail(atLeast: 3, mean: 150), 1, 1e-12))
    }
}

@Suite struct AssessMethodsVolumeChangeTests {
    // p-values: python3 -c "from scipy.stats import binomtest; print(binomtest(n2, n1+n2, t2/(t1+t2)).pvalue)"
    @Test func thirtyPerCentOnAHundredIsStillNoise() {
        let v = VolumeChange(previous: 100, current: 130)
        #expect(v.change == 30)
        #expect(approx(v.percentChange, 30))
        #expect(approx(v.pValue, 0.05561357778139238, 1e-9)) // binomtest(130, 230, 0.5)
        #expect(v.direction == .stable)
        #expect(v.direction.phrase == "Stable")
        // The level is a setting: at 10% the same change is an increase.
        #expect(VolumeChange(previous: 100, current: 130, significance: 0.1).direction.phrase == "Increasing volume")
    }

    @Test func significantRiseAndFall() {
        let up = VolumeChange(previous: 100, current: 140)
        #expect(approx(up.pValue, 0.01166409231767769, 1e-9)) // binomtest(140, 240, 0.5)
        #expect(up.direction.phrase == "Increasing volume")
        let down = VolumeChange(previous: 100, current: 60)
        #expect(approx(down.pValue, 0.001953728034064355, 1e-9)) // binomtest(60, 160, 0.5)
        #expect(approx(down.percentChange, -40))
        #expect(down.direction.phrase == "Decreasing volume")
    }

    @Test func unequalPeriodsCompareRates() {
        // 30 in 6 months (5/month) vs 80 in 12 months (6.67/month): +33.3%, binomtest(80, 110, 12/18)
        let v = VolumeChange(previous: 30, current: 80, previousLength: 6, currentLength: 12)
        #expect(approx(v.percentChange, 100.0 / 3))
        #expect(approx(v.pValue, 0.189641038859277, 1e-9))
        #expect(v.direction == .stable)
    }

    @Test func zeroBase() {
        let v = VolumeChange(previous: 0, current: 4)
        #expect(v.percentChange == nil)
        #expect(approx(v.pValue, 0.125)) // binomtest(4, 4, 0.5)
        #expect(v.direction == .stable)
        let none = VolumeChange(previous: 0, current: 0)
        #expect(none.pValue == 1 && none.direction == .stable && none.change == 0)
    }
}

@Suite struct AssessMethodsTrendTests {
    /// Counts 1, 2, 4, … 2^(n−1): the log-linear model fits exactly, so b = ln 2.
    static let doubling = (0..<24).map { 1 << $0 }

    @Test(arguments: [false, true])
    func exactExponentialRecoversTheRatio(seasonal: Bool) throws {
        let t = PoissonTrend(counts: Self.doubling, settings: .init(seasonalTerms: seasonal))
        let fit = try #require(t.fit)
        #expect(approx(fit.slope, log(2), 1e-7))
        #expect(approx(fit.monthlyChange, 1, 1e-6))
        #expect(approx(fit.fitted[5], 32, 1e-6))
        #expect(t.classification == .increasing)
        #expect(t.classification.phrase == "Increasing")
    }

    @Test func exactDeclineIsDecreasing() throws {
        let t = PoissonTrend(counts: Self.doubling.reversed())
        #expect(approx(t.fit?.slope, -log(2), 1e-7))
        #expect(approx(t.fit?.annualChange, pow(0.5, 12) - 1, 1e-6))
        #expect(t.classification.phrase == "Decreasing")
    }

    @Test func flatSeriesIsStable() throws {
        let t = PoissonTrend(counts: [Int](repeating: 50, count: 36))
        let fit = try #require(t.fit)
        #expect(abs(fit.slope) < 1e-9)
        #expect(fit.pValue > 0.99)
        #expect(t.classification.phrase == "Stable")
    }

    @Test func shortSeriesIsInsufficient() {
        let t = PoissonTrend(counts: [Int](repeating: 50, count: 23))
        #expect(t.classification == .insufficientData)
        #expect(t.classification.phrase == "*")
        #expect(t.fit == nil)
    }

    @Test func allZeroSeriesHasNoNaN() throws {
        let t = PoissonTrend(counts: [Int](repeating: 0, count: 24))
        let fit = try #require(t.fit)
        #expect(t.classification == .stable)
        #expect(fit.slope == 0 && fit.pValue == 1)
        #expect(fit.fitted.allSatisfy { $0 == 0 })
    }

    @Test func zeroMonthsAndLateOnsetStayFinite() throws {
        // Every January is 0: that month drops out of the seasonal fit and is fitted as 0.
        let withEmptyJanuaries = (0..<36).map { $0 % 12 == 0 ? 0 : 20 + $0 % 5 }
        let a = try #require(PoissonTrend(counts: withEmptyJanuaries).fit)
        #expect(a.fitted[0] == 0 && a.fitted[12] == 0)
        #expect(a.slope.isFinite && a.pValue.isFinite && a.fitted.allSatisfy(\.isFinite))
        // Nothing for 23 months, then 10: the estimate runs away but must stay finite and test as rising.
        let late = PoissonTrend(counts: [Int](repeating: 0, count: 23) + [10], settings: .init(seasonalTerms: false))
        let b = try #require(late.fit)
        #expect(b.slope.isFinite && b.slope > 0 && b.pValue.isFinite)
        #expect(late.classification == .increasing)
    }

    /// A noisy seasonal series with a mild upward drift, January first.
    static let noisy = [40, 38, 45, 50, 52, 60, 63, 61, 55, 48, 44, 42, 43, 41, 47, 53, 57, 62, 66, 64, 58, 50, 47, 45,
                        46, 44, 50, 55, 60, 66, 70, 67, 60, 53, 50, 48]

    // Reference: numpy IRLS on X = [1, t − 17.5] (+ 11 month dummies), deviance LR test, phi = max(1, Pearson/(n − p)):
    //   b, cov, mu, dev, pear = irls(y, X); _, _, _, dev0, _ = irls(y, X0)
    //   G = (dev0 - dev)/phi; p = scipy.stats.chi2.sf(G, 1); se = sqrt(cov[1,1]*phi)
    // (script /tmp/ref.py in the session that wrote this test).
    @Test func noisySeriesWithoutSeasonalTermsMatchesNumpy() throws {
        let t = PoissonTrend(counts: Self.noisy, settings: .init(seasonalTerms: false))
        let fit = try #require(t.fit)
        #expect(approx(fit.slope, 0.005245954949, 1e-8))
        #expect(approx(fit.standardError, 0.002529776477, 1e-8))
        #expect(approx(fit.dispersion, 1.309880732239, 1e-8))
        #expect(approx(fit.pValue, 0.0380228708619, 1e-7))
        #expect(approx(fit.fitted[0], 48.0768859900, 1e-8))
        #expect(approx(fit.fitted[35], 57.7665532137, 1e-8))
        #expect(t.classification == .increasing)
        // Without the dispersion allowance the test is more confident: p = chi2.sf(dev0 - dev, 1).
        let raw = try #require(PoissonTrend(counts: Self.noisy, settings: .init(seasonalTerms: false, allowOverdispersion: false)).fit)
        #expect(approx(raw.pValue, 0.0175780011797, 1e-7))
        #expect(approx(raw.standardError, 0.002210376593, 1e-8))
    }

    @Test func noisySeriesWithSeasonalTermsMatchesNumpy() throws {
        let t = PoissonTrend(counts: Self.noisy)
        let fit = try #require(t.fit)
        #expect(approx(fit.slope, 0.004673500806, 1e-8))
        #expect(approx(fit.standardError, 0.002343305698, 1e-8))
        #expect(fit.dispersion == 1)
        #expect(approx(fit.pValue, 0.0460222618695, 1e-7))
        #expect(approx(fit.fitted[0], 40.6122596728, 1e-8))
        #expect(approx(fit.fitted[35], 47.5459388253, 1e-8))
        #expect(t.classification == .increasing)
        #expect(PoissonTrend(counts: Self.noisy, settings: .init(significance: 0.01)).classification == .stable)
    }
}
