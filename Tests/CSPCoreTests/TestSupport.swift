import Foundation

/// A fresh temporary folder for one test, removed by `cleanup()`.
struct TempDir {
    let path: String

    init(_ name: String = "csp-test") {
        path = FileManager.default.temporaryDirectory.path + "/\(name)-\(UUID().uuidString.prefix(8))"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    @discardableResult
    func write(_ rel: String, _ text: String) -> String {
        let p = path + "/" + rel
        try! FileManager.default.createDirectory(atPath: (p as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try! text.write(toFile: p, atomically: true, encoding: .utf8)
        return p
    }

    func read(_ rel: String) -> String { (try? String(contentsOfFile: path + "/" + rel, encoding: .utf8)) ?? "" }

    func exists(_ rel: String) -> Bool { FileManager.default.fileExists(atPath: path + "/" + rel) }

    func cleanup() { try? FileManager.default.removeItem(atPath: path) }
}
