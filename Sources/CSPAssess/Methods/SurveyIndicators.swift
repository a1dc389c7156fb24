import CSPSchema
import CSPStorage
import Foundation

/// Place Survey national indicators from respondent-level answers: NI 17, NI 41, NI 42, NI 21, NI 27.
///
/// Method. Strand answers are scores: very big problem 3, fairly big 2, not very big 1, not a problem 0,
/// nil for don't know or blank. The seven strands are, in order: noisy neighbours or loud parties;
/// teenagers hanging around; rubbish or litter; vandalism, graffiti and deliberate damage; people using or
/// dealing drugs; people being drunk or rowdy; abandoned or burnt-out cars. NI 17 (perceptions of ASB):
/// the base is respondents who answered all seven strands on the four-point scale; a respondent has a high
/// perception when the total score is at least `highPerceptionThreshold` (default 11) of 21. NI 42 (drugs,
/// the 5th strand) and NI 41 (drunk or rowdy, the 6th): the base is respondents who answered that strand
/// on the scale; the indicator is the share answering very or fairly big problem (score 3 or 2). NI 21
/// (`q_deal_with_concerns`) and NI 27 (`q_understand_concerns`): the share answering strongly or tend to
/// agree; the base is respondents who gave an agreement answer — "neither" is in the base
/// (`includeNeitherInBase`, default true), "don't know" is not (`includeDontKnowInBase`, default false) and
/// a blank never is. Every share is weighted: value = 100 × Σ_{yes} w / Σ_{base} w. Respondents with a weight
/// that is not a positive finite number are left out of every base. Each indicator reports the unweighted
/// base n, the weighted base Σw, Kish's effective sample size n_eff = (Σw)² / Σw², and a confidence
/// interval (default 95%, z = 1.959964) by the Wilson score interval with p̂ the weighted share and n_eff
/// in place of n: (p̂ + z²/2n_eff ± z √(p̂(1 − p̂)/n_eff + z²/4n_eff²)) / (1 + z²/n_eff), in per cent.
public struct SurveyIndicators: Sendable, Equatable {
    /// An agreement answer, coded as in the normalised survey file.
    public enum Agreement: String, Sendable, Equatable, CaseIterable {
        /// `strongly_agree`.
        case stronglyAgree = "strongly_agree"
        /// `tend_to_agree`.
        case tendToAgree = "tend_to_agree"
        /// `neither`.
        case neither
        /// `tend_to_disagree`.
        case tendToDisagree = "tend_to_disagree"
        /// `strongly_disagree`.
        case stronglyDisagree = "strongly_disagree"
        /// `dont_know`.
        case dontKnow = "dont_know"
        /// `""`: no answer.
        case blank = ""

        /// Parses a code (trimmed); nil for an unrecognised code.
        public init?(code: String) { self.init(rawValue: code.trimmingCharacters(in: .whitespaces)) }
    }

    /// One respondent's weight and answers.
    public struct Respondent: Sendable, Equatable {
        /// Survey weight.
        public var weight: Double
        /// Seven strand scores 0–3, nil for don't know or blank (see the type's documentation for the order).
        public var strands: [Int?]
        /// Answer to `q_deal_with_concerns` (NI 21).
        public var dealWithConcerns: Agreement
        /// Answer to `q_understand_concerns` (NI 27).
        public var understandConcerns: Agreement

        /// A respondent; `strands` shorter than seven is padded with nil.
        public init(weight: Double, strands: [Int?], dealWithConcerns: Agreement = .blank, understandConcerns: Agreement = .blank) {
            self.weight = weight
            self.strands = Array((strands + [Int?](repeating: nil, count: 7)).prefix(7))
            self.dealWithConcerns = dealWithConcerns
            self.understandConcerns = understandConcerns
        }
    }

    /// Base rules and thresholds, with the documented defaults.
    public struct Settings: Sendable, Equatable {
        /// NI 17 high-perception total (of 21). Default 11.
        public var highPerceptionThreshold: Int
        /// Whether "neither agree nor disagree" is in the NI 21/27 base. Default true.
        public var includeNeitherInBase: Bool
        /// Whether "don't know" is in the NI 21/27 base (as not agreeing). Default false.
        public var includeDontKnowInBase: Bool
        /// Normal quantile of the confidence interval. Default 1.959964 (95%).
        public var z: Double

        /// Settings with the documented defaults unless given.
        public init(highPerceptionThreshold: Int = 11, includeNeitherInBase: Bool = true, includeDontKnowInBase: Bool = false, z: Double = 1.959964) {
            self.highPerceptionThreshold = highPerceptionThreshold
            self.includeNeitherInBase = includeNeitherInBase
            self.includeDontKnowInBase = includeDontKnowInBase
            self.z = z
        }
    }

