import Foundation

/// A layer and its built spatial index as bytes, and back, so that a layer read from many boundary files (the 7,589
/// wards of England and Wales from 318 GeoJSON files) can be kept between runs instead of parsed, transformed and
/// indexed again. The bytes are this machine's layout (little-endian doubles and integers) and carry no checksum or
/// key of their own: the cache that stores them (`LayerCache` in CSPGeocode) adds both and refuses anything else.
///
/// Layout: a format number, the source, then per feature its code, its name, its extra columns and its polygons
/// (ring sizes, then points); then the index's arrays as they are in memory. Both directions stream through a
/// closure (1 MB at a time for the cache's file), so a 107 MB archive is never held in memory beside the layer.
/// ``unarchived(size:read:)`` checks every count against the bytes left and every index against the layer, so a
/// truncated or damaged archive is an error, never a crash or a half-read layer.
extension AreaLayer {
    /// Raised when the bytes do not follow the layout (or another format number).
    public struct ArchiveError: Error, CustomStringConvertible {
        public let description: String
        public init(description: String) { self.description = description }
    }

    /// The layout's number; raised whenever the layout or the index's construction changes.
    public static let archiveFormat: UInt32 = 1

    /// The layer as bytes handed to `write` in order, with `columns[i]` (strings per feature, such as each ward's
    /// council) kept beside feature `i`.
    public func archive(columns: [[String]] = [], to write: (UnsafeRawBufferPointer) throws -> Void) throws {
        try withoutActuallyEscaping(write) { try archive(columns: columns, into: ArchiveWriter(sink: $0)) }
    }

    private func archive(columns: [[String]], into w: ArchiveWriter) throws {
        try w.int(Int(Self.archiveFormat))
        try w.string(source)
        try w.int(features.count)
        try w.int(columns.first?.count ?? 0)
        for (i, f) in features.enumerated() {
            try w.string(f.code)
            try w.string(f.name)
            if !columns.isEmpty { for c in columns[i] { try w.string(c) } }
            try w.int(f.polygons.count)
            for p in f.polygons {
                let rings = p.rings
                try w.int(rings.count)
                for r in rings { try w.array(r) }
            }
        }
        let x = index
        try w.array(x.features)
        try w.array(x.bandStarts)
        try w.array(x.edges)
        try w.array([x.gridMinX, x.gridMinY, x.gridMaxX, x.gridMaxY, x.inverseCellWidth, x.inverseCellHeight])
        try w.int(x.columns)
        try w.int(x.rows)
        try w.array(x.cellOwner)
        try w.array(x.cellStarts)
        try w.array(x.candidates)
        try w.flush()
    }

    /// The layer and its columns from ``archive(columns:to:)``'s `size` bytes, which `read` fills in order (exactly
    /// the buffer's count each call, or throws); the index is taken as stored, not rebuilt.
    public static func unarchived(size: Int, read: (UnsafeMutableRawBufferPointer) throws -> Void) throws -> (layer: AreaLayer, columns: [[String]]) {
        try withoutActuallyEscaping(read) { try unarchived(from: ArchiveReader(left: size, source: $0)) }
    }

    private static func unarchived(from reader: ArchiveReader) throws -> (layer: AreaLayer, columns: [[String]]) {
        var r = reader
        guard try r.int() == Int(archiveFormat) else { throw ArchiveError(description: "archive format is not \(archiveFormat)") }
        let source = try r.string()
        let count = try r.int(), width = try r.int()
        var features: [AreaFeature] = []
        var columns: [[String]] = []
        features.reserveCapacity(count)
        columns.reserveCapacity(count)
        for _ in 0..<count {
            let code = try r.string(), name = try r.string()
            var row: [String] = []
            for _ in 0..<width { row.append(try r.string()) }
            var polygons: [AreaPolygon] = []
            for _ in 0..<(try r.int()) {
                let ringCount = try r.int()
                guard ringCount >= 1 else { throw ArchiveError(description: "a polygon without rings") }
                let exterior: [GridPoint] = try r.array()
                var holes: [[GridPoint]] = []
                for _ in 1..<ringCount { holes.append(try r.array()) }
                polygons.append(AreaPolygon(exterior: exterior, holes: holes))
            }
            features.append(AreaFeature(code: code, name: name, polygons: polygons))
            columns.append(row)
        }
        var x = SpatialIndex()
        x.features = try r.array()
        x.bandStarts = try r.array()
        x.edges = try r.array()
        let grid: [Double] = try r.array()
        guard grid.count == 6 else { throw ArchiveError(description: "the grid's bounds are not six numbers") }
        (x.gridMinX, x.gridMinY, x.gridMaxX, x.gridMaxY, x.inverseCellWidth, x.inverseCellHeight) = (grid[0], grid[1], grid[2], grid[3], grid[4], grid[5])
        x.columns = try r.int()
        x.rows = try r.int()
        x.cellOwner = try r.array()
        x.cellStarts = try r.array()
        x.candidates = try r.array()
        guard r.left == 0 else { throw ArchiveError(description: "bytes left after the index") }
        // The index must fit the features and itself, or a lookup could read out of bounds.
        let cells = x.columns * x.rows
        guard x.features.count == features.count, x.cellOwner.count == cells, x.cellStarts.count == (cells == 0 ? 1 : cells + 1),
              x.cellStarts.allSatisfy({ $0 >= 0 && Int($0) <= x.candidates.count }),
              x.candidates.allSatisfy({ $0 >= 0 && Int($0) < features.count }),
              x.cellOwner.allSatisfy({ $0 >= -1 && Int($0) < features.count }),
              x.features.allSatisfy({ $0.firstBand >= 0 && $0.bandCount >= 1 && $0.firstBand + $0.bandCount < x.bandStarts.count }),
              x.bandStarts.allSatisfy({ $0 >= 0 && Int($0) <= x.edges.count }),
              zip(x.bandStarts, x.bandStarts.dropFirst()).allSatisfy({ $0 <= $1 }),
              zip(x.cellStarts, x.cellStarts.dropFirst()).allSatisfy({ $0 <= $1 })
        else { throw ArchiveError(description: "the index does not fit its layer") }
        return (AreaLayer(source: source, features: features, index: x), columns)
    }
}

