import CSPSchema
import Foundation
import Yams

/// Reads a source mapping (`SourceMapping`) from a pipeline's `mapping:` entry, inline or from the file it names, and
/// checks it against the entity's schema (`EntityContract`): an unknown key, a field the entity lacks, a derived
/// field, a required field left unmapped, a bad layout or an unreadable vocabulary file is a `PipelineError` (exit
/// 78) naming the file, the line and the key.
public struct SourceMappingLoader {
    /// Keys of a mapping (a file or an inline `mapping:`).
    static let mappingKeys: Set<String> = ["entity", "description", "format", "encoding", "delimiter", "record", "null", "fields",
                                           "coordinates", "personal", "dedupe"]
    /// Keys of one field's entry.
    static let fieldKeys: Set<String> = ["from", "value", "tidy", "case", "formats", "range", "values", "values_file", "default", "blank",
                                         "lookup", "prefix", "required", "pseudonymise", "pseudonym_key", "personal", "vintage", "ward_aliases"]

    /// What the mapping says about reading the file: the source may say it too, and then its own word wins.
    struct ReadSettings {
        var format: String?
        var encoding: YAMLCursor?
        var delimiter: String?
        var record: String?
    }

    /// Substitutes the pipeline's variables in a scalar.
    let str: (YAMLCursor) throws -> String

    /// A mapping written as YAML text (csp's standard layouts), with no variables.
    public static func parse(yaml: String, file: String) throws -> SourceMapping {
        let root = try compose(yaml, file: file)
        return try SourceMappingLoader(str: { try $0.string() }).read(YAMLCursor(node: root, key: "", file: file), file: file).0
    }

    /// The YAML document of `text`; a syntax error names the file and the line, an empty document is one too.
    static func compose(_ text: String, file: String) throws -> Node {
        do {
            guard let node = try Yams.compose(yaml: text) else { throw PipelineError(file: file, key: "", kind: .syntax("the file is empty")) }
            return node
        } catch let e as PipelineError { throw e } catch {
            throw PipelineError.syntax(error, file: file)
        }
    }

    /// A scalar or a list of scalars, variables substituted.
    func strList(_ c: YAMLCursor) throws -> [String] {
        if case .scalar = c.node { return [try str(c)] }
        return try c.sequence().map(str)
    }

