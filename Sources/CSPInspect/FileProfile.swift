import CSPCore
import CSPCSV
import CSPSchema
import CSPStorage
import CSPXML
import Foundation

/// Every column of an export profiled from all its records (`ColumnProfile`), read as `csp inspect` reads it
/// (format, encoding and XML record element detected unless given): what `MappingDraft` writes a mapping from.
public struct FileProfile: Sendable {
    /// How the file was read and what `csp inspect` found (format, encoding, records, columns, problems).
    public let report: InspectReport
    /// One profile per column, in header (CSV) or first-seen (XML) order.
    public let columns: [ColumnProfile]
    /// For each group of columns asked for, how many records hold each combination of their values (joined with
    /// `|`, null tokens blank), at most `combinationLimit` combinations kept.
    public let combinations: [[String]: [String: Int]]
    /// Groups whose combinations exceeded `combinationLimit`.
    public let combinationOverflow: Set<[String]>

    /// Most combinations kept per group.
    public static let combinationLimit = 40

    /// Reads the whole file at `path` once: `inspector` says how to read it (its report comes first, so a file
    /// `csp inspect` cannot read fails the same way); `combining` names groups of columns to count together.
    public static func read(path: String, inspector: FileInspector, combining: (InspectReport) -> [[String]] = { _ in [] }) throws -> FileProfile {
        let report = try inspector.inspect(path: path)
        let groups = combining(report)
        var profiles = report.columns.map { ColumnProfile(name: $0, personal: ColumnNames.isPersonal($0)) }
        var combos: [[String]: [String: Int]] = [:], overflow = Set<[String]>()
        func addCombination(_ group: [String], _ values: [String]) {
            let key = values.map { v -> String in
                let t = v.trimmingSpaces
                return ColumnProfile.nullTokenSpellings.contains(t) ? "" : t
            }.joined(separator: "|")
            if combos[group]?[key] != nil || (combos[group]?.count ?? 0) < combinationLimit { combos[group, default: [:]][key, default: 0] += 1 } else { overflow.insert(group) }
        }
        switch report.format {
        case "xml":
            guard let element = report.recordElement else { break }
            let index = Dictionary(report.columns.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
            let groupIndices = groups.map { $0.map { index[$0] } }
            let reader = try XMLRecordReader(path: path, recordElement: element)
            while let r = try reader.next() {
                var values = Array(repeating: "", count: profiles.count)
                for f in r.fields { if let i = index[f.path], values[i].isEmpty { values[i] = f.value } }
                for i in profiles.indices { profiles[i].add(values[i]) }
                for (g, ix) in zip(groups, groupIndices) { addCombination(g, ix.map { $0.map { values[$0] } ?? "" }) }
            }
        default:
            guard let encoding = TextEncoding(name: report.encoding) else { break }
            let reader = try CSVReader(path: path, options: CSVReadOptions(delimiter: inspector.delimiter, encoding: encoding))
            let groupIndices = groups.map { $0.map { report.columns.firstIndex(of: $0) } }
            reader.forEach { rec in
                guard rec.problem == nil else { return }
                for i in profiles.indices { profiles[i].add(i < rec.count ? rec.string(i) : "") }
                for (g, ix) in zip(groups, groupIndices) { addCombination(g, ix.map { $0.map { $0 < rec.count ? rec.string($0) : "" } ?? "" }) }
            }
            if let e = reader.readError { throw StageError.inputMissing(path: path, what: "file to profile (\(e))") }
        }
        return FileProfile(report: report, columns: profiles, combinations: combos, combinationOverflow: overflow)
    }
}
