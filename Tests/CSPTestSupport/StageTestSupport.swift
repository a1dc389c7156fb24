import CSPCSV
import Foundation
import Logging

/// Paths and helpers every test target shares: the one repository-root finder, temporary folders, reading a file
/// as text, a silent logger.
public enum StageTestSupport {
    /// The repository root.
    public static var repositoryRoot: String { RealData.repositoryRoot }

    /// `../shared/realdata`, standardised.
    public static var sharedRealData: String { RealData.root }

    /// `../shared/realdata` (or a path inside it); the test fails naming it when absent (the one policy: `RealData`).
    @discardableResult
    public static func requireRealData(_ relative: String = "") throws -> String { try RealData.require(relative) }

    /// A logger that drops everything.
    public static var logger: Logger { Logger(label: "test") { _ in SwiftLogNoOpLogHandler() } }

    /// A fresh folder under the system's temporary folder, named after `name` (not removed: see `TempDir`).
    public static func temporaryFolder(_ name: String) -> String {
        let p = FileManager.default.temporaryDirectory.path + "/\(name)-\(UUID().uuidString.prefix(8))"
        try! FileManager.default.createDirectory(atPath: p, withIntermediateDirectories: true)
        return p
    }

    /// A CSV file's header row followed by its records' fields.
    public static func csvRows(_ path: String) -> [[String]] {
        let parsed = CSV.parse(read(path))
        return [parsed.header] + parsed.records.map(\.fields)
    }

    /// A file's text, or `<missing PATH>`.
    public static func read(_ path: String) -> String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "<missing \(path)>" }
}

/// A fresh temporary folder for one test, removed by `cleanup()`.
public struct TempDir: Sendable {
    /// The folder.
    public let path: String

    /// Creates `<tmp>/<name>-<8 hex>`.
    public init(_ name: String = "csp-test") {
        path = StageTestSupport.temporaryFolder(name)
    }

    /// Writes `text` to `rel` (folders made as needed); returns the path.
    @discardableResult
    public func write(_ rel: String, _ text: String) -> String {
        let p = path + "/" + rel
        try! FileManager.default.createDirectory(atPath: (p as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try! text.write(toFile: p, atomically: true, encoding: .utf8)
        return p
    }

    /// The text of `rel`, or "".
    public func read(_ rel: String) -> String { (try? String(contentsOfFile: path + "/" + rel, encoding: .utf8)) ?? "" }

    /// Whether `rel` exists.
    public func exists(_ rel: String) -> Bool { FileManager.default.fileExists(atPath: path + "/" + rel) }

    /// Writes `rel` as an `id,ward,address` CSV of `rows` rows, streamed in 1 MB blocks so that a big input does
    /// not inflate this process's memory (other suites measure theirs). Returns its path.
    @discardableResult
    public func writeBigCSV(_ rel: String, rows: Int) -> String {
        let p = path + "/" + rel
        try? FileManager.default.createDirectory(atPath: (p as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: p, contents: Data("id,ward,address\n".utf8))
        let handle = FileHandle(forWritingAtPath: p)!
        handle.seekToEndOfFile()
        var block = ""
        for i in 0..<rows {
            block += "\(i),Ward \(i % 28),\(i) Long Street Name With Padding To Make It Big\n"
            if block.utf8.count > 1 << 20 { handle.write(Data(block.utf8)); block = "" }
        }
        handle.write(Data(block.utf8))
        handle.closeFile()
        return p
    }

    /// Removes the folder.
    public func cleanup() { try? FileManager.default.removeItem(atPath: path) }
}
