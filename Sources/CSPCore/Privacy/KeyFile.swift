import CSPStorage
import Crypto
import Foundation

/// The pseudonym key: a file of random bytes outside the output folder, readable by its owner only.
public struct KeyFile: @unchecked Sendable {
    /// Key bytes.
    public let key: SymmetricKey
    /// First 16 hex digits of the SHA-256 of the key: recorded per run so auditors can tell keys apart, never the key itself.
    public let fingerprint: String

    /// Smallest accepted key.
    public static let minimumBytes = 32

    /// Loads and checks the key at `path`: it must exist, be a regular file of at least 32 bytes,
    /// and be unreadable by group and others.
    public static func load(path: String) throws -> KeyFile {
        var st = stat()
        guard stat(path, &st) == 0 else {
            throw StageError.configuration("pseudonym key file \(path) does not exist; create one with `csp key init --pipeline ...` (csp never invents a key during a run)")
        }
        guard (st.st_mode & S_IFMT) == S_IFREG else { throw StageError.configuration("pseudonym key \(path) is not a regular file") }
        guard st.st_mode & 0o077 == 0 else {
            throw StageError.configuration("pseudonym key file \(path) is readable or writable by others (mode \(String(st.st_mode & 0o777, radix: 8))); run `chmod 600 \(path)`")
        }
        guard let data = FileManager.default.contents(atPath: path) else { throw StageError.configuration("cannot read pseudonym key file \(path)") }
        guard data.count >= minimumBytes else { throw StageError.configuration("pseudonym key file \(path) holds \(data.count) bytes; at least \(minimumBytes) are needed") }
        return KeyFile(key: SymmetricKey(data: data), fingerprint: String(FileDigest.sha256(data: data).prefix(16)))
    }

    /// Writes a new random 32-byte key with mode 600. Refuses to overwrite unless `replace` (key rotation).
    public static func create(path: String, replace: Bool = false) throws -> KeyFile {
        try FileSystem.makeDirectory((path as NSString).deletingLastPathComponent)
        var rng = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &rng) }
        try AtomicFile.write(path, suffix: ".new", mode: 0o600, exclusive: true, fill: { fd, tmp in
            try FileSystem.write(Data(bytes), to: fd, path: tmp)
        }, beforeRename: {
            if !replace && FileManager.default.fileExists(atPath: path) {
                throw StageError.configuration("pseudonym key file \(path) already exists; use `csp key rotate` to replace it")
            }
        })
        return try load(path: path)
    }
}
