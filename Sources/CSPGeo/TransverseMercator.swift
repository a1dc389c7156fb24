import Foundation

/// The Transverse Mercator projection as the Ordnance Survey's series formulas give it
/// (*A guide to coordinate systems in Great Britain*, annexe C). Angles in radians.
struct TransverseMercator: Sendable {
    let ellipsoid: Ellipsoid
    /// Scale factor on the central meridian.
    let f0: Double
    /// Latitude and longitude of the true origin, radians.
    let lat0, lon0: Double
    /// Grid coordinates of the true origin, metres.
    let e0, n0: Double

    /// The British National Grid on Airy 1830.
    static let nationalGrid = TransverseMercator(
        ellipsoid: .airy1830, f0: 0.9996012717,
        lat0: 49 * .pi / 180, lon0: -2 * .pi / 180, e0: 400_000, n0: -100_000)

    /// The meridional arc M from the true origin's latitude to `lat` (the guide's C3).
    func meridionalArc(_ lat: Double) -> Double {
        let a = ellipsoid.a, b = ellipsoid.b
        let n = (a - b) / (a + b), n2 = n * n, n3 = n2 * n
        let dLat = lat - lat0, sLat = lat + lat0
        return b * f0 * (
            (1 + n + 1.25 * n2 + 1.25 * n3) * dLat
                - (3 * n + 3 * n2 + 21.0 / 8 * n3) * sin(dLat) * cos(sLat)
                + (15.0 / 8 * n2 + 15.0 / 8 * n3) * sin(2 * dLat) * cos(2 * sLat)
                - 35.0 / 24 * n3 * sin(3 * dLat) * cos(3 * sLat))
    }

    /// ν, ρ and η² at `lat` (the guide's C2).
    private func radii(_ lat: Double) -> (nu: Double, rho: Double, eta2: Double) {
        let a = ellipsoid.a, e2 = ellipsoid.e2
        let sin2 = sin(lat) * sin(lat)
        let nu = a * f0 / (1 - e2 * sin2).squareRoot()
        let rho = a * f0 * (1 - e2) / pow(1 - e2 * sin2, 1.5)
        return (nu, rho, nu / rho - 1)
    }

    /// Grid easting and northing of a latitude and longitude (the guide's C1–C5, terms I–VI).
    func forward(lat: Double, lon: Double) -> (easting: Double, northing: Double) {
        let (nu, rho, eta2) = radii(lat)
        let sinLat = sin(lat), cosLat = cos(lat), tanLat = tan(lat)
        let tan2 = tanLat * tanLat, tan4 = tan2 * tan2
        let cos3 = cosLat * cosLat * cosLat, cos5 = cos3 * cosLat * cosLat
        let i = meridionalArc(lat) + n0
        let ii = nu / 2 * sinLat * cosLat
        let iii = nu / 24 * sinLat * cos3 * (5 - tan2 + 9 * eta2)
        let iiiA = nu / 720 * sinLat * cos5 * (61 - 58 * tan2 + tan4)
        let iv = nu * cosLat
        let v = nu / 6 * cos3 * (nu / rho - tan2)
        let vi = nu / 120 * cos5 * (5 - 18 * tan2 + tan4 + 14 * eta2 - 58 * tan2 * eta2)
        let l = lon - lon0, l2 = l * l
        let northing = i + l2 * (ii + l2 * (iii + l2 * iiiA))
        let easting = e0 + l * (iv + l2 * (v + l2 * vi))
        return (easting, northing)
    }

    /// Latitude and longitude of a grid easting and northing (the guide's C6–C8, terms VII–XIIA).
    func inverse(easting: Double, northing: Double) -> (lat: Double, lon: Double) {
        let aF0 = ellipsoid.a * f0
        var lat = (northing - n0) / aF0 + lat0
        var m = meridionalArc(lat)
        var guard_ = 0
        while abs(northing - n0 - m) >= 0.00001, guard_ < 50 {
            lat += (northing - n0 - m) / aF0
            m = meridionalArc(lat)
            guard_ += 1
        }
        let (nu, rho, eta2) = radii(lat)
        let tanLat = tan(lat), secLat = 1 / cos(lat)
        let tan2 = tanLat * tanLat, tan4 = tan2 * tan2, tan6 = tan4 * tan2
        let nu3 = nu * nu * nu, nu5 = nu3 * nu * nu, nu7 = nu5 * nu * nu
        let vii = tanLat / (2 * rho * nu)
        let viii = tanLat / (24 * rho * nu3) * (5 + 3 * tan2 + eta2 - 9 * tan2 * eta2)
        let ix = tanLat / (720 * rho * nu5) * (61 + 90 * tan2 + 45 * tan4)
        let x = secLat / nu
        let xi = secLat / (6 * nu3) * (nu / rho + 2 * tan2)
        let xii = secLat / (120 * nu5) * (5 + 28 * tan2 + 24 * tan4)
        let xiiA = secLat / (5040 * nu7) * (61 + 662 * tan2 + 1320 * tan4 + 720 * tan6)
        let d = easting - e0, d2 = d * d
        let resultLat = lat - d2 * (vii - d2 * (viii - d2 * ix))
        let resultLon = lon0 + d * (x - d2 * (xi - d2 * (xii - d2 * xiiA)))
        return (resultLat, resultLon)
    }
}
