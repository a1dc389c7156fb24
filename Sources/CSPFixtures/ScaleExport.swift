import Foundation

/// Benchmark-sized police crime exports, streamed to disk: `--scale N` writes N million rows.
public struct ScaleExport {
    /// Output formats.
    public enum Format: String, Sendable, CaseIterable {
        /// The CMSII-like CSV of the committed fixtures, in one file.
        case cmsii
        /// data.police.uk street-level files, one a month.
        case policeUK = "police-uk"
    }
    /// The data.police.uk street header.
    public static let policeUKHeader = "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context"
    /// data.police.uk crime types by offence group.
    static let crimeTypes: [String: String] = [
        "burglary_dwelling": "Burglary", "burglary_other": "Burglary", "robbery_personal": "Robbery", "robbery_business": "Robbery",
        "theft_of_vehicle": "Vehicle crime", "theft_from_vehicle": "Vehicle crime", "aggravated_vehicle_taking": "Vehicle crime",
        "theft_from_person": "Theft from the person", "bicycle_theft": "Bicycle theft", "shoplifting": "Shoplifting", "other_theft": "Other theft",
        "wounding": "Violence and sexual offences", "common_assault": "Violence and sexual offences", "harassment": "Violence and sexual offences",
        "sexual": "Violence and sexual offences", "criminal_damage": "Criminal damage and arson", "arson": "Criminal damage and arson",
        "drugs": "Drugs", "fraud": "Other crime", "other": "Public order",
    ]
    static let outcomes: [(String, Double)] = [("Investigation complete; no suspect identified", 0.42), ("Unable to prosecute suspect", 0.3),
        ("Under investigation", 0.08), ("Awaiting court outcome", 0.06), ("Local resolution", 0.04), ("Offender given a caution", 0.03),
        ("Action to be taken by another organisation", 0.03), ("Formal action is not in the public interest", 0.02), ("Court result unavailable", 0.02)]

    let reference: FixtureReference
    let seed: UInt64

    /// An exporter.
    public init(reference: FixtureReference, seed: UInt64) { self.reference = reference; self.seed = seed }

    /// Rows per month for `total` rows, following the model's monthly volumes.
    static func monthRows(total: Int) -> [Int] {
        let w = FixtureMonth.all.map { m in PatternModel.groups.map { $0.annual * $0.season[m.month - 1] * $0.trend[m.half] }.reduce(0, +) }
        let s = w.reduce(0, +)
        var rows = w.map { Int(Double(total) * $0 / s) }
        rows[rows.count - 1] += total - rows.reduce(0, +)
        return rows
    }

    /// Writes the export and returns the files written and the rows in them.
    /// The share of data.police.uk rows that re-publish a crime of the previous month (the benchmark's duplicates).
    public static let republishedShare = 0.01

