import Foundation

/// One police crime row as exported, with the facts the persons file needs.
public struct CrimeRecord: Sendable {
    /// Export fields in header order (see `CrimeFactory.header`).
    public var fields: [String]
    /// Quirk ids planted in this row.
    public var quirks: [String]
    /// Offence group (truth).
    public var group: String
    /// Committed-from (truth).
    public var committed: CivilDate
    /// Domestic, hate, distraction (truth).
    public var domestic: Bool, hate: Bool, distraction: Bool
    /// Out of area.
    public var outOfArea: Bool
    /// 2008 ward code of the location (nil out of area or no location).
    public var ward08: String?
    /// Crime number.
    public var number: String { fields[0] }
}

/// Builds crime rows from the pattern model, planting row-level quirks.
public struct CrimeFactory {
    /// The CMSII-like export header.
    public static let header = ["CrimeNo", "HOCode", "Offence", "CommittedFrom", "CommittedTo", "Recorded", "Beat", "Ward", "District",
                                "Easting", "Northing", "Address", "Domestic", "Hate", "Alcohol", "Distraction", "Extracted"]
    /// Codes planted as unknown (none is in offence-codes.csv).
    public static let unknownCodes = ["999", "58Z", "XX1", "12.9", "0", "105Z"]
    /// Impossible dates planted in CommittedFrom/CommittedTo.
    public static let impossibleDates = ["31/02/2009", "00/13/2008", "30/02/2008", "32/01/2009", "29/02/2007"]
    /// Non-standard flag values planted (standard: `Y`, `N`).
    public static let flagVariants = ["y", " y", "Yes", "YES", "n", "N ", "No", ""]

    let ref: FixtureReference
    let tables: [String: WeightedTable]
    let lsoasByWard: [String: [Int]]
    /// Whether to plant row-level quirks.
    public var plantQuirks: Bool
    private var sequence: [String: Int]

    /// A factory over the reference data.
    public init(reference: FixtureReference, plantQuirks: Bool = true) {
        ref = reference
        self.plantQuirks = plantQuirks
        sequence = [:]
        var t: [String: WeightedTable] = [:]
        for g in PatternModel.groups {
            t[g.id] = WeightedTable(reference.lsoas.map { g.hotspots[$0.wd08] ?? 1 })
        }
        t["domestic"] = WeightedTable(reference.lsoas.map { PatternModel.domesticTowns[reference.centres[$0.wd08]!.town] ?? 1 })
        tables = t
        var byWard: [String: [Int]] = [:]
        for (i, l) in reference.lsoas.enumerated() { byWard[l.wd08, default: []].append(i) }
        lsoasByWard = byWard
    }

    /// A location: ward codes, point, town.
    struct Place {
        var wd08: String?
        var wd09: String?
        var ward: FixtureWard?
        var district: String
        var easting: Int
        var northing: Int
        var town: String
        var townCentre: Bool
    }

    func place(group: PatternModel.Group, domestic: Bool, month: FixtureMonth, _ rng: inout FixtureRandom) -> Place {
        if rng.chance(PatternModel.outOfAreaShare) {
            let vintage = month.newBoundaries ? 2009 : 2008
            let o = rng.pick(ref.outOfArea.filter { $0.ward.vintage == vintage })
            let town = o.ward.district == "00KA" ? "Luton" : "Bedford"
            return Place(wd08: nil, wd09: nil, ward: o.ward, district: o.ward.district, easting: o.easting + rng.int(-900...900),
                         northing: o.northing + rng.int(-900...900), town: town, townCentre: false)
        }
        var tcShare = domestic ? 0 : group.townCentre
        if PatternModel.violentGroups.contains(group.id) { tcShare *= PatternModel.summerTownCentreBoost[month.month - 1] }
        if rng.chance(tcShare) {
            let tc = PatternModel.townCentres[rng.weighted(PatternModel.townCentres.map(\.weight))]
            let l = ref.lsoas[rng.pick(lsoasByWard[tc.ward]!)]
            return Place(wd08: l.wd08, wd09: l.wd09, ward: nil, district: l.wd08.prefix(4).description,
                         easting: tc.easting + rng.int(-250...250), northing: tc.northing + rng.int(-250...250), town: tc.town, townCentre: true)
        }
        let l = ref.lsoas[tables[domestic ? "domestic" : group.id]!.draw(&rng)]
        let p = ref.point(ward08: l.wd08, &rng)
        return Place(wd08: l.wd08, wd09: l.wd09, ward: nil, district: String(l.wd08.prefix(4)), easting: p.easting, northing: p.northing,
                     town: ref.centres[l.wd08]!.town, townCentre: false)
    }

