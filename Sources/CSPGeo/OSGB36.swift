import Foundation

/// Conversion between the British National Grid (EPSG:27700: OSGB36 datum, Airy 1830
/// ellipsoid, Transverse Mercator projection) and WGS84 longitude/latitude (EPSG:4326).
///
/// **Method.** Following the Ordnance Survey's *A guide to coordinate systems in Great
/// Britain*:
/// 1. Grid to OSGB36 latitude/longitude: the inverse Transverse Mercator series (the guide's
///    terms VII–XIIA; latitude of the footpoint found by iteration to 0.01 mm) with
///    F0 = 0.9996012717, true origin 49°N 2°W, false origin E 400 000 m, N −100 000 m, on
///    Airy 1830 (a = 6 377 563.396 m, b = 6 356 256.909 m).
/// 2. OSGB36 latitude/longitude (height taken as 0) to geocentric cartesian X, Y, Z.
/// 3. The Ordnance Survey's 7-parameter Helmert transformation (position-vector convention)
///    from OSGB36 to WGS84: tx +446.448 m, ty −125.157 m, tz +542.060 m, s −20.4894 ppm,
///    rx +0.1502″, ry +0.2470″, rz +0.8421″ (the published WGS84→OSGB36 parameters with their
///    signs inverted).
/// 4. Cartesian to WGS84 latitude/longitude (a = 6 378 137 m, f = 1/298.257223563) by
///    iteration; the height is discarded.
///
/// The reverse direction runs the same steps backwards with the published WGS84→OSGB36
/// parameters and the forward Transverse Mercator series (terms I–VI).
///
/// **Accuracy.** The projection series are exact to well under a millimetre within Great
/// Britain, so the error is that of the Helmert transformation: the Ordnance Survey quotes
/// about 5 m (it is a single best fit for the whole country and ignores the local distortions
/// of OSGB36 that the OSTN15 grid models). Against pyproj's EPSG:27700 ↔ EPSG:4326 default
/// (which, without the OSTN15 grid file, is this same Helmert transformation) the results
/// agree to about a centimetre; grid → WGS84 → grid returns to within a few millimetres.
/// That is ample for placing a crime in a ward or LSOA, and far finer than data.police.uk's
/// deliberate anonymisation of locations to a nearby point.
public enum OSGB36 {
    /// The WGS84 longitude and latitude of a British National Grid point.
    public static func toWGS84(_ p: GridPoint) -> LonLat {
        let (lat, lon) = TransverseMercator.nationalGrid.inverse(easting: p.easting, northing: p.northing)
        let xyz = Ellipsoid.airy1830.cartesian(lat: lat, lon: lon, height: 0)
        let moved = Helmert.osgb36ToWGS84.apply(xyz)
        let (latW, lonW) = Ellipsoid.wgs84.geodetic(moved)
        return LonLat(lon: lonW * 180 / .pi, lat: latW * 180 / .pi)
    }

    /// The British National Grid point of a WGS84 longitude and latitude.
    public static func fromWGS84(_ p: LonLat) -> GridPoint {
        let xyz = Ellipsoid.wgs84.cartesian(lat: p.lat * .pi / 180, lon: p.lon * .pi / 180, height: 0)
        let moved = Helmert.wgs84ToOSGB36.apply(xyz)
        let (lat, lon) = Ellipsoid.airy1830.geodetic(moved)
        let (e, n) = TransverseMercator.nationalGrid.forward(lat: lat, lon: lon)
        return GridPoint(easting: e, northing: n)
    }

    /// The extent accepted for grid coordinates of boundary files: the National Grid's
    /// 700 km × 1300 km of Great Britain with 100 km to spare on every side. A point outside
    /// it is not in Britain (or its coordinates are swapped, or in another system).
    public static let plausibleEastings: ClosedRange<Double> = -100_000...800_000
    /// See ``plausibleEastings``.
    public static let plausibleNorthings: ClosedRange<Double> = -100_000...1_400_000

    /// Whether `p` is finite and inside ``plausibleEastings`` × ``plausibleNorthings``.
    public static func isPlausible(_ p: GridPoint) -> Bool {
        p.easting.isFinite && p.northing.isFinite
            && plausibleEastings.contains(p.easting) && plausibleNorthings.contains(p.northing)
    }
}
