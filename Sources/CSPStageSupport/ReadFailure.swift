import CSPCore
import CSPCore
import CSPSchema
import CSPStorage
import CSPCSV
import CSPGeo
import CSPXML

extension StageError {
    /// `error`, thrown while opening or reading the input at `path`, as `.io` on the read side (exit code 66: an input
    /// that vanished or cannot be read), naming `path` and the system's reason; nil when the error is about what the
    /// file holds (a bad header, a malformed boundary), which the caller reports as before.
    package static func unreadable(_ error: Error, path: String) -> StageError? {
        switch error {
        case let e as CSVFileError:
            switch e {
            case .cannotOpen(_, let reason), .readFailed(_, let reason): return .io(path: path, operation: "read", reason: reason)
            default: return nil
            }
        case let e as XMLReadError:
            if case .cannotOpen(_, let reason) = e { return .io(path: path, operation: "read", reason: reason) }
            return nil
        case let e as BoundaryError:
            switch e {
            case .cannotRead(_, let reason): return .io(path: path, operation: "read", reason: reason)
            case .xml(let x): return unreadable(x, path: path)
            default: return nil
            }
        case let e as StageError:
            if case .io(_, let operation, _) = e, readOperations.contains(operation) { return e }
            return nil
        default:
            guard let e = foundationFile(error), case .io(_, "read", _) = e else { return nil }
            return e
        }
    }
}
