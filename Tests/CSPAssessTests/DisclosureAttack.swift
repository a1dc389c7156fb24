import CSPTestSupport
import Foundation
@testable import CSPAssess

/// The attacker's solver: unknown non-negative integers tied by sum relations (total = Σ parts), each with bounds
/// narrowed by interval propagation until nothing changes. For total = Σ parts: the total lies between the sums of
/// the parts' bounds, and each part between total − (sum of the other parts' upper bounds) and total − (sum of their
/// lower bounds). Iterated over every relation to a fixed point, this finds every count that differencing gives back
/// (a layer minus its published areas, a ward minus the 2008 wards inside it, a theme minus the themes inside it,
/// chains of these) and the bounds any combination of them implies.
struct IntervalPropagation {
    static let unbounded = 1 << 40
    private(set) var lower: [Int] = []
    private(set) var upper: [Int] = []
    private var relations: [(total: Int, parts: [Int])] = []
    private var touching: [[Int]] = []
    /// False once some bounds contradicted each other (the published figures were inconsistent with the model).
    private(set) var consistent = true

    /// A new unknown, at least `lower`.
    mutating func variable(lower: Int = 0, upper: Int = unbounded) -> Int {
        self.lower.append(lower)
        self.upper.append(upper)
        touching.append([])
        return self.lower.count - 1
    }

    /// `total` = Σ `parts`.
    mutating func relate(_ total: Int, _ parts: [Int]) {
        relations.append((total, parts))
        for v in [total] + parts { touching[v].append(relations.count - 1) }
    }

    /// Narrows an unknown to [lower, upper].
    mutating func bound(_ v: Int, lower lo: Int = 0, upper hi: Int = unbounded) {
        lower[v] = max(lower[v], lo)
        upper[v] = min(upper[v], hi)
        if lower[v] > upper[v] { consistent = false }
    }

    /// Fixes an unknown.
    mutating func fix(_ v: Int, _ value: Int) { bound(v, lower: value, upper: value) }

    /// Propagates every relation to a fixed point.
    mutating func propagate() {
        var queued = [Bool](repeating: true, count: relations.count)
        var work = Array(relations.indices)
        while let r = work.popLast() {
            queued[r] = false
            let (t, parts) = relations[r]
            var changed: [Int] = []
            func set(_ v: Int, _ lo: Int, _ hi: Int) {
                if lo > lower[v] || hi < upper[v] {
                    lower[v] = max(lower[v], lo)
                    upper[v] = min(upper[v], hi)
                    if lower[v] > upper[v] { consistent = false }
                    changed.append(v)
                }
            }
            let sumLo = parts.reduce(0) { $0 + lower[$1] }
            let sumHi = parts.reduce(0) { min(Self.unbounded, $0 + upper[$1]) }
            set(t, sumLo, sumHi)
            for p in parts {
                let othersHi = sumHi >= Self.unbounded ? Self.unbounded : sumHi - upper[p]
                let lo = othersHi >= Self.unbounded ? 0 : lower[t] - othersHi
                let hi = upper[t] >= Self.unbounded ? Self.unbounded : upper[t] - (sumLo - lower[p])
                set(p, lo, hi)
            }
            guard consistent else { return }
            for v in changed {
                for q in touching[v] where !queued[q] {
                    queued[q] = true
                    work.append(q)
                }
            }
        }
    }
}

/// What an attacker can build from the structure of linked count tables: unknown record numbers per (signature,
/// place) for every signature and place that can occur, every published cell as a sum of them, and the sums in
/// between (a theme at a place, a signature in an area, a theme in an area of one layer and an area of another,
/// a theme's total and its total per layer), all related so that propagation can combine them.
struct AttackModel {
    var solver = IntervalPropagation()
    let classCount: Int
    let layerSizes: [Int]
    private var cells: [Int] = []
    private(set) var totals: [Int] = []
    /// Per class and layer: the records of the class with an area of the layer.
    private(set) var layerTotals: [[Int]] = []