    /// The mapping at `c`: a file name (resolved against the pipeline's folder) or an inline mapping.
    func load(_ c: YAMLCursor, pipelineDirectory: String) throws -> (SourceMapping, ReadSettings) {
        if case .scalar = c.node {
            let path = absolute(try str(c), against: c.directory.isEmpty ? pipelineDirectory : c.directory)
            guard FileManager.default.fileExists(atPath: path) else { throw c.error(.missingFile(path)) }
            let text: String
            do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
                throw PipelineError(file: path, key: "", kind: .unreadable(error.localizedDescription))
            }
            let root = try Self.compose(text, file: path)
            return try read(YAMLCursor(node: root, key: "", file: path, directory: (path as NSString).deletingLastPathComponent), file: path)
        }
        return try read(c, file: c.file)
    }

    /// Reads a mapping node.
    func read(_ c: YAMLCursor, file: String) throws -> (SourceMapping, ReadSettings) {
        let f = try c.fields(allowed: Self.mappingKeys, required: ["entity", "fields"])
        let entity = try str(f["entity"]!)
        guard let schema = EntityContract.schema(entity) else {
            throw f["entity"]!.error(.badValue("`\(entity)` is not an entity a mapping can fill; known: \(EntityContract.entities.joined(separator: ", "))"))
        }
        let columns = Set(schema.columns.map(\.name))
        let derived = Set(EntityContract.derived[entity] ?? [])
        let nullTokens = try f["null"].map { try strList($0) } ?? []
        var fields: [FieldMapping] = []
        for (name, fc) in try f["fields"]!.mapping() {
            if let type = EntityContract.inputs[entity]?[name] {
                var m = try field(name, fc, type: type, entity: entity)
                m.personal = true
                fields.append(m)
                continue
            }
            guard columns.contains(name) else {
                throw fc.error(.badValue("`\(name)` is not a field of `\(entity)`; its fields are \(schema.columns.map(\.name).filter { !derived.contains($0) }.joined(separator: ", "))"))
            }
            guard !derived.contains(name) else {
                throw fc.error(.badValue("`\(name)` is derived by csp (from \(EntityContract.dateField[entity] ?? "other fields")), not mapped"))
            }
            fields.append(try field(name, fc, type: schema.columns[schema.index(name)].type, entity: entity))
        }
        for name in EntityContract.required[entity] ?? [] where !fields.contains(where: { $0.field == name }) {
            throw PipelineError(file: file, key: f["fields"]!.key.isEmpty ? name : "\(f["fields"]!.key).\(name)", kind: .badValue("`\(entity)` needs `\(name)`: map it from a column, or give it a `value:`"), line: f["fields"]!.line)
        }
        let order = schema.columns.map(\.name) + (EntityContract.inputs[entity]?.keys.sorted() ?? [])
        fields.sort { order.firstIndex(of: $0.field)! < order.firstIndex(of: $1.field)! }
        var pairs: [CoordinatePair] = []
        if let cc = f["coordinates"] {
            guard columns.contains("easting") || columns.contains("longitude") else {
                throw cc.error(.badValue("`\(entity)` has no coordinates"))
            }
            for p in try cc.sequence() {
                let pf = try p.fields(allowed: ["easting", "northing", "longitude", "latitude", "precision_m"])
                let pair: CoordinatePair
                var precision: Int?
                if let pc = pf["precision_m"] {
                    guard let v = Int(try str(pc)), v >= 1 else { throw pc.error(.wrongType(expected: "a whole number of metres, 1 or more")) }
                    precision = v
                }
                if let e = pf["easting"], let n = pf["northing"], pf["longitude"] == nil, pf["latitude"] == nil {
                    pair = CoordinatePair(system: .bng, x: try str(e), y: try str(n), precisionMetres: precision, line: p.line)
                } else if let lo = pf["longitude"], let la = pf["latitude"], pf["easting"] == nil, pf["northing"] == nil {
                    pair = CoordinatePair(system: .wgs84, x: try str(lo), y: try str(la), precisionMetres: precision, line: p.line)
                } else {
                    throw p.error(.badValue("a coordinate pair is either `easting` and `northing` (British National Grid) or `longitude` and `latitude` (WGS84)"))
                }
                pairs.append(pair)
            }
            for name in ["easting", "northing", "longitude", "latitude"] where fields.contains(where: { $0.field == name }) {
                throw cc.error(.badValue("`\(name)` is mapped under `fields:` and `coordinates:`; map coordinates in one place"))
            }
        }
        var dedupeKey: String?, dedupeRank: String?
        if let d = f["dedupe"] {
            let df = try d.fields(allowed: ["key", "rank"], required: ["key"])
            dedupeKey = try str(df["key"]!)
            dedupeRank = try df["rank"].map(str)
            for (k, v) in [("key", dedupeKey), ("rank", dedupeRank)] {
                if let v, !columns.contains(v) { throw df[k]!.error(.badValue("`\(v)` is not a field of `\(entity)`")) }
            }
        }
        let personal = try f["personal"].map { try strList($0) } ?? []
        let settings = ReadSettings(format: try f["format"].map(str), encoding: f["encoding"], delimiter: try f["delimiter"].map(str), record: try f["record"].map(str))
        return (SourceMapping(file: file, entity: entity, nullTokens: nullTokens, fields: fields, coordinates: pairs, personal: personal,
                              dedupeKey: dedupeKey, dedupeRank: dedupeRank), settings)
    }

    /// One field's entry: a column name, or a mapping of transforms.
    func field(_ name: String, _ c: YAMLCursor, type: ColumnType, entity: String) throws -> FieldMapping {
        let requiredByEntity = EntityContract.required[entity]?.contains(name) ?? false
        if case .scalar = c.node {
            var m = FieldMapping(field: name, line: c.line, from: [try str(c)])
            m.required = requiredByEntity
            return m
        }
        if case .sequence = c.node {
            var m = FieldMapping(field: name, line: c.line, from: try strList(c))
            m.required = requiredByEntity
            return m
        }
        let f = try c.fields(allowed: Self.fieldKeys)
        var m = FieldMapping(field: name, line: c.line, from: try f["from"].map { try strList($0) } ?? [])
        if let v = f["value"] {
            guard m.from.isEmpty else { throw v.error(.badValue("a field takes `from:` columns or a constant `value:`, not both")) }
            m.constant = try str(v)
        } else if m.from.isEmpty && f["pseudonym_key"] == nil {
            throw PipelineError(file: c.file, key: c.key + ".from", kind: .missingKey, line: c.line)
        }
        func bool(_ k: String) throws -> Bool? {
            guard let b = f[k] else { return nil }
            switch try str(b).lowercased() {
            case "true", "yes": return true
            case "false", "no": return false
            default: throw b.error(.wrongType(expected: "true or false"))
            }
        }
        m.tidy = try bool("tidy") ?? true
        if let k = f["case"] {
            let v = try str(k).lowercased()
            guard ["upper", "lower"].contains(v) else { throw k.error(.badValue("`case` is upper or lower")) }
            m.letterCase = v
        }
        if let fc = f["formats"] {
            guard [.date, .datetime, .month].contains(type) else { throw fc.error(.badValue("`\(name)` is \(type), not a date: `formats` does not apply")) }
            for p in try strList(fc) {
                switch DatePattern.parse(p) {
                case .success(let d): m.formats.append(d)
                case .failure(let e): throw fc.error(.badValue(e.description))
                }
            }
        }
        if let r = f["range"] {
            let bounds = try r.sequence().map { try $0.double() }
            guard bounds.count == 2, bounds[0] <= bounds[1] else { throw r.error(.badValue("`range` is [lowest, highest]")) }
            guard [.integer, .real].contains(type) else { throw r.error(.badValue("`\(name)` is \(type), not a number: `range` does not apply")) }
            m.range = bounds[0]...bounds[1]
        }
        if let v = f["values"] {
            for (k, vc) in try v.mapping() { m.values[SourceMapping.vocabularyKey(k)] = try str(vc) }
        }
        if let vf = f["values_file"] {
            guard m.values.isEmpty else { throw vf.error(.badValue("a field takes `values` or `values_file`, not both")) }
            let ff = try vf.fields(allowed: ["path", "key", "value"], required: ["path", "key", "value"])
            let path = absolute(try str(ff["path"]!), against: vf.directory.isEmpty ? (c.file as NSString).deletingLastPathComponent : vf.directory)
            guard FileManager.default.fileExists(atPath: path) else { throw ff["path"]!.error(.missingFile(path)) }
            let keys = try strList(ff["key"]!), value = try str(ff["value"]!)
            guard keys.count == max(1, m.from.count) else {
                throw ff["key"]!.error(.badValue("`key` names \(keys.count) column(s) of the file for \(m.from.count) `from` column(s)"))
            }
            do {
                let table = try ReferenceTable(name: "\(name) values", path: path, keyColumns: keys, required: [value])
                let ki = keys.map { table.columns.firstIndex(of: $0)! }, vi = table.columns.firstIndex(of: value)!
                for row in table.rows { m.values[SourceMapping.vocabularyKey(ki.map { row[$0] }.joined(separator: "|"))] = row[vi] }
            } catch { throw ff["path"]!.error(.badValue("\(error)")) }
            m.valuesFile = path
        }
        m.defaultValue = try f["default"].map(str)
        m.blank = try f["blank"].map(str)
        if let l = f["lookup"] {
            let lf = try l.fields(allowed: ["table", "keys", "column"], required: ["table", "column"])
            var keys: [String] = [], perColumn: [[String]]?
            if let kc = lf["keys"] {
                if case .sequence(let seq) = kc.node, seq.contains(where: { if case .sequence = $0 { return true }; return false }) {
                    perColumn = try kc.sequence().map { try strList($0) }
                    guard perColumn!.count == m.from.count, Set(perColumn!.map(\.count)).count == 1 else {
                        throw kc.error(.badValue("`keys` per column needs one list of the same length for each of the \(m.from.count) `from` columns"))
                    }
                    keys = perColumn![0]
                } else { keys = try strList(kc) }
            }
            m.lookup = ReferenceLookup(table: try str(lf["table"]!), keys: keys, keysPerColumn: perColumn, column: try str(lf["column"]!))
        }
        m.prefix = try f["prefix"].map(str) ?? ""
        m.required = try bool("required") ?? requiredByEntity
        if let p = f["pseudonymise"] {
            guard try bool("pseudonymise") == true else { throw p.error(.badValue("`pseudonymise` is true when given")) }
            m.pseudonymise = true
            m.personal = true
        }
        m.pseudonymKey = try f["pseudonym_key"].map { try strList($0) }
        if m.pseudonymKey != nil && !m.pseudonymise { throw f["pseudonym_key"]!.error(.badValue("`pseudonym_key` needs `pseudonymise: true`")) }
        m.personal = try bool("personal") ?? m.personal
        m.vintage = try f["vintage"].map(str)
        m.wardAliases = try bool("ward_aliases") ?? false
        return m
    }
}
