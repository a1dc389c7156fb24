/// `geography.csp:`: how each placed record gets its Community Safety Partnership and police force area.
///
/// The council of the record's ward (remapped through `la_remap` where the boundary files and the lookup use different
/// vintages of council codes) finds its rows in `table`. One row: that CSP (`csp_method` `council`). Several rows (a
/// council formed since the lookup's partnerships were drawn, which kept the old districts' CSPs): the record's old
/// district decides, from its LSOA's older name ("Christchurch 001A" lies in Christchurch) through `old_districts`
/// (`csp_method` `old-district`); when that names none of the council's CSPs, the record is `unassigned`.
public struct CSPLookupDefinition: Sendable, Codable, Equatable {
    /// Council → CSP → force CSV (absolute path).
    public var table: String
    /// Its encoding.
    public var encoding: String
    /// Columns of `table`: council code, CSP code and name, force area code and name.
    public var laColumn: String, cspCodeColumn: String, cspNameColumn: String, pfaCodeColumn: String, pfaNameColumn: String
    /// Council codes of the ward files that the lookup knows under another code.
    public var laRemap: CodeRemap?
    /// How a council of several CSPs is split.
    public var oldDistricts: OldDistrictLookup?
}

/// A two-column code table (`from` → `to`), for codes that changed between two lookups' vintages.
public struct CodeRemap: Sendable, Codable, Equatable {
    /// CSV path.
    public var table: String
    /// Column of the codes as the records carry them.
    public var fromColumn: String
    /// Column of the codes as the lookup knows them.
    public var toColumn: String
}

/// The old district of an LSOA, and each old district's CSP.
public struct OldDistrictLookup: Sendable, Codable, Equatable {
    /// LSOA lookup between vintages: the records' LSOA code → the older LSOA's name (district name, then ` 001A`).
    public var lsoaTable: String
    /// Its encoding.
    public var lsoaEncoding: String
    /// Column of the records' LSOA codes.
    public var lsoaCodeColumn: String
    /// Column of the older LSOA names.
    public var lsoaNameColumn: String
    /// District → CSP lookup of a year when the old districts existed.
    public var districtTable: String
    /// Column of district names (as the LSOA names spell them).
    public var districtNameColumn: String
    /// Column of the district's CSP code (the code the council's rows of `table` use).
    public var districtCSPColumn: String
}

extension PipelineLoader {
    /// Parses `geography.csp:`.
    static func parseCSPLookup(_ c: YAMLCursor, str: (YAMLCursor) throws -> String, path: (YAMLCursor) throws -> String) throws -> CSPLookupDefinition {
        let f = try c.fields(allowed: ["table", "encoding", "la_code", "csp_code", "csp_name", "pfa_code", "pfa_name", "la_remap", "old_districts"],
                             required: ["table", "la_code", "csp_code", "csp_name", "pfa_code", "pfa_name"])
        var remap: CodeRemap?
        if let r = f["la_remap"] {
            let v = try r.fields(allowed: ["table", "from", "to"], required: ["table", "from", "to"])
            remap = CodeRemap(table: try path(v["table"]!), fromColumn: try str(v["from"]!), toColumn: try str(v["to"]!))
        }
        var old: OldDistrictLookup?
        if let o = f["old_districts"] {
            let v = try o.fields(allowed: ["lsoa", "districts"], required: ["lsoa", "districts"])
            let l = try v["lsoa"]!.fields(allowed: ["table", "encoding", "code", "name"], required: ["table", "code", "name"])
            let d = try v["districts"]!.fields(allowed: ["table", "name", "csp_code"], required: ["table", "name", "csp_code"])
            old = OldDistrictLookup(lsoaTable: try path(l["table"]!), lsoaEncoding: try Self.encoding(l["encoding"], str: str), lsoaCodeColumn: try str(l["code"]!),
                                    lsoaNameColumn: try str(l["name"]!), districtTable: try path(d["table"]!), districtNameColumn: try str(d["name"]!),
                                    districtCSPColumn: try str(d["csp_code"]!))
        }
        return CSPLookupDefinition(table: try path(f["table"]!), encoding: try Self.encoding(f["encoding"], str: str), laColumn: try str(f["la_code"]!),
                                   cspCodeColumn: try str(f["csp_code"]!), cspNameColumn: try str(f["csp_name"]!), pfaCodeColumn: try str(f["pfa_code"]!),
                                   pfaNameColumn: try str(f["pfa_name"]!), laRemap: remap, oldDistricts: old)
    }
}
