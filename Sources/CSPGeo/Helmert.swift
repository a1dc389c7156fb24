/// A 7-parameter Helmert transformation in the position-vector convention, small-angle form.
struct Helmert: Sendable {
    /// Translations in metres.
    let tx, ty, tz: Double
    /// Scale change, as a factor minus one (ppm × 1e-6).
    let s: Double
    /// Rotations in radians.
    let rx, ry, rz: Double

    /// Parameters as the Ordnance Survey publishes them: metres, ppm and arc-seconds.
    init(tx: Double, ty: Double, tz: Double, ppm: Double, rxSeconds: Double, rySeconds: Double, rzSeconds: Double) {
        let toRadians = Double.pi / (180 * 3600)
        self.tx = tx; self.ty = ty; self.tz = tz
        s = ppm * 1e-6
        rx = rxSeconds * toRadians; ry = rySeconds * toRadians; rz = rzSeconds * toRadians
    }

    /// The Ordnance Survey's published WGS84 → OSGB36 parameters.
    static let wgs84ToOSGB36 = Helmert(tx: -446.448, ty: 125.157, tz: -542.060, ppm: 20.4894,
                                      rxSeconds: -0.1502, rySeconds: -0.2470, rzSeconds: -0.8421)
    /// The same with every sign inverted, as the guide prescribes for OSGB36 → WGS84.
    static let osgb36ToWGS84 = Helmert(tx: 446.448, ty: -125.157, tz: 542.060, ppm: -20.4894,
                                      rxSeconds: 0.1502, rySeconds: 0.2470, rzSeconds: 0.8421)

    /// The transformed geocentric point.
    func apply(_ xyz: (Double, Double, Double)) -> (Double, Double, Double) {
        let (x, y, z) = xyz
        let k = 1 + s
        return (tx + k * x - rz * y + ry * z,
                ty + rz * x + k * y - rx * z,
                tz - ry * x + rx * y + k * z)
    }
}
