import Foundation
import Yams

/// The judgement columns of a partnership's priority scanning table and threat/risk matrix, as its
/// `judgement_columns` reference file declares them: data, not code, so each partnership (and each year) names its
/// own (the 2009 assessment's LAA, PSA and national indicators; a current one's Police and Crime Plan priority or
/// Serious Violence Duty).
///
/// ```yaml
/// scanning:                       # ticks (yes / no / *), in table order
///   - high_volume                 # a computed column, placed where it stands
///   - {id: laa, name: LAA Priority}
/// matrix:                         # scores 1-3 (or *)
///   - volume
///   - {id: harm, name: Harm}
/// ```
/// The computed columns (``computedScanning``, ``computedMatrix``) may be listed by id to place them; those not
/// listed come first, in their usual order.
public struct JudgementColumns: Sendable, Equatable {
    /// One column: computed (`judged` false) or the partnership's judgement.
    public struct Column: Sendable, Equatable {
        /// Key in the judgements file, or the computed column's id.
        public var id: String
        /// Heading in the tables and the report.
        public var name: String
        /// Whether the partnership's judgements file fills it.
        public var judged: Bool
        /// A column of its own.
        public init(id: String, name: String, judged: Bool) { self.id = id; self.name = name; self.judged = judged }
    }

    /// The scanning table's computed columns: id and heading.
    public static let computedScanning: [(id: String, name: String)] = [
        ("high_volume", "High Volume"), ("msg_performance", "MSG performance"), ("increasing_trend", "Increasing trend"),
        ("community_priority", "Community/SNT Priority"),
    ]
    /// The matrix's computed columns: id and heading.
    public static let computedMatrix: [(id: String, name: String)] = [
        ("volume", "Volume"), ("msg_performance", "Current MSG performance"), ("trend", "Trend"), ("community_concern", "Community concern"),
    ]

    /// The scanning table's columns in order.
    public var scanning: [Column]
    /// The matrix's columns in order.
    public var matrix: [Column]

    /// Columns of their own.
    public init(scanning: [Column], matrix: [Column]) { self.scanning = scanning; self.matrix = matrix }

    /// The computed columns alone, for a pipeline that names no `judgement_columns` file.
    public static let computedOnly = JudgementColumns(
        scanning: computedScanning.map { Column(id: $0.id, name: $0.name, judged: false) },
        matrix: computedMatrix.map { Column(id: $0.id, name: $0.name, judged: false) })

    /// The judged columns' ids, scanning then matrix.
    public var judgedIDs: (scanning: Set<String>, matrix: Set<String>) {
        (Set(scanning.filter(\.judged).map(\.id)), Set(matrix.filter(\.judged).map(\.id)))
    }

    /// Reads the file at `path` (`shown` names it in errors); a problem is a `PipelineError` naming file, line and key.
    public static func load(path: String, shown: String? = nil) throws -> JudgementColumns {
        let top = try JudgementsFile.top(path: path, shown: shown).fields(allowed: ["scanning", "matrix"], required: ["scanning", "matrix"])
        func columns(_ c: YAMLCursor, computed: [(id: String, name: String)]) throws -> [Column] {
            var out: [Column] = []
            for item in try c.sequence() {
                let column: Column
                if case .scalar = item.node {
                    let id = try item.string()
                    guard let k = computed.first(where: { $0.id == id }) else {
                        throw item.error(.badValue("`\(id)` is not a computed column (\(computed.map(\.id).joined(separator: ", "))); a judged column is {id: …, name: …}"))
                    }
                    column = Column(id: k.id, name: k.name, judged: false)
                } else {
                    let f = try item.fields(allowed: ["id", "name"], required: ["id", "name"])
                    let id = try f["id"]!.string()
                    guard !computed.contains(where: { $0.id == id }) else { throw f["id"]!.error(.badValue("`\(id)` is a computed column: list it by its id alone")) }
                    column = Column(id: id, name: try f["name"]!.string(), judged: true)
                }
                guard !out.contains(where: { $0.id == column.id }) else { throw item.error(.badValue("column `\(column.id)` appears twice")) }
                out.append(column)
            }
            // Computed columns not placed come first, in their usual order.
            let missing = computed.filter { k in !out.contains { $0.id == k.id } }.map { Column(id: $0.id, name: $0.name, judged: false) }
            return missing + out
        }
        return JudgementColumns(scanning: try columns(top["scanning"]!, computed: computedScanning),
                                matrix: try columns(top["matrix"]!, computed: computedMatrix))
    }
}

