import Foundation

/// Writes the monthly police ASB incident exports (command and control, XML, UTF-8).
public struct ASBExport {
    let reference: FixtureReference
    let seed: UInt64

    /// NSIR ASB categories and their shares.
    public static let categories: [(String, Double)] = [
        ("Rowdy or Nuisance Behaviour", 0.52), ("Vehicle Nuisance or Inappropriate Use", 0.12), ("Rowdy or Nuisance Neighbours", 0.08),
        ("Nuisance Noise", 0.05), ("Street Drinking", 0.04), ("Abandoned Vehicles", 0.04), ("Malicious/Nuisance Communications", 0.04),
        ("Littering/Drugs Paraphernalia", 0.03), ("Animal Problems", 0.02), ("Trespass", 0.02), ("Misuse of Fireworks", 0.02),
        ("Nuisance Calls", 0.01), ("Begging", 0.005), ("Prostitution Related Activity", 0.005),
    ]
    /// Incidents a year at the 2008 level.
    public static let annual = 12_000.0
    /// Half-year multipliers (rising ASB).
    public static let trend: [Double] = [0.92, 0.97, 1.0, 1.08, 1.18]
    /// Notes planted with characters that must be escaped.
    static let notes = ["Youths shouting & swearing outside the shops", "Caller at Renée’s says group drinking on the green",
                        "Motorbikes on the field near St Peter’s Road", "Neighbour’s music & shouting after midnight"]

    /// An exporter.
    public init(reference: FixtureReference, seed: UInt64) { self.reference = reference; self.seed = seed }

    /// Writes `police/asb/asb_YYYY-MM.xml` under `out`.
    public func write(out: String, ledger: QuirkLedger) throws {
        var rng = FixtureRandom(seed: seed, stream: "police-asb")
        let table = WeightedTable(reference.lsoas.map { PatternModel.asbSpots[$0.wd08] ?? 1 })
        let catTable = WeightedTable(Self.categories.map(\.1))
        var serial = 0
        for month in FixtureMonth.all {
            let extracted = CrimeExport.extraction(month, &rng).iso
            let file = "police/asb/asb_\(month.label).xml"
            let w = try FixtureWriter(path: out + "/" + file, encoding: .utf8)
            try w.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ASBIncidents extracted=\"\(extracted)\" period=\"\(month.label)\">\n")
            let n = rng.count(around: Self.annual / 12 * PatternModel.summer[month.month - 1] * Self.trend[month.half])
            var opened = (0..<n).map { _ in
                CivilDate(day: month.first.day + rng.below(month.days),
                          minute: (rng.chance(0.65) ? rng.pick([16, 17, 18, 19, 20, 21, 22, 23]) : rng.int(0...23)) * 60 + rng.int(0...59))
            }
            opened.sort()
            var perDay: [Int: Int] = [:]
            for o in opened {
                serial += 1
                perDay[o.day, default: 0] += 1
                var cat = Self.categories[catTable.draw(&rng)].0
                if cat == "Misuse of Fireworks" && month.month != 10 && month.month != 11 && rng.chance(0.7) { cat = "Rowdy or Nuisance Behaviour" }
                if rng.chance(0.04) {
                    // Case and inner spacing only: XML readers trim leading and trailing blanks, so they are not a quirk of the data.
                    let doubled = cat.contains(" ") ? cat.replacingOccurrences(of: " ", with: "  ") : cat.uppercased()
                    cat = rng.pick([cat.uppercased(), cat.lowercased(), doubled])
                    ledger.add("asb.category_variant", file: file)
                }
                let (y, m, d) = o.ymd
                var x = "  <Incident id=\"ASB\(String(format: "%07d", serial))\" extracted=\"\(extracted)\">\n"
                x += "    <IncidentNumber>CC/\(y)\(pad2(m))\(pad2(d))/\(String(format: "%04d", perDay[o.day]!))</IncidentNumber>\n"
                x += "    <Opened>\(o.ukTime)</Opened>\n    <Category>\(xmlText(cat))</Category>\n"
                if rng.chance(0.01) {
                    ledger.add("asb.no_location", file: file)
                } else {
                    var wardCode: String, e: Int, nn: Int, town: String, district: String
                    if rng.chance(0.01) {
                        let o = rng.pick(reference.outOfArea.filter { $0.ward.vintage == (month.newBoundaries ? 2009 : 2008) })
                        wardCode = o.ward.code; e = o.easting + rng.int(-800...800); nn = o.northing + rng.int(-800...800)
                        town = o.ward.district == "00KA" ? "Luton" : "Bedford"; district = o.ward.district
                        ledger.add("asb.out_of_area", file: file)
                    } else {
                        let l = reference.lsoas[table.draw(&rng)]
                        let p = reference.point(ward08: l.wd08, &rng)
                        wardCode = month.newBoundaries ? l.wd09 : l.wd08; e = p.easting; nn = p.northing
                        town = reference.centres[l.wd08]!.town; district = String(l.wd08.prefix(4))
                    }
                    var ward = wardCode
                    if rng.chance(0.1), let names = reference.aliases["\(wardCode)|\(month.newBoundaries ? 2009 : 2008)"] {
                        ward = rng.pick(names)
                        ledger.add("asb.ward_as_name", file: file)
                    }
                    let beat = PeopleAndPlaces.beatPrefix(town: town, district: district) + pad2(1 + abs(wardCode.hashValueStable) % 8)
                    x += "    <Location><Beat>\(beat)</Beat><Ward>\(xmlText(ward))</Ward>"
                    if rng.chance(0.015) {
                        x += "<Easting></Easting><Northing></Northing></Location>\n"
                        ledger.add("asb.no_coordinates", file: file)
                    } else {
                        x += "<Easting>\(e)</Easting><Northing>\(nn)</Northing></Location>\n"
                    }
                }
                var repeatCaller = rng.chance(0.15) ? "Y" : "N"
                if rng.chance(0.02) { repeatCaller = rng.pick(["y", "Yes", "", "n ", "No"]); ledger.add("asb.flag_nonstandard", file: file) }
                x += "    <RepeatCaller>\(repeatCaller)</RepeatCaller>\n"
                if rng.chance(0.01) {
                    x += "    <Notes><![CDATA[Caller reports <youths> on bikes & mopeds]]></Notes>\n"
                    ledger.add("asb.cdata_notes", file: file)
                } else if rng.chance(0.04) {
                    x += "    <Notes>\(xmlText(rng.pick(Self.notes)))</Notes>\n"
                    ledger.add("asb.escaped_notes", file: file)
                }
                x += "  </Incident>\n"
                try w.write(x)
                ledger.total("asb.incidents", 1)
            }
            try w.write("</ASBIncidents>\n")
            try w.close()
        }
    }
}
