/// A WGS84 (EPSG:4326) position in decimal degrees, longitude first as in GeoJSON and KML:
/// the coordinates of data.police.uk and of ONS boundary files.
public struct LonLat: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Degrees east of Greenwich (negative west), -180...180.
    public var lon: Double
    /// Degrees north of the equator, -90...90.
    public var lat: Double

    /// Creates a position from a longitude and a latitude in decimal degrees.
    public init(lon: Double, lat: Double) {
        self.lon = lon
        self.lat = lat
    }

    /// Whether both values are finite and within -180...180 (lon) and -90...90 (lat).
    public var isValid: Bool {
        lon.isFinite && lat.isFinite && (-180...180).contains(lon) && (-90...90).contains(lat)
    }

    /// `"lon -0.5206 lat 51.8858"`, for messages.
    public var description: String { "lon \(lon) lat \(lat)" }
}
