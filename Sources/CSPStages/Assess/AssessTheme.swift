import CSPCore
import Foundation
import Yams

/// One theme of the strategic assessment, read from the `themes` reference file (`Pipelines/reference/themes.yaml`).
///
/// A theme counts the rows of one published dataset (a warehouse table) that match every `where` condition: a
/// column equal to one value or to any of a list of values. Booleans are stored 0/1 in the warehouse, so `true`
/// matches 1 and `false` matches 0.
public struct AssessTheme: Sendable, Equatable {
    /// A `where` value as bound into SQL.
    public enum Value: Sendable, Equatable {
        case int(Int)
        case text(String)
    }

    /// Identifier, e.g. `domestic_burglary`.
    public var id: String
    /// Name shown in the assessment.
    public var name: String
    /// Section of the priority scanning table.
    public var group: String
    /// Warehouse table counted.
    public var dataset: String
    /// Conditions, column → accepted values, in column order.
    public var conditions: [(column: String, values: [Value])]
    /// Tied Place Survey indicator (NI17, NI41, NI42, NI21, NI27).
    public var surveyIndicator: String?
    /// Priority names in snt_priorities that count as community concern.
    public var sntPriority: [String]
    /// Theme name in the MSG comparator table.
    public var msgTheme: String?
    /// Analyst judgement: laa, agency, partnership, psa, national_indicator ("true"/"false"/"*"), harm, current_activity ("1"-"3"/"*").
    public var judgement: [String: String]

    public static func == (a: AssessTheme, b: AssessTheme) -> Bool {
        a.id == b.id && a.name == b.name && a.dataset == b.dataset && a.group == b.group
            && a.conditions.map(\.column) == b.conditions.map(\.column) && a.conditions.map(\.values) == b.conditions.map(\.values)
            && a.surveyIndicator == b.surveyIndicator && a.sntPriority == b.sntPriority && a.msgTheme == b.msgTheme && a.judgement == b.judgement
    }

    /// Parses a themes file.
    public static func load(path: String) throws -> [AssessTheme] {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw StageError.io(path: path, operation: "read", reason: "\(error)")
        }
        return try parse(text, file: path)
    }

    /// Parses the text of a themes file.
    public static func parse(_ text: String, file: String = "themes") throws -> [AssessTheme] {
        func bad(_ why: String) -> Error { StageError.configuration("\(file): \(why)") }
        guard let top = try? Yams.load(yaml: text) as? [String: Any], let list = top["themes"] as? [[String: Any]] else {
            throw bad("expected a mapping with a `themes` list")
        }
        func scalar(_ v: Any) -> String {
            if let b = v as? Bool { return b ? "true" : "false" }
            return "\(v)"
        }
        func value(_ v: Any) -> Value {
            if let b = v as? Bool { return .int(b ? 1 : 0) }
            if let i = v as? Int { return .int(i) }
            return .text(scalar(v))
        }
        func strings(_ v: Any?) -> [String] {
            if let a = v as? [Any] { return a.map(scalar) }
            if let v { return [scalar(v)] }
            return []
        }
        var seen = Set<String>()
        return try list.map { t in
            guard let id = t["id"] as? String, let name = t["name"] as? String, let dataset = t["dataset"] as? String else {
                throw bad("every theme needs id, name and dataset")
            }
            guard seen.insert(id).inserted else { throw bad("theme \(id) appears twice") }
            var conditions: [(column: String, values: [Value])] = []
            if let w = t["where"] as? [String: Any] {
                for column in w.keys.sorted() {
                    let raw = w[column]!
                    let values = (raw as? [Any] ?? [raw]).map(value)
                    conditions.append((column, values))
                }
            }
            var judgement: [String: String] = [:]
            if let j = t["judgement"] as? [String: Any] { for (k, v) in j { judgement[k] = scalar(v) } }
            return AssessTheme(id: id, name: name, group: t["group"] as? String ?? "", dataset: dataset, conditions: conditions,
                               surveyIndicator: t["survey_indicator"] as? String, sntPriority: strings(t["snt_priority"]),
                               msgTheme: t["msg_theme"] as? String, judgement: judgement)
        }
    }
}