    /// Builds the unknowns and relations for records with any of `signatures` in any of `places`.
    init(classCount: Int, layerSizes: [Int], signatures: [[Int]], places: [[Int]]) {
        self.classCount = classCount
        self.layerSizes = layerSizes
        let L = layerSizes.count
        var s = IntervalPropagation()
        let x = signatures.map { _ in places.map { _ in s.variable() } }
        // y[c][p]: class c at place p.
        var y: [[Int]] = []
        for c in 0..<classCount {
            y.append(places.indices.map { p in
                let parts = signatures.indices.filter { signatures[$0].contains(c) }.map { x[$0][p] }
                let v = s.variable()
                s.relate(v, parts)
                return v
            })
        }
        // Cells as sums over places, and as sums over signatures.
        var cellVars: [Int] = []
        for c in 0..<classCount {
            for l in 0..<L {
                for _ in 0..<layerSizes[l] { cellVars.append(s.variable()) }
            }
        }
        func cellVar(_ c: Int, _ l: Int, _ a: Int) -> Int { cellVars[c * layerSizes.reduce(0, +) + layerSizes.prefix(l).reduce(0, +) + a] }
        for c in 0..<classCount {
            var t: [Int] = []
            for l in 0..<L {
                var inLayer: [Int] = []
                for a in 0..<layerSizes[l] {
                    let ps = places.indices.filter { places[$0][l] == a }
                    s.relate(cellVar(c, l, a), ps.map { y[c][$0] })
                    inLayer.append(cellVar(c, l, a))
                }
                let lt = s.variable()
                s.relate(lt, inLayer)
                t.append(lt)
            }
            layerTotals.append(t)
            let total = s.variable()
            s.relate(total, places.indices.map { y[c][$0] })
            for l in 0..<L {
                let none = s.variable()
                s.relate(none, places.indices.filter { places[$0][l] < 0 }.map { y[c][$0] })
                s.relate(total, [t[l], none])
            }
            totals.append(total)
        }
        for si in signatures.indices {
            for l in 0..<L {
                for a in 0..<layerSizes[l] {
                    let ps = places.indices.filter { places[$0][l] == a }
                    guard !ps.isEmpty else { continue }
                    let u = s.variable()
                    s.relate(u, ps.map { x[si][$0] })
                    uBySignature[[si, l, a]] = u
                }
            }
        }
        for c in 0..<classCount {
            for l in 0..<L {
                for a in 0..<layerSizes[l] {
                    let parts = signatures.indices.filter { signatures[$0].contains(c) }.compactMap { uBySignature[[$0, l, a]] }
                    if !parts.isEmpty { s.relate(cellVar(c, l, a), parts) }
                }
            }
        }
        // Areas of two layers at once: a 2009 ward is the sum of its parts in each 2008 ward, and so on.
        for c in 0..<classCount {
            for l1 in 0..<L {
                for l2 in (l1 + 1)..<max(l1 + 1, L) {
                    var pieces: [[Int]: [Int]] = [:]
                    for (p, areas) in places.enumerated() { pieces[[areas[l1], areas[l2]], default: []].append(y[c][p]) }
                    var byFirst: [Int: [Int]] = [:], bySecond: [Int: [Int]] = [:]
                    for (key, parts) in pieces.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) {
                        let q = s.variable()
                        s.relate(q, parts)
                        byFirst[key[0], default: []].append(q)
                        bySecond[key[1], default: []].append(q)
                    }
                    for (a, qs) in byFirst where a >= 0 { s.relate(cellVar(c, l1, a), qs) }
                    for (a, qs) in bySecond where a >= 0 { s.relate(cellVar(c, l2, a), qs) }
                }
            }
        }
        solver = s
        cells = cellVars
    }

    private var uBySignature: [[Int]: Int] = [:]

    /// The unknown of cell (class, layer, area).
    func cell(_ c: Int, _ l: Int, _ a: Int) -> Int { cells[c * layerSizes.reduce(0, +) + layerSizes.prefix(l).reduce(0, +) + a] }

    /// A new unknown equal to the sum of `parts`.
    mutating func sum(_ parts: [Int]) -> Int {
        let v = solver.variable()
        solver.relate(v, parts)
        return v
    }

    /// Bounds of an unknown after propagation.
    func interval(_ v: Int) -> ClosedRange<Int> { solver.lower[v]...max(solver.lower[v], solver.upper[v]) }
}
