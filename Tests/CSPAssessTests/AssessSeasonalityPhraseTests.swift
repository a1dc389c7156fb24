import CSPCore
import CSPTestSupport
import Foundation
import Testing
@testable import CSPAssess

/// The theme tables word seasonality through ``Seasonality/phrase``, the documented wording.
@Suite struct AssessSeasonalityPhraseTests {
    static func theme(_ seasonality: Seasonality?) -> ThemeAssessment {
        let t = ThemeDefinition(id: "t", name: "T", group: "G", dataset: "crimes", conditions: [], surveyIndicator: nil, sntPriority: [],
                            msgTheme: nil)
        return ThemeAssessment(theme: t, hasSeries: seasonality != nil, firstMonth: nil, series: [], volumes: [:], performance: nil,
                               performance12: nil, trend: nil, seasonality: seasonality, wardHotspots: nil, placeHotspots: nil,
                               layerHotspots: [:], areaRows: [], victims: nil, offenders: nil, surveyValue: nil, sntAreas: [], msg: nil)
    }

    @Test func twoSeparatePeaksAreWordedAsDocumented() {
        // Summer (Jun-Aug) and winter (Dec-Feb) above spring and autumn: two peaks that are not adjacent.
        let year = [75, 75, 50, 50, 50, 80, 80, 80, 50, 50, 50, 75]
        let s = Seasonality(counts: Array([[Int]](repeating: year, count: 3).joined()))
        #expect(s.peaks == [[.summer], [.winter]])
        #expect(s.phrase == "Summer and winter peaks")
        #expect(Self.theme(s).seasonalityPhrase == "Summer and winter peaks")
    }

    @Test func aSeasonJustBelowThePeakThresholdIsNoPeak() {
        // Three flat years of winter 82, spring 90, summer 108, autumn 120 a month (mean 100): indices 0.82, 0.90, 1.08,
        // 1.20. Only autumn exceeds the documented 1.1; summer, at 1.08, is not a peak, so not joined to autumn.
        let year = [82, 82, 90, 90, 90, 108, 108, 108, 120, 120, 120, 82]
        let s = Seasonality(counts: Array([[Int]](repeating: year, count: 3).joined()))
        #expect(s.peaks == [[.autumn]])
        #expect(s.phrase == "Autumn peaks")
    }

    @Test func oneAdjacentPeakNoSeasonalityAndTooFewMonths() {
        let s = Seasonality(counts: Array([[Int]](repeating: [60, 58, 45, 44, 46, 45, 44, 46, 58, 62, 61, 63], count: 2).joined()))
        #expect(Self.theme(s).seasonalityPhrase == "Autumn/winter peaks")
        #expect(Self.theme(Seasonality(counts: [Int](repeating: 40, count: 36))).seasonalityPhrase == "No seasonality")
        #expect(Self.theme(Seasonality(counts: [Int](repeating: 40, count: 12))).seasonalityPhrase == "*")
        #expect(Self.theme(nil).seasonalityPhrase == "*")
    }
}
