import Testing
@testable import CSPGeo

/// Reference values from pyproj 3.7.2 (PROJ 9.5.1), computed once and pasted here so the
/// tests need no Python. PROJ's default EPSG:27700 <-> EPSG:4326 operation without the OSTN15
/// grid is "OSGB36 to WGS 84 (6)", the Ordnance Survey's 7-parameter Helmert transformation:
///
/// ```python
/// from pyproj import Transformer
/// to_wgs = Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)
/// to_bng = Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True)
/// for name, e, n in grid:
///     lon, lat = to_wgs.transform(e, n)
///     print(f'("{name}", {e}, {n}, {lon:.9f}, {lat:.9f}),')
/// for name, lon, lat in lonlat:
///     e, n = to_bng.transform(lon, lat)
///     print(f'("{name}", {lon}, {lat}, {e:.3f}, {n:.3f}),')
/// ```
enum PyprojReference {
    /// (place, easting, northing, lon, lat): grid points and pyproj's WGS84 for them.
    static let grid: [(String, Double, Double, Double, Double)] = [
        ("Dunstable", 502000, 221800, -0.519405077, 51.885438442),
        ("Houghton Regis", 501500, 224000, -0.526020326, 51.905302922),
        ("Leighton Buzzard", 492000, 225000, -0.663801342, 51.915939132),
        ("Flitwick", 503000, 235000, -0.500931102, 52.003892547),
        ("Ampthill", 503500, 238000, -0.492744055, 52.030762332),
        ("Biggleswade", 519000, 244500, -0.264650658, 52.086068960),
        ("Sandy", 517500, 249000, -0.284981130, 52.126828338),
        ("Arlesey", 519000, 235500, -0.267780822, 52.005190418),
        ("Cranfield", 495500, 242000, -0.608200814, 52.068147723),
        ("Luton", 509000, 221500, -0.417834305, 51.881419109),
        ("Bedford", 505000, 249800, -0.467258867, 52.136531487),
        ("London", 530000, 180000, -0.128353940, 51.503990828),
        ("Caister", 651409.903, 313177.27, 1.716051990, 52.657978599),
        ("Dover", 632000, 141000, 1.313839890, 51.121282859),
        ("Land's End", 134000, 25000, -5.718349786, 50.065489470),
        ("St Mary's, Scilly", 90500, 10500, -6.312837916, 49.914413847),
        ("Cardiff", 318000, 176000, -3.182120200, 51.476993410),
        ("Newcastle", 425000, 564000, -1.611016327, 54.969997914),
        ("Edinburgh", 325000, 673000, -3.202386182, 55.944167047),
        ("Inverness", 266000, 845000, -4.236232206, 57.475390729),
        ("Stornoway", 142000, 933000, -6.394016759, 58.210010162),
        ("Lerwick", 447000, 1141000, -1.155328762, 60.150795739),
    ]

    /// (place, lon, lat, easting, northing): WGS84 positions and pyproj's grid point for them.
    static let lonLat: [(String, Double, Double, Double, Double)] = [
        ("Dunstable", -0.5206, 51.8858, 501916.947, 221838.539),
        ("Luton", -0.4174, 51.8787, 509036.465, 221198.247),
        ("Biggleswade", -0.265, 52.087, 518973.592, 244602.974),
        ("Leighton Buzzard", -0.66, 51.917, 492259.272, 225122.792),
        ("Shefford", -0.334, 52.039, 514368.700, 239153.904),
        ("London", -0.1276, 51.5072, 530043.195, 180358.209),
        ("Penzance", -5.5371, 50.1188, 147248.775, 30295.118),
        ("Glasgow", -4.2518, 55.8642, 259175.751, 665739.716),
        ("Thurso", -3.522, 58.5936, 311631.134, 968293.938),
        ("Lowestoft", 1.75, 52.481, 654728.898, 293620.770),
    ]
}

@Suite("OSGB36 <-> WGS84")
struct OSGB36Tests {
    @Test(arguments: PyprojReference.grid.indices)
    func gridToWGS84AgreesWithPyproj(_ i: Int) {
        let (place, e, n, lon, lat) = PyprojReference.grid[i]
        let ours = OSGB36.toWGS84(GridPoint(easting: e, northing: n))
        let off = GeoFixtures.metres(ours, LonLat(lon: lon, lat: lat))
        #expect(off < 5, "\(place): \(off) m from pyproj")
        // Measured: under 0.02 m everywhere (pyproj rounds the rotations to 0.15/0.247/0.842").
        #expect(off < 0.1, "\(place): \(off) m from pyproj")
    }

