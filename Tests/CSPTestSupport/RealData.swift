import Foundation

/// The real data in `../shared/realdata`, beside the repository.
///
/// One policy for every test that needs it: CI always has the folder, so a test that needs it **fails**, naming
/// the folder it looked for, when it is absent (it never prints "Skipping" and passes, and is never disabled).
public enum RealData {
    /// The repository root (three levels above this file).
    public static var repositoryRoot: String {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }

    /// `../shared/realdata` relative to the repository (standardised).
    public static var root: String { ((repositoryRoot as NSString).appendingPathComponent("../shared/realdata") as NSString).standardizingPath }

    /// Why a real-data test cannot run.
    public struct Missing: Error, CustomStringConvertible {
        /// The path looked for.
        public let path: String
        /// A sentence for the test log.
        public var description: String {
            "\(path) is missing: this test needs ../shared/realdata beside the repository (CI always has it; see PROVENANCE.md there)"
        }
    }

    /// The real-data folder, or `relative` inside it, when it exists; otherwise throws `Missing`, failing the test.
    @discardableResult
    public static func require(_ relative: String = "") throws -> String {
        let path = relative.isEmpty ? root : root + "/" + relative
        guard FileManager.default.fileExists(atPath: path) else { throw Missing(path: path) }
        return path
    }
}