/// A partnership's own judgements (its `judgements` reference file): per theme, a tick (`yes`, `no`, `*`) for each
/// judged scanning column and a score (1-3, `*`) for each judged matrix column of its `judgement_columns`. A theme or
/// column the file does not fill is `*`, never another partnership's value.
///
/// ```yaml
/// source: Central Bedfordshire CSP analysts' workshop, strategic assessment 2009
/// themes:
///   burglary: {laa: yes, psa: yes, harm: 3, current_activity: 3}
/// ```
/// A theme the themes file does not have, a column `judgement_columns` does not have, or a value outside its scale
/// is a `PipelineError` (exit 78) naming the file, the line and the key.
public struct JudgementsFile: Sendable, Equatable {
    /// Where the judgements come from (who made them, when), for the report.
    public var source: String
    /// Theme id → column id → `true`/`false`/`*` (ticks) or `1`-`3`/`*` (scores).
    public var values: [String: [String: String]]

    /// Judgements of its own.
    public init(source: String, values: [String: [String: String]]) { self.source = source; self.values = values }

    /// Reads the file at `path`, checking it against `columns` and the theme ids `themes`.
    public static func load(path: String, shown: String? = nil, columns: JudgementColumns, themes: Set<String>) throws -> JudgementsFile {
        let top = try top(path: path, shown: shown).fields(allowed: ["source", "themes"], required: ["themes"])
        let (ticks, scores) = columns.judgedIDs
        var values: [String: [String: String]] = [:]
        for (theme, c) in try top["themes"]!.mapping() {
            guard themes.contains(theme) else {
                throw c.error(.badValue("`\(theme)` is not a theme of the themes file (\(themes.sorted().joined(separator: ", ")))"))
            }
            var row: [String: String] = [:]
            for (k, v) in try c.mapping(allowed: ticks.union(scores)) {
                let s = try ThemesFile.scalar(v)
                if ticks.contains(k) {
                    let tick = ["true": "true", "yes": "true", "false": "false", "no": "false", "*": "*"][s.lowercased()]
                    guard let tick else { throw v.error(.badValue("`\(s)` is not one of yes, no, *")) }
                    row[k] = tick
                } else {
                    guard ["1", "2", "3", "*"].contains(s) else { throw v.error(.badValue("`\(s)` is not one of 1, 2, 3, *")) }
                    row[k] = s
                }
            }
            values[theme] = row
        }
        return JudgementsFile(source: try top["source"]?.string() ?? "", values: values)
    }

    /// The top of a YAML reference file, as a cursor naming the file.
    static func top(path: String, shown: String?) throws -> YAMLCursor {
        let file = shown ?? path
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw PipelineError(file: file, key: "", kind: .unreadable("\(error.localizedDescription)"))
        }
        do {
            guard let n = try Yams.compose(yaml: text) else { throw PipelineError(file: file, key: "", kind: .syntax("the file is empty")) }
            return YAMLCursor(node: n, key: "", file: file)
        } catch let e as PipelineError { throw e } catch {
            throw PipelineError(file: file, key: "", kind: .syntax("\(error)"))
        }
    }
}

extension PipelineLoader {
    /// The judgement files are configuration too, read with their checks when the pipeline loads: `judgements`
    /// needs `judgement_columns` and the `themes` its keys name (exit 78 naming the file, line and key otherwise).
    static func checkJudgements(_ reference: [ReferenceFile], _ cursor: YAMLCursor) throws {
        func path(_ name: String) -> String? { reference.first { $0.name == name }?.path }
        let columns = try path("judgement_columns").map { try JudgementColumns.load(path: $0) }
        guard let j = path("judgements") else { return }
        guard let columns else {
            throw cursor.error(.badValue("`judgements` needs `judgement_columns` (the file naming the columns the judgements fill)"))
        }
        guard let t = path("themes") else { throw cursor.error(.badValue("`judgements` needs `themes` (the themes they judge)")) }
        _ = try JudgementsFile.load(path: j, columns: columns, themes: Set(try ThemesFile.load(path: t).map(\.id)))
    }
}
