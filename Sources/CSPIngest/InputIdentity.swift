import CSPCore
import CSPSchema
import Foundation

/// Which raw files stage 1 reads. Files are told apart by what they are, not by their path string:
/// - a file whose real path (symbolic links resolved) was already read in this run is not read again (a month
///   folder linked under a second name);
/// - a file whose bytes (the SHA-256 the stage's fingerprint computed before reading) equal a file already read
///   that published records is not read (a copy under a second name: `2023-12-bedfordshire-v2-street.csv`); of
///   identical files, one in its own month's folder is read first;
/// - two different files with a data.police.uk name for the same source, force and month are both read and fail
///   the run (65) naming both, unless `quality.same_month: newer` reads only the one modified last.
/// Each file not read is named in a warning and counts for its month in the coverage calendar (`duplicated`),
/// so its records are never published twice and never silently.
struct InputIdentity {
    /// A file read: its name as warnings show it, its path, and the records it published (not rejected).
    struct Read { let name: String; let path: String; let records: Int }
    private var byRealPath: [String: Read] = [:]
    private var byDigest: [String: Read] = [:]
    /// Files that lose to a newer one under `quality.same_month: newer`: path → why.
    private var losers: [String: (reason: String, winner: String)] = [:]

    /// Why `path` is not read (and the path of the file it repeats), or nil to read it.
    func refusal(path: String, digest: String?) -> (reason: String, sameAs: String)? {
        if let r = byRealPath[Self.realPath(path)] {
            return ("its real path is that of \(r.name), already read", r.path)
        }
        if let digest, let r = byDigest[digest], r.records > 0 {
            return ("its bytes are those of \(r.name), already read (SHA-256 \(digest.prefix(12))…)", r.path)
        }
        if let l = losers[path] { return (l.reason, l.winner) }
        return nil
    }

    /// Records a file read.
    mutating func didRead(path: String, name: String, digest: String?, records: Int) {
        let r = Read(name: name, path: path, records: records)
        byRealPath[Self.realPath(path)] = byRealPath[Self.realPath(path)] ?? r
        if let digest, records > 0, byDigest[digest] == nil { byDigest[digest] = r }
    }

    /// A source's files with a data.police.uk name, grouped by force and month, where a group holds two or more
    /// different files (by bytes and real path). Each group lists one file per distinct content, in file order.
    static func sameMonthConflicts(files: [String], digest: (String) -> String?) -> [Conflict] {
        var order: [String] = []
        var keys: [String: (force: String, month: String)] = [:]
        var groups: [String: [String]] = [:]
        var seen: [String: Set<String>] = [:]
        for path in files {
            guard CoverageCalendar.nameMonth(of: path) != nil, let (month, force) = CoverageCalendar.monthAndForce(of: path) else { continue }
            let key = force + "\u{1}" + month
            if groups[key] == nil { order.append(key); groups[key] = []; keys[key] = (force, month) }
            let identity = [digest(path) ?? path, realPath(path)]
            if identity.contains(where: { seen[key, default: []].contains($0) }) { continue }
            seen[key, default: []].formUnion(identity)
            groups[key]!.append(path)
        }
        return order.compactMap { k in groups[k].flatMap { $0.count > 1 ? Conflict(force: keys[k]!.force, month: keys[k]!.month, files: $0) : nil } }
    }

    /// Two or more different files for one force and month.
    struct Conflict {
        let force: String
        let month: String
        /// One file per distinct content, in file order.
        let files: [String]
    }

    /// Of files with the same bytes, one in its own month's folder is the one read: every file whose name's month is
    /// not its folder's (`raw`: the path as the glob found it) and whose bytes are those of a file in its own month's
    /// folder is not read, whatever the order of their paths.
    mutating func preferWellPlaced(_ files: [(path: String, raw: String)], digest: (String) -> String?, name: (String) -> String) {
        func placed(_ raw: String) -> Bool {
            guard let n = CoverageCalendar.nameMonth(of: raw), let f = CoverageCalendar.folderMonth(of: raw) else { return true }
            return n == f
        }
        var home: [String: String] = [:]  // digest → a well-placed file
        for f in files where placed(f.raw) { if let d = digest(f.path), home[d] == nil { home[d] = f.path } }
        for f in files where !placed(f.raw) {
            guard let d = digest(f.path), let w = home[d], w != f.path else { continue }
            losers[f.path] = ("its bytes are those of \(name(w)), which is read in its own month's folder (SHA-256 \(d.prefix(12))…)", w)
        }
    }

    /// Under `quality.same_month: newer`: in each conflicting group, every file but the one modified last is not read.
    mutating func preferNewer(_ conflicts: [Conflict], lineage: (String) -> String) {
        for files in conflicts.map(\.files) {
            let dated = files.map { ($0, Self.modified($0)) }
            // The newest; on a tie, the last in file order.
            guard let winner = dated.enumerated().max(by: { ($0.element.1, $0.offset) < ($1.element.1, $1.offset) })?.element else { continue }
            for (path, when) in dated where path != winner.0 {
                losers[path] = ("an older file (modified \(Self.stamp(when))) than \(lineage(winner.0)) (modified \(Self.stamp(winner.1))) for the same month; "
                                + "quality.same_month: newer reads the newer", winner.0)
            }
        }
    }

    /// The path with every symbolic link resolved.
    static func realPath(_ path: String) -> String { URL(fileURLWithPath: path).resolvingSymlinksInPath().path }

    static func modified(_ path: String) -> Date {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date) ?? .distantPast
    }

    static func stamp(_ d: Date) -> String { ISO8601DateFormatter().string(from: d) }
}
