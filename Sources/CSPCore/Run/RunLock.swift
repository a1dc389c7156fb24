import CSPStorage
import Foundation

/// One run per pipeline and output folder at a time. The lock file names its holder; a lock left by a
/// process that died on this host is detected and taken over (the caller records that in the ledger).
public final class RunLock {
    /// Who holds a lock.
    public struct Holder: Sendable, Codable, Equatable, CustomStringConvertible {
        /// Process id.
        public var pid: Int32
        /// Host name.
        public var host: String
        /// User.
        public var user: String
        /// When the holder started (UTC).
        public var started: String
        /// The holder's command line.
        public var arguments: [String]

        /// `pid 123 on host by user since ...`.
        public var description: String { "pid \(pid) on \(host) by \(user) since \(started) (\(arguments.joined(separator: " ")))" }
    }

    /// Another run holds the lock.
    public struct Held: Error, CustomStringConvertible, ExitCodeProviding {
        /// Lock file.
        public let path: String
        /// The holder.
        public let holder: Holder?
        /// 75: try again later.
        public var exitCode: ExitCode { .tempFail }
        /// Names the holder.
        public var description: String {
            "another run holds the lock \(path): \(holder?.description ?? "holder unreadable"); try again when it has finished"
        }
    }

    /// Lock file.
    public let path: String
    /// The previous holder when a stale lock was taken over.
    public let takenOverFrom: Holder?
    private var released = false

    /// Takes the lock or throws `Held` at once (`StageError.io` when the lock file cannot be written at all).
    public init(path: String, holder: Holder) throws {
        self.path = path
        var stale: Holder?
        let data = try JSON.line(holder)
        for _ in 0..<3 {
            if try Self.create(path: path, data: data) { takenOverFrom = stale; return }
            let current = (try? Data(contentsOf: URL(fileURLWithPath: path))).flatMap { try? JSONDecoder().decode(Holder.self, from: $0) }
            guard let current, current.host == holder.host, !Self.isAlive(current.pid) else {
                if current == nil, FileManager.default.fileExists(atPath: path) == false { continue }
                throw Held(path: path, holder: current)
            }
            // The holder died on this host: move its lock aside (only one taker succeeds) and retry.
            let aside = path + ".stale.\(getpid())"
            if rename(path, aside) == 0 { unlink(aside); stale = current }
        }
        throw Held(path: path, holder: nil)
    }

    /// Releases the lock (also on deinit).
    public func release() {
        guard !released else { return }
        released = true
        unlink(path)
    }

    deinit { release() }

    /// Creates the lock file atomically: written beside it, then hard-linked into place. False when a lock exists;
    /// throws `StageError.io` (73) when the folder cannot be written (read-only, full), which is not another run's lock.
    private static func create(path: String, data: Data) throws -> Bool {
        try AtomicFile.createIfAbsent(path, fill: { fd, tmp in try FileSystem.write(data, to: fd, path: tmp) })
    }

    private static func isAlive(_ pid: Int32) -> Bool {
        if pid <= 0 { return false }
        return kill(pid, 0) == 0 || errno == EPERM
    }
}
