import CSPTestSupport
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

    static var repositoryRoot: String { RealData.repositoryRoot }

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

