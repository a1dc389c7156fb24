import CSPGeo
import Foundation

/// Writes the synthetic boundary files of the fixtures (`Fixtures/boundaries/`): real names, invented shapes,
/// consistent with where the generator puts its points. Deterministic: pure geometry on the committed reference CSVs.
///
/// Construction (documented in `Fixtures/README.md`):
/// 1. One site per 2008 ward at its invented centre (`ward-centres.csv`), plus one per out-of-area ward
///    (`out-of-area-wards.csv`, the 2009 codes). Cells are the **power diagram** of the sites clipped to a
///    rectangle 6 km beyond the outermost centres: a Central Bedfordshire site weighs (0.75 × its scatter
///    radius)², an out-of-area site 1,100² m² (weights chosen so that every out-of-area point of the committed
///    fixtures lies in an out-of-area cell, while few in-area points do; the stage 3 tests check both). Vertices are rounded to 0.1 mm and every vertex is
///    inserted into every edge it lies on, so neighbouring cells share their edges exactly.
/// 2. 2008 wards = the cells. 2009 wards = the union (as a MultiPolygon of pieces) of the 2008 cells whose
///    LSOAs all go to it; the five split 2008 wards are cut through their centre (vertically, or horizontally
///    when the two new wards lie north and south of each other) and each half joins the new ward on its side.
/// 3. SNT areas = unions of their 2009 wards (`raw/reference/snt_priorities.csv`); towns = unions of the 2008
///    cells of each town (`ward-centres.csv`); named places = squares (town centres ±300 m about the
///    generator's town-centre points, estates ±250 m about their ward's centre).
public struct BoundaryExport {
    let reference: FixtureReference
    let sntPath: String

    /// An export reading the SNT areas from `sntPriorities` (`raw/reference/snt_priorities.csv`).
    public init(reference: FixtureReference, sntPriorities: String) {
        self.reference = reference
        sntPath = sntPriorities
    }

    struct Site { let code: String; let x: Double; let y: Double; let weight: Double }

    /// Named places: (code, name, centre easting, northing, half side).
    static let places: [(String, String, Double, Double, Double)] = [
        ("PL01", "Dunstable town centre", 502000, 222000, 300),
        ("PL02", "Leighton Buzzard town centre", 492100, 225100, 300),
        ("PL03", "Biggleswade town centre", 519300, 244600, 300),
        ("PL04", "Houghton Regis town centre", 501700, 224000, 300),
        ("PL05", "Sandy town centre", 517400, 249300, 300),
        ("PL06", "Houghton Hall", 501500, 223400, 250),
        ("PL07", "Tithe Farm", 500500, 225500, 250),
        ("PL08", "Parkside", 500500, 224200, 250),
        ("PL09", "Planets Estate", 493000, 226000, 250),
        ("PL10", "Downside", 502000, 223000, 250),
        ("PL11", "Linslade", 491000, 225500, 250),
    ]

