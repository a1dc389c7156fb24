import Foundation

/// Writes the fire and rescue exports: the legacy CSV (January 2007 – March 2009) and
/// IRS XML (April – June 2009, one file a month, with three namespace styles).
public struct FireExport {
    let reference: FixtureReference
    let seed: UInt64

    /// One kind of incident in the model.
    struct Kind {
        var legacyType: String, irsType: String
        var special: String?
        var legacyProperty: String, irsProperty: String
        var annual: Double, deliberate: Double, season: [Double], trend: [Double], hotspots: Bool, injury: Double, fatal: Double
    }
    static let secondarySeason: [Double] = [0.5, 0.6, 1.0, 1.6, 1.5, 1.4, 1.4, 1.3, 0.9, 0.7, 0.6, 0.5]
    static let winter: [Double] = [1.8, 1.6, 1.2, 0.8, 0.5, 0.3, 0.3, 0.4, 0.6, 1.1, 1.5, 1.9]
    static let kinds: [Kind] = [
        Kind(legacyType: "PF", irsType: "Primary fire", special: nil, legacyProperty: "DW", irsProperty: "Dwelling", annual: 105, deliberate: 0.19, season: PatternModel.flat, trend: [1.05, 1.0, 1.0, 0.95, 0.85], hotspots: false, injury: 0.10, fatal: 0.007),
        Kind(legacyType: "PF", irsType: "Primary fire", special: nil, legacyProperty: "OB", irsProperty: "Other building", annual: 100, deliberate: 0.4, season: PatternModel.flat, trend: [1, 1, 1, 1, 1], hotspots: false, injury: 0.02, fatal: 0),
        Kind(legacyType: "PF", irsType: "Primary fire", special: nil, legacyProperty: "VEH", irsProperty: "Road vehicle", annual: 130, deliberate: 0.7, season: PatternModel.flat, trend: [1.05, 1.02, 1, 0.95, 0.9], hotspots: true, injury: 0.01, fatal: 0),
        Kind(legacyType: "SF", irsType: "Secondary fire", special: nil, legacyProperty: "GRS", irsProperty: "Grassland", annual: 220, deliberate: 0.75, season: secondarySeason, trend: [1, 1, 1, 1, 1], hotspots: true, injury: 0, fatal: 0),
        Kind(legacyType: "SF", irsType: "Secondary fire", special: nil, legacyProperty: "REF", irsProperty: "Refuse", annual: 200, deliberate: 0.8, season: secondarySeason, trend: [1, 1, 1, 1, 1], hotspots: true, injury: 0, fatal: 0),
        Kind(legacyType: "CH", irsType: "Chimney fire", special: nil, legacyProperty: "DW", irsProperty: "Dwelling", annual: 30, deliberate: 0, season: winter, trend: [1, 1, 1, 1, 1], hotspots: false, injury: 0, fatal: 0),
        Kind(legacyType: "FA", irsType: "False alarm", special: nil, legacyProperty: "OB", irsProperty: "Other building", annual: 480, deliberate: -1, season: PatternModel.flat, trend: [1, 1, 1, 1, 1], hotspots: false, injury: 0, fatal: 0),
        Kind(legacyType: "SS", irsType: "Special service", special: "Flooding", legacyProperty: "DW", irsProperty: "Dwelling", annual: 100, deliberate: -1, season: PatternModel.flat, trend: [1, 1, 1, 1, 1], hotspots: false, injury: 0.02, fatal: 0),
        Kind(legacyType: "RTC", irsType: "Special service", special: "Road traffic collision", legacyProperty: "RD", irsProperty: "Road", annual: 120, deliberate: -1, season: PatternModel.flat, trend: [1.05, 1.0, 1.0, 0.95, 0.85], hotspots: false, injury: 0.45, fatal: 0.025),
    ]

    /// An exporter.
    public init(reference: FixtureReference, seed: UInt64) { self.reference = reference; self.seed = seed }

    /// One generated incident.
    struct Incident {
        var kind: Kind, at: CivilDate, motive: String?, fatal: Int, injured: Int
        var ward08: String?
        var ward09: String?
        var outOfArea: FixtureWard?
        var easting: Int
        var northing: Int
    }

    func incidents(_ month: FixtureMonth, _ rng: inout FixtureRandom) -> [Incident] {
        let plain = WeightedTable(reference.lsoas.map { _ in 1 })
        let spots = WeightedTable(reference.lsoas.map { PatternModel.asbSpots[$0.wd08] ?? 1 })
        var list: [Incident] = []
        for k in Self.kinds {
            for _ in 0..<rng.count(around: k.annual / 12 * k.season[month.month - 1] * k.trend[month.half]) {
                let at = CivilDate(day: month.first.day + rng.below(month.days), minute: rng.int(0...1439))
                let motive: String? = k.deliberate < 0 ? nil : rng.chance(k.deliberate) ? "DEL" : rng.chance(0.95) ? "ACC" : "UNK"
                let fatal = rng.chance(k.fatal) ? 1 : 0, injured = rng.chance(k.injury) ? rng.int(1...3) : 0
                if rng.chance(0.03) {
                    let o = rng.pick(reference.outOfArea.filter { $0.ward.vintage == (month.newBoundaries ? 2009 : 2008) })
                    list.append(Incident(kind: k, at: at, motive: motive, fatal: fatal, injured: injured, ward08: nil, ward09: nil, outOfArea: o.ward,
                                         easting: o.easting + rng.int(-900...900), northing: o.northing + rng.int(-900...900)))
                } else {
                    let l = reference.lsoas[(k.hotspots && motive == "DEL" ? spots : plain).draw(&rng)]
                    let p = reference.point(ward08: l.wd08, &rng, radiusScale: 1.5)
                    list.append(Incident(kind: k, at: at, motive: motive, fatal: fatal, injured: injured, ward08: l.wd08, ward09: l.wd09, outOfArea: nil,
                                         easting: p.easting, northing: p.northing))
                }
            }
        }
        return list.sorted { $0.at < $1.at }
    }

