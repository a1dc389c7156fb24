import Foundation

/// Hot and cold spots of a rate across neighbouring areas (LSOAs): the Getis–Ord Gi* statistic of each area,
/// its two-sided p-value, the p-value corrected for testing every area, and a classification.
///
/// Method. For values x_1 … x_n (rates per 1,000) and binary weights w_ij from ``SpatialWeights`` with the area
/// itself included (w_ii = 1), the standardised Gi* of area i is
///
///     z_i = (Σ_j w_ij x_j − X̄ W_i) / (S √((n W_i⁽²⁾ − W_i²) / (n − 1)))
///
/// where X̄ = Σ x_j / n, S = √(Σ x_j² / n − X̄²), W_i = Σ_j w_ij and W_i⁽²⁾ = Σ_j w_ij² (equal to W_i for binary
/// weights). z_i is the sum of the values around i (i included) in standard units of its distribution when values
/// are placed at random: large positive around high values (a hot spot), large negative around low ones (a cold
/// spot). S is computed as √(Σ (x_j − X̄)² / n), the same quantity without the cancellation. The p-value is
/// two-sided under the normal approximation, p_i = 2 P(Z ≥ |z_i|) = erfc(|z_i| / √2). The p-values are corrected
/// together for multiple comparisons, by Benjamini–Hochberg (the default; false-discovery rate; the same function
/// as ``Hotspots``) or Holm (family-wise error rate; adjusted p_(k) = max_{j ≤ k} min(1, (m − j + 1) p_(j)) over
/// the m tested areas sorted by p). An area is a hot spot when z_i > 0 and its adjusted p-value is below
/// `significance` (default 0.05), a cold spot when z_i < 0 and the same holds, and not significant otherwise.
///
/// An island (an area with no neighbour but itself) has z_i = (x_i − X̄) / S, its own standardised value, which
/// says nothing about a cluster: its z and p are reported, but it is classified ``Classification/island`` and left
/// out of the correction (the ``Hotspots`` method is the test of a single area). An area whose neighbours are all
/// n areas (W_i = n, possible with a wide distance band) has no variance and is ``Classification/untested``.
/// With fewer than three areas or with all values equal there is no statistic at all:
/// ``compute(values:weights:settings:)`` answers ``Outcome/notComputable(_:)`` with the reason, never NaN.
///
/// Matches `esda.G_Local(y, w, transform="B", star=True).Zs` (whose `p_norm` is the one-sided sf(|z|)) and
/// `statsmodels.stats.multitest.multipletests`; see `Tests/Reference/gi_star_reference.py`.
///
/// References: Getis, A. and Ord, J. K. (1992), The analysis of spatial association by use of distance statistics,
/// *Geographical Analysis* 24(3), 189–206; Ord, J. K. and Getis, A. (1995), Local spatial autocorrelation statistics:
/// distributional issues and an application, *Geographical Analysis* 27(4), 286–306; Benjamini, Y. and Hochberg, Y.
/// (1995), *JRSS B* 57(1), 289–300; Holm, S. (1979), *Scandinavian Journal of Statistics* 6(2), 65–70.
struct GetisOrd: Sendable, Equatable {
    /// Correction for testing every area at once.
    enum Correction: String, Sendable, Equatable {
        /// Benjamini–Hochberg step-up adjustment (controls the false-discovery rate).
        case benjaminiHochberg
        /// Holm step-down adjustment (controls the family-wise error rate).
        case holm
    }

    /// Settings of the Gi* method, with the documented defaults.
    struct Settings: Sendable, Equatable {
        /// Level the adjusted p-value must be below. Default 0.05.
        var significance: Double
        /// Multiple-comparison correction. Default Benjamini–Hochberg.
        var correction: Correction

        /// Settings with the documented defaults unless given.
        init(significance: Double = 0.05, correction: Correction = .benjaminiHochberg) {
            self.significance = significance
            self.correction = correction
        }
    }

    /// What an area turned out to be.
    enum Classification: String, Sendable, Equatable {
        /// z > 0 and adjusted p below the significance level: high values cluster here.
        case hotSpot
        /// z < 0 and adjusted p below the significance level: low values cluster here.
        case coldSpot
        /// Tested, not significant after correction.
        case notSignificant
        /// No neighbour: z and p shown, not tested.
        case island
        /// Every area is its neighbour, so Gi* has no variance: no z.
        case untested
    }

    /// Why no statistic could be computed.
    enum NotComputable: Error, Sendable, Equatable, CustomStringConvertible {
        /// Fewer than three areas.
        case tooFewAreas(Int)
        /// Every area has the same value, so nothing stands out.
        case allValuesEqual(Double)
        /// The values and the weights are not for the same number of areas.
        case countMismatch(values: Int, areas: Int)
        /// A value that is not a finite number (an area without residents has no rate: leave it out of the layer).
        case nonFiniteValue(code: String, value: Double)

        /// A sentence for the assessment's log.
        var description: String {
            switch self {
            case .tooFewAreas(let n):
                "Gi* needs at least 3 areas; the layer has \(n)"
            case .allValuesEqual(let value):
                "Gi* is not computable: every area has the same value (\(value)), so no area stands out"
            case .countMismatch(let values, let areas):
                "Gi* was given \(values) values for \(areas) areas; give one value per area of the weights"
            case .nonFiniteValue(let code, let value):
                "Gi* was given \(value) for area \(code); every area needs a rate (leave areas without residents out)"
            }
        }
    }

