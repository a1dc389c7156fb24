import Foundation

/// Write a temporary file beside the target, flush it, rename it over the target: the one way csp replaces a file so
/// that a reader (another stage, the next run, a crash's survivor) sees the old file or the new one, never part of
/// one. `FileSystem.writeAtomically` (manifests, ledgers' side files), `KeyFile.create` (the pseudonym key, mode 600,
/// never silently replaced) and `ChecksummedFile.write` (the stage 3 layer cache) all write through it.
public enum AtomicFile {
    /// Writes `path`: the temporary file `path<suffix>.<pid>` is created with `mode` (refusing an existing one when
    /// `exclusive`), `fill` writes to its descriptor, it is flushed to disk when `sync`, closed, `beforeRename` may
    /// still refuse (a key that must not be replaced), and it is renamed over `path`. On any failure the temporary
    /// file is removed and the error is the failing step's, naming `path` (the file the analyst knows).
    public static func write(_ path: String, suffix: String = ".tmp", mode: mode_t = 0o640, exclusive: Bool = false, sync: Bool = true,
                             fill: (_ fd: Int32, _ tmp: String) throws -> Void, beforeRename: () throws -> Void = {}) throws {
        let tmp = path + suffix + ".\(getpid())"
        let flags = O_WRONLY | O_CREAT | O_CLOEXEC | (exclusive ? O_EXCL : O_TRUNC)
        let fd = try systemCall("create", path: path) { open(tmp, flags, mode) }
        do {
            try fill(fd, tmp)
            if sync { try systemCall("fsync", path: path) { fsync(fd) } }
        } catch {
            _ = close(fd)
            unlink(tmp)
            throw error
        }
        do {
            try systemCall("close", path: path, interruptible: false) { close(fd) }
            try beforeRename()
            try systemCall("rename", path: path) { rename(tmp, path) }
        } catch {
            unlink(tmp)
            throw error
        }
    }

    /// Like `write`, but never replaces: the finished temporary file is hard-linked to `path` (atomic, and refused when
    /// `path` exists) and then removed. False when `path` already exists (another run's lock); errors name `path`.
    public static func createIfAbsent(_ path: String, mode: mode_t = 0o640, sync: Bool = false, fill: (_ fd: Int32, _ tmp: String) throws -> Void) throws -> Bool {
        let tmp = path + ".new.\(getpid())"
        let fd = try systemCall("create", path: path) { open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode) }
        defer { unlink(tmp) }
        do {
            try fill(fd, tmp)
            if sync { try systemCall("fsync", path: path) { fsync(fd) } }
        } catch {
            _ = close(fd)
            throw error
        }
        try systemCall("close", path: path, interruptible: false) { close(fd) }
        if link(tmp, path) == 0 { return true }
        let code = errno
        if code == EEXIST { return false }
        throw IOFailure.errno("create", path: path, code: code)
    }
}
