import Foundation
import Testing
@testable import CSPGeo

/// `AreaLayer.archive(columns:to:)` and `AreaLayer.unarchived(size:read:)`: a layer read back answers every lookup as
/// the layer it was written from, and damaged bytes are an error, never a crash.
@Suite("AreaLayer archive")
struct AreaLayerArchiveTests {
    /// Central Bedfordshire's 31 wards (real ONS boundaries).
    static func wards() throws -> AreaLayer {
        let path = try GeoFixtures.onsBoundaries().appendingPathComponent("ward_WD22_E06000056_central_bedfordshire.geojson").path
        return try GeoJSONReader(codeProperty: "WD22CD", nameProperty: "WD22NM").read(path: path)
    }

    static func unarchive(_ bytes: [UInt8]) throws -> (layer: AreaLayer, columns: [[String]]) {
        var at = 0
        return try AreaLayer.unarchived(size: bytes.count) { target in
            guard target.count <= bytes.count - at else { throw AreaLayer.ArchiveError(description: "past the end") }
            bytes.withUnsafeBytes { target.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[at..<(at + target.count)])) }
            at += target.count
        }
    }

    @Test func aLayerReadBackLocatesEveryPointAsTheOriginal() throws {
        let layer = try Self.wards()
        let columns = layer.features.map { [$0.code + "-la", "Council \($0.name)"] }
        let back = try Self.unarchive(layer.archived(columns: columns))
        #expect(back.layer.features == layer.features)
        #expect(back.columns == columns)
        #expect(back.layer.source == layer.source)
        #expect(back.layer.index(ofCode: layer.features[7].code) == 7)
        guard let box = layer.features.compactMap(\.bounds).dropFirst().reduce(layer.features[0].bounds, { $0?.union($1) }) else {
            Issue.record("no bounds"); return
        }
        var checked = 0, inside = 0
        var y = box.min.northing - 500
        while y < box.max.northing + 500 {
            var x = box.min.easting - 500
            while x < box.max.easting + 500 {
                let p = GridPoint(easting: x, northing: y)
                let a = layer.locate(p)
                #expect(back.layer.locate(p) == a)
                checked += 1
                if a != nil { inside += 1 }
                x += 97
            }
            y += 97
        }
        #expect(checked > 100_000 && inside > checked / 3)
    }

    /// Every cut of the bytes, and a changed count, is refused with an error.
    @Test func truncatedOrAlteredBytesAreRefused() throws {
        let bytes = try Self.wards().archived(columns: [])
        for cut in stride(from: 0, to: bytes.count, by: max(1, bytes.count / 300)) {
            #expect(throws: (any Error).self) { try Self.unarchive(Array(bytes.prefix(cut))) }
        }
        #expect(throws: (any Error).self) { try Self.unarchive(bytes + [0]) }
        var other = bytes
        other[0] = 99  // another format number
        #expect(throws: (any Error).self) { try Self.unarchive(other) }
        // The last array is the grid's candidates: a candidate past the last feature is refused, not trusted.
        var wrong = bytes
        let last = wrong.count - 4
        withUnsafeBytes(of: Int32(1_000_000).littleEndian) { for k in 0..<4 { wrong[last + k] = $0[k] } }
        #expect(throws: (any Error).self) { try Self.unarchive(wrong) }
    }
}

extension AreaLayer {
    /// `archive(columns:to:)`'s bytes in memory.
    func archived(columns: [[String]]) throws -> [UInt8] {
        var bytes: [UInt8] = []
        try archive(columns: columns) { bytes.append(contentsOf: $0) }
        return bytes
    }
}