/// Hands counts, strings and arrays of plain values to a sink, through a 1 MB buffer.
private final class ArchiveWriter {
    static let capacity = 1 << 20
    let sink: (UnsafeRawBufferPointer) throws -> Void
    let buffer = UnsafeMutableRawPointer.allocate(byteCount: ArchiveWriter.capacity, alignment: 16)
    var count = 0

    init(sink: @escaping (UnsafeRawBufferPointer) throws -> Void) { self.sink = sink }
    deinit { buffer.deallocate() }

    func put(_ raw: UnsafeRawBufferPointer) throws {
        guard let base = raw.baseAddress, !raw.isEmpty else { return }
        if count + raw.count > Self.capacity { try flush() }
        if raw.count >= Self.capacity { try sink(raw); return }
        (buffer + count).copyMemory(from: base, byteCount: raw.count)
        count += raw.count
    }

    func flush() throws {
        guard count > 0 else { return }
        try sink(UnsafeRawBufferPointer(start: buffer, count: count))
        count = 0
    }

    func int(_ v: Int) throws { try withUnsafeBytes(of: Int64(v).littleEndian) { try put($0) } }

    func string(_ s: String) throws {
        try int(s.utf8.count)
        try Array(s.utf8).withUnsafeBytes { try put($0) }
    }

    func array<T: BitwiseCopyable>(_ a: [T]) throws {
        try int(a.count)
        try a.withUnsafeBytes { try put($0) }
    }
}

/// Reads what `ArchiveWriter` wrote from a source, checking each length against the bytes left before allocating.
private struct ArchiveReader {
    var left: Int
    let source: (UnsafeMutableRawBufferPointer) throws -> Void

    mutating func take(_ n: Int, into target: UnsafeMutableRawBufferPointer) throws {
        guard n >= 0, n <= left else { throw AreaLayer.ArchiveError(description: "truncated: \(n) bytes wanted, \(left) left") }
        if n > 0 { try source(target) }
        left -= n
    }

    mutating func int() throws -> Int {
        var v: Int64 = 0
        try withUnsafeMutableBytes(of: &v) { try take(8, into: $0) }
        let n = Int(Int64(littleEndian: v))
        guard n >= 0 else { throw AreaLayer.ArchiveError(description: "a negative count") }
        return n
    }

    mutating func string() throws -> String {
        let n = try int()
        guard n <= left else { throw AreaLayer.ArchiveError(description: "truncated: a text of \(n) bytes, \(left) left") }
        var bytes = [UInt8](repeating: 0, count: n)
        try bytes.withUnsafeMutableBytes { try take(n, into: $0) }
        guard let s = String(validating: bytes, as: UTF8.self) else { throw AreaLayer.ArchiveError(description: "text that is not UTF-8") }
        return s
    }

    mutating func array<T: BitwiseCopyable>() throws -> [T] {
        let n = try int()
        let (size, overflow) = n.multipliedReportingOverflow(by: MemoryLayout<T>.stride)
        guard !overflow, size <= left else { throw AreaLayer.ArchiveError(description: "truncated: \(n) values wanted, \(left) bytes left") }
        var failure: Error?
        let a = [T](unsafeUninitializedCapacity: n) { buffer, initialised in
            do { try take(size, into: UnsafeMutableRawBufferPointer(buffer)) } catch { failure = error }
            initialised = failure == nil ? n : 0
        }
        if let failure { throw failure }
        return a
    }
}
