import CSPSchema
import Crypto
import Foundation
import Yams

/// Reads a pipeline file, validates every key and value, substitutes variables and resolves paths.
public struct PipelineLoader: Sendable {
    /// `--set name=value` overrides.
    public var overrides: [String: String]
    /// Folder that command-line paths resolve against.
    public var workingDirectory: String

    /// Creates a loader.
    public init(overrides: [String: String] = [:], workingDirectory: String = FileManager.default.currentDirectoryPath) {
        self.overrides = overrides
        self.workingDirectory = workingDirectory
    }

    static let topKeys: Set<String> = ["name", "description", "area", "variables", "periods", "sources", "reference", "privacy", "output", "quality", "geography", "retention", "coverage"]
    static let sourceKeys: Set<String> = ["id", "agency", "kind", "format", "path", "encoding", "delimiter", "record", "columns", "personal", "max_reject_share", "description", "mapping"]

    /// Loads and validates the pipeline at `path` (relative paths resolve against the working directory).
    public func load(path: String) throws -> PipelineDefinition {
        let file = absolute(path, against: workingDirectory)
        guard FileManager.default.fileExists(atPath: file) else {
            throw PipelineError(file: path, key: "", kind: .missingFile(file))
        }
        let text: String
        do { text = try String(contentsOfFile: file, encoding: .utf8) } catch {
            throw PipelineError(file: path, key: "", kind: .unreadable("\(error.localizedDescription)"))
        }
        return try parse(text: text, file: file, displayName: path)
    }

    /// Parses pipeline text as if it were the file `file`.
    public func parse(text: String, file: String, displayName: String? = nil) throws -> PipelineDefinition {
        let shown = displayName ?? file
        let directory = (file as NSString).deletingLastPathComponent
        let layers = try Self.layers(text: text, file: file, shown: shown, chain: [])
        var top = layers.top
        for name in ["name", "area", "sources"] where top[name] == nil {
            throw PipelineError(file: shown, key: name, kind: .missingKey, line: nil)
        }
        top["extends"] = nil

        // Variables first: everything else may use them.
        let vars = try Self.variables(layers.variables, overrides: overrides, file: shown, workingDirectory: workingDirectory)
        let values = vars.values
        func str(_ c: YAMLCursor) throws -> String { try vars.substitute(try c.string(), at: c) }
        func pathValue(_ c: YAMLCursor, mustExist: Bool) throws -> String {
            let p = absolute(try vars.substitute(try c.string(), at: c, isPath: true), against: c.directory.isEmpty ? directory : c.directory)
            if mustExist && !FileManager.default.fileExists(atPath: p) { throw c.error(.missingFile(p)) }
            return p
        }

        let name = try str(top["name"]!)
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." }), !name.hasPrefix(".") else {
            throw top["name"]!.error(.badValue("a pipeline name is letters, digits, `-`, `_` and `.` (it names a folder)"))
        }

        let areaFields = try top["area"]!.fields(allowed: ["name", "la_code", "other_codes", "every_ward", "partnership"], required: ["name", "la_code"])
        var area = AreaDefinition(
            name: try str(areaFields["name"]!),
            laCode: try str(areaFields["la_code"]!),
            otherCodes: try areaFields["other_codes"].map { c in try c.stringList() } ?? []
        )
        if let c = areaFields["partnership"] {
            let code = try str(c)
            area.partnership = code.isEmpty ? nil : code
        }
        if let e = areaFields["every_ward"] { area.everyWard = try Self.bool(e, str: str) ? true : nil }

