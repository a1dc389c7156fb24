import Foundation

/// Counts every quirk planted, by id and file, and writes `expected.json`.
public final class QuirkLedger {
    private var counts: [String: Int] = [:]
    private var files: [String: [String: Int]] = [:]
    private var totals: [String: Int] = [:]
    private var values: [String: Double] = [:]

    /// An empty ledger.
    public init() {}

    /// Records `n` occurrences of quirk `id` in `file` (a path relative to the output folder).
    public func add(_ id: String, file: String, _ n: Int = 1) {
        counts[id, default: 0] += n
        files[id, default: [:]][file, default: 0] += n
    }

    /// Makes sure a quirk appears (with count 0) even when none was planted.
    public func declare(_ id: String, file: String) {
        if counts[id] == nil { counts[id] = 0; files[id] = [file: 0] }
    }

    /// Records a total (rows per source and the like).
    public func total(_ id: String, _ n: Int) { totals[id, default: 0] += n }

    /// Records a computed value (survey indicators).
    public func value(_ id: String, _ v: Double) { values[id] = v }

    /// The planted count of `id`.
    public func count(_ id: String) -> Int { counts[id] ?? 0 }

    /// The JSON text of `expected.json`: keys sorted, stable formatting.
    public func json(seed: UInt64) -> String {
        var s = "{\n  \"generator\": \"csp-fixtures\",\n  \"seed\": \(seed),\n  \"quirks\": [\n"
        let ids = counts.keys.sorted()
        for (i, id) in ids.enumerated() {
            let fs = files[id, default: [:]].sorted { $0.key < $1.key }.map { "\"\($0.key)\": \($0.value)" }.joined(separator: ", ")
            s += "    {\"id\": \"\(id)\", \"count\": \(counts[id]!), \"files\": {\(fs)}}\(i == ids.count - 1 ? "" : ",")\n"
        }
        s += "  ],\n  \"totals\": {\n"
        let t = totals.keys.sorted()
        for (i, k) in t.enumerated() { s += "    \"\(k)\": \(totals[k]!)\(i == t.count - 1 ? "" : ",")\n" }
        s += "  },\n  \"values\": {\n"
        let v = values.keys.sorted()
        for (i, k) in v.enumerated() {
            s += "    \"\(k)\": \(String(format: "%.4f", values[k]!))\(i == v.count - 1 ? "" : ",")\n"
        }
        return s + "  }\n}\n"
    }
}