    /// Writes every layer into `folder`; returns the file names written.
    @discardableResult
    public func write(to folder: String) throws -> [String] {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let ref = reference
        let cb = ref.wards2008.map { w -> Site in
            let c = ref.centres[w.code]!
            let r = 0.75 * Double(c.radius)
            return Site(code: w.code, x: Double(c.easting), y: Double(c.northing), weight: r * r)
        }
        var seen = Set<String>()
        let oaWards = ref.outOfArea.filter { $0.ward.vintage == 2009 && seen.insert($0.ward.code).inserted }
        let oa = oaWards.map { Site(code: $0.ward.code, x: Double($0.easting), y: Double($0.northing), weight: 1100 * 1100) }
        let sites = cb + oa
        let xs = cb.map(\.x), ys = cb.map(\.y)
        let box = (minX: xs.min()! - 6000, minY: ys.min()! - 6000, maxX: xs.max()! + 6000, maxY: ys.max()! + 6000)

        var cells: [[P]] = sites.indices.map { i in
            var poly: [P] = [P(box.minX, box.minY), P(box.maxX, box.minY), P(box.maxX, box.maxY), P(box.minX, box.maxY)]
            for j in sites.indices where j != i {
                let a = sites[i], b = sites[j]
                // Keep p with 2 p·(b - a) <= |b|² - |a|² - wb + wa.
                let nx = 2 * (b.x - a.x), ny = 2 * (b.y - a.y)
                let c = (b.x * b.x + b.y * b.y) - (a.x * a.x + a.y * a.y) - b.weight + a.weight
                poly = Self.clip(poly, nx: nx, ny: ny, c: c)
            }
            return poly.map(\.rounded)
        }

        // 2009 ward of each 2008 ward, or its two parts when split.
        var targets: [String: [String: Int]] = [:]
        for l in ref.lsoas { targets[l.wd08, default: [:]][l.wd09, default: 0] += 1 }
        struct Piece { var ring: [P]; let ward08: String; let ward09: String }
        var pieces: [Piece] = []
        let whole = targets.filter { $0.value.count == 1 }.mapValues { $0.keys.first! }
        for (i, w) in ref.wards2008.enumerated() {
            let t = targets[w.code] ?? [:]
            if t.count == 1 { pieces.append(Piece(ring: cells[i], ward08: w.code, ward09: t.keys.first!)); continue }
            let news = t.keys.sorted()
            precondition(news.count == 2, "a 2008 ward split in more than two")
            func mean(_ n: String) -> P {
                let cs = whole.filter { $0.value == n }.keys.sorted().map { ref.centres[$0]! }
                return P(Double(cs.map(\.easting).reduce(0, +)) / Double(max(cs.count, 1)), Double(cs.map(\.northing).reduce(0, +)) / Double(max(cs.count, 1)))
            }
            let a = mean(news[0]), b = mean(news[1]), c = cb[i]
            let vertical = abs(a.x - b.x) >= abs(a.y - b.y)
            let aLow = vertical ? a.x < b.x : a.y < b.y
            // Low half: x <= c.x (or y <= c.y); high half: x >= c.x.
            let low = Self.clip(cells[i], nx: vertical ? 1 : 0, ny: vertical ? 0 : 1, c: vertical ? c.x : c.y).map(\.rounded)
            let high = Self.clip(cells[i], nx: vertical ? -1 : 0, ny: vertical ? 0 : -1, c: vertical ? -c.x : -c.y).map(\.rounded)
            pieces.append(Piece(ring: low, ward08: w.code, ward09: aLow ? news[0] : news[1]))
            pieces.append(Piece(ring: high, ward08: w.code, ward09: aLow ? news[1] : news[0]))
        }
        // Out-of-area cells.
        let oaPieces = oa.indices.map { cells[cb.count + $0] }

        // Shared edges: insert every vertex into every edge it lies on.
        var all = Set<P>()
        for p in pieces { all.formUnion(p.ring) }
        for r in oaPieces { all.formUnion(r) }
        let vertices = all.sorted()
        for k in pieces.indices { pieces[k].ring = Self.split(pieces[k].ring, by: vertices) }
        let oaRings = oaPieces.map { Self.split($0, by: vertices) }
        for i in cells.indices where i < cb.count { cells[i] = Self.split(cells[i], by: vertices) }

        func feature(_ code: String, _ name: String, _ rings: [[P]]) -> AreaFeature {
            AreaFeature(code: code, name: name, polygons: rings.map { AreaPolygon(exterior: $0.map(\.grid)) })
        }
        let name08 = Dictionary(uniqueKeysWithValues: ref.wards2008.map { ($0.code, $0.name) })
        let wards08 = ref.wards2008.enumerated().map { i, w in
            feature(w.code, w.name, pieces.filter { $0.ward08 == w.code }.map(\.ring))
        }
        _ = name08
        let wards09 = ref.wards2009.map { w in feature(w.code, w.name, pieces.filter { $0.ward09 == w.code }.map(\.ring)) }
        let luton = oaWards.enumerated().filter { $0.element.ward.district == "00KA" }.map { feature($0.element.ward.code, $0.element.ward.name, [oaRings[$0.offset]]) }
        let bedford = oaWards.enumerated().filter { $0.element.ward.district == "00KB" }.map { feature($0.element.ward.code, $0.element.ward.name, [oaRings[$0.offset]]) }

        // SNT areas, in order of first appearance.
        let snt = try ReferenceCSVRows(path: sntPath)
        var sntAreas: [(name: String, wards: [String])] = []
        for r in snt.rows where !sntAreas.contains(where: { $0.name == r["snt_area"]! }) {
            sntAreas.append((r["snt_area"]!, r["ward_codes"]!.split(separator: ";").map(String.init)))
        }
        let snts = sntAreas.enumerated().map { i, a in
            feature(String(format: "SNT%02d", i + 1), a.name, pieces.filter { a.wards.contains($0.ward09) }.map(\.ring))
        }
        // Towns, in order of first appearance in ward-centres.csv order (2008 ward order).
        var towns: [String] = []
        for w in ref.wards2008 where !towns.contains(ref.centres[w.code]!.town) { towns.append(ref.centres[w.code]!.town) }
        let townFeatures = towns.enumerated().map { i, t in
            feature(String(format: "TN%02d", i + 1), t, pieces.filter { ref.centres[$0.ward08]!.town == t }.map(\.ring))
        }
        let placeFeatures = Self.places.map { p in
            PolygonBuilder.rectangle(code: p.0, name: p.1, min: GridPoint(easting: p.2 - p.4, northing: p.3 - p.4), max: GridPoint(easting: p.2 + p.4, northing: p.3 + p.4))
        }

        let files: [(String, [AreaFeature], Bool)] = [
            ("wards-2009.geojson", wards09, false), ("wards-2008.geojson", wards08, false),
            ("out-of-area-luton.geojson", luton, false), ("out-of-area-bedford.geojson", bedford, false),
            ("snt-areas.geojson", snts, false), ("towns.kml", townFeatures, true), ("places.kml", placeFeatures, true),
        ]
        for (name, features, kml) in files {
            if kml { try PolygonBuilder.writeKML(features, to: folder + "/" + name) } else { try PolygonBuilder.writeGeoJSON(features, to: folder + "/" + name) }
        }
        return files.map(\.0)
    }

