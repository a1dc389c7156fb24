import CSPTestSupport
import CSPCore
import Foundation
import Logging

/// Paths and helpers shared by the stage tests.
enum StageTestSupport {
    static var repositoryRoot: String {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }

    static var sharedRealData: String { RealData.root }

    /// `../shared/realdata` (or a path inside it); the test fails naming it when absent (the one policy: `RealData`).
    @discardableResult
    static func requireRealData(_ relative: String = "") throws -> String { try RealData.require(relative) }

    static var logger: Logger { Logger(label: "test") { _ in SwiftLogNoOpLogHandler() } }

    static func temporaryFolder(_ name: String) -> String {
        let p = FileManager.default.temporaryDirectory.path + "/\(name)-\(UUID().uuidString.prefix(8))"
        try! FileManager.default.createDirectory(atPath: p, withIntermediateDirectories: true)
        return p
    }

    static func read(_ path: String) -> String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "<missing \(path)>" }
}
