import ArgumentParser
import CSPCore
import Foundation

/// Turns any error into a one-line message on standard error and the sysexits code it deserves.
enum Failure {
    static func exit(_ error: Error) -> ArgumentParser.ExitCode {
        if let e = error as? ArgumentParser.ExitCode { return e }
        let code = (error as? ExitCodeProviding)?.exitCode ?? .dataError
        FileHandle.standardError.write(Data("csp: error: \(error)\n".utf8))
        return ArgumentParser.ExitCode(code.rawValue)
    }
}

extension StageID: ExpressibleByArgument {}
