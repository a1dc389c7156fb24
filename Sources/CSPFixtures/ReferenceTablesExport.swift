import Foundation

/// Writes the synthetic reference inputs: MSG comparators, ward populations and SNT priorities.
public struct ReferenceTablesExport {
    let reference: FixtureReference
    let seed: UInt64

    /// The Most Similar Group members (names and 2019 CSP codes are real; the rates are invented).
    public static let msg: [(String, String)] = [
        ("South Gloucestershire", "E22000006"), ("Huntingdonshire", "E22000016"), ("Aylesbury Vale", "E22000303"), ("Wycombe", "E22000318"),
        ("Test Valley", "E22000121"), ("East Riding of Yorkshire", "E22000133"), ("Bassetlaw", "E22000252"), ("Cheshire East", "E22000354"),
        ("Northumberland", "E22000358"), ("Shropshire", "E22000360"), ("Wiltshire", "E22000361"),
    ]
    /// Themes where Central Bedfordshire is above the MSG average (a ✓ under "MSG performance").
    public static let worseThanMSG: Set<String> = ["bicycle_theft", "burglary_other", "robbery_personal", "robbery_business", "theft_of_vehicle",
                                                   "theft_from_vehicle", "serious_acquisitive", "wounding", "violence_against_the_person"]
    /// Central Bedfordshire's population used for the planted rates.
    public static let population = 255_000.0
    /// SNT priority themes and how many SNT areas hold each (from the assessment's "Public perception" lines).
    public static let sntCounts: [(String, Int)] = [("ASB", 20), ("Alcohol related disorder", 4), ("Non-domestic burglary", 3), ("Vehicle crime", 2),
                                                    ("Criminal damage", 2), ("Drugs", 1), ("Speeding", 9), ("Parking", 5)]

    /// An exporter.
    public init(reference: FixtureReference, seed: UInt64) { self.reference = reference; self.seed = seed }

    /// Writes `reference/msg_comparators.csv`, `reference/ward_population.csv`, `reference/snt_priorities.csv` under `out`.
    public func write(out: String, ledger: QuirkLedger) throws {
        var rng = FixtureRandom(seed: seed, stream: "reference")
        // MSG: rates per 1,000 around Central Bedfordshire's planted 2008 rate, lower where CB does worse.
        var themes: [(String, Double)] = PatternModel.groups.map { ($0.id, $0.annual) }
        let sum = { (ids: [String]) in PatternModel.groups.filter { ids.contains($0.id) }.map(\.annual).reduce(0, +) }
        themes.append(("serious_acquisitive", sum(["burglary_dwelling", "robbery_personal", "robbery_business", "theft_of_vehicle", "theft_from_vehicle", "aggravated_vehicle_taking"])))
        themes.append(("violence_against_the_person", sum(["wounding", "common_assault", "harassment"])))
        themes.append(("all_crime", PatternModel.groups.map(\.annual).reduce(0, +)))
        var w = try FixtureWriter(path: out + "/reference/msg_comparators.csv", encoding: .utf8)
        try w.write("partnership_name,partnership_code,theme,rate_per_1000,year\n")
        for (name, code) in Self.msg {
            for (theme, annual) in themes {
                let cb = annual / Self.population * 1000
                let level = Self.worseThanMSG.contains(theme) ? 0.8 : 1.15
                let rate = max(0.01, cb * level * (1 + 0.12 * rng.normal()))
                try w.write("\(name),\(code),\(theme),\(String(format: "%.2f", rate)),2008/09\n")
            }
        }
        try w.close()
        ledger.total("reference.msg_partnerships", Self.msg.count)

        // Ward populations: each 2001 LSOA about 1,450–1,870 people, summed to the 2009 wards.
        w = try FixtureWriter(path: out + "/reference/ward_population.csv", encoding: .utf8)
        try w.write("ward_code,ward_name,population\n")
        var total = 0
        var lsoaPop: [String: Int] = [:]
        for l in reference.lsoas { lsoaPop[l.code] = rng.int(1450...1870) }
        for ward in reference.wards2009 {
            let p = reference.lsoas.filter { $0.wd09 == ward.code }.map { lsoaPop[$0.code]! }.reduce(0, +)
            total += p
            try w.write("\(ward.code),\(csvField(ward.name)),\(p)\n")
        }
        try w.close()
        ledger.total("reference.population", total)

        // SNT areas: one per 2009 ward, except that small rural wards share one.
        w = try FixtureWriter(path: out + "/reference/snt_priorities.csv", encoding: .utf8)
        try w.write("snt_area,ward_codes,priority,period_from,period_to\n")
        var areas: [(String, [String])] = []
        let wards = reference.wards2009
        var i = 0
        while i < wards.count {
            if areas.count < 24 && wards.count - i > 24 - areas.count {
                areas.append(("\(wards[i].name) & \(wards[i + 1].name) SNT", [wards[i].code, wards[i + 1].code])); i += 2
            } else {
                areas.append(("\(wards[i].name) SNT", [wards[i].code])); i += 1
            }
        }
        var assigned: [Int: [String]] = [:]
        for (theme, n) in Self.sntCounts {
            var pool = Array(areas.indices)
            for _ in 0..<n { let k = pool.remove(at: rng.below(pool.count)); assigned[k, default: []].append(theme) }
        }
        for (k, a) in areas.enumerated() {
            for t in assigned[k] ?? [] { try w.write("\(csvField(a.0)),\(a.1.joined(separator: ";")),\(t),2009-04-01,2009-09-30\n") }
        }
        try w.close()
        ledger.total("reference.snt_areas", areas.count)
    }
}
