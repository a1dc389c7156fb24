import Foundation

/// Runs the built executables (they sit beside the test bundle) and captures what they print.
enum CLI {
    static var productsDirectory: String {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return (exe as NSString).deletingLastPathComponent
    }

    /// The release build of `tool` that `make` builds (`.build/release`): the hostile-input process tests run the
    /// code csp ships, with its release flags; the other tests run the debug build beside the test bundle.
    static func releaseTool(_ tool: String) throws -> String {
        let path = repositoryRoot + "/.build/release/" + tool
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: path,
                NSLocalizedDescriptionKey: "\(path) is missing: `make test` builds it (swift build -c release) before the tests"])
        }
        return path
    }

    static var repositoryRoot: String {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `tool` with `arguments` in `directory`, waiting for it to finish.
    static func run(_ arguments: [String], tool: String = "csp", in directory: String? = nil) throws -> Result {
        let p = try start(tool, arguments, in: directory)
        let out = p.outPipe.fileHandleForReading.readDataToEndOfFile()
        let err = p.errPipe.fileHandleForReading.readDataToEndOfFile()
        p.process.waitUntilExit()
        return Result(status: p.process.terminationStatus, stdout: String(decoding: out, as: UTF8.self), stderr: String(decoding: err, as: UTF8.self))
    }

    struct Running {
        let process: Process
        let outPipe: Pipe
        let errPipe: Pipe
    }

    /// Starts `tool` without waiting.
    static func start(_ tool: String, _ arguments: [String], in directory: String? = nil) throws -> Running {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: productsDirectory + "/" + tool)
        p.arguments = arguments
        p.currentDirectoryURL = URL(fileURLWithPath: directory ?? repositoryRoot)
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        try p.run()
        return Running(process: p, outPipe: out, errPipe: err)
    }
}

/// A fresh temporary folder, removed by `cleanup()`.
struct TempDir {
    let path: String

    init(_ name: String = "csp-cli") {
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

    /// Writes `rel` as an `id,ward,address` CSV of `rows` rows, streamed in 1 MB blocks so that a big input does
    /// not inflate this process's memory (other suites measure theirs). Returns its path.
    @discardableResult
    func writeBigCSV(_ rel: String, rows: Int) -> String {
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

    func cleanup() { try? FileManager.default.removeItem(atPath: path) }
}
