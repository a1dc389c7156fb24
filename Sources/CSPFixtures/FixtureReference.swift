import Foundation

/// A ward of one boundary vintage.
public struct FixtureWard: Sendable, Hashable {
    /// ONS code (09UC…/09UE… for 2008, 00KC… for 2009, 09UD/00KB/00KA out of area).
    public var code: String
    /// Official name.
    public var name: String
    /// District code (first four characters of the code).
    public var district: String
    /// 2008 or 2009.
    public var vintage: Int
}

/// One 2001 LSOA of Central Bedfordshire with its wards in both vintages.
public struct FixtureLSOA: Sendable {
    /// LSOA 2001 code.
    public var code: String
    /// LSOA 2001 name.
    public var name: String
    /// 2008 ward code.
    public var wd08: String
    /// 2009 ward code.
    public var wd09: String
}

/// An invented approximate centre of a 2008 ward.
public struct WardCentre: Sendable {
    /// Town or village.
    public var town: String
    /// OSGB36 easting.
    public var easting: Int
    /// OSGB36 northing.
    public var northing: Int
    /// Scatter radius in metres.
    public var radius: Int
}

/// A real out-of-area ward (Bedford or Luton) with an invented centre.
public struct OutOfAreaWard: Sendable {
    /// The ward.
    public var ward: FixtureWard
    /// OSGB36 easting.
    public var easting: Int
    /// OSGB36 northing.
    public var northing: Int
}

/// A Home Office offence code from `Pipelines/reference/offence-codes.csv`.
public struct OffenceCode: Sendable {
    /// The code, for example `58A`.
    public var code: String
    /// Description.
    public var description: String
    /// Analysis group, for example `criminal_damage`.
    public var group: String
}

/// Everything the generator reads from the committed reference files.
public struct FixtureReference: Sendable {
    /// The 49 wards of 2008 (Mid and South Bedfordshire).
    public var wards2008: [FixtureWard]
    /// The 28 Central Bedfordshire wards of 2009.
    public var wards2009: [FixtureWard]
    /// The 154 LSOAs.
    public var lsoas: [FixtureLSOA]
    /// Ward centres by 2008 ward code.
    public var centres: [String: WardCentre]
    /// Out-of-area wards.
    public var outOfArea: [OutOfAreaWard]
    /// Spelling variants by `code|vintage`, official name first.
    public var aliases: [String: [String]]
    /// Offence codes by group, in file order.
    public var offences: [String: [OffenceCode]]
    /// Every known offence code.
    public var knownCodes: Set<String>

    /// Loads from `Fixtures/reference` and `Pipelines/reference` folders.
    public static func load(fixturesReference f: String, pipelineReference p: String) throws -> FixtureReference {
        func path(_ dir: String, _ name: String) -> String { (dir as NSString).appendingPathComponent(name) }
        let w08 = try ReferenceCSV(path: path(f, "wards-2008.csv"), requiring: ["ward_code", "ward_name", "district_code"])
        let w09 = try ReferenceCSV(path: path(f, "wards-2009.csv"), requiring: ["ward_code", "ward_name"])
        let ls = try ReferenceCSV(path: path(f, "lsoa01-wards.csv"), requiring: ["lsoa01_code", "wd08_code", "wd09_code", "lsoa01_name"])
        let wc = try ReferenceCSV(path: path(f, "ward-centres.csv"), requiring: ["ward_code", "town", "easting", "northing", "radius_m"])
        let oa = try ReferenceCSV(path: path(f, "out-of-area-wards.csv"), requiring: ["ward_code", "ward_name", "district_code", "vintage", "easting", "northing"])
        let al = try ReferenceCSV(path: path(p, "ward-aliases.csv"), requiring: ["alias", "ward_code", "vintage"])
        let oc = try ReferenceCSV(path: path(p, "offence-codes.csv"), requiring: ["ho_code", "description", "offence_group"])

        let wards2008 = w08.rows.map { FixtureWard(code: w08.value($0, "ward_code"), name: w08.value($0, "ward_name"), district: w08.value($0, "district_code"), vintage: 2008) }
        let wards2009 = w09.rows.map { FixtureWard(code: w09.value($0, "ward_code"), name: w09.value($0, "ward_name"), district: "00KC", vintage: 2009) }
        let lsoas = ls.rows.map { FixtureLSOA(code: ls.value($0, "lsoa01_code"), name: ls.value($0, "lsoa01_name"), wd08: ls.value($0, "wd08_code"), wd09: ls.value($0, "wd09_code")) }
        var centres: [String: WardCentre] = [:]
        for r in wc.rows {
            guard let e = Int(wc.value(r, "easting")), let n = Int(wc.value(r, "northing")), let rad = Int(wc.value(r, "radius_m")) else {
                throw FixtureError.badReference(path: path(f, "ward-centres.csv"), reason: "a coordinate is not a whole number")
            }
            centres[wc.value(r, "ward_code")] = WardCentre(town: wc.value(r, "town"), easting: e, northing: n, radius: rad)
        }
        for w in wards2008 where centres[w.code] == nil {
            throw FixtureError.badReference(path: path(f, "ward-centres.csv"), reason: "ward \(w.code) has no centre")
        }
        let outOfArea = oa.rows.map {
            OutOfAreaWard(ward: FixtureWard(code: oa.value($0, "ward_code"), name: oa.value($0, "ward_name"),
                                            district: oa.value($0, "district_code"), vintage: Int(oa.value($0, "vintage")) ?? 2008),
                          easting: Int(oa.value($0, "easting")) ?? 0, northing: Int(oa.value($0, "northing")) ?? 0)
        }
        var aliases: [String: [String]] = [:]
        for r in al.rows { aliases["\(al.value(r, "ward_code"))|\(al.value(r, "vintage"))", default: []].append(al.value(r, "alias")) }
        var offences: [String: [OffenceCode]] = [:]
        for r in oc.rows {
            let code = OffenceCode(code: oc.value(r, "ho_code"), description: oc.value(r, "description"), group: oc.value(r, "offence_group"))
            offences[code.group, default: []].append(code)
        }
        return FixtureReference(wards2008: wards2008, wards2009: wards2009, lsoas: lsoas, centres: centres, outOfArea: outOfArea,
                                aliases: aliases, offences: offences, knownCodes: Set(oc.rows.map { oc.value($0, "ho_code") }))
    }

    /// A point near the centre of a 2008 ward (uniform in a disc).
    public func point(ward08: String, _ rng: inout FixtureRandom, radiusScale: Double = 1) -> (easting: Int, northing: Int) {
        let c = centres[ward08]!
        let r = Double(c.radius) * radiusScale * rng.unit().squareRoot(), a = rng.unit() * 2 * Double.pi
        return (c.easting + Int(r * cos(a)), c.northing + Int(r * sin(a)))
    }
}