    func hour(group: String, townCentre: Bool, weekday: Int, _ rng: inout FixtureRandom) -> Int {
        if PatternModel.violentGroups.contains(group) || group == "criminal_damage" || group == "drugs" {
            if townCentre && rng.chance(0.7) { return rng.pick([21, 22, 23, 0, 1, 2]) }
            return rng.chance(0.6) ? rng.pick([18, 19, 20, 21, 22, 23, 0, 1]) : rng.int(0...23)
        }
        if group == "shoplifting" || group == "theft_from_person" { return rng.int(9...18) }
        if group == "burglary_other" || group.contains("vehicle") { return rng.chance(0.7) ? rng.pick([20, 21, 22, 23, 0, 1, 2, 3, 4, 5]) : rng.int(0...23) }
        return rng.int(0...23)
    }

    /// A new crime of `group` recorded in `month`, exported on `extracted`.
    public mutating func make(group g: PatternModel.Group, month: FixtureMonth, recordedDay: Int, extracted: CivilDate, _ rng: inout FixtureRandom) -> CrimeRecord {
        var quirks: [String] = []
        let violent = PatternModel.violentGroups.contains(g.id)
        let domestic = violent && g.id != "robbery_personal" && rng.chance(PatternModel.domesticShare[month.half])
        let hate = (violent || g.id == "criminal_damage") && !domestic && rng.chance(PatternModel.hateShare[month.half])
        let distraction = g.id == "burglary_dwelling" && rng.chance(PatternModel.distractionShare)
        let pl = place(group: g, domestic: domestic, month: month, &rng)

        // Dates: recorded in the month; committed up to a few days (rarely weeks) before.
        let recorded = CivilDate(day: recordedDay)
        let lag = rng.chance(0.7) ? 0 : (rng.chance(0.67) ? rng.int(1...3) : rng.int(4...60))
        var from = CivilDate(day: recorded.day - lag)
        from.minute = hour(group: g.id, townCentre: pl.townCentre, weekday: from.weekday, &rng) * 60 + rng.int(0...59)
        if from > recorded.adding(minutes: 1439) { from = CivilDate(day: recorded.day, minute: 0) }
        let ranged = g.id.hasPrefix("burglary") || g.id.contains("vehicle") || g.id == "bicycle_theft"
        var to: CivilDate? = ranged ? (rng.chance(0.6) ? from.adding(minutes: rng.int(60...840)) : nil)
                                    : (rng.chance(0.3) ? from.adding(minutes: rng.int(5...120)) : nil)
        let dateOnly = rng.chance(0.10)
        var fromText = dateOnly ? from.uk : from.ukTime
        if dateOnly { quirks.append("crimes.date_only_from") }
        var toText = to.map { dateOnly ? $0.uk : $0.ukTime } ?? ""
        if plantQuirks {
            if rng.chance(0.002) {
                if rng.chance(0.5) || to == nil {
                    fromText = rng.pick(Self.impossibleDates)
                    quirks.removeAll { $0 == "crimes.date_only_from" }  // its layout is no longer observable
                } else { toText = rng.pick(Self.impossibleDates) }
                quirks.append("crimes.impossible_date")
            } else if rng.chance(0.003) {
                let earlier = from.adding(minutes: -rng.int(60...2880))
                to = earlier
                toText = dateOnly ? CivilDate(day: earlier.day - 1).uk : earlier.ukTime
                quirks.append("crimes.from_after_to")
            }
        }
        if toText.isEmpty { quirks.append("crimes.missing_to") }

        // Offence code.
        let codes = ref.offences[g.id]!
        let oc = codes[rng.chance(0.6) ? 0 : rng.below(codes.count)]
        var code = oc.code, description = oc.description
        // At most one quirk per row that makes stage 2 reject it, so every planted count is observable exactly.
        let rejectedAlready = quirks.contains("crimes.impossible_date") || quirks.contains("crimes.from_after_to")
        if plantQuirks && !rejectedAlready && rng.chance(0.003) {
            code = rng.pick(Self.unknownCodes); description = rng.pick(["UNCLASSIFIED", "Other notifiable offence", "Not known"])
            quirks.append("crimes.unknown_offence_code")
        } else if plantQuirks && rng.chance(0.01) {
            code = code.contains(where: \.isLetter) && rng.chance(0.5) ? code.lowercased() : code + " "
            quirks.append("crimes.offence_code_untidy")
        }

        // Location fields.
        let vintage = month.newBoundaries ? 2009 : 2008
        var wardCode: String, district: String
        if let w = pl.ward {
            wardCode = w.code; district = w.district
            quirks.append("crimes.out_of_area")
        } else {
            wardCode = month.newBoundaries ? pl.wd09! : pl.wd08!
            district = month.newBoundaries ? "00KC" : pl.district
        }
        if district == "00KC" { quirks.append("crimes.new_district_code") }
        if district == "09UC" || district == "09UE" { quirks.append("crimes.old_district_code") }
        var ward = wardCode
        let r = rng.unit()
        if plantQuirks && r < 0.12, let names = ref.aliases["\(wardCode)|\(vintage)"] {
            // Out-of-area wards have no aliases: only wards with a name variant get one.
            ward = rng.pick(names)
            quirks.append("crimes.ward_as_name")
        } else if plantQuirks && r >= 0.12 && r < 0.15 {
            ward = rng.chance(0.5) ? wardCode.lowercased() : wardCode + " "
            quirks.append("crimes.ward_code_untidy")
        }
        let beat = PeopleAndPlaces.beatPrefix(town: pl.town, district: district) + pad2(1 + abs(wardCode.hashValueStable) % 8)
        var address: String
        let premisesGroup = g.id == "burglary_other" || g.id == "shoplifting" || g.id == "robbery_business"
        if (premisesGroup || pl.townCentre) && pl.town != "Bedford" && pl.town != "Luton" && rng.chance(premisesGroup ? 0.8 : 0.4) {
            address = rng.pick(PeopleAndPlaces.premises) + ", " + pl.town
        } else {
            address = "\(rng.int(1...160)) \(rng.pick(PeopleAndPlaces.streets[pl.town] ?? PeopleAndPlaces.villageStreets)), \(pl.town)"
        }
        var e = String(pl.easting), n = String(pl.northing), beatOut = beat
        if plantQuirks && rng.chance(0.005) {
            e = ""; n = ""; ward = ""; beatOut = ""; address = ""
            quirks.removeAll { $0 == "crimes.ward_as_name" || $0 == "crimes.ward_code_untidy" }
            quirks.append("crimes.no_location")
        } else if plantQuirks && rng.chance(0.02) {
            e = ""; n = ""
            quirks.append("crimes.no_coordinates")
        }

        // Flags.
        let alcohol = violent && rng.chance(pl.townCentre ? 0.6 : 0.25) || g.id == "criminal_damage" && rng.chance(0.15)
        var flags = [domestic, hate, alcohol, distraction].map { $0 ? "Y" : "N" }
        if plantQuirks {
            for i in flags.indices where rng.chance(0.02) {
                let truth = flags[i] == "Y"
                let v = rng.pick(truth ? ["y", " y", "Yes", "YES", ""] : ["n", "N ", "No", ""])
                flags[i] = v
                quirks.append(v.isEmpty ? "crimes.flag_blank" : "crimes.flag_nonstandard")
            }
        }
        let prefix = PeopleAndPlaces.crimePrefix(district: pl.wd08.map { String($0.prefix(4)) } ?? district)
        let key = "\(prefix)\(recorded.ymd.year)"
        sequence[key, default: 0] += 1
        let number = "\(prefix)/\(padded(sequence[key]!, 5))/\(pad2(recorded.ymd.year % 100))"
        let fields = [number, code, description, fromText, toText, recorded.uk, beatOut, ward, district, e, n, address] + flags + [extracted.uk]
        if fields.contains(where: { $0.unicodeScalars.contains { $0.value >= 0x80 } }) { quirks.append("crimes.windows1252_text") }
        return CrimeRecord(fields: fields, quirks: quirks, group: g.id, committed: from, domestic: domestic, hate: hate,
                           distraction: distraction, outOfArea: pl.ward != nil, ward08: pl.wd08)
    }
}

extension String {
    /// A hash that is the same on every run (Swift's `hashValue` is randomly seeded).
    var hashValueStable: Int {
        var h: UInt64 = 14695981039346656037
        for b in utf8 { h = (h ^ UInt64(b)) &* 1099511628211 }
        return Int(h % 1_000_003)
    }
}
