import Foundation
import Yams

/// One theme of the strategic assessment, as its themes file (`Pipelines/reference/themes.yaml`) declares it.
///
/// A theme counts the rows of one published dataset (a warehouse table) that match every `where` condition: a
/// column equal to one value or to any of a list of values. Booleans are stored 0/1 in the warehouse, so `true`
/// matches 1 and `false` matches 0.
public struct ThemeDefinition: Sendable, Equatable {
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

    public init(id: String, name: String, group: String, dataset: String, conditions: [(column: String, values: [Value])],
                surveyIndicator: String?, sntPriority: [String], msgTheme: String?) {
        self.id = id; self.name = name; self.group = group; self.dataset = dataset; self.conditions = conditions
        self.surveyIndicator = surveyIndicator; self.sntPriority = sntPriority; self.msgTheme = msgTheme
    }

    public static func == (a: ThemeDefinition, b: ThemeDefinition) -> Bool {
        a.id == b.id && a.name == b.name && a.dataset == b.dataset && a.group == b.group
            && a.conditions.map(\.column) == b.conditions.map(\.column) && a.conditions.map(\.values) == b.conditions.map(\.values)
            && a.surveyIndicator == b.surveyIndicator && a.sntPriority == b.sntPriority && a.msgTheme == b.msgTheme
    }
}

/// Reads a themes file with the pipeline's rules: every key checked (an unknown key or a missing one is a
/// `PipelineError` naming the file, the line and the key: exit 78), so a typo fails `csp run` when the pipeline
/// loads, before stage 1, instead of blanking a column at stage 5. Themes are shared by partnerships; judgements
/// are each partnership's own (``JudgementsFile``), so a theme carrying `judgement:` is an error saying where they go.
public enum ThemesFile {
    static let themeKeys: Set<String> = ["id", "name", "group", "dataset", "where", "survey_indicator", "snt_priority", "msg_theme", "judgement"]

    /// Parses the themes file at `path`.
    public static func load(path: String, shown: String? = nil) throws -> [ThemeDefinition] {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw PipelineError(file: shown ?? path, key: "", kind: .unreadable("\(error.localizedDescription)"))
        }
        return try parse(text, file: shown ?? path)
    }

    /// Parses the text of a themes file (`file` names it in errors).
    public static func parse(_ text: String, file: String = "themes") throws -> [ThemeDefinition] {
        let node: Node
        do {
            guard let n = try Yams.compose(yaml: text) else { throw PipelineError(file: file, key: "", kind: .syntax("the file is empty")) }
            node = n
        } catch let e as PipelineError { throw e } catch {
            throw PipelineError(file: file, key: "", kind: .syntax("\(error)"))
        }
        let top = try YAMLCursor(node: node, key: "", file: file).fields(allowed: ["themes"], required: ["themes"])
        var seen = Set<String>()
        return try top["themes"]!.sequence().map { c in
            let f = try c.fields(allowed: themeKeys, required: ["id", "name", "dataset"])
            let id = try f["id"]!.string()
            guard seen.insert(id).inserted else { throw f["id"]!.error(.badValue("theme \(id) appears twice")) }
            var conditions: [(column: String, values: [ThemeDefinition.Value])] = []
            if let w = f["where"] {
                for (column, v) in try w.mapping().sorted(by: { $0.0 < $1.0 }) {
                    let items: [YAMLCursor] = if case .sequence = v.node { try v.sequence() } else { [v] }
                    conditions.append((column, try items.map(value)))
                }
            }
            if let j = f["judgement"] {
                throw j.error(.badValue("judgements are the partnership's own: put them in the `judgements` reference file of its pipeline (with `judgement_columns`), not in the themes file other partnerships share"))
            }
            return ThemeDefinition(
                id: id, name: try f["name"]!.string(), group: try f["group"]?.string() ?? "", dataset: try f["dataset"]!.string(),
                conditions: conditions, surveyIndicator: try f["survey_indicator"]?.string(),
                sntPriority: try f["snt_priority"].map(scalars) ?? [],
                msgTheme: try f["msg_theme"]?.string())
        }
    }

    /// A scalar as the assessment compares it: booleans `true`/`false`, anything else as written.
    static func scalar(_ c: YAMLCursor) throws -> String {
        guard case .scalar = c.node else { throw c.error(.wrongType(expected: "a single value")) }
        if let b = c.node.bool { return b ? "true" : "false" }
        return try c.string()
    }

    static func scalars(_ c: YAMLCursor) throws -> [String] {
        if case .sequence = c.node { return try c.sequence().map(scalar) }
        return [try scalar(c)]
    }

    /// A `where` value: booleans as 1/0 and whole numbers as numbers (the warehouse stores both so), text otherwise.
    static func value(_ c: YAMLCursor) throws -> ThemeDefinition.Value {
        guard case .scalar = c.node else { throw c.error(.wrongType(expected: "a value or a list of values")) }
        if let b = c.node.bool { return .int(b ? 1 : 0) }
        if let i = c.node.int { return .int(i) }
        return .text(try c.string())
    }
}
