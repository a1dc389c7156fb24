import CSPCore
import CSPSchema
import CSPStorage

/// A mapping's coordinate pairs applied to a row: the first pair with both values present gives the entity's
/// coordinates, its precision (`location_precision_m`) and its columns (`location_source`). A pair with one value
/// missing, a value that is not a number, or a point outside Great Britain (an easting given as a latitude, a
/// longitude given as an easting) is rejected with the pair's columns and values.
struct CoordinateRule {
    let pairs: [CoordinatePair]
    let nullTokens: Set<String>
    let easting: Int?, northing: Int?, longitude: Int?, latitude: Int?, precision: Int?, source: Int?

    /// Great Britain's extent on the National Grid, and in WGS84, with a margin.
    static let eastings = 0.0...700_000.0, northings = 0.0...1_300_000.0
    static let longitudes = -9.0...2.5, latitudes = 49.0...61.5

    init(pairs: [CoordinatePair], schema: EntitySchema, nullTokens: [String]) {
        self.pairs = pairs
        self.nullTokens = Set(nullTokens.map(ReferenceTable.normalise))
        let names = Set(schema.columns.map(\.name))
        func at(_ n: String) -> Int? { names.contains(n) ? schema.index(n) : nil }
        easting = at("easting"); northing = at("northing"); longitude = at("longitude"); latitude = at("latitude")
        precision = at("location_precision_m"); source = at("location_source")
    }

    func read(_ row: InputRow, _ column: String) -> String {
        let t = Text.trim(row[column])
        return !nullTokens.isEmpty && !t.isEmpty && t.utf8.count <= 32 && nullTokens.contains(ReferenceTable.normalise(t)) ? "" : t
    }

    func apply(_ row: InputRow, into v: inout [String]) throws {
        for p in pairs {
            let x = read(row, p.x), y = read(row, p.y)
            if x.isEmpty && y.isEmpty { continue }
            let field = p.system == .bng ? "easting" : "longitude"
            guard !x.isEmpty, !y.isEmpty else {
                throw CleanRejection(rule: "clean.coordinate.half-missing", field: field, value: "\(x) \(y)", message: "\(p.x) `\(x)` and \(p.y) `\(y)`: one of the pair is blank")
            }
            guard let a = Double(x), let b = Double(y), a.isFinite, b.isFinite else {
                throw CleanRejection(rule: "clean.coordinate.invalid", field: field, value: "\(x) \(y)", message: "\(p.x) `\(x)`, \(p.y) `\(y)` are not numbers")
            }
            switch p.system {
            case .bng:
                guard Self.eastings.contains(a), Self.northings.contains(b) else {
                    let hint = Self.longitudes.contains(a) && Self.latitudes.contains(b) ? " (they look like a longitude and latitude: declare the pair as `longitude`/`latitude`)" : ""
                    throw CleanRejection(rule: "clean.coordinate.out-of-range", field: field, value: "\(x) \(y)", message: "easting \(x), northing \(y) (\(p.x), \(p.y)) are outside Great Britain\(hint)")
                }
                guard let e = easting, let n = northing else {
                    throw CleanRejection(rule: "clean.coordinate.unsupported", field: field, value: "\(x) \(y)", message: "the entity holds no easting and northing")
                }
                v[e] = String(Int(a.rounded())); v[n] = String(Int(b.rounded()))
            case .wgs84:
                guard Self.longitudes.contains(a), Self.latitudes.contains(b) else {
                    let hint = Self.eastings.contains(a) && Self.northings.contains(b) ? " (they look like an easting and northing: declare the pair as `easting`/`northing`)" : ""
                    throw CleanRejection(rule: "clean.coordinate.out-of-range", field: field, value: "\(x) \(y)", message: "longitude \(x), latitude \(y) (\(p.x), \(p.y)) are outside Great Britain\(hint)")
                }
                guard let lo = longitude, let la = latitude else {
                    throw CleanRejection(rule: "clean.coordinate.unsupported", field: field, value: "\(x) \(y)", message: "the entity holds no longitude and latitude")
                }
                v[lo] = x; v[la] = y
            }
            if let precision { v[precision] = p.precisionMetres.map(String.init) ?? "" }
            if let source { v[source] = "\(p.x)/\(p.y)" }
            return
        }
    }
}
