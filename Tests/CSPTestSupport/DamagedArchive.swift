import Foundation

/// A months folder for one test, made at test time in a temporary folder from the real data.police.uk archive:
/// each month folder a symbolic link to the real one, except the months the test damages, which are real folders
/// holding copies of the real files. Nothing of the real data is copied into the repository.
public struct DamagedArchive {
    /// The temporary folder (the months are in `months/`, runs in `out/`).
    public let root: String
    /// The real archive (`../shared/realdata/police-uk-archive`).
    public let archive: String
    /// The months folder to pass as `police_uk`.
    public var months: String { root + "/months" }
    /// Where runs write.
    public var output: String { root + "/out" }

    /// Links every real month folder from `first` to `last` (inclusive, `YYYY-MM`); fails the test, naming the
    /// folder, when the real data is absent.
    public init(_ name: String, first: String, last: String) throws {
        archive = try RealData.require("police-uk-archive")
        root = StageTestSupport.temporaryFolder(name)
        let fm = FileManager.default
        try fm.createDirectory(atPath: root + "/months", withIntermediateDirectories: true)
        for m in try fm.contentsOfDirectory(atPath: archive).sorted() where m >= first && m <= last {
            try fm.createSymbolicLink(atPath: root + "/months/" + m, withDestinationPath: archive + "/" + m)
        }
    }

    /// The real file `YYYY-MM/YYYY-MM-bedfordshire-<type>.csv`.
    public func real(_ month: String, _ type: String) -> String { "\(archive)/\(month)/\(month)-bedfordshire-\(type).csv" }

    /// Replaces the link of `month` by a real folder holding copies of its real files; returns the folder.
    @discardableResult
    public func copyMonth(_ month: String) throws -> String {
        let fm = FileManager.default
        let dir = months + "/" + month
        try? fm.removeItem(atPath: dir)
        try fm.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for f in try fm.contentsOfDirectory(atPath: archive + "/" + month) {
            try fm.copyItem(atPath: archive + "/" + month + "/" + f, toPath: dir + "/" + f)
        }
        return dir
    }

    /// The bytes of a file in the months folder (`rel` relative to `months`).
    public func bytes(_ rel: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: months + "/" + rel)) }

    /// Writes `data` to `rel` in the months folder (folders made as needed).
    public func write(_ rel: String, _ data: Data) throws {
        let p = months + "/" + rel
        try FileManager.default.createDirectory(atPath: (p as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try data.write(to: URL(fileURLWithPath: p))
    }

    /// Offsets of each CRLF in `data` (the byte index of its CR).
    public static func lineBreaks(_ data: Data) -> [Int] {
        var out: [Int] = []
        data.withUnsafeBytes { (b: UnsafeRawBufferPointer) in
            var i = 0
            while i + 1 < b.count {
                if b[i] == 0x0D && b[i + 1] == 0x0A { out.append(i); i += 2 } else { i += 1 }
            }
        }
        return out
    }

    /// Removes the folder.
    public func cleanup() { try? FileManager.default.removeItem(atPath: root) }
}
