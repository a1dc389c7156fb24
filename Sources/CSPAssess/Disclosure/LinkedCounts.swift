import CSPSchema
import CSPStorage
/// Count tables published from one set of records, linked because they count the same records.
///
/// Every record belongs to a set of classes (in the assessment: the themes it counts in, so a domestic burglary
/// counts in burglary, domestic burglary and serious acquisitive crime) and lies in at most one area of each layer
/// (a 2009 ward, a 2008 ward, a place). A cell (class, layer, area) counts the records of the class in the area.
/// Records with the same classes and the same areas are interchangeable, so only the number of records of each
/// (signature, place) matters: a signature is a distinct set of classes, a place a distinct tuple of areas (one per
/// layer, `-1` for none). The places are where a record may be: every tuple that occurs among the records
/// (with or without a class), and for an area no record lies in, a tuple of that area alone (nothing published may
/// present an area as one that cannot have records).
public struct LinkedCounts: Sendable, Equatable {
    /// Number of classes.
    public let classCount: Int
    /// Number of areas in each layer.
    public let layerSizes: [Int]
    /// Distinct non-empty class sets of the records, each sorted.
    public let signatures: [[Int]]
    /// Distinct area tuples of the records (one area index per layer, -1 for none).
    public let places: [[Int]]
    /// `counts[s][p]`: records of signature `s` in place `p`.
    public let counts: [[Int]]
    /// Cells per class: one block of all areas of every layer.
    public let cellsPerClass: Int
    /// Index of each layer's first area in a class's block.
    private let layerOffsets: [Int]

    /// Groups `records` (classes, one area per layer or -1, number of records). Records without a class still say
    /// where records can be; `extraPlaces` adds tuples that no record has but a record could have.
    public init(classCount: Int, layerSizes: [Int], records: [(classes: [Int], areas: [Int], count: Int)], extraPlaces: [[Int]] = []) {
        self.classCount = classCount
        self.layerSizes = layerSizes
        var sigIndex: [[Int]: Int] = [:]
        var placeIndex: [[Int]: Int] = [:]
        var sigs: [[Int]] = []
        var places: [[Int]] = []
        var cells: [Int: [Int: Int]] = [:]
        func place(_ areas: [Int]) -> Int {
            let a = layerSizes.indices.map { l in l < areas.count && areas[l] >= 0 && areas[l] < layerSizes[l] ? areas[l] : -1 }
            if let i = placeIndex[a] { return i }
            placeIndex[a] = places.count
            places.append(a)
            return places.count - 1
        }
        for r in records where r.count > 0 {
            let p = place(r.areas)
            let classes = Array(Set(r.classes.filter { $0 >= 0 && $0 < classCount })).sorted()
            guard !classes.isEmpty else { continue }
            let s: Int
            if let i = sigIndex[classes] { s = i } else {
                s = sigs.count
                sigIndex[classes] = s
                sigs.append(classes)
            }
            cells[s, default: [:]][p, default: 0] += r.count
        }
        for e in extraPlaces { _ = place(e) }
        for (l, size) in layerSizes.enumerated() {
            let reached = Set(places.map { $0[l] })
            for a in 0..<size where !reached.contains(a) {
                _ = place(layerSizes.indices.map { $0 == l ? a : -1 })
            }
        }
        signatures = sigs
        self.places = places
        counts = sigs.indices.map { s in places.indices.map { cells[s]?[$0] ?? 0 } }
        cellsPerClass = layerSizes.reduce(0, +)
        layerOffsets = layerSizes.indices.map { layerSizes.prefix($0).reduce(0, +) }
    }
    /// Number of cells.
    public var cellCount: Int { classCount * cellsPerClass }

    /// Index of the cell (class, layer, area).
    public func cell(class c: Int, layer l: Int, area a: Int) -> Int { c * cellsPerClass + layerOffsets[l] + a }

    /// The (class, layer, area) of a cell index.
    public func position(of cell: Int) -> (class: Int, layer: Int, area: Int) {
        var rest = cell % cellsPerClass
        var l = 0
        while rest >= layerSizes[l] {
            rest -= layerSizes[l]
            l += 1
        }
        return (cell / cellsPerClass, l, rest)
    }

    /// Every cell's count.
    public var values: [Int] { values(counts) }

    /// Every cell's count for other record numbers `n[s][p]` over the same signatures and places.
    public func values(_ n: [[Int]]) -> [Int] {
        var v = [Int](repeating: 0, count: cellCount)
        for (s, classes) in signatures.enumerated() {
            for (p, areas) in places.enumerated() where n[s][p] != 0 {
                for c in classes {
                    for (l, a) in areas.enumerated() where a >= 0 { v[cell(class: c, layer: l, area: a)] += n[s][p] }
                }
            }
        }
        return v
    }
}
