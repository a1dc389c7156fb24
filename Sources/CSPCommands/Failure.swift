import ArgumentParser
import CSPCore
import Foundation

/// Turns any error into a one-line message on standard error and the sysexits code it deserves (README, "Exit codes").
enum Failure {
    static func exit(_ error: Error) -> ArgumentParser.ExitCode {
        if let e = error as? ArgumentParser.ExitCode { return e }
        // A Foundation file error reads as csp's own: the file, the operation and the system's reason.
        let error: Error = StageError.foundationFile(error) ?? error
        // Unknown errors are data errors (65).
        let code = (error as? ExitCodeProviding)?.exitCode ?? .dataError
        FileHandle.standardError.write(Data("csp: error: \(error)\n".utf8))
        return ArgumentParser.ExitCode(code.rawValue)
    }
}

extension StageID: ExpressibleByArgument {}
