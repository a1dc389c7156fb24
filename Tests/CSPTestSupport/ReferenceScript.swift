import Foundation

/// An independent reference computation in Python (`Tests/Reference/*.py`, `Tests/Geocode/*.py`): the script is run
/// with `python3` and its standard output read as one JSON object. `make test` pip-installs what the scripts import
/// (shapely, scipy, pyyaml, pyproj).
public enum ReferenceScript {
    /// Why a script gave no answer: its exit status and standard error.
    public struct Failed: Error, CustomStringConvertible {
        /// The script.
        public let script: String
        /// Its exit status.
        public let status: Int32
        /// What it wrote on standard error.
        public let stderr: String
        public var description: String {
            "\((script as NSString).lastPathComponent) failed (exit \(status); `make test` pip-installs shapely, scipy, pyyaml and pyproj): \(stderr)"
        }
    }

    /// Runs `script` (a path relative to the repository root, or absolute) with `arguments`; its JSON object.
    public static func json(_ script: String, _ arguments: [String]) throws -> [String: Any] {
        let path = script.hasPrefix("/") ? script : StageTestSupport.repositoryRoot + "/" + script
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", path] + arguments
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        // Standard error is read on another thread so that a script writing much to both never blocks.
        nonisolated(unsafe) var errData = Data()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async { errData = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        p.waitUntilExit()
        guard p.terminationStatus == 0, let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw Failed(script: path, status: p.terminationStatus, stderr: String(decoding: errData, as: UTF8.self))
        }
        return json
    }
}