    /// Writes `fire/legacy_2007-01_2009-03.csv` and `fire/irs_2009-0{4,5,6}.xml` under `out`.
    public func write(out: String, ledger: QuirkLedger) throws {
        var rng = FixtureRandom(seed: seed, stream: "fire")
        let legacyFile = "fire/legacy_2007-01_2009-03.csv"
        let w = try FixtureWriter(path: out + "/" + legacyFile, encoding: .windows1252)
        try w.write("INC_NO,CALL_DTTM,INC_TYPE,PROP_TYPE,CAUSE,FATAL,INJ,WARD,DISTRICT,EASTING,NORTHING\r\n")
        var serial: [Int: Int] = [:]
        for month in FixtureMonth.all where !month.newBoundaries {
            for i in incidents(month, &rng) {
                serial[month.year, default: 0] += 1
                var type = i.kind.legacyType, prop = i.kind.legacyProperty
                if rng.chance(0.02) {
                    if rng.chance(0.5) { type = type.lowercased() } else { prop = prop + " " }
                    ledger.add("fire_legacy.code_untidy", file: legacyFile)
                }
                var cause = i.motive ?? ""
                if i.motive != nil && rng.chance(0.02) { cause = ""; ledger.add("fire_legacy.cause_blank", file: legacyFile) }
                var fatal = String(i.fatal)
                if rng.chance(0.01) { fatal = ""; ledger.add("fire_legacy.fatal_blank", file: legacyFile) }
                var ward = i.outOfArea?.code ?? i.ward08!
                if i.outOfArea != nil { ledger.add("fire_legacy.out_of_area", file: legacyFile) }
                if rng.chance(0.05), let names = reference.aliases["\(ward)|2008"] {
                    ward = rng.pick(names)
                    ledger.add("fire_legacy.ward_as_name", file: legacyFile)
                }
                let district = i.outOfArea?.district ?? String(i.ward08!.prefix(4))
                let fields = ["F\(pad2(month.year % 100))/\(String(format: "%06d", serial[month.year]!))", i.at.legacy, type, prop, cause, fatal,
                              String(i.injured), ward, district, String(i.easting), String(i.northing)]
                try w.write(CrimeExport.line(fields))
                ledger.total("fire_legacy.incidents", 1)
            }
        }
        try w.close()

        let motives = ["ACC": "Accidental", "DEL": "Deliberate", "UNK": "Not known"]
        for month in FixtureMonth.all where month.newBoundaries {
            let file = "fire/irs_\(month.label).xml"
            let style = month.index - 27 // 0 none, 1 default namespace, 2 prefixed
            let p = style == 2 ? "irs:" : ""
            let w = try FixtureWriter(path: out + "/" + file, encoding: .utf8)
            try w.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
            switch style {
            case 0: try w.write("<IRSIncidents period=\"\(month.label)\">\n")
            case 1: try w.write("<IRSIncidents xmlns=\"urn:irs:incident:2009\" period=\"\(month.label)\">\n")
            default: try w.write("<irs:IRSIncidents xmlns:irs=\"urn:irs:incident:2009\" period=\"\(month.label)\">\n")
            }
            ledger.add(["fire_irs.no_namespace", "fire_irs.default_namespace", "fire_irs.prefixed_namespace"][style], file: file)
            for i in incidents(month, &rng) {
                serial[month.year, default: 0] += 1
                var x = "  <\(p)Incident id=\"IRS-\(month.year)-\(String(format: "%06d", serial[month.year]!))\">\n"
                x += "    <\(p)CallDateTime>\(i.at.isoTime)</\(p)CallDateTime>\n"
                x += "    <\(p)IncidentType>\(i.kind.irsType)</\(p)IncidentType>\n"
                if let s = i.kind.special { x += "    <\(p)SpecialServiceType>\(s)</\(p)SpecialServiceType>\n" }
                x += "    <\(p)PropertyType>\(i.kind.irsProperty)</\(p)PropertyType>\n"
                if let m = i.motive { x += "    <\(p)Motive>\(motives[m]!)</\(p)Motive>\n" }
                if rng.chance(0.02) {
                    ledger.add("fire_irs.casualties_missing", file: file)
                } else {
                    x += "    <\(p)Casualties fatal=\"\(i.fatal)\" nonFatal=\"\(i.injured)\"/>\n"
                }
                if i.outOfArea != nil { ledger.add("fire_irs.out_of_area", file: file) }
                x += "    <\(p)Location><\(p)Ward>\(i.outOfArea?.code ?? i.ward09!)</\(p)Ward><\(p)Easting>\(i.easting)</\(p)Easting><\(p)Northing>\(i.northing)</\(p)Northing></\(p)Location>\n"
                x += "  </\(p)Incident>\n"
                try w.write(x)
                ledger.total("fire_irs.incidents", 1)
            }
            try w.write("</\(p)IRSIncidents>\n")
            try w.close()
        }
    }
}