    /// Writes the export and returns the files written, the rows in them and, for data.police.uk, how many rows
    /// re-publish an earlier crime (each is a duplicate that stage 2 removes).
    public func write(out: String, millions: Double, format: Format) throws -> (files: [String], rows: Int, republished: Int) {
        let total = Int((millions * 1_000_000).rounded())
        guard total > 0 else { throw FixtureError.badOption("--scale must give at least one row (it is in millions of rows)") }
        var rng = FixtureRandom(seed: seed, stream: "scale-\(format.rawValue)")
        var factory = CrimeFactory(reference: reference)
        var files: [String] = [], written = 0, republished = 0
        let perMonth = Self.monthRows(total: total)
        let groupTable = WeightedTable(PatternModel.groups.map(\.annual))
        switch format {
        case .cmsii:
            let path = out + "/police/crimes/crimes_scale_\(total).csv"
            let w = try FixtureWriter(path: path, encoding: .windows1252)
            try w.write(CrimeExport.line(CrimeFactory.header))
            for m in FixtureMonth.all {
                let extracted = CrimeExport.extraction(m, &rng)
                var days = (0..<perMonth[m.index]).map { _ in m.first.day + rng.below(m.days) }
                days.sort()
                for d in days {
                    let c = factory.make(group: PatternModel.groups[groupTable.draw(&rng)], month: m, recordedDay: d, extracted: extracted, &rng)
                    try w.write(CrimeExport.line(c.fields))
                }
                written += days.count
            }
            try w.close()
            files.append(path)
        case .policeUK:
            let outcomeTable = WeightedTable(Self.outcomes.map(\.1))
            let hex = Array("0123456789abcdef".utf8)
            // Re-published crimes: data.police.uk files are re-issued, and a crime can appear again in a later month's
            // file under the same Crime ID. About 1% of a month's crimes repeat one of the previous month's (taken
            // from the last 4,096 kept), with that month's label: stage 2 keeps the later one, as the DuckDB reference does.
            var previous: [[String]] = [], current: [[String]] = []
            for m in FixtureMonth.all {
                previous = current; current = []
                let path = out + "/police-uk/\(m.label)/\(m.label)-bedfordshire-street.csv"
                let w = try FixtureWriter(path: path, encoding: .utf8)
                try w.write(Self.policeUKHeader + "\r\n")
                for _ in 0..<perMonth[m.index] {
                    if !previous.isEmpty, rng.chance(Self.republishedShare) {
                        // Each crime is re-published at most once, so no two copies share a month.
                        let k = rng.below(previous.count)
                        var row = previous[k]
                        previous.swapAt(k, previous.count - 1); previous.removeLast()
                        row[1] = m.label
                        try w.write(row.map(csvField).joined(separator: ",") + "\r\n")
                        republished += 1
                        continue
                    }
                    let asb = rng.chance(0.2)
                    let g = PatternModel.groups[groupTable.draw(&rng)]
                    var id = ""
                    if !asb {
                        var b = [UInt8](); b.reserveCapacity(64)
                        for _ in 0..<4 { var x = rng.next(); for _ in 0..<16 { b.append(hex[Int(x & 15)]); x >>= 4 } }
                        id = String(decoding: b, as: UTF8.self)
                    }
                    var lon = "", lat = "", location = "No Location", lsoa = "", lsoaName = ""
                    if !rng.chance(0.035) {
                        let l = reference.lsoas[rng.below(reference.lsoas.count)]
                        let p = reference.point(ward08: l.wd08, &rng)
                        let ll = Self.approximateWGS84(easting: p.easting, northing: p.northing)
                        lon = fixed(ll.lon, 6); lat = fixed(ll.lat, 6)
                        let town = reference.centres[l.wd08]!.town
                        location = "On or near " + rng.pick(PeopleAndPlaces.streets[town] ?? PeopleAndPlaces.villageStreets)
                        lsoa = l.code; lsoaName = l.name
                    }
                    let type = asb ? "Anti-social behaviour" : Self.crimeTypes[g.id]!
                    let outcome = asb ? "" : Self.outcomes[outcomeTable.draw(&rng)].0
                    let row = [id, m.label, "Bedfordshire Police", "Bedfordshire Police", lon, lat, location, lsoa, lsoaName, type, outcome, ""]
                    try w.write(row.map(csvField).joined(separator: ",") + "\r\n")
                    if !asb {
                        if current.count < 4096 { current.append(row) } else { current[rng.below(4096)] = row }
                    }
                }
                written += perMonth[m.index]
                try w.close()
                files.append(path)
            }
        }
        return (files, written, republished)
    }

    /// Approximate OSGB36 → WGS84 for Bedfordshire (linear about Dunstable; about 100 m error, for benchmarks only).
    public static func approximateWGS84(easting: Int, northing: Int) -> (lat: Double, lon: Double) {
        let de = Double(easting - 502000), dn = Double(northing - 222000)
        let rot = 0.0206 // grid convergence about 1.18°
        let east = de * cos(rot) + dn * sin(rot), north = dn * cos(rot) - de * sin(rot)
        return (51.8860 + north / 111_250.0, -0.5210 + east / 68_750.0)
    }
}
