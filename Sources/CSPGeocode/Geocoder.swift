import CSPCore
import CSPSchema
import CSPStorage
import CSPGeo

/// What one location method made of one record.
struct GeocodeHit {
    /// Placed in a ward of the area, out of the area, or not usable by this method.
    enum Kind { case miss, placed, outside }
    /// Why a record is outside the area (for the excluded row's message).
    enum Outside { case none, pointInNoWard, pointInWard(Int), lsoa(String, String), reportedWard(String, String) }

    var kind = Kind.miss
    var method = GeocodeMethod.point
    /// The ward (placed, or an out-of-area ward the point lies in).
    var ward = -1
    /// Old ward method: every new ward the old ward went to (split wards have two).
    var candidates: [Int] = []
    var approximate = false
    /// Point method: the point.
    var point = GridPoint(easting: 0, northing: 0)
    /// LSOA method: the LSOA's areas per layer.
    var lsoaLayers: [Int32] = []
    /// Old ward method: the old ward's area in the old ward layer.
    var oldArea: Int32 = -1
    var outside = Outside.none

    /// Whether `other` places the record compatibly with this hit.
    func agrees(with other: GeocodeHit) -> Bool {
        switch (kind, other.kind) {
        case (.outside, .outside): return true
        case (.placed, .placed):
            if other.ward == ward { return true }
            if method == .oldWard && candidates.contains(other.ward) { return true }
            if other.method == .oldWard && other.candidates.contains(ward) { return true }
            return false
        default: return false
        }
    }
}

/// Locates one record by one method; holds no per-record state.
struct Geocoder {
    let geography: Geography
    /// Pipeline-wide default LSOA vintage (when only one is declared).
    let defaultVintage: String?
    /// The lookup deciding each record's vintage, when the pipeline declares one.
    let lookupVintages: LSOAVintageLookup?

    init(geography: Geography, pipeline: PipelineDefinition) {
        self.geography = geography
        let vintages = pipeline.geography?.lsoa.map(\.vintage) ?? []
        defaultVintage = vintages.count == 1 ? vintages[0] : nil
        lookupVintages = pipeline.geography?.lsoaVintages
    }

    /// The point method on a grid point.
    func point(_ p: GridPoint) -> GeocodeHit {
        var h = GeocodeHit(method: .point, point: p)
        guard let w = geography.layers[0].areas.locate(p) else { h.kind = .outside; h.outside = .pointInNoWard; return h }
        h.ward = w
        if geography.wardInArea[w] { h.kind = .placed } else { h.kind = .outside; h.outside = .pointInWard(w) }
        return h
    }

    /// The vintage of an LSOA code under `geography.lsoa_vintages`: the code's own vintage when it exists in one
    /// only; when it exists in both it is unchanged (ONS change type U, the same area) and the newer vintage's
    /// lookup places it. Returns the vintage to look it up in and what is recorded (`2011`, `2021`, `2011=2021`);
    /// nil for a code of neither vintage.
    func vintage(ofCode code: String) -> (lookup: String, recorded: String)? {
        guard let lv = lookupVintages, let bits = geography.vintagesOfCode[code] else { return nil }
        switch bits {
        case 1: return (lv.oldVintage, lv.oldVintage)
        case 2: return (lv.newVintage, lv.newVintage)
        default: return (lv.newVintage, lv.oldVintage + "=" + lv.newVintage)
        }
    }

    /// The LSOA method. `vintage` `auto` decides it from the code (`vintage(ofCode:)`).
    func lsoa(_ code: String, vintage: String?) -> GeocodeHit {
        var h = GeocodeHit(method: .lsoa)
        let v = vintage == "auto" ? self.vintage(ofCode: code)?.lookup : (vintage ?? defaultVintage)
        guard !code.isEmpty, let v, let e = geography.lsoa[v]?[code] else { return h }
        switch e {
        case .placed(let ward, let layers, let approximate):
            h.kind = .placed; h.ward = ward; h.lsoaLayers = layers; h.approximate = approximate
        case .outside(let la, let name):
            h.kind = .outside; h.outside = .lsoa(la, name)
        }
        return h
    }

    /// The old ward method on a reported ward code.
    func oldWard(_ code: String) -> GeocodeHit {
        var h = GeocodeHit(method: .oldWard)
        guard !code.isEmpty else { return h }
        if let o = geography.oldWards[code] {
            h.kind = .placed; h.ward = o.ward; h.candidates = o.candidates; h.approximate = o.candidates.count > 1; h.oldArea = o.oldArea
        } else if let (la, name) = geography.outsideWards[code], geography.wardIndex(code) == nil {
            h.kind = .outside; h.outside = .reportedWard(la, name)
        }
        return h
    }

    /// The ward name method on a reported ward code (already resolved from names by stage 2 or the alias table).
    func wardName(_ code: String) -> GeocodeHit {
        var h = GeocodeHit(method: .wardName)
        guard !code.isEmpty else { return h }
        if let w = geography.wardIndex(code) {
            h.ward = w
            if geography.wardInArea[w] { h.kind = .placed } else {
                h.kind = .outside; h.outside = .reportedWard(geography.layers[0].laCodes[w], geography.layers[0].laNames[w])
            }
        } else if let (la, name) = geography.outsideWards[code] {
            h.kind = .outside; h.outside = .reportedWard(la, name)
        }
        return h
    }

    /// The area of every layer for a placed hit (-1 none), written into `areas`.
    func areas(of h: GeocodeHit, into areas: inout [Int32]) {
        switch h.method {
        case .point:
            areas[0] = Int32(h.ward)
            for li in 1..<geography.layers.count { areas[li] = Int32(geography.layers[li].areas.locate(h.point) ?? -1) }
        case .lsoa:
            for li in areas.indices { areas[li] = h.lsoaLayers[li] }
        case .oldWard, .wardName:
            let ctx = geography.wardContext[h.ward]
            for li in areas.indices { areas[li] = ctx[li] }
            if h.method == .oldWard, geography.oldWardLayer >= 0 { areas[geography.oldWardLayer] = h.oldArea }
        }
    }

    /// A sentence saying why the record is outside the area.
    func outsideMessage(_ h: GeocodeHit) -> String {
        let area = geography.area.name
        switch h.outside {
        case .none: return "outside \(area)"
        case .pointInNoWard: return "the point \(h.point.shortText) lies outside every ward of the ward layer (outside \(area))"
        case .pointInWard(let w):
            let l = geography.layers[0]
            return "the point \(h.point.shortText) lies in \(l.areas.features[w].name) (\(l.areas.features[w].code)), \(l.laNames[w]) \(l.laCodes[w]), outside \(area)"
        case .lsoa(let la, let name): return "the LSOA is in \(name.isEmpty ? la : "\(name) (\(la))"), outside \(area)"
        case .reportedWard(let la, let name):
            return "the reported ward is in \(name.isEmpty ? (la.isEmpty ? "another authority" : la) : "\(name) (\(la))"), outside \(area)"
        }
    }
}

extension GridPoint {
    /// `E 502000 N 222000` (metres, rounded).
    var shortText: String { "E \(Int(easting.rounded())) N \(Int(northing.rounded()))" }
}
