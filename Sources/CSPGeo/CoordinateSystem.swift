/// The coordinate system of a boundary file's positions.
public enum CoordinateSystem: String, Sendable, Hashable, CaseIterable {
    /// WGS84 longitude and latitude in degrees (EPSG:4326, CRS84 axis order): GeoJSON by
    /// default (RFC 7946), KML always.
    case wgs84
    /// British National Grid eastings and northings in metres (EPSG:27700).
    case osgb36
}
