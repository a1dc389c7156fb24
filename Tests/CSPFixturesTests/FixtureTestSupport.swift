import CSPTestSupport
import Foundation
@testable import CSPFixtures

/// Paths and helpers shared by the fixture tests.
enum FixtureTestSupport {
    /// The repository root.
    static let root: String = RealData.repositoryRoot

    /// A configuration writing into a fresh temporary folder.
    static func config(seed: UInt64 = 2009) -> FixtureConfiguration {
        let dir = StageTestSupport.temporaryFolder("csp-fixtures")
        return FixtureConfiguration(seed: seed, output: dir, fixturesReference: root + "/Fixtures/reference",
                                    pipelineReference: root + "/Pipelines/reference")
    }

    /// Every regular file under `dir`, as relative paths, sorted.
    static func files(under dir: String) -> [String] {
        (FileManager.default.enumerator(atPath: dir)?.allObjects as? [String] ?? [])
            .filter { var d: ObjCBool = false; return FileManager.default.fileExists(atPath: dir + "/" + $0, isDirectory: &d) && !d.boolValue }
            .sorted()
    }

    static func bytes(_ path: String) -> [UInt8] { [UInt8](FileManager.default.contents(atPath: path) ?? Data()) }

    /// Lines (CRLF or LF) of a Windows-1252/UTF-8 file as Latin-1 text; a final line without a newline is kept.
    static func lines(_ path: String) -> [String] {
        let b = bytes(path).map { $0 < 0x80 ? $0 : UInt8(ascii: "?") }
        var ls: [String] = [], start = 0
        for (i, c) in b.enumerated() where c == UInt8(ascii: "\n") {
            let end = i > start && b[i - 1] == UInt8(ascii: "\r") ? i - 1 : i
            ls.append(String(decoding: b[start..<end], as: UTF8.self))
            start = i + 1
        }
        if start < b.count { ls.append(String(decoding: b[start...], as: UTF8.self)) }
        return ls
    }

    /// Splits one CSV line (quotes respected, no embedded newlines).
    static func split(_ line: String) -> [String] {
        var out: [String] = [], field = "", quoted = false
        var chars = Array(line), i = 0
        while i < chars.count {
            let c = chars[i]
            if quoted {
                if c == "\"" { if i + 1 < chars.count && chars[i + 1] == "\"" { field.append("\""); i += 1 } else { quoted = false } }
                else { field.append(c) }
            } else if c == "\"" { quoted = true } else if c == "," { out.append(field); field = "" } else { field.append(c) }
            i += 1
        }
        out.append(field)
        chars.removeAll()
        return out
    }

    /// The planted counts of expected.json by quirk id.
    static func expected(_ dir: String) throws -> [String: Int] {
        let json = try JSONSerialization.jsonObject(with: Data(bytes(dir + "/expected.json"))) as! [String: Any]
        var out: [String: Int] = [:]
        for q in json["quirks"] as! [[String: Any]] { out[q["id"] as! String] = q["count"] as? Int }
        return out
    }
}
