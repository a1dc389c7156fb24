import CSPCore
import CSPSchema
import CSPStorage
import GRDB

extension AssessWarehouse {
    /// One crime of the months asked for: the crime themes it counts in (indices into the themes asked for) and its
    /// outcomes recorded up to the last month (data.police.uk `outcomes`, joined on `crime_ref`), oldest first.
    struct CrimeOutcomes {
        let themes: [Int]
        /// (month, outcome text) of each outcome row, in warehouse order (`id`).
        var outcomes: [(month: String, outcome: String)]
    }

    /// The `crimes` rows with a month between `from` and `to` inclusive that count in at least one of `themes` (each
    /// a theme of dataset `crimes`), each with its outcome rows of a month up to `to`. Empty when the warehouse has
    /// no `outcomes` table.
    ///
    /// Outcome rows are linked by Crime ID, so the rows of a Crime ID that data.police.uk gave to several different
    /// records (`crime_ref_collision`, flagged in stage 2) would each get all of its outcomes, and one charge would
    /// count for two crimes. Each such outcome row goes to one of those crimes only (`attributeShared`): every
    /// crime is counted once, and every outcome once.
    func crimeOutcomes(themes: [ThemeDefinition], from: String, to: String) throws -> [CrimeOutcomes] {
        guard try tableExists("outcomes"), try tableExists("crimes"), !themes.isEmpty else { return [] }
        var select: [String] = []
        var args = StatementArguments()
        for t in themes {
            let f = try filter(t, alias: "c")
            select.append("COALESCE((\(f.sql)), 0)")
            args += f.arguments
        }
        args += [to, from, to]
        let crimeColumns = try columns("crimes"), outcomeColumns = try columns("outcomes")
        func column(_ alias: String, _ name: String, in known: Set<String>) -> String { known.contains(name) ? "\(alias).\(name.quotedDatabaseIdentifier)" : "NULL" }
        let shared = ["c.crime_ref", column("c", "crime_ref_collision", in: crimeColumns), column("c", "longitude", in: crimeColumns),
                      column("c", "latitude", in: crimeColumns), column("c", "last_outcome", in: crimeColumns), "o.id",
                      column("o", "longitude", in: outcomeColumns), column("o", "latitude", in: outcomeColumns)]
        let sql = "SELECT c.id, \(select.joined(separator: ", ")), o.month, o.outcome_type, \(shared.joined(separator: ", ")) FROM crimes c "
            + "LEFT JOIN outcomes o ON o.crime_ref = c.crime_ref AND o.month <= ? "
            + "WHERE c.month BETWEEN ? AND ? ORDER BY c.id, o.id"
        return try queue.read { db in
            var out: [CrimeOutcomes] = []
            var sharing: [String: [SharedCrime]] = [:]
            var lastID: Int64? = nil
            // The current crime's Crime ID when it is flagged (its outcomes are noted for `attributeShared`).
            var flagged: String? = nil
            let cursor = try Row.fetchCursor(db, sql: sql, arguments: args)
            let n = themes.count
            while let r = try cursor.next() {
                let id: Int64 = r[0]
                if id != lastID {
                    lastID = id
                    out.append(CrimeOutcomes(themes: themes.indices.filter { (r[1 + $0] as Int? ?? 0) != 0 }, outcomes: []))
                    flagged = (r[4 + n] as Int? ?? 0) != 0 ? r[3 + n] : nil
                    if let ref = flagged {
                        sharing[ref, default: []].append(SharedCrime(index: out.count - 1, longitude: r[5 + n], latitude: r[6 + n], lastOutcome: r[7 + n]))
                    }
                }
                let month: String? = r[1 + n], text: String? = r[2 + n]
                if let month, let text {
                    out[out.count - 1].outcomes.append((month, text))
                    if let ref = flagged {
                        sharing[ref]![sharing[ref]!.count - 1].outcomes.append(SharedOutcome(id: r[8 + n], longitude: r[9 + n], latitude: r[10 + n], text: text))
                    }
                }
            }
            for crimes in sharing.values where crimes.count > 1 { Self.attributeShared(crimes, in: &out) }
            return out.filter { !$0.themes.isEmpty }
        }
    }

    /// A crime whose Crime ID other records share (`crime_ref_collision`), with its place, its street file's last
    /// outcome, and the outcome rows the join gave it.
    struct SharedCrime {
        let index: Int
        let longitude: Double?
        let latitude: Double?
        let lastOutcome: String?
        var outcomes: [SharedOutcome] = []
    }

    /// One outcome row of a shared Crime ID.
    struct SharedOutcome {
        let id: Int64
        let longitude: Double?
        let latitude: Double?
        let text: String
    }

    /// Gives each outcome row of a shared Crime ID to one of its crimes (`crimes`, in warehouse order, all of the
    /// period): the crime at the outcome's point (outcome files carry the crime's anonymised place), then the crime
    /// whose street-file last outcome is the outcome's text, then the first crime. The others lose that row.
    static func attributeShared(_ crimes: [SharedCrime], in out: inout [CrimeOutcomes]) {
        var owner: [Int64: Int] = [:]
        for o in crimes.flatMap(\.outcomes) where owner[o.id] == nil {
            func at(_ c: SharedCrime) -> Bool { c.longitude != nil && c.longitude == o.longitude && c.latitude == o.latitude }
            let atPoint = crimes.filter(at)
            let candidates = atPoint.isEmpty ? crimes : atPoint
            owner[o.id] = (candidates.first { $0.lastOutcome == o.text } ?? candidates[0]).index
        }
        for c in crimes {
            out[c.index].outcomes = zip(c.outcomes, out[c.index].outcomes).filter { owner[$0.0.id] == c.index }.map(\.1)
        }
    }

    /// The stop-and-search records with a month between `from` and `to` inclusive, grouped by the values of
    /// `columns` (nil when blank or when the table has no such column), with their numbers.
    func stopSearchGroups(columns wanted: [String], from: String, to: String) throws -> [(values: [String?], count: Int)] {
        guard try tableExists("stop_searches") else { return [] }
        let known = try columns("stop_searches")
        guard known.contains("month") else { return [] }
        let select = wanted.map { known.contains($0) ? "CAST(\($0.quotedDatabaseIdentifier) AS TEXT)" : "NULL" }
        let names = select.indices.map { "c\($0)" }
        let sql = "SELECT \(names.joined(separator: ", ")), COUNT(*) FROM (SELECT "
            + zip(select, names).map { "\($0) AS \($1)" }.joined(separator: ", ")
            + " FROM stop_searches WHERE month BETWEEN ? AND ?) GROUP BY \(names.joined(separator: ", ")) ORDER BY \(names.joined(separator: ", "))"
        return try queue.read { db in
            try Row.fetchAll(db, sql: sql, arguments: [from, to]).map { r in
                let values: [String?] = wanted.indices.map { i in
                    let s: String? = r[i]
                    return s?.isEmpty == false ? s : nil
                }
                return (values, r[wanted.count])
            }
        }
    }
}
