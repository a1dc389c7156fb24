import CSPTestSupport
import Foundation
import Testing
@testable import CSPAssess

@Suite struct AssessMethodsSeasonalityTests {
    // Reference (python, /tmp/ref2.py): fit log mu = a + b t by IRLS (numpy), O_s, E_s = sum of mu over the
    // season's months, index = O/E, chi = sum((O-E)**2/E), p = scipy.stats.chi2.sf(chi, 3).

    @Test func summerPeak() throws {
        let counts = Array([[Int]](repeating: [50, 50, 50, 50, 50, 80, 80, 80, 50, 50, 50, 50], count: 3).joined())
        let s = Seasonality(counts: counts)
        // O = [450, 720, 450, 450], E = [516.71766935, 517.65533206, 518.5946963, 517.03230229]
        #expect(s.seasons.map(\.observed) == [450, 720, 450, 450])
        #expect(approx(s.seasons[1].expected, 517.65533206, 1e-8))
        #expect(approx(s.seasons[1].index, 1.39088686, 1e-7))
        #expect(approx(s.seasons[3].index, 0.87035181, 1e-7))
        #expect(approx(s.chiSquare, 105.4719997277, 1e-8))
        #expect(s.degreesOfFreedom == 3)
        #expect(approx(s.pValue, 1.034226163e-22, 1e-6))
        #expect(approx(s.monthIndices[6], 1.39088703, 1e-7)) // July (python month idx[6])
        #expect(s.labels == ["Summer"])
        #expect(s.phrase == "Summer peaks")
    }

    @Test func flatSeriesHasNoSeasonality() {
        let s = Seasonality(counts: [Int](repeating: 40, count: 36), firstMonth: 4)
        #expect(s.sufficientData)
        #expect(approx(s.chiSquare, 0, 1e-9))
        #expect(s.pValue > 0.99)
        #expect(s.monthIndices.allSatisfy { approx($0, 1, 1e-9) })
        #expect(s.peaks.isEmpty)
        #expect(s.phrase == "No seasonality")
    }

    @Test func adjacentPeaksShareAName() {
        let s = Seasonality(counts: Array([[Int]](repeating: [60, 58, 45, 44, 46, 45, 44, 46, 58, 62, 61, 63], count: 2).joined()))
        // index = [0.86330467, 0.85276303, 1.12937311, 1.15250416], chi = 25.3778536513, p = 1.287172378e-05
        #expect(approx(s.seasons[2].index, 1.12937311, 1e-7))
        #expect(approx(s.seasons[3].index, 1.15250416, 1e-7))
        #expect(approx(s.pValue, 1.287172378e-05, 1e-6))
        #expect(s.peaks == [[.autumn, .winter]])
        #expect(s.phrase == "Autumn/winter peaks")
    }

    @Test func trendDoesNotMakeFalsePeaks() {
        // [round(50*1.02**i*(1.5 if i%12 in (5,6,7) else 1)) for i in range(36)]: 2% a month growth plus a summer lift.
        let counts = [50, 51, 52, 53, 54, 83, 84, 86, 59, 60, 61, 62, 63, 65, 66, 67, 69, 105, 107, 109, 74, 76, 77, 79,
                      80, 82, 84, 85, 87, 133, 136, 139, 94, 96, 98, 100]
        let s = Seasonality(counts: counts)
        // index = [0.88895576, 1.33204529, 0.88757452, 0.88803681]: winter (late in each year) is not inflated by growth.
        #expect(approx(s.seasons[1].index, 1.33204529, 1e-7))
        #expect(approx(s.seasons[3].index, 0.88803681, 1e-7))
        #expect(approx(s.chiSquare, 108.6577429233, 1e-8))
        #expect(s.phrase == "Summer peaks")
    }

    @Test func significantButSmallIsNoSeasonality() {
        // 1,000 a month with a 6% summer lift: chi-square is significant, but no index exceeds 1.1.
        let s = Seasonality(counts: Array([[Int]](repeating: [1000, 1000, 1000, 1000, 1000, 1060, 1060, 1060, 1000, 1000, 1000, 1000], count: 3).joined()))
        #expect(s.pValue < 0.001)
        #expect((s.seasons[1].index ?? 0) < 1.1)
        #expect(s.phrase == "No seasonality")
        // A lower threshold names the peak.
        #expect(Seasonality(counts: Array([[Int]](repeating: [1000, 1000, 1000, 1000, 1000, 1060, 1060, 1060, 1000, 1000, 1000, 1000], count: 3).joined()),
                            settings: .init(peakThreshold: 1.03)).phrase == "Summer peaks")
    }

    @Test func tooShortOrEmpty() {
        #expect(Seasonality(counts: [Int](repeating: 5, count: 23)).phrase == "*")
        let zero = Seasonality(counts: [Int](repeating: 0, count: 24))
        #expect(zero.phrase == "No seasonality" && zero.pValue == 1)
    }

    @Test func separatePeaksAreListedByIndex() {
        let index: [Seasonality.Season: Double] = [.spring: 1.15, .summer: 0.8, .autumn: 1.2, .winter: 0.85]
        let groups = Seasonality.group([.spring, .autumn], index: { index[$0]! })
        #expect(groups == [[.autumn], [.spring]])
        let wrap = Seasonality.group([.winter, .spring], index: { _ in 1.2 })
        #expect(wrap == [[.winter, .spring]])
        #expect(Seasonality.Season(month: 12) == .winter && Seasonality.Season(month: 3) == .spring && Seasonality.Season(month: 11) == .autumn)
    }
}

