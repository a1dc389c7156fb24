import Foundation

/// Writes the Place Survey 2008 respondent file, calibrated to the assessment's NI 17, 41 and 42.
public struct SurveyExport {
    let reference: FixtureReference
    let seed: UInt64

    /// The export header.
    public static let header = "respondent_id,ward_code,weight,q_noisy_neighbours,q_teenagers,q_rubbish,q_vandalism,q_drugs,q_drunk_rowdy,q_abandoned_cars,q_deal_with_concerns,q_understand_concerns,sex,age_band"
    /// Strand answers, scored 3, 2, 1, 0.
    public static let strandLabels = ["Very big problem", "Fairly big problem", "Not a very big problem", "Not a problem at all"]
    /// Agreement answers.
    public static let agreeLabels = ["Strongly agree", "Tend to agree", "Neither agree nor disagree", "Tend to disagree", "Strongly disagree"]
    /// Per-strand offset of the latent concern (noisy neighbours, teenagers, rubbish, vandalism, drugs, drunk/rowdy, abandoned cars).
    public static let strandOffsets: [Double] = [-0.8, 0.0, 0.0, -0.15, -0.07, -0.11, -1.4]
    /// Cut points on the latent scale between 0|1, 1|2 and 2|3.
    public static let cuts: [Double] = [-0.7, 0.55, 1.45]
    /// Respondents.
    public static let respondents = 1800

    /// An exporter.
    public init(reference: FixtureReference, seed: UInt64) { self.reference = reference; self.seed = seed }

    /// Writes `survey/place_survey_2008.csv` under `out` and records the NI values in the ledger.
    public func write(out: String, ledger: QuirkLedger) throws {
        var rng = FixtureRandom(seed: seed, stream: "survey")
        let file = "survey/place_survey_2008.csv"
        let w = try FixtureWriter(path: out + "/" + file, encoding: .utf8)
        try w.write(Self.header + "\r\n")
        let wards = reference.wards2008
        let wardTable = WeightedTable(wards.map { w in Double(reference.lsoas.filter { $0.wd08 == w.code }.count) })
        let bands = ["18-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75+"]
        var rows: [(w: Double, scores: [Int?])] = []
        for r in 0..<Self.respondents {
            let ward = wards[wardTable.draw(&rng)]
            let effect = (PatternModel.asbSpots[ward.code] ?? 1) > 1.5 ? 0.35 : -0.1
            let z = effect + rng.normal() * 0.75
            var answers: [String] = [], scores: [Int?] = []
            for s in 0..<7 {
                if rng.chance(0.02) { answers.append(""); scores.append(nil); ledger.add("survey.blank_answer", file: file); continue }
                if rng.chance(0.03) { answers.append("Don't know"); scores.append(nil); ledger.add("survey.dont_know", file: file); continue }
                let u = z + Self.strandOffsets[s] + rng.normal() * 0.7
                let score = u < Self.cuts[0] ? 0 : u < Self.cuts[1] ? 1 : u < Self.cuts[2] ? 2 : 3
                answers.append(Self.strandLabels[3 - score]); scores.append(score)
            }
            for _ in 0..<2 {
                if rng.chance(0.02) { answers.append(""); ledger.add("survey.blank_answer", file: file); continue }
                if rng.chance(0.06) { answers.append("Don't know"); ledger.add("survey.dont_know", file: file); continue }
                let a = -z * 0.8 + rng.normal()
                answers.append(Self.agreeLabels[a > 1.3 ? 0 : a > -0.2 ? 1 : a > -0.9 ? 2 : a > -1.6 ? 3 : 4])
            }
            let weight = min(3.0, max(0.3, exp(rng.normal() * 0.35)))
            let wtext = String(format: "%.3f", weight)
            rows.append((Double(wtext)!, scores))
            try w.write(["R\(String(format: "%05d", r + 1))", ward.code, wtext].joined(separator: ",") + "," + answers.map(csvField).joined(separator: ",")
                        + "," + (rng.chance(0.48) ? "Male" : "Female") + "," + bands[rng.weighted([0.08, 0.14, 0.18, 0.18, 0.17, 0.14, 0.11])] + "\r\n")
        }
        try w.close()
        let ni = Self.indicators(rows)
        ledger.value("survey.ni17", ni.ni17); ledger.value("survey.ni41", ni.ni41); ledger.value("survey.ni42", ni.ni42)
        ledger.total("survey.respondents", Self.respondents)
    }

    /// NI 17 (seven strands, total ≥ 11, base: all seven answered on the scale), NI 41 and NI 42 (weighted share
    /// very/fairly big among those answering the strand on the scale).
    public static func indicators(_ rows: [(w: Double, scores: [Int?])]) -> (ni17: Double, ni41: Double, ni42: Double) {
        var hi = 0.0, base = 0.0, d = [0.0, 0.0], dBase = [0.0, 0.0]
        for r in rows {
            if r.scores.allSatisfy({ $0 != nil }) {
                base += r.w
                if r.scores.reduce(0, { $0 + $1! }) >= 11 { hi += r.w }
            }
            for (k, s) in [5, 4].enumerated() {
                if let v = r.scores[s] { dBase[k] += r.w; if v >= 2 { d[k] += r.w } }
            }
        }
        return (hi / base, d[0] / dBase[0], d[1] / dBase[1])
    }
}