        var periods: [PeriodDefinition] = []
        var periodsAsOf: Day?
        if let p = top["periods"] {
            for (pname, c) in try p.mapping() {
                if pname == "as_of" {
                    // The month the data-driven periods end on (blank: the latest complete month of the data).
                    let s = try str(c)
                    if s.isEmpty { continue }
                    guard let d = Day(iso: s.count == 7 ? s + "-01" : s), d.day == 1 || s.count > 7 else { throw c.error(.badValue("`as_of` is a month, YYYY-MM (got `\(s)`)")) }
                    periodsAsOf = Day(year: d.year, month: d.month, day: 1)
                    continue
                }
                let f = try c.fields(allowed: ["from", "to"], required: ["from", "to"])
                func day(_ k: String) throws -> Day {
                    let s = try str(f[k]!)
                    guard let d = Day(iso: s) else { throw f[k]!.error(.badDate(s)) }
                    return d
                }
                let from = try day("from"), to = try day("to")
                guard from <= to else { throw c.error(.badValue("`from` \(from) is after `to` \(to)")) }
                periods.append(PeriodDefinition(name: pname, from: from, to: to))
            }
        }

        var defaultShare = 0.05
        var requireCompleteMonths = false
        var sameMonth = SameMonthPolicy.fail
        if let q = top["quality"] {
            let f = try q.fields(allowed: ["max_reject_share", "require_complete_months", "same_month"])
            if let m = f["same_month"] {
                let text = try str(m)
                guard let policy = SameMonthPolicy(rawValue: text.lowercased()) else {
                    throw m.error(.badValue("same_month `\(text)` is not one of \(SameMonthPolicy.allCases.map(\.rawValue).joined(separator: ", "))"))
                }
                sameMonth = policy
            }
            if let s = f["max_reject_share"] { defaultShare = try share(s) }
            if let r = f["require_complete_months"] { requireCompleteMonths = try Self.bool(r, str: str) }
        }

