import Foundation

/// Writes the monthly police crime and persons exports with their file-level quirks:
/// re-exported duplicates, same-file duplicates, ragged rows and a truncated final line.
public struct CrimeExport {
    let reference: FixtureReference
    let seed: UInt64

    /// An exporter.
    public init(reference: FixtureReference, seed: UInt64) { self.reference = reference; self.seed = seed }

    /// The CSV line (CRLF) of `fields`.
    static func line(_ fields: [String]) -> String { fields.map(csvField).joined(separator: ",") + "\r\n" }

    /// The extraction date of month `m`'s export: 1–4 days into the next month.
    static func extraction(_ m: FixtureMonth, _ rng: inout FixtureRandom) -> CivilDate {
        CivilDate(day: FixtureMonth(index: m.index + 1).first.day + rng.int(1...4))
    }

    /// The crimes of one month, in recorded-date order.
    static func monthCrimes(factory: inout CrimeFactory, month: FixtureMonth, extracted: CivilDate, scale: Double, _ rng: inout FixtureRandom) -> [CrimeRecord] {
        var plan: [(Int, Int)] = []
        for (gi, g) in PatternModel.groups.enumerated() {
            let mean = g.annual / 12 * g.season[month.month - 1] * g.trend[month.half] * scale
            for _ in 0..<rng.count(around: mean) { plan.append((month.first.day + rng.below(month.days), gi)) }
        }
        plan.sort { $0 < $1 }
        return plan.map { factory.make(group: PatternModel.groups[$0.1], month: month, recordedDay: $0.0, extracted: extracted, &rng) }
    }

    /// Whether stage 2 rejects this crime (a planted impossible date, from-after-to, or unknown offence code).
    static func rejected(_ c: CrimeRecord) -> Bool {
        c.quirks.contains("crimes.impossible_date") || c.quirks.contains("crimes.from_after_to") || c.quirks.contains("crimes.unknown_offence_code")
    }

