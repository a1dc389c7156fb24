import CSPStorage
import Foundation

/// File operations the run framework needs, each turning failure into a `StageError` that names the path.
public enum FileSystem {
    /// `mkdir -p` with owner-and-group permissions (each folder it creates is mode 750).
    public static func makeDirectory(_ path: String) throws {
        var st = stat()
        if stat(path, &st) == 0 {
            guard (st.st_mode & S_IFMT) == S_IFDIR else { throw StageError.io(path: path, operation: "create folder", reason: "a file of that name exists") }
            return
        }
        let parent = (path as NSString).deletingLastPathComponent
        if !parent.isEmpty && parent != path { try makeDirectory(parent) }
        if mkdir(path, 0o750) != 0 {
            let code = errno
            if code == EEXIST { return }  // made by another process meanwhile
            throw StageError.system("create folder", path: path, errno: code)
        }
        try systemCall("create folder", path: path) { chmod(path, 0o750) }
    }

    /// Writes `data` to a temporary file beside `path`, flushes it to disk, and renames it over `path`. On any failure
    /// (a full disk, a read-only folder) the temporary file is removed and the error names `path` and the operation.
    public static func writeAtomically(_ data: Data, to path: String) throws {
        try AtomicFile.write(path, fill: { fd, _ in try write(data, to: fd, path: path) })
    }

    /// Creates (or truncates) the file at `path` and writes `data` to it; failures name `path` (`create`, `write`, `close`).
    /// For files inside a stage's temporary folder, which is renamed into place only when complete.
    public static func writeFile(_ data: Data, to path: String) throws {
        let fd = try systemCall("create", path: path) { open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o640) }
        do { try write(data, to: fd, path: path) } catch { _ = close(fd); throw error }
        try systemCall("close", path: path, interruptible: false) { close(fd) }
    }

    /// Writes all of `data` to `fd` (a short write is continued; the one after it reports why, ENOSPC say).
    public static func write(_ data: Data, to fd: Int32, path: String) throws { try FileWrite.all(data, to: fd, path: path) }

    /// Renames a finished temporary folder to its final name, replacing any previous one only after the new one is complete.
    /// Published files are made read-only (owner and group): later runs hard-link them, so an edit in place would
    /// change every run that shares them.
    public static func publish(_ tmp: String, as final: String) throws {
        for rel in (try? files(under: tmp)) ?? [] { chmod(tmp + "/" + rel, 0o440) }
        let old = final + ".old-\(getpid())"
        let hadOld = FileManager.default.fileExists(atPath: final)
        if hadOld { try systemCall("rename", path: final) { rename(final, old) } }
        guard rename(tmp, final) == 0 else {
            let failure = StageError.system("rename", path: final)
            if hadOld { _ = rename(old, final) }
            throw failure
        }
        if hadOld { try? FileManager.default.removeItem(atPath: old) }
    }

    /// Every regular file under `root`, as sorted relative paths.
    public static func files(under root: String) throws -> [String] {
        guard let e = FileManager.default.enumerator(atPath: root) else { throw StageError.io(path: root, operation: "list", reason: "not a folder") }
        var out: [String] = []
        while let rel = e.nextObject() as? String {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: root + "/" + rel, isDirectory: &isDir), !isDir.boolValue { out.append(rel) }
        }
        return out.sorted()
    }

    /// Recreates the folder `from` at `to` with hard links (copies where links are impossible): carried stages cost no space.
    public static func linkTree(from: String, to: String) throws {
        try makeDirectory(to)
        for rel in try files(under: from) {
            let dest = to + "/" + rel
            try makeDirectory((dest as NSString).deletingLastPathComponent)
            if link(from + "/" + rel, dest) != 0 {
                do { try FileManager.default.copyItem(atPath: from + "/" + rel, toPath: dest) } catch {
                    throw StageError.io(path: dest, operation: "link or copy", reason: error.localizedDescription)
                }
            }
        }
    }

    /// Whether `path` is a glob pattern (holds `*`, `?` or `[`).
    public static func isPattern(_ path: String) -> Bool { path.contains(where: { "*?[".contains($0) }) }

    /// Expands a glob pattern into sorted existing paths.
    public static func glob(_ pattern: String) -> [String] {
        var g = glob_t()
        defer { globfree(&g) }
        guard Glibc.glob(pattern, 0, nil, &g) == 0 else { return [] }
        var out: [String] = []
        for i in 0..<Int(g.gl_pathc) {
            if let p = g.gl_pathv[i] { out.append(String(cString: p)) }
        }
        return out.sorted()
    }
}
