import Foundation

/// File operations the run framework needs, each turning failure into a `StageError` that names the path.
public enum FileSystem {
    /// `mkdir -p` with owner-and-group permissions.
    public static func makeDirectory(_ path: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o750])
        } catch {
            throw StageError.io(path: path, operation: "create folder", reason: error.localizedDescription)
        }
    }

    /// Writes `data` to a temporary file beside `path`, flushes it, and renames it over `path`.
    public static func writeAtomically(_ data: Data, to path: String) throws {
        let tmp = path + ".tmp.\(getpid())"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0o640)
        guard fd >= 0 else { throw StageError.io(path: tmp, operation: "create", reason: String(cString: strerror(errno))) }
        let n = data.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        fsync(fd)
        close(fd)
        guard n == data.count else { throw StageError.io(path: tmp, operation: "write", reason: String(cString: strerror(errno))) }
        guard rename(tmp, path) == 0 else { throw StageError.io(path: path, operation: "rename", reason: String(cString: strerror(errno))) }
    }

    /// Renames a finished temporary folder to its final name, replacing any previous one only after the new one is complete.
    /// Published files are made read-only (owner and group): later runs hard-link them, so an edit in place would
    /// change every run that shares them.
    public static func publish(_ tmp: String, as final: String) throws {
        for rel in (try? files(under: tmp)) ?? [] { chmod(tmp + "/" + rel, 0o440) }
        let old = final + ".old-\(getpid())"
        let hadOld = FileManager.default.fileExists(atPath: final)
        if hadOld { guard rename(final, old) == 0 else { throw StageError.io(path: final, operation: "rename", reason: String(cString: strerror(errno))) } }
        guard rename(tmp, final) == 0 else {
            let reason = String(cString: strerror(errno))
            if hadOld { _ = rename(old, final) }
            throw StageError.io(path: final, operation: "rename", reason: reason)
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