    /// The result of ``compute(values:weights:settings:)``.
    enum Outcome: Sendable, Equatable {
        /// The statistic of every area.
        case computed(GetisOrd)
        /// Nothing could be computed, and why.
        case notComputable(NotComputable)
    }

    /// One area's result.
    struct AreaResult: Sendable, Equatable {
        /// The area's code, from the weights.
        let code: String
        /// Its value x_i.
        let value: Double
        /// W_i: the number of areas in its neighbourhood, itself included.
        let neighbourhood: Int
        /// The standardised Gi*; nil when ``Classification/untested``.
        let z: Double?
        /// Two-sided p-value; nil when untested.
        let pValue: Double?
        /// p-value after the correction; nil for islands and untested areas.
        let adjustedPValue: Double?
        /// Hot spot, cold spot, not significant, island or untested.
        let classification: Classification
    }

    /// Every area, in the order of the weights.
    let areas: [AreaResult]
    /// X̄, the mean value.
    let mean: Double
    /// S, the standard deviation of the values (divisor n).
    let standardDeviation: Double
    /// The settings used.
    let settings: Settings

    /// Indices of the hot spots.
    var hotSpots: [Int] { areas.indices.filter { areas[$0].classification == .hotSpot } }
    /// Indices of the cold spots.
    var coldSpots: [Int] { areas.indices.filter { areas[$0].classification == .coldSpot } }

    /// Gi* of `values` (one per area of `weights`, in its order) with binary `weights` plus self.
    static func compute(values: [Double], weights: SpatialWeights, settings: Settings = Settings()) -> Outcome {
        let n = values.count
        guard n == weights.count else { return .notComputable(.countMismatch(values: n, areas: weights.count)) }
        if let bad = values.indices.first(where: { !values[$0].isFinite }) {
            return .notComputable(.nonFiniteValue(code: weights.codes[bad], value: values[bad]))
        }
        guard n >= 3 else { return .notComputable(.tooFewAreas(n)) }
        guard let first = values.first, values.contains(where: { $0 != first }) else {
            return .notComputable(.allValuesEqual(values.first ?? 0))
        }
        var sum = 0.0
        for x in values { sum += x }
        let mean = sum / Double(n)
        var squares = 0.0
        for x in values { squares += (x - mean) * (x - mean) }
        let s = (squares / Double(n)).squareRoot()
        guard s > 0 else { return .notComputable(.allValuesEqual(first)) }

        let offsets = weights.offsets, neighbours = weights.neighbourIndices
        let dn = Double(n)
        var z = [Double?](repeating: nil, count: n)
        var p = [Double?](repeating: nil, count: n)
        var tested = [Double?](repeating: nil, count: n)
        for i in 0..<n {
            var local = values[i]  // w_ii = 1
            for k in offsets[i]..<offsets[i + 1] { local += values[neighbours[k]] }
            let w = Double(offsets[i + 1] - offsets[i] + 1)  // W_i; W_i⁽²⁾ = W_i for binary weights
            let variance = (dn * w - w * w) / (dn - 1)
            guard variance > 0 else { continue }
            let zi = (local - mean * w) / (s * variance.squareRoot())
            let pi = min(1, 2 * Distributions.normalSurvival(abs(zi)))
            z[i] = zi
            p[i] = pi
            if offsets[i + 1] > offsets[i] { tested[i] = pi }
        }
        let adjusted: [Double?]
        switch settings.correction {
        case .benjaminiHochberg: adjusted = Hotspots.adjust(tested, correction: .benjaminiHochberg)
        case .holm: adjusted = holm(tested)
        }
        var areas: [AreaResult] = []
        areas.reserveCapacity(n)
        for i in 0..<n {
            let classification: Classification
            if let zi = z[i] {
                if offsets[i + 1] == offsets[i] {
                    classification = .island
                } else if let q = adjusted[i], q < settings.significance, zi != 0 {
                    classification = zi > 0 ? .hotSpot : .coldSpot
                } else {
                    classification = .notSignificant
                }
            } else {
                classification = .untested
            }
            areas.append(AreaResult(code: weights.codes[i], value: values[i], neighbourhood: offsets[i + 1] - offsets[i] + 1,
                                    z: z[i], pValue: p[i], adjustedPValue: adjusted[i], classification: classification))
        }
        return .computed(GetisOrd(areas: areas, mean: mean, standardDeviation: s, settings: settings))
    }

    /// Holm's step-down adjustment of the non-nil p-values together; nil entries stay nil. The p-values sorted
    /// ascending (ties by position) are multiplied by m, m − 1, …, 1, made non-decreasing and capped at 1.
    /// (``Hotspots/adjust(_:correction:)`` offers Benjamini–Hochberg and Bonferroni, not Holm.)
    static func holm(_ p: [Double?]) -> [Double?] {
        let tested = p.indices.filter { p[$0] != nil }
        let m = tested.count
        let order = tested.sorted { p[$0]! != p[$1]! ? p[$0]! < p[$1]! : $0 < $1 }
        var out = [Double?](repeating: nil, count: p.count)
        var running = 0.0
        for (rank, i) in order.enumerated() {
            running = max(running, min(1, Double(m - rank) * p[i]!))
            out[i] = running
        }
        return out
    }
}