    /// Writes `police/crimes/crimes_YYYY-MM.csv` and `police/persons/persons_YYYY-MM.csv` under `out`.
    public func write(out: String, ledger: QuirkLedger) throws {
        var rng = FixtureRandom(seed: seed, stream: "police-crimes")
        var prng = FixtureRandom(seed: seed, stream: "police-persons")
        var factory = CrimeFactory(reference: reference)
        let persons = PersonFactory()
        let groups = Dictionary(uniqueKeysWithValues: PatternModel.groups.map { ($0.id, $0) })
        var carried: [CrimeRecord] = []
        for month in FixtureMonth.all {
            let extracted = Self.extraction(month, &rng)
            let crimeFile = "police/crimes/crimes_\(month.label).csv", personFile = "police/persons/persons_\(month.label).csv"
            let w = try FixtureWriter(path: out + "/" + crimeFile, encoding: .windows1252)
            let pw = try FixtureWriter(path: out + "/" + personFile, encoding: .windows1252)
            try w.write(Self.line(CrimeFactory.header))
            try pw.write(Self.line(PersonFactory.header))
            var fresh = Self.monthCrimes(factory: &factory, month: month, extracted: extracted, scale: 1, &rng)
            // Ragged rows are chosen among rows no other stage would reject, and are never duplicated:
            // stage 1 rejects them, so their other quirks and their people are not planted.
            for i in fresh.indices where !Self.rejected(fresh[i]) && rng.chance(0.002) { fresh[i].quirks = ["crimes.ragged_row"] }
            var rows: [CrimeRecord] = fresh
            // Re-exported crimes from last month, updated, with this export's extraction date.
            for var c in carried {
                c.fields[16] = extracted.uk
                c.quirks.append("crimes.duplicate_next_month")
                let codes = reference.offences[c.group]!
                if codes.count > 1 && !c.quirks.contains("crimes.unknown_offence_code") && !c.quirks.contains("crimes.offence_code_untidy") {
                    let other = codes.first { $0.code != c.fields[1] }!
                    c.fields[1] = other.code; c.fields[2] = other.description
                    c.quirks.append("crimes.duplicate_reclassified")
                }
                rows.insert(c, at: rng.below(rows.count + 1))
            }
            // The same crime twice in one file: the later line (alcohol flag corrected) wins.
            var i = 0
            while i < rows.count {
                if !rows[i].quirks.contains("crimes.duplicate_next_month") && !rows[i].quirks.contains("crimes.duplicate_same_file")
                    && !Self.rejected(rows[i]) && !rows[i].quirks.contains("crimes.ragged_row")
                    && (rows[i].fields[14] == "Y" || rows[i].fields[14] == "N") && rng.chance(0.002) {
                    var copy = rows[i]
                    copy.fields[14] = copy.fields[14] == "Y" ? "N" : "Y"
                    copy.quirks.append("crimes.duplicate_same_file")
                    rows.insert(copy, at: i + 1 + rng.below(rows.count - i))
                }
                i += 1
            }
            for r in rows {
                var fields = r.fields
                var text: String
                if r.quirks.contains("crimes.ragged_row") {
                    if !fields[11].isEmpty {
                        let address = fields.remove(at: 11)
                        text = fields[0..<11].map(csvField).joined(separator: ",") + "," + address + "," + fields[11...].map(csvField).joined(separator: ",") + "\r\n"
                    } else {
                        fields.removeLast()
                        text = Self.line(fields)
                    }
                } else {
                    text = Self.line(fields)
                }
                try w.write(text)
                for q in r.quirks { ledger.add(q, file: crimeFile) }
                ledger.total("crimes.rows", 1)
            }
            for c in fresh where !Self.rejected(c) && !c.quirks.contains("crimes.ragged_row") {
                for p in persons.persons(for: c, group: groups[c.group]!, &prng) {
                    try pw.write(Self.line(p.fields))
                    for q in p.quirks { ledger.add(q, file: personFile) }
                    ledger.total("persons.rows", 1)
                }
                if prng.chance(0.002) {
                    let parts = c.number.split(separator: "/")
                    let orphan = "\(parts[0])/9\(String(format: "%04d", prng.below(10000)))/\(parts[2])"
                    var p = persons.persons(for: c, group: groups["wounding"]!, &prng)[0]
                    if p.quirks.contains("persons.age_disagrees") {
                        // An orphan's age cannot be checked against its crime's date: blank it instead.
                        p.quirks.removeAll { $0 == "persons.age_disagrees" }
                        p.quirks.append("persons.age_blank")
                        p.fields[5] = ""
                    }
                    try pw.write(Self.line([orphan] + p.fields.dropFirst()))
                    ledger.add("persons.orphan_crime_number", file: personFile)
                    for q in p.quirks { ledger.add(q, file: personFile) }
                    ledger.total("persons.rows", 1)
                }
            }
            ledger.total("crimes.distinct_crimes", fresh.count)
            carried = month.index < 29 ? fresh.filter { c in !Self.rejected(c) && !c.quirks.contains("crimes.ragged_row") && rng.chance(0.01) } : []
            if month.index == 29 {
                // The export was cut off mid-record: no newline after the last, partial line.
                let last = factory.make(group: PatternModel.groups[0], month: month, recordedDay: month.first.day + month.days - 1, extracted: extracted, &rng)
                let full = Self.line(last.fields)
                let cut = full.utf8.enumerated().filter { $0.element == UInt8(ascii: ",") }.map(\.offset)[5] + 3
                try w.write(String(decoding: Array(full.utf8.prefix(cut)), as: UTF8.self))
                ledger.add("crimes.truncated_final_line", file: crimeFile)
            }
            try w.close(); try pw.close()
        }
        for q in ["crimes.ragged_row", "crimes.duplicate_same_file", "persons.orphan_crime_number", "crimes.impossible_date", "crimes.from_after_to"] {
            ledger.declare(q, file: "police/crimes/crimes_*.csv")
        }
    }
}
