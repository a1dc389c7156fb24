import CSPTestSupport
import Foundation
import Testing
@testable import CSPAssess

@Suite struct AssessMethodsProfileTests {
    static func records(_ n: Int, _ sex: Profile.Sex, _ band: String, _ ethnicity: String) -> [Profile.Record] {
        [Profile.Record](repeating: Profile.Record(sex: sex, ageBand: Profile.AgeBand(code: band)!, ethnicity: ethnicity), count: n)
    }

    @Test func dominantGroupPhrase() throws {
        let r = Self.records(10, .male, "10-19", "White European") + Self.records(8, .male, "20-29", "White European")
            + Self.records(3, .female, "20-29", "White European") + Self.records(2, .male, "30-39", "Asian")
            + Self.records(2, .male, "10-19", "Not known") + Self.records(1, .unknown, "unknown", "White European")
            + Self.records(4, .male, "40-49", "White European")
        let p = Profile(records: r)
        // Ethnicity known 28, White European 26 -> 0.9286 >= 0.6.
        #expect(p.ethnicity == "White European" && approx(p.ethnicityShare, 26.0 / 28))
        // Sex known 29, males 26 -> 0.8966.
        #expect(p.sex == .male && approx(p.sexShare, 26.0 / 29))
        // Bands known 29: 10-19 = 12, 20-29 = 11, 30-39 = 2, 40-49 = 4. No band reaches 14.5; 10-29 = 23 does.
        #expect(p.ageBands == [.age10to19, .age20to29] && approx(p.ageShare, 23.0 / 29))
        #expect(p.phrase == "White European males aged 10 - 29 years")
        // Known on all three: 30 - 2 (ethnicity) - 1 (sex/age) = 27; White European males 10-29: 10 + 8 = 18.
        #expect(approx(p.coveredShare, 18.0 / 27))
        #expect(p.unknownEthnicity == 2 && p.unknownSex == 1 && p.unknownAge == 1 && p.total == 30)
    }

    @Test func noDominantSexOrEthnicity() {
        let even = Profile(records: Self.records(5, .male, "30-39", "White European") + Self.records(5, .female, "30-39", "White European"))
        #expect(even.sex == nil && even.phrase == "White European people aged 30 - 39 years")
        let mixed = Profile(records: Self.records(5, .male, "20-29", "Asian") + Self.records(5, .male, "20-29", "White European"))
        #expect(mixed.ethnicity == nil && mixed.phrase == "Males aged 20 - 29 years")
        #expect(approx(mixed.coveredShare, 1))
    }

    @Test func oldestBandsAndEmpty() {
        let old = Profile(records: Self.records(3, .female, "70-79", "White European") + Self.records(3, .female, "80+", "White European")
            + Self.records(1, .female, "30-39", "White European"))
        #expect(old.ageBands == [.age70to79, .age80plus])
        #expect(old.phrase == "White European females aged 70 years and over")
        #expect(Profile(records: []).phrase == "*")
        #expect(Profile.AgeBand(code: "10-19") == .age10to19 && Profile.AgeBand(code: "80+") == .age80plus && Profile.AgeBand(code: "10 to 19") == nil)
    }
}

@Suite struct AssessMethodsSurveyTests {
    typealias R = SurveyIndicators.Respondent
    // Strands: noisy, teenagers, rubbish, vandalism, drugs (5th), drunk (6th), cars.
    static let survey: [R] = [
        R(weight: 1.0, strands: [3, 3, 2, 2, 3, 2, 1], dealWithConcerns: .stronglyAgree, understandConcerns: .tendToAgree),      // 1: total 16 high
        R(weight: 2.0, strands: [1, 1, 1, 1, 0, 1, 0], dealWithConcerns: .neither, understandConcerns: .tendToDisagree),          // 2: total 5
        R(weight: 0.5, strands: [2, 2, 2, 2, 2, 1, 0], dealWithConcerns: .dontKnow, understandConcerns: .stronglyAgree),          // 3: total 11 high
        R(weight: 1.5, strands: [2, 2, 2, 1, 1, 2, 0], dealWithConcerns: .tendToAgree, understandConcerns: .neither),             // 4: total 10
        R(weight: 1.0, strands: [3, nil, 3, 3, 3, 3, 3], dealWithConcerns: .blank, understandConcerns: .dontKnow),                // 5: not in NI 17
        R(weight: 1.0, strands: [0, 0, 0, 0, nil, 0, 0], dealWithConcerns: .stronglyDisagree, understandConcerns: .stronglyAgree), // 6: not in NI 17/42
        R(weight: 2.0, strands: [1, 2, 1, 1, 2, nil, 1], dealWithConcerns: .tendToAgree, understandConcerns: .blank),             // 7: not in NI 17/41
        R(weight: 1.0, strands: [0, 1, 0, 0, 0, 0, 0], dealWithConcerns: .tendToDisagree, understandConcerns: .tendToAgree),      // 8: total 1
        R(weight: 0.0, strands: [3, 3, 3, 3, 3, 3, 3], dealWithConcerns: .stronglyAgree, understandConcerns: .stronglyAgree),     // 9: weight 0, excluded
        R(weight: 1.0, strands: [3, 3, 3, 3, 3, 3, 3], dealWithConcerns: .stronglyAgree, understandConcerns: .tendToAgree),       // 10: total 21 high
    ]