    /// A point with ordering (for a deterministic vertex list).
    struct P: Hashable, Comparable {
        let x: Double, y: Double
        init(_ x: Double, _ y: Double) { self.x = x; self.y = y }
        var rounded: P { P((x * 10_000).rounded() / 10_000, (y * 10_000).rounded() / 10_000) }
        var grid: GridPoint { GridPoint(easting: x, northing: y) }
        static func < (a: P, b: P) -> Bool { (a.x, a.y) < (b.x, b.y) }
    }

    /// Sutherland–Hodgman: the part of convex `poly` with `nx·x + ny·y <= c`.
    static func clip(_ poly: [P], nx: Double, ny: Double, c: Double) -> [P] {
        guard !poly.isEmpty else { return [] }
        var out: [P] = []
        for k in poly.indices {
            let a = poly[k], b = poly[(k + 1) % poly.count]
            let fa = nx * a.x + ny * a.y - c, fb = nx * b.x + ny * b.y - c
            if fa <= 0 { out.append(a) }
            if (fa < 0 && fb > 0) || (fa > 0 && fb < 0) {
                let t = fa / (fa - fb)
                out.append(P(a.x + t * (b.x - a.x), a.y + t * (b.y - a.y)))
            }
        }
        // Drop repeated points.
        var clean: [P] = []
        for p in out where clean.last.map({ $0.rounded != p.rounded }) ?? true { clean.append(p) }
        if clean.count > 1, clean.first!.rounded == clean.last!.rounded { clean.removeLast() }
        return clean
    }

    /// `ring` (open) with every vertex of `vertices` that lies strictly inside one of its edges inserted there.
    static func split(_ ring: [P], by vertices: [P]) -> [P] {
        var out: [P] = []
        for k in ring.indices {
            let a = ring[k], b = ring[(k + 1) % ring.count]
            out.append(a)
            let dx = b.x - a.x, dy = b.y - a.y, len2 = dx * dx + dy * dy
            var inner: [(Double, P)] = []
            for v in vertices where v != a && v != b {
                let t = ((v.x - a.x) * dx + (v.y - a.y) * dy) / len2
                guard t > 0, t < 1 else { continue }
                let cross = (v.x - a.x) * dy - (v.y - a.y) * dx
                if abs(cross) / len2.squareRoot() < 0.001 { inner.append((t, v)) }
            }
            out += inner.sorted { $0.0 < $1.0 }.map(\.1)
        }
        return out
    }
}

/// A small CSV reader for the SNT file (header, then rows as dictionaries).
struct ReferenceCSVRows {
    let rows: [[String: String]]
    init(path: String) throws {
        let csv = try ReferenceCSV(path: path, requiring: ["snt_area", "ward_codes"])
        rows = csv.rows.map { r in ["snt_area": csv.value(r, "snt_area"), "ward_codes": csv.value(r, "ward_codes")] }
    }
}

extension FixtureGenerator {
    /// Writes the synthetic boundary files (`Fixtures/boundaries`) into `folder`; the SNT areas come from the fixture set
    /// in `config.output` (`reference/snt_priorities.csv`). Returns the file names.
    @discardableResult
    public static func generateBoundaries(_ config: FixtureConfiguration, to folder: String) throws -> [String] {
        let ref = try FixtureReference.load(fixturesReference: config.fixturesReference, pipelineReference: config.pipelineReference)
        return try BoundaryExport(reference: ref, sntPriorities: config.output + "/reference/snt_priorities.csv").write(to: folder)
    }
}