@Suite struct AssessMethodsHotspotTests {
    static let layer = [
        Hotspots.Area(name: "Big", count: 150, population: 10000, size: 1000),
        Hotspots.Area(name: "Mid", count: 80, population: 10000, size: 1000),
        Hotspots.Area(name: "Quiet", count: 70, population: 9980, size: 1000),
        Hotspots.Area(name: "Tiny", count: 3, population: 20, size: 10),
        Hotspots.Area(name: "Town centre", count: 40, population: nil, size: 50),
        Hotspots.Area(name: "Estate", count: 25),
    ]
    // python3: E[:4] = 303 * pop / 30000; E[town] = 343 / 3060 * 50; p = stats.poisson.sf(cnt - 1, E)
    //   E = [101, 101, 100.798, 0.202, 5.60457516]
    //   p = [3.14105900e-06, 9.86294712e-01, 9.99492699e-01, 1.18152589e-03, 4.56676159e-21]
    //   stats.false_discovery_control(p, method='bh') = [7.85264750e-06, 0.999492699, 0.999492699, 1.96920982e-03, 2.28338079e-20]

    /// The minimum count is inclusive ("at least `minimumCount`"): Tiny's 3 significant crimes (adjusted p 0.00197)
    /// make a hotspot when the minimum is 3, not when it is 4.
    @Test func aHotspotNeedsAtLeastTheMinimumCount() {
        #expect(Hotspots(areas: Self.layer, settings: .init(minimumCount: 3)).areas[3].isHotspot)
        #expect(!Hotspots(areas: Self.layer, settings: .init(minimumCount: 4)).areas[3].isHotspot)
    }

    @Test func bigWardIsAHotspotTinyWardIsNot() throws {
        let h = Hotspots(areas: Self.layer)
        let big = h.areas[0], tiny = h.areas[3], town = h.areas[4], estate = h.areas[5]
        #expect(approx(big.expected, 101))
        #expect(approx(big.ratePer1000, 15))
        #expect(approx(big.pValue, 3.14105900e-06, 1e-6))
        #expect(approx(big.adjustedPValue, 7.85264750e-06, 1e-6))
        #expect(big.isHotspot)
        // Tiny: 3 crimes among 20 residents is 150 per 1,000 and significant even after correction…
        #expect(approx(tiny.expected, 0.202))
        #expect(approx(tiny.pValue, 1.18152589e-03, 1e-6))
        #expect(approx(tiny.adjustedPValue, 1.96920982e-03, 1e-6))
        #expect(approx(tiny.ratePer1000, 150))
        // …but below the minimum count, so not a hotspot.
        #expect(!tiny.isHotspot)
        #expect(h.topByRate.first == "Tiny")
        // The town centre has no residents: tested on its size at the layer's mean density.
        #expect(town.basis == .size && town.ratePer1000 == nil)
        #expect(approx(town.expected, 5.60457516, 1e-8))
        #expect(town.isHotspot)
        // No residents, no size: ranked by count, untested.
        #expect(estate.basis == .untested && estate.pValue == nil && !estate.isHotspot)
        #expect(h.hotspots == ["Big", "Town centre"])
        #expect(h.topByCount == ["Big", "Mid", "Quiet", "Town centre", "Estate"])
        #expect(h.topByRate == ["Tiny", "Big", "Mid", "Quiet"])
    }

    @Test func minimumCountAndCorrectionAreSettings() {
        let lenient = Hotspots(areas: Self.layer, settings: .init(minimumCount: 1))
        #expect(lenient.hotspots == ["Big", "Town centre", "Tiny"])
        let bonferroni = Hotspots(areas: Self.layer, settings: .init(correction: .bonferroni))
        #expect(approx(bonferroni.areas[3].adjustedPValue, 5.90762947e-03, 1e-6))
        #expect(approx(bonferroni.areas[1].adjustedPValue, 1))
        // A strict level drops the tiny ward's significance too.
        let strict = Hotspots(areas: Self.layer, settings: .init(significance: 0.001, minimumCount: 1))
        #expect(!strict.hotspots.contains("Tiny") && strict.hotspots.contains("Big"))
    }

    @Test func benjaminiHochbergIsMonotone() {
        // p = [0.01, 0.04, 0.03, 0.5], m = 4: sorted 0.01, 0.03, 0.04, 0.5 -> 0.04, 0.0533.., 0.0533.., 0.5
        let adjusted = Hotspots.adjust([0.01, 0.04, 0.03, nil, 0.5], correction: .benjaminiHochberg)
        #expect(approx(adjusted[0], 0.04))
        #expect(approx(adjusted[1], 0.04 * 4 / 3))
        #expect(approx(adjusted[2], 0.04 * 4 / 3))
        #expect(adjusted[3] == nil)
        #expect(approx(adjusted[4], 0.5))
    }
}
