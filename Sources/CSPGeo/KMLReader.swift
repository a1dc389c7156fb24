import CSPXML

/// Reads the `Placemark`s of a KML file as areas: `Polygon` and `MultiGeometry` of polygons,
/// with `outerBoundaryIs` and `innerBoundaryIs` rings (`LinearRing/coordinates`, whitespace-
/// separated `lon,lat[,alt]` tuples). KML is WGS84 longitude, latitude by definition; the
/// layer holds National Grid metres (see ``AreaLayer``). Altitudes are ignored.
///
/// The file is read through CSPXML's hardened streaming reader: a DOCTYPE, an entity, an
/// unclosed tag or a nesting or size beyond ``options`` is an error naming the file and line
/// (``BoundaryError/xml(_:)``). Every Placemark must hold at least one polygon (a boundary
/// file with label points should have them removed); feature errors name the Placemark's
/// position, code and starting line. Element names match with or without a namespace prefix.
public struct KMLReader: Sendable {
    /// Where a Placemark's code or name is taken from.
    public enum Field: Sendable, Hashable {
        /// The Placemark's `<name>`.
        case name
        /// `<ExtendedData><Data name="…"><value>` or
        /// `<ExtendedData><SchemaData><SimpleData name="…">` with this `name`.
        case data(String)
    }

    /// The field holding the area code; default the Placemark's name.
    public var codeField: Field
    /// The field holding the area name; default the Placemark's name.
    public var nameField: Field
    /// Limits for the XML reader; the default raises `maxValueBytes` to 64 MiB and
    /// `maxRecordBytes` to 256 MiB, room for very detailed coastlines.
    public var options: XMLReadOptions

    /// Creates a reader; see the properties for the parameters.
    public init(codeField: Field = .name, nameField: Field = .name, options: XMLReadOptions? = nil) {
        self.codeField = codeField
        self.nameField = nameField
        self.options = options ?? KMLReader.defaultOptions
    }

    /// The default ``options``.
    public static var defaultOptions: XMLReadOptions {
        var options = XMLReadOptions(maxDepth: 256, maxValueBytes: 64 << 20)
        options.maxRecordBytes = 256 << 20
        return options
    }

    /// Reads the file at `path`.
    public func read(path: String) throws(BoundaryError) -> AreaLayer {
        AreaLayer(source: path, features: try features(path: path))
    }

    /// The features of the file at `path`, without building an index: for a layer assembled from several files,
    /// indexed once.
    public func features(path: String) throws(BoundaryError) -> [AreaFeature] {
        let converter = RingConverter(system: .wgs84)
        var areas: [AreaFeature] = []
        do {
            let reader = try XMLRecordReader(path: path, recordElement: "Placemark", options: options)
            while let record = try reader.next() {
                areas.append(try feature(record, converter, path: path))
            }
        } catch let error as XMLReadError {
            throw .xml(error)
        } catch let error as BoundaryError {
            throw error
        } catch {
            throw .cannotRead(path: path, reason: "\(error)")
        }
        return areas
    }

    /// One Placemark as an area.
    func feature(_ record: XMLRecord, _ converter: RingConverter, path: String) throws(BoundaryError) -> AreaFeature {
        var placemarkName: String?
        var data: [String: String] = [:]
        var pendingDataName: String?
        var rings: [(outer: Bool, text: String)] = []
        for field in record.fields {
            let local = KMLReader.localPath(field.path)
            switch local {
            case "name": placemarkName = placemarkName ?? field.value
            case "ExtendedData/Data/@name": pendingDataName = field.value
            case "ExtendedData/Data/value":
                if let key = pendingDataName, data[key] == nil { data[key] = field.value }
                pendingDataName = nil
            case "ExtendedData/SchemaData/SimpleData/@name": pendingDataName = field.value
            case "ExtendedData/SchemaData/SimpleData":
                if let key = pendingDataName, data[key] == nil { data[key] = field.value }
                pendingDataName = nil
            default:
                if local.hasSuffix("Polygon/outerBoundaryIs/LinearRing/coordinates") {
                    rings.append((true, field.value))
                } else if local.hasSuffix("Polygon/innerBoundaryIs/LinearRing/coordinates") {
                    rings.append((false, field.value))
                }
            }
        }
        func value(_ field: Field) -> String? {
            let raw: String? = switch field {
            case .name: placemarkName
            case .data(let key): data[key]
            }
            guard let raw, !raw.allSatisfy(\.isWhitespace) else { return nil }
            return raw
        }
        func fieldName(_ field: Field) -> String {
            switch field {
            case .name: "name"
            case .data(let key): "ExtendedData \(key)"
            }
        }
        let code = value(codeField)
        do throws(FeatureProblem) {
            guard let code else { throw .missingProperty(fieldName(codeField)) }
            guard let name = value(nameField) else { throw .missingProperty(fieldName(nameField)) }
            var polygons: [(exterior: [GridPoint], holes: [[GridPoint]])] = []
            for ring in rings {
                let (xs, ys) = try KMLReader.coordinates(ring.text)
                let points = try converter.ring(xs, ys)
                if ring.outer {
                    polygons.append((points, []))
                } else if !polygons.isEmpty {
                    polygons[polygons.count - 1].holes.append(points)
                } else {
                    throw .malformedCoordinates("an innerBoundaryIs comes before any outerBoundaryIs")
                }
            }
            guard !polygons.isEmpty else {
                throw .unsupportedGeometry(rings.isEmpty ? "Placemark without a Polygon" : "Polygon without an outerBoundaryIs")
            }
            return AreaFeature(code: code, name: name,
                               polygons: polygons.map { AreaPolygon(exterior: $0.exterior, holes: $0.holes) })
        } catch {
            throw .invalidFeature(path: path, feature: record.index, code: code, line: record.line, problem: error)
        }
    }

    /// `path` with any namespace prefix removed from each step (`kml:Polygon` → `Polygon`).
    static func localPath(_ path: String) -> String {
        guard path.contains(":") else { return path }
        return path.split(separator: "/", omittingEmptySubsequences: false).map { step in
            guard let colon = step.lastIndex(of: ":") else { return String(step) }
            return (step.hasPrefix("@") ? "@" : "") + step[step.index(after: colon)...]
        }.joined(separator: "/")
    }

    /// The longitudes and latitudes of a `coordinates` value: tuples separated by whitespace,
    /// values within a tuple by commas, the third (altitude) optional and ignored.
    static func coordinates(_ text: String) throws(FeatureProblem) -> ([Double], [Double]) {
        var xs: [Double] = [], ys: [Double] = []
        var tuple = 0
        for token in text.utf8.split(whereSeparator: { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            tuple += 1
            let parts = token.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
            guard parts.count == 2 || parts.count == 3,
                  let x = Double(String(decoding: parts[0], as: UTF8.self)),
                  let y = Double(String(decoding: parts[1], as: UTF8.self)) else {
                throw .malformedCoordinates("tuple \(tuple) is not lon,lat or lon,lat,alt")
            }
            xs.append(x); ys.append(y)
        }
        return (xs, ys)
    }
}
