import Foundation

/// What can go wrong while generating fixtures.
public enum FixtureError: Error, CustomStringConvertible, Sendable {
    /// A reference file is missing or malformed.
    case badReference(path: String, reason: String)
    /// An output could not be written.
    case cannotWrite(path: String, reason: String)
    /// The repository root (a folder with Package.swift) was not found.
    case noRepository(from: String)
    /// A command-line value is out of range.
    case badOption(String)

    /// A sentence an analyst can act on.
    public var description: String {
        switch self {
        case let .badReference(path, reason): "Reference file \(path) cannot be used: \(reason)."
        case let .cannotWrite(path, reason): "Cannot write \(path): \(reason)."
        case let .noRepository(from): "No Package.swift found in \(from) or any folder above it; pass --reference and --pipeline-reference."
        case let .badOption(message): message
        }
    }
}
