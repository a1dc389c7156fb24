import Foundation

/// Text encodings the exports use.
public enum FixtureEncoding: Sendable {
    /// UTF-8.
    case utf8
    /// Windows-1252 (characters outside it become `?`).
    case windows1252
}

/// A buffered, streaming file writer: memory stays bounded however large the output.
public final class FixtureWriter {
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private let encoding: FixtureEncoding
    /// The file being written.
    public let path: String
    /// Bytes written so far (flushed or buffered).
    public private(set) var bytes = 0

    /// Creates (or truncates) `path`, creating its folder.
    public init(path: String, encoding: FixtureEncoding) throws {
        let dir = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        } catch {
            throw FixtureError.cannotWrite(path: dir, reason: "\(error.localizedDescription)")
        }
        guard FileManager.default.createFile(atPath: path, contents: nil),
              let h = FileHandle(forWritingAtPath: path) else {
            throw FixtureError.cannotWrite(path: path, reason: "the file could not be created")
        }
        handle = h
        self.path = path
        self.encoding = encoding
        buffer.reserveCapacity(1 << 20)
    }

    /// Appends raw bytes.
    public func write(bytes b: [UInt8]) throws {
        buffer.append(contentsOf: b)
        bytes += b.count
        if buffer.count >= 1 << 20 { try flush() }
    }

    /// Appends text in the writer's encoding.
    public func write(_ s: String) throws {
        let before = buffer.count
        switch encoding {
        case .utf8: buffer.append(contentsOf: s.utf8)
        case .windows1252: Windows1252.append(s, to: &buffer)
        }
        bytes += buffer.count - before
        if buffer.count >= 1 << 20 { try flush() }
    }

    /// Writes the buffer to disk.
    public func flush() throws {
        guard !buffer.isEmpty else { return }
        do { try handle.write(contentsOf: buffer) } catch {
            throw FixtureError.cannotWrite(path: path, reason: "\(error.localizedDescription)")
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes and closes the file.
    public func close() throws {
        try flush()
        try? handle.close()
    }
}

/// Encoding text as Windows-1252.
public enum Windows1252 {
    private static let extra: [UInt32: UInt8] = [
        0x20AC: 0x80, 0x201A: 0x82, 0x0192: 0x83, 0x201E: 0x84, 0x2026: 0x85, 0x2020: 0x86, 0x2021: 0x87,
        0x02C6: 0x88, 0x2030: 0x89, 0x0160: 0x8A, 0x2039: 0x8B, 0x0152: 0x8C, 0x017D: 0x8E, 0x2018: 0x91,
        0x2019: 0x92, 0x201C: 0x93, 0x201D: 0x94, 0x2022: 0x95, 0x2013: 0x96, 0x2014: 0x97, 0x02DC: 0x98,
        0x2122: 0x99, 0x0161: 0x9A, 0x203A: 0x9B, 0x0153: 0x9C, 0x017E: 0x9E, 0x0178: 0x9F,
    ]

    /// Appends `s` encoded as Windows-1252 to `out`.
    public static func append(_ s: String, to out: inout [UInt8]) {
        for u in s.unicodeScalars {
            let v = u.value
            if v < 0x80 || (v >= 0xA0 && v <= 0xFF) { out.append(UInt8(v)) } else { out.append(extra[v] ?? 0x3F) }
        }
    }
}
