import CSPCore
import CSPCSV
import Foundation

extension RunAuditor {
    /// Stage 2's `collisions.csv` against its entity files: every listed record (`entity`, `source_file`,
    /// `source_record`) is a published row of that entity with its `<key>_collision` true, and every such row is listed
    /// once; so no ID collision is published unflagged, and none is listed but missing.
    func checkCollisions(_ m: Manifest, in dir: String, check: (Bool, String, String, @autoclosure () -> String) -> Void) {
        guard m.stage == .clean, m.outputs.contains(where: { $0.path == StageSideFiles.collisions }) else { return }
        let location = "\(m.stage.folder)/\(StageSideFiles.collisions)"
        guard let list = try? CSVReader(path: dir + "/" + StageSideFiles.collisions) else {
            check(false, "collisions", location, "unreadable")
            return
        }
        let h = list.header
        guard let e = h.firstIndex(of: "entity"), let f = h.firstIndex(of: "source_file"), let l = h.firstIndex(of: "source_record") else {
            check(false, "collisions", location, "header \(h.joined(separator: ",")) lacks entity, source_file or source_record")
            return
        }
        var listed: [String: [String: Int]] = [:]   // entity → "file\u{0}line" → times listed
        list.forEach { r in listed[r.string(e), default: [:]][r.string(f) + "\u{0}" + r.string(l), default: 0] += 1 }
        // Every entity file with a `<key>_collision` column, listed or not (a header-only list means none flagged).
        let entities = Set(m.outputs.filter { $0.role == "dataset" && $0.path.hasSuffix(".csv") }.map { String($0.path.dropLast(4)) })
        for entity in entities.union(listed.keys).sorted() {
            let path = "\(m.stage.folder)/\(entity).csv"
            let rows = listed[entity] ?? [:]
            guard let reader = try? CSVReader(path: dir + "/\(entity).csv"), let rf = reader.header.firstIndex(of: "source_file"),
                  let rl = reader.header.firstIndex(of: "source_record") else {
                check(rows.isEmpty, "collisions", path, "\(location) lists \(rows.count) of its rows, but it cannot be read")
                continue
            }
            guard let c = reader.header.firstIndex(where: { $0.hasSuffix("_collision") }) else {
                check(rows.isEmpty, "collisions", path, "\(location) lists \(rows.count) of its rows, but it has no collision column")
                continue
            }
            var flagged = 0, unlisted = 0
            reader.forEach { r in
                guard r.string(c) == "true" else { return }
                flagged += 1
                if rows[r.string(rf) + "\u{0}" + r.string(rl)] != 1 { unlisted += 1 }
            }
            let total = rows.values.reduce(0, +)
            check(unlisted == 0 && flagged == total, "collisions", path,
                  "\(flagged) rows flagged \(reader.header[c]) where \(location) lists \(total) (\(unlisted) flagged rows not listed exactly once)")
        }
    }
}
