import Foundation

/// A seeded, platform-independent pseudo-random generator: xoshiro256** seeded by SplitMix64.
///
/// Never uses the system generator, so the same seed gives the same fixtures everywhere.
public struct FixtureRandom: Sendable {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    /// A generator for `seed`, split into an independent stream by `stream` (one per source).
    public init(seed: UInt64, stream: String = "") {
        var x = seed
        for b in stream.utf8 { x = (x ^ UInt64(b)) &* 0x100000001B3 }
        func splitmix(_ x: inout UInt64) -> UInt64 {
            x &+= 0x9E3779B97F4A7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
            z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
            return z ^ (z >> 31)
        }
        s0 = splitmix(&x); s1 = splitmix(&x); s2 = splitmix(&x); s3 = splitmix(&x)
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t
        s3 = (s3 << 45) | (s3 >> 19)
        return result
    }

    /// A uniform double in [0, 1).
    public mutating func unit() -> Double { Double(next() >> 11) * (1.0 / 9007199254740992.0) }

    /// A uniform integer in `0..<n` (n > 0).
    public mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }

    /// A uniform integer in the closed range.
    public mutating func int(_ r: ClosedRange<Int>) -> Int { r.lowerBound + below(r.upperBound - r.lowerBound + 1) }

    /// True with probability `p`.
    public mutating func chance(_ p: Double) -> Bool { unit() < p }

    /// One element of a non-empty array.
    public mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

    /// A standard normal deviate (Box–Muller).
    public mutating func normal() -> Double {
        let u1 = max(unit(), 1e-12), u2 = unit()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// An index drawn with probability proportional to `weights`.
    public mutating func weighted(_ weights: [Double]) -> Int {
        let total = weights.reduce(0, +)
        var x = unit() * total
        for (i, w) in weights.enumerated() {
            if x < w { return i }
            x -= w
        }
        return weights.count - 1
    }

    /// A count around `mean`: rounded `mean` with about Poisson-sized noise.
    public mutating func count(around mean: Double) -> Int {
        max(0, Int((mean + normal() * mean.squareRoot()).rounded()))
    }
}

/// Draws indices from fixed weights in O(log n) (cumulative table).
public struct WeightedTable: Sendable {
    private let cumulative: [Double]

    /// A table over `weights` (non-negative, not all zero).
    public init(_ weights: [Double]) {
        var c: [Double] = []
        c.reserveCapacity(weights.count)
        var t = 0.0
        for w in weights { t += w; c.append(t) }
        cumulative = c
    }

    /// One index.
    public func draw(_ rng: inout FixtureRandom) -> Int {
        let x = rng.unit() * cumulative[cumulative.count - 1]
        var lo = 0, hi = cumulative.count - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if cumulative[mid] > x { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }
}
