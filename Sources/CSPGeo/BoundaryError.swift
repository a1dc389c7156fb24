import CSPXML

/// Why a boundary file could not be loaded. Every case names the file; problems with one
/// feature also name the feature (its 1-based position in the file and its code when known)
/// and, for KML, the line where the feature starts.
public enum BoundaryError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file could not be opened or read; `reason` is the operating system's explanation.
    case cannotRead(path: String, reason: String)
    /// The file is not a GeoJSON FeatureCollection (not JSON, or the wrong shape).
    case notFeatureCollection(path: String, reason: String)
    /// The GeoJSON `crs` member names a system other than CRS84, EPSG:4326 or EPSG:27700.
    case unsupportedCRS(path: String, name: String)
    /// One feature is unusable; `problem` says how.
    case invalidFeature(path: String, feature: Int, code: String?, line: Int?, problem: FeatureProblem)
    /// The KML file could not be read as XML (malformed, or hostile and refused).
    case xml(XMLReadError)

    /// The file concerned.
    public var path: String {
        switch self {
        case .cannotRead(let path, _), .notFeatureCollection(let path, _), .unsupportedCRS(let path, _),
             .invalidFeature(let path, _, _, _, _):
            path
        case .xml(let error):
            switch error {
            case .cannotOpen(let path, _), .malformed(let path, _, _, _), .doctypeForbidden(let path, _),
                 .entityForbidden(let path, _, _), .tooDeep(let path, _, _), .valueTooLong(let path, _, _, _):
                path
            }
        }
    }

    /// The line where the problem was found, when known.
    public var line: Int? {
        switch self {
        case .invalidFeature(_, _, _, let line, _): line
        case .xml(let error): error.line > 0 ? error.line : nil
        default: nil
        }
    }

    /// A stable identifier for the kind of problem, for logs and quality reports.
    public var rule: String {
        switch self {
        case .cannotRead: "geo.cannot-read"
        case .notFeatureCollection: "geo.not-feature-collection"
        case .unsupportedCRS: "geo.unsupported-crs"
        case .invalidFeature(_, _, _, _, let problem): problem.rule
        case .xml(let error): error.rule
        }
    }

    /// A sentence an analyst can act on.
    public var description: String {
        switch self {
        case .cannotRead(let path, let reason):
            return "Cannot read the boundary file \(path): \(reason). Check that the path is right and the file is readable."
        case .notFeatureCollection(let path, let reason):
            return "The boundary file \(path) is not a GeoJSON FeatureCollection: \(reason)."
        case .unsupportedCRS(let path, let name):
            return "The boundary file \(path) declares the coordinate system \"\(name)\"; only CRS84/EPSG:4326 "
                + "(longitude, latitude) and EPSG:27700 (British National Grid) are supported. "
                + "Reproject the file, or say which system it uses if the declaration is wrong."
        case .invalidFeature(let path, let feature, let code, let line, let problem):
            let which = "feature \(feature)" + (code.map { " (\($0))" } ?? "")
            let at = line.map { " at line \($0)" } ?? ""
            return "The boundary file \(path) has an unusable \(which)\(at): \(problem)."
        case .xml(let error):
            return error.description
        }
    }
}