        var sources: [SourceDefinition] = []
        var ids = Set<String>()
        for c in try top["sources"]!.sequence() {
            let f = try c.fields(allowed: Self.sourceKeys, required: ["id", "agency", "path"])
            // A source is a kind with rules in Swift (`kind:`, `columns:`), or any layout with a `mapping:`.
            var mapped: (SourceMapping, SourceMappingLoader.ReadSettings)?
            if let m = f["mapping"] {
                if let k = f["kind"], try str(k) != SourceKind.mapped.rawValue {
                    throw k.error(.badValue("a source with a `mapping:` takes its entity from the mapping; leave `kind:` out"))
                }
                if let cols = f["columns"] { throw cols.error(.badValue("a source with a `mapping:` reads the columns its fields name; leave `columns:` out")) }
                mapped = try SourceMappingLoader(str: str).load(m, pipelineDirectory: directory)
            } else {
                for k in ["kind", "format"] where f[k] == nil { throw PipelineError(file: shown, key: "\(c.key).\(k)", kind: .missingKey, line: c.line) }
            }
            let id = try str(f["id"]!)
            guard !id.isEmpty, id.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
                throw f["id"]!.error(.badValue("a source id is letters, digits, `-` and `_` (it names a file)"))
            }
            guard ids.insert(id).inserted else { throw f["id"]!.error(.badValue("source id `\(id)` is used twice")) }
            guard let formatText = try f["format"].map(str) ?? mapped?.1.format else {
                throw PipelineError(file: shown, key: "\(c.key).format", kind: .missingKey, line: c.line)
            }
            guard let format = SourceFormat(rawValue: formatText.lowercased()) else {
                throw (f["format"] ?? f["mapping"]!).error(.badValue("format `\(formatText)` is not one of csv, xml"))
            }
            let encoding = try Self.encoding(f["encoding"] ?? mapped?.1.encoding, str: str)
            let delimiter = try f["delimiter"].map(str) ?? mapped?.1.delimiter ?? ","
            let delimiterOK = delimiter == "\\t" || (delimiter.utf8.count == 1 && delimiter.utf8.first! < 128 && delimiter != "\"")
            guard delimiterOK else {
                throw f["delimiter"]!.error(.badValue("delimiter must be one ASCII character other than a quote, or \\t"))
            }
            let record = try f["record"].map(str) ?? mapped?.1.record
            if format == .xml && record == nil {
                throw PipelineError(file: shown, key: "\(c.key).record", kind: .missingKey, line: c.line)
            }
            var columns: [ColumnMapping] = mapped?.0.columns.map { ColumnMapping(name: $0, from: $0) } ?? []
            if let m = f["columns"] {
                for (out, src) in try m.mapping() {
                    columns.append(ColumnMapping(name: out, from: try str(src)))
                }
            }
            if format == .xml && columns.isEmpty {
                throw PipelineError(file: shown, key: "\(c.key).columns", kind: .badValue("an XML source needs `columns:` (output name: record field path); `csp inspect FILE --record \(record ?? "NAME")` lists the paths"))
            }
            var personal = try f["personal"].map { try $0.stringList() } ?? []
            if let mapping = mapped?.0 {
                // The raw columns behind personal fields are personal in stage 1 and the rejects too.
                let raw = mapping.personal + mapping.fields.filter(\.personal).flatMap { $0.from + ($0.pseudonymKey ?? []) }
                for r in raw where !personal.contains(r) { personal.append(r) }
            }
            if !columns.isEmpty {
                for p in personal where !columns.contains(where: { $0.name == p }) {
                    throw f["personal"]!.error(.badValue("`\(p)` is not one of this source's columns"))
                }
            }
            let paths = try f["path"]!.stringList().enumerated().map { i, _ -> String in
                let pc: YAMLCursor
                if case .sequence = f["path"]!.node { pc = try f["path"]!.sequence()[i] } else { pc = f["path"]! }
                return try pathValue(pc, mustExist: false)
            }
            let kindName = mapped == nil ? try str(f["kind"]!) : SourceKind.mapped.rawValue
            guard let kind = SourceKind(rawValue: kindName), kind != .mapped || mapped != nil else {
                throw f["kind"]!.error(.badValue("`\(kindName)` is not a source kind csp knows; known kinds: \(SourceKind.names.filter { $0 != "mapped" }.joined(separator: ", ")); any other layout takes a `mapping:`"))
            }
            sources.append(SourceDefinition(
                id: id, agency: try str(f["agency"]!), kind: kind, format: format, paths: paths,
                encoding: encoding.lowercased(), delimiter: delimiter, record: record, columns: columns, personal: personal,
                maxRejectShare: try f["max_reject_share"].map(share) ?? defaultShare, extractedPattern: nil, mapping: mapped?.0))
        }

        var reference: [ReferenceFile] = []
        if let r = top["reference"] {
            for (rname, c) in try r.mapping() {
                reference.append(ReferenceFile(name: rname, path: try pathValue(c, mustExist: true)))
                // The themes file is configuration too: read with the same checks now, not when stage 5 opens it.
                if rname == "themes" { _ = try ThemesFile.load(path: reference.last!.path) }
            }
            try Self.checkJudgements(reference, r)
        }

        var privacy = PrivacySettings(keyFile: nil, suppressBelow: 5)
        if let p = top["privacy"] {
            let f = try p.fields(allowed: ["key_file", "suppress_below"])
            if let k = f["key_file"] { privacy.keyFile = try pathValue(k, mustExist: false) }
            if let s = f["suppress_below"] { privacy.suppressBelow = try s.int() }
        }

        var output = OutputSettings(folder: nil)
        if let o = top["output"] {
            let f = try o.fields(allowed: ["folder"])
            if let d = f["folder"] { output.folder = try pathValue(d, mustExist: false) }
        }

        var retention = RetentionPolicy()
        if let r = top["retention"] {
            let f = try r.fields(allowed: ["intermediates", "rejects", "published", "runs"])
            func days(_ k: String) throws -> Int? {
                guard let c = f[k] else { return nil }
                if try c.string() == "forever" { return nil }
                let d = try c.int()
                guard d >= 0 else { throw c.error(.badValue("retention is a number of days (0 or more) or `forever`")) }
                return d
            }
            retention = RetentionPolicy(intermediates: try days("intermediates"), rejects: try days("rejects"), published: try days("published"), runs: try days("runs"))
        }

        // A layer's `path` may be a pattern: every file it matches, sorted; none is a missing file.
        func pathList(_ c: YAMLCursor) throws -> [String] {
            let p = try pathValue(c, mustExist: false)
            guard FileSystem.isPattern(p) else { _ = try pathValue(c, mustExist: true); return [p] }
            let matched = FileSystem.glob(p)
            if matched.isEmpty { throw c.error(.missingFile(p)) }
            return matched
        }
        let geography = try top["geography"].map { try Self.parseGeography($0, sourceIDs: ids, str: str, path: { try pathValue($0, mustExist: true) }, paths: pathList) }
        var def = PipelineDefinition(
            name: name, file: file, directory: directory, area: area, variables: values, periods: periods,
            sources: sources, reference: reference, privacy: privacy, output: output, configHash: "", geography: geography)
        def.retention = retention
        def.periodsAsOf = periodsAsOf
        def.requireCompleteMonths = requireCompleteMonths
        def.sameMonth = sameMonth
        def.coverage = try top["coverage"].map { try Self.parseCoverage($0, sourceIDs: ids, str: str, path: { try pathValue($0, mustExist: true) }) }
        def.configHash = Self.hash(def)
        return def
    }

    /// A pipeline file's top-level settings after `extends:`: the base file's keys, replaced key by key by the
    /// including file's (`variables:` merge name by name: the base's in order, then the including file's new ones).
    struct Layers {
        var top: [String: YAMLCursor]
        var variables: [(String, YAMLCursor)]
    }

    /// Reads `text` (the file `file`) and, when it says `extends: BASE`, the base file (resolved against `file`'s
    /// folder), recursively; a file that extends itself through others is an error naming the chain.
    static func layers(text: String, file: String, shown: String, chain: [String]) throws -> Layers {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw PipelineError(file: shown, key: "", kind: .syntax("the file is empty"))
            }
            root = node
        } catch let e as PipelineError { throw e } catch {
            throw PipelineError.syntax(error, file: shown)
        }
        let directory = (file as NSString).deletingLastPathComponent
        var top = try YAMLCursor(node: root, key: "", file: shown, directory: directory).fields(allowed: topKeys.union(["extends"]))
        let own = try top["variables"]?.mapping() ?? []
        guard let ext = top["extends"] else { return Layers(top: top, variables: own) }
        let basePath = absolute(try ext.string(), against: directory)
        if chain.contains(basePath) || basePath == file {
            throw ext.error(.badValue("`extends:` makes a cycle: \((chain + [file, basePath]).joined(separator: " -> "))"))
        }
        guard FileManager.default.fileExists(atPath: basePath) else { throw ext.error(.missingFile(basePath)) }
        let baseText: String
        do { baseText = try String(contentsOfFile: basePath, encoding: .utf8) } catch {
            throw PipelineError(file: basePath, key: "", kind: .unreadable("\(error.localizedDescription)"))
        }
        var base = try layers(text: baseText, file: basePath, shown: basePath, chain: chain + [file])
        top["variables"] = nil
        for (k, v) in top { base.top[k] = v }
        base.top["extends"] = nil
        for (name, c) in own {
            if let i = base.variables.firstIndex(where: { $0.0 == name }) { base.variables[i] = (name, c) } else { base.variables.append((name, c)) }
        }
        return base
    }

    /// The variables' final values. A default may use variables declared before it (expanded here, in file order);
    /// a reference to itself or to a later variable is an error at its line. `--set` values are taken as given and
    /// replace the default before later defaults expand, so `--set realdata=X` moves every variable built on it.
    static func variables(_ entries: [(String, YAMLCursor)], overrides: [String: String], file: String, workingDirectory: String) throws -> Variables {
        let declared = Set(entries.map(\.0))
        for name in overrides.keys.sorted() where !declared.contains(name) {
            throw PipelineError(file: file, key: "variables.\(name)", kind: .badValue("--set \(name)=… names a variable this pipeline does not declare (declared: \(declared.sorted().joined(separator: ", ")))"))
        }
        var values: [String: String] = [:]
        var fromCommandLine = Set(overrides.keys)
        for (i, (name, c)) in entries.enumerated() {
            if let v = overrides[name] { values[name] = v; continue }
            let raw = try c.string()
            let later = Set(entries[i...].map(\.0))
            for ref in Variables.references(in: raw) where values[ref] == nil {
                if ref == name { throw c.error(.badValue("the default of `\(name)` refers to itself (`${\(name)}`): a cycle")) }
                if later.contains(ref) {
                    let line = entries.first { $0.0 == ref }?.1.line.map { " (line \($0))" } ?? ""
                    throw c.error(.badValue("the default of `\(name)` refers to `${\(ref)}`, declared after it\(line): a default may use only variables declared before it"))
                }
                throw c.error(.undefinedVariable(ref))
            }
            let partial = Variables(values: values, fromCommandLine: fromCommandLine, workingDirectory: workingDirectory)
            values[name] = try partial.substitute(raw, at: c)
            // A default that starts with a command-line path resolves against the working directory like it.
            if let first = Variables.references(in: raw).first, raw.hasPrefix("${\(first)}"), fromCommandLine.contains(first) { fromCommandLine.insert(name) }
        }
        return Variables(values: values, fromCommandLine: fromCommandLine, workingDirectory: workingDirectory)
    }

    static let knownEncodings: Set<String> = ["utf-8", "utf8", "windows-1252", "cp1252", "win1252", "iso-8859-1", "latin1", "latin-1", "iso8859-1"]

    /// A yes/no value (`true`, `yes`, `false`, `no`, any case); anything else is an error at the key.
    static func bool(_ c: YAMLCursor, str: (YAMLCursor) throws -> String) throws -> Bool {
        switch try str(c).lowercased() {
        case "true", "yes": return true
        case "false", "no": return false
        default: throw c.error(.wrongType(expected: "true or false"))
        }
    }

    /// The text encoding a key names (`utf-8` when the key is absent); an encoding csp cannot read is an error at the key.
    static func encoding(_ c: YAMLCursor?, str: (YAMLCursor) throws -> String) throws -> String {
        let v = try c.map(str) ?? "utf-8"
        guard knownEncodings.contains(v.lowercased()) else { throw c!.error(.badValue("encoding `\(v)` is not one of utf-8, windows-1252, iso-8859-1")) }
        return v
    }

    private func share(_ c: YAMLCursor) throws -> Double {
        let v = try c.double()
        guard v >= 0, v <= 1 else { throw c.error(.badValue("a share is between 0 and 1 (0.05 is 5%)")) }
        return v
    }

    /// Hash of everything that changes a run's meaning (not the variables' spelling).
    static func hash(_ d: PipelineDefinition) -> String {
        struct Canonical: Encodable {
            let name: String; let area: AreaDefinition; let periods: [PeriodDefinition]
            let sources: [SourceDefinition]; let reference: [ReferenceFile]; let privacy: PrivacySettings; let geography: GeographyDefinition?
            let periodsAsOf: Day?; let requireCompleteMonths: Bool
            /// nil for the default (`fail`), so that pipelines that do not set it keep their hash.
            let sameMonth: SameMonthPolicy?
            /// nil when not declared, so that pipelines without it keep their hash.
            let coverage: CoverageSettings?
        }
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys]
        let data = (try? enc.encode(Canonical(name: d.name, area: d.area, periods: d.periods, sources: d.sources, reference: d.reference, privacy: d.privacy, geography: d.geography, periodsAsOf: d.periodsAsOf, requireCompleteMonths: d.requireCompleteMonths,
                                                 sameMonth: d.sameMonth == .fail ? nil : d.sameMonth, coverage: d.coverage))) ?? Data()
        return SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }
}

/// `path` made absolute against `base`, with `.` and `..` removed.
public func absolute(_ path: String, against base: String) -> String {
    let joined = path.hasPrefix("/") ? path : (base as NSString).appendingPathComponent(path)
    return (joined as NSString).standardizingPath
}