    /// One indicator's estimate.
    public struct Indicator: Sendable, Equatable {
        /// Weighted share in per cent; nil when the base is empty.
        public let value: Double?
        /// Respondents in the base.
        public let unweightedBase: Int
        /// Σ w over the base.
        public let weightedBase: Double
        /// Kish effective sample size (Σw)² / Σw² (0 for an empty base).
        public let effectiveSampleSize: Double
        /// Wilson lower bound, per cent; nil when the base is empty.
        public let lower: Double?
        /// Wilson upper bound, per cent; nil when the base is empty.
        public let upper: Double?

        /// Estimates from (weight, counts-as-yes) pairs of the base.
        init(_ base: [(weight: Double, yes: Bool)], z: Double) {
            unweightedBase = base.count
            let sw = base.reduce(0) { $0 + $1.weight }
            let sw2 = base.reduce(0) { $0 + $1.weight * $1.weight }
            weightedBase = sw
            guard sw > 0 else {
                value = nil; effectiveSampleSize = 0; lower = nil; upper = nil
                return
            }
            let p = base.reduce(0) { $0 + ($1.yes ? $1.weight : 0) } / sw
            let n = sw * sw / sw2
            effectiveSampleSize = n
            value = 100 * p
            let z2 = z * z
            let denominator = 1 + z2 / n
            let centre = (p + z2 / (2 * n)) / denominator
            let half = z * (p * (1 - p) / n + z2 / (4 * n * n)).squareRoot() / denominator
            lower = 100 * max(0, centre - half)
            upper = 100 * min(1, centre + half)
        }
    }

    /// NI 17: high perception of anti-social behaviour.
    public let ni17: Indicator
    /// NI 41: drunk or rowdy behaviour a very or fairly big problem.
    public let ni41: Indicator
    /// NI 42: drug use or dealing a very or fairly big problem.
    public let ni42: Indicator
    /// NI 21: agree the police and council deal with local concerns about ASB and crime.
    public let ni21: Indicator
    /// NI 27: agree the police and council understand local concerns.
    public let ni27: Indicator

    /// Computes the five indicators over `respondents`.
    public init(respondents: [Respondent], settings: Settings = Settings()) {
        let valid = respondents.filter { $0.weight.isFinite && $0.weight > 0 }
        func onScale(_ s: Int?) -> Int? { s.flatMap { (0...3).contains($0) ? $0 : nil } }
        var ni17: [(weight: Double, yes: Bool)] = []
        var ni41: [(weight: Double, yes: Bool)] = []
        var ni42: [(weight: Double, yes: Bool)] = []
        var ni21: [(weight: Double, yes: Bool)] = []
        var ni27: [(weight: Double, yes: Bool)] = []
        func agreement(_ a: Agreement) -> Bool? {
            switch a {
            case .stronglyAgree, .tendToAgree: true
            case .tendToDisagree, .stronglyDisagree: false
            case .neither: settings.includeNeitherInBase ? false : nil
            case .dontKnow: settings.includeDontKnowInBase ? false : nil
            case .blank: nil
            }
        }
        for r in valid {
            let scores = r.strands.map(onScale)
            if scores.allSatisfy({ $0 != nil }) {
                ni17.append((r.weight, scores.reduce(0) { $0 + $1! } >= settings.highPerceptionThreshold))
            }
            if let s = scores[5] { ni41.append((r.weight, s >= 2)) }
            if let s = scores[4] { ni42.append((r.weight, s >= 2)) }
            if let yes = agreement(r.dealWithConcerns) { ni21.append((r.weight, yes)) }
            if let yes = agreement(r.understandConcerns) { ni27.append((r.weight, yes)) }
        }
        self.ni17 = Indicator(ni17, z: settings.z)
        self.ni41 = Indicator(ni41, z: settings.z)
        self.ni42 = Indicator(ni42, z: settings.z)
        self.ni21 = Indicator(ni21, z: settings.z)
        self.ni27 = Indicator(ni27, z: settings.z)
    }

    /// Computes the indicators separately for each value of `key` (for example the respondent's ward).
    public static func grouped(_ respondents: [Respondent], settings: Settings = Settings(),
                               by key: (Respondent) -> String) -> [String: SurveyIndicators] {
        grouped(respondents, settings: settings, respondent: { $0 }, by: key)
    }

    /// Computes the indicators per group for rows of any type (for example warehouse rows carrying a ward
    /// code): `respondent` reads a row's answers, `key` its group.
    public static func grouped<Row>(_ rows: [Row], settings: Settings = Settings(), respondent: (Row) -> Respondent,
                                    by key: (Row) -> String) -> [String: SurveyIndicators] {
        Dictionary(grouping: rows, by: key).mapValues { SurveyIndicators(respondents: $0.map(respondent), settings: settings) }
    }
}