    @Test func ni17() {
        // Base: 1, 2, 3, 4, 8, 10 (n 6), Σw = 1+2+0.5+1.5+1+1 = 7; high: 1, 3, 10 -> 2.5 / 7 = 35.714%.
        // Σw² = 1+4+0.25+2.25+1+1 = 9.5 -> n_eff = 49/9.5.
        let s = SurveyIndicators(respondents: Self.survey).ni17
        #expect(s.unweightedBase == 6 && approx(s.weightedBase, 7))
        #expect(approx(s.value, 100 * 2.5 / 7))
        #expect(approx(s.effectiveSampleSize, 49 / 9.5))
        // python: Wilson with p = 2.5/7, n = 49/9.5, z = 1.959964 -> (9.918392618430966, 73.70616228786675)
        #expect(approx(s.lower, 9.918392618430966, 1e-9) && approx(s.upper, 73.70616228786675, 1e-9))
    }

    @Test func ni41AndNi42() {
        let s = SurveyIndicators(respondents: Self.survey)
        // NI 42 (drugs): base 1,2,3,4,5,7,8,10 (n 8, Σw 10); score ≥ 2: 1, 3, 5, 7, 10 -> 5.5/10 = 55%; Σw² = 14.5.
        #expect(s.ni42.unweightedBase == 8 && approx(s.ni42.weightedBase, 10) && approx(s.ni42.value, 55))
        #expect(approx(s.ni42.effectiveSampleSize, 100 / 14.5))
        #expect(approx(s.ni42.lower, 23.40161842516509, 1e-9) && approx(s.ni42.upper, 83.02094156061848, 1e-9))
        // NI 41 (drunk): base 1,2,3,4,5,6,8,10 (n 8, Σw 9); score ≥ 2: 1, 4, 5, 10 -> 4.5/9 = 50%.
        #expect(s.ni41.unweightedBase == 8 && approx(s.ni41.weightedBase, 9) && approx(s.ni41.value, 50))
        #expect(approx(s.ni41.effectiveSampleSize, 81 / 11.5))
    }

    @Test func ni21AndNi27() {
        let s = SurveyIndicators(respondents: Self.survey)
        // NI 21: don't know (3) and blank (5) out; neither (2) in. Base 1,2,4,6,7,8,10: Σw 9.5; agree 1,4,7,10 = 5.5.
        #expect(s.ni21.unweightedBase == 7 && approx(s.ni21.weightedBase, 9.5) && approx(s.ni21.value, 100 * 5.5 / 9.5))
        // NI 27: don't know (5) and blank (7) out. Base 1,2,3,4,6,8,10: Σw 8; agree 1,3,6,8,10 = 4.5 -> 56.25%.
        #expect(s.ni27.unweightedBase == 7 && approx(s.ni27.weightedBase, 8) && approx(s.ni27.value, 56.25))
        #expect(approx(s.ni27.effectiveSampleSize, 64 / 10.5))
        #expect(approx(s.ni27.lower, 22.894826971872877, 1e-9) && approx(s.ni27.upper, 84.77275878327322, 1e-9))
        // With don't know in the base, respondent 3 (w 0.5) joins NI 21 as not agreeing: 5.5/10 = 55%.
        let dk = SurveyIndicators(respondents: Self.survey, settings: .init(includeDontKnowInBase: true))
        #expect(dk.ni21.unweightedBase == 8 && approx(dk.ni21.value, 55))
        // Without neither, respondent 2 (w 2) leaves: 5.5/7.5.
        let noNeither = SurveyIndicators(respondents: Self.survey, settings: .init(includeNeitherInBase: false))
        #expect(approx(noNeither.ni21.value, 100 * 5.5 / 7.5))
    }

    @Test func wilsonMatchesScipyUnweighted() {
        // python: binomtest(3, 8).proportion_ci(method='wilson') -> (0.13684428582359737, 0.6942576053973728)
        let rows = (0..<8).map { R(weight: 1, strands: [], dealWithConcerns: $0 < 3 ? .stronglyAgree : .tendToDisagree) }
        let s = SurveyIndicators(respondents: rows).ni21
        #expect(approx(s.effectiveSampleSize, 8) && approx(s.value, 37.5))
        #expect(approx(s.lower, 13.684428582359737, 1e-6) && approx(s.upper, 69.42576053973728, 1e-6))
        #expect(s.unweightedBase == 8)
        #expect(SurveyIndicators(respondents: rows).ni17.value == nil) // no strands answered: empty base
    }

    @Test func groupedByWard() throws {
        let wards = ["A", "A", "A", "A", "A", "B", "B", "B", "B", "B"]
        let rows = Array(zip(wards, Self.survey))
        let byWard = SurveyIndicators.grouped(rows, respondent: { $0.1 }, by: { $0.0 })
        // Ward A NI 17: 1 (high, 1), 2 (2), 3 (high, 0.5), 4 (1.5) -> 1.5 / 5 = 30%.
        let a = try #require(byWard["A"])
        #expect(a.ni17.unweightedBase == 4 && approx(a.ni17.value, 30))
        // Ward B NI 17: 8 (1), 10 (high, 1) -> 50%.
        #expect(approx(byWard["B"]?.ni17.value, 50))
        #expect(SurveyIndicators.Agreement(code: " tend_to_agree ") == .tendToAgree && SurveyIndicators.Agreement(code: "yes") == nil)
    }
}