    @Test(arguments: PyprojReference.lonLat.indices)
    func wgs84ToGridAgreesWithPyproj(_ i: Int) {
        let (place, lon, lat, e, n) = PyprojReference.lonLat[i]
        let ours = OSGB36.fromWGS84(LonLat(lon: lon, lat: lat))
        let off = ours.distance(to: GridPoint(easting: e, northing: n))
        #expect(off < 5, "\(place): \(off) m from pyproj")
        #expect(off < 0.1, "\(place): \(off) m from pyproj")
    }

    @Test(arguments: PyprojReference.grid.indices)
    func gridRoundTrip(_ i: Int) {
        let (place, e, n, _, _) = PyprojReference.grid[i]
        let start = GridPoint(easting: e, northing: n)
        let back = OSGB36.fromWGS84(OSGB36.toWGS84(start))
        #expect(back.distance(to: start) < 0.01, "\(place): came back \(back.distance(to: start)) m away")
    }

    @Test(arguments: PyprojReference.lonLat.indices)
    func wgs84RoundTrip(_ i: Int) {
        let (place, lon, lat, _, _) = PyprojReference.lonLat[i]
        let start = LonLat(lon: lon, lat: lat)
        let back = OSGB36.toWGS84(OSGB36.fromWGS84(start))
        #expect(GeoFixtures.metres(back, start) < 0.01, "\(place): came back \(GeoFixtures.metres(back, start)) m away")
    }

    @Test func reportsTheWorstAgreement() {
        let toWGS = PyprojReference.grid.map { (_, e, n, lon, lat) in
            GeoFixtures.metres(OSGB36.toWGS84(GridPoint(easting: e, northing: n)), LonLat(lon: lon, lat: lat))
        }
        let toGrid = PyprojReference.lonLat.map { (_, lon, lat, e, n) in
            OSGB36.fromWGS84(LonLat(lon: lon, lat: lat)).distance(to: GridPoint(easting: e, northing: n))
        }
        let roundTrip = PyprojReference.grid.map { (_, e, n, _, _) in
            let start = GridPoint(easting: e, northing: n)
            return OSGB36.fromWGS84(OSGB36.toWGS84(start)).distance(to: start)
        }
        print("OSGB36 vs pyproj: grid->WGS84 worst \(toWGS.max()!) m, WGS84->grid worst \(toGrid.max()!) m; "
              + "grid->WGS84->grid worst \(roundTrip.max()!) m")
        #expect(toWGS.max()! < 5 && toGrid.max()! < 5 && roundTrip.max()! < 0.01)
    }

    @Test func projectionAloneMatchesTheOrdnanceSurveyWorkedExample() {
        // The guide's worked example (annexe C): 52°39'27.2531"N 1°43'4.5177"E on Airy 1830
        // is E 651409.903, N 313177.270.
        let lat = (52 + 39 / 60.0 + 27.2531 / 3600) * .pi / 180
        let lon = (1 + 43 / 60.0 + 4.5177 / 3600) * .pi / 180
        let (e, n) = TransverseMercator.nationalGrid.forward(lat: lat, lon: lon)
        #expect(abs(e - 651409.903) < 0.001)
        #expect(abs(n - 313177.270) < 0.001)
        let (lat2, lon2) = TransverseMercator.nationalGrid.inverse(easting: 651409.903, northing: 313177.270)
        #expect(abs(lat2 - lat) * 6_371_000 < 0.001)
        #expect(abs(lon2 - lon) * 6_371_000 < 0.001)
    }

    @Test func plausibility() {
        #expect(OSGB36.isPlausible(GridPoint(easting: 502000, northing: 221800)))
        #expect(!OSGB36.isPlausible(GridPoint(easting: 51.88, northing: -0.52) .swapped(by: 1e7)))
        #expect(!OSGB36.isPlausible(GridPoint(easting: .nan, northing: 0)))
        #expect(!LonLat(lon: 200, lat: 0).isValid)
    }
}

private extension GridPoint {
    func swapped(by offset: Double) -> GridPoint { GridPoint(easting: northing + offset, northing: easting) }
}
