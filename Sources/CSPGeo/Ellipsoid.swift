import Foundation

/// An ellipsoid and conversions between geodetic and geocentric cartesian coordinates.
struct Ellipsoid: Sendable {
    /// Semi-major axis, metres.
    let a: Double
    /// Semi-minor axis, metres.
    let b: Double
    /// First eccentricity squared, (a² − b²) / a².
    let e2: Double

    /// An ellipsoid from its semi-axes in metres.
    init(a: Double, b: Double) {
        self.a = a
        self.b = b
        e2 = (a * a - b * b) / (a * a)
    }

    /// Airy 1830, the ellipsoid of OSGB36.
    static let airy1830 = Ellipsoid(a: 6_377_563.396, b: 6_356_256.909)
    /// WGS84 (GRS80 to a tenth of a millimetre).
    static let wgs84 = Ellipsoid(a: 6_378_137.0, b: 6_378_137.0 * (1 - 1 / 298.257223563))

    /// Geocentric X, Y, Z in metres of a latitude and longitude in radians and a height.
    func cartesian(lat: Double, lon: Double, height: Double) -> (Double, Double, Double) {
        let sinLat = sin(lat), cosLat = cos(lat)
        let nu = a / (1 - e2 * sinLat * sinLat).squareRoot()
        return ((nu + height) * cosLat * cos(lon),
                (nu + height) * cosLat * sin(lon),
                ((1 - e2) * nu + height) * sinLat)
    }

    /// Latitude and longitude in radians of a geocentric point, iterating to 1e-12 rad.
    func geodetic(_ xyz: (Double, Double, Double)) -> (lat: Double, lon: Double) {
        let (x, y, z) = xyz
        let p = (x * x + y * y).squareRoot()
        let lon = atan2(y, x)
        var lat = atan2(z, p * (1 - e2))
        for _ in 0..<10 {
            let sinLat = sin(lat)
            let nu = a / (1 - e2 * sinLat * sinLat).squareRoot()
            let next = atan2(z + e2 * nu * sinLat, p)
            if abs(next - lat) < 1e-12 { lat = next; break }
            lat = next
        }
        return (lat, lon)
    }
}
