import Foundation

/// Writes the Youth Offending Service case extract (UTF-8 with BOM, LF).
public struct YOSExport {
    let reference: FixtureReference
    let seed: UInt64

    /// The export header.
    public static let header = "YP_ID,DOB,Sex,Ethnicity,OffenceDate,OffenceCategory,Outcome,OutcomeDate,FirstTimeEntrant,PPO,Ward"
    /// 2001 census ethnic categories and shares.
    public static let ethnicities: [(String, Double)] = [
        ("White - British", 0.82), ("White - Irish", 0.01), ("White - Any other White background", 0.03),
        ("Mixed - White and Black Caribbean", 0.03), ("Mixed - White and Asian", 0.01), ("Black or Black British - Caribbean", 0.02),
        ("Black or Black British - African", 0.01), ("Asian or Asian British - Pakistani", 0.02), ("Asian or Asian British - Bangladeshi", 0.01),
        ("Asian or Asian British - Indian", 0.01), ("Chinese or other ethnic group - Chinese", 0.005), ("Not stated", 0.025),
    ]
    static let categories: [(String, Double)] = [("Theft and handling", 0.24), ("Violence against the person", 0.2), ("Criminal damage", 0.13),
        ("Motoring offences", 0.09), ("Public order", 0.08), ("Burglary", 0.07), ("Drugs", 0.06), ("Robbery", 0.02),
        ("Breach of statutory order", 0.06), ("Other", 0.05)]
    static let outcomes = ["Reprimand", "Final Warning", "Referral Order", "Youth Rehabilitation Order", "Custody"]

    /// An exporter.
    public init(reference: FixtureReference, seed: UInt64) { self.reference = reference; self.seed = seed }

    /// Writes `yos/yos_cases.csv` under `out`.
    public func write(out: String, ledger: QuirkLedger) throws {
        var rng = FixtureRandom(seed: seed, stream: "yos")
        let file = "yos/yos_cases.csv"
        let w = try FixtureWriter(path: out + "/" + file, encoding: .utf8)
        try w.write(bytes: [0xEF, 0xBB, 0xBF])
        try w.write(Self.header + "\n")
        struct YP { var id: String; var dob: CivilDate; var sex: String; var eth: String; var ward: String; var cases: Int; var ppo: Bool }
        var people: [YP] = []
        let table = WeightedTable(reference.lsoas.map { PatternModel.asbSpots[$0.wd08] ?? 1 })
        let ethTable = WeightedTable(Self.ethnicities.map(\.1)), catTable = WeightedTable(Self.categories.map(\.1))
        for month in FixtureMonth.all {
            for _ in 0..<rng.count(around: 600.0 / 12) {
                let offence = CivilDate(day: month.first.day + rng.below(month.days))
                var index: Int? = nil
                if !people.isEmpty && rng.chance(0.35) {
                    let candidates = people.indices.suffix(400).filter { ageOn(offence, born: people[$0].dob) <= 17 }
                    if !candidates.isEmpty { index = candidates[min(candidates.count - 1, Int(Double(candidates.count) * rng.unit() * rng.unit()))] }
                }
                if index == nil {
                    var age = rng.chance(0.65) ? rng.int(14...17) : rng.int(10...13)
                    if rng.chance(0.004) { age = 9 } else if rng.chance(0.004) { age = 18 }
                    let dob = CivilDate(day: offence.day - age * 365 - (age / 4) - rng.int(2...360))
                    let l = reference.lsoas[table.draw(&rng)]
                    people.append(YP(id: "YP\(String(format: "%05d", people.count + 1))", dob: dob, sex: rng.chance(0.78) ? "Male" : "Female",
                                     eth: Self.ethnicities[ethTable.draw(&rng)].0, ward: l.wd09, cases: 0, ppo: rng.chance(0.03)))
                    index = people.count - 1
                    if people[index!].eth == "Not stated" { ledger.add("yos.ethnicity_not_stated", file: file) }
                }
                let i = index!
                people[i].cases += 1
                let first = people[i].cases == 1
                let step = min(Self.outcomes.count - 1, (first ? 0 : people[i].cases - 1) + (rng.chance(0.3) ? 1 : 0) + (first && rng.chance(0.25) ? 2 : 0))
                let outcome = Self.outcomes[step]
                var outcomeDate = CivilDate(day: offence.day + rng.int(7...120))
                if rng.chance(0.005) { outcomeDate = CivilDate(day: offence.day - rng.int(3...40)); ledger.add("yos.outcome_before_offence", file: file) }
                if !first { ledger.add("yos.repeat_case", file: file) }
                let age = ageOn(offence, born: people[i].dob)
                if age < 10 || age > 17 { ledger.add("yos.age_out_of_range", file: file) }
                let row = [people[i].id, people[i].dob.uk, people[i].sex, csvField(people[i].eth), offence.uk, Self.categories[catTable.draw(&rng)].0,
                           outcome, outcomeDate.uk, first ? "Y" : "N", people[i].ppo ? "Y" : "N", people[i].ward]
                try w.write(row.joined(separator: ",") + "\n")
                ledger.total("yos.cases", 1)
            }
        }
        ledger.total("yos.young_people", people.count)
        ledger.total("yos.reoffenders", people.filter { $0.cases > 1 }.count)
        ledger.declare("yos.outcome_before_offence", file: file)
        ledger.declare("yos.age_out_of_range", file: file)
        try w.close()
    }
}
