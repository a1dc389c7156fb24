import CSPCore
import CSPSchema
import CSPStorage

/// One `FieldMapping` made ready to apply to stage 1 rows: the columns read, the vocabulary or reference table, the
/// entity column's type. Each failure is a `CleanRejection` naming the entity field, the value (masked when personal)
/// and the column it came from. A class: the cleaner walks its transforms for every record, and copying a struct of
/// this size cost a retain and a release per field (a fifth of stage 2's time on the demo).
final class FieldTransform {
    let mapping: FieldMapping
    /// Position of the entity column written; nil for an input that is not a column (a date of birth).
    let column: Int?
    let type: ColumnType
    let nullTokens: Set<String>
    /// The longest a null token can be as exported (with spaces around it); -1 without tokens.
    let nullLength: Int
    let table: ReferenceTable?
    let pseudonyms: Pseudonymiser?
    let environment: CleanEnvironment?
    /// Whether this field gives the record's month (its day is returned by `apply`).
    let isDateField: Bool
    let name: String
    /// Vocabulary entries with a `*` part (any value), fewest wildcards first: tried when no entry matches exactly.
    let wildcards: [(parts: [Substring], value: String)]

    init(_ m: FieldMapping, schema: EntitySchema, nullTokens: [String], table: ReferenceTable?, pseudonyms: Pseudonymiser?,
         environment: CleanEnvironment?, isDateField: Bool) throws {
        mapping = m
        if let type = EntityContract.inputs[schema.name]?[m.field] {
            column = nil
            self.type = type
        } else {
            column = schema.index(m.field)
            type = schema.columns[column!].type
        }
        self.nullTokens = Set(nullTokens.map(ReferenceTable.normalise))
        nullLength = self.nullTokens.isEmpty ? -1 : nullTokens.map { $0.utf8.count + 8 }.max()!
        self.table = table
        self.pseudonyms = pseudonyms
        self.environment = environment
        self.isDateField = isDateField
        name = m.field
        wildcards = m.values.filter { $0.key.split(separator: "|", omittingEmptySubsequences: false).contains("*") }
            .map { (parts: $0.key.split(separator: "|", omittingEmptySubsequences: false), value: $0.value) }
            .sorted { a, b in
                let wa = a.parts.filter { $0 == "*" }.count, wb = b.parts.filter { $0 == "*" }.count
                return wa != wb ? wa < wb : a.parts.lexicographicallyPrecedes(b.parts)
            }
    }

    /// The vocabulary's value for a key: the exact entry, else the first wildcard entry that matches part by part.
    func vocabulary(_ key: String) -> String? {
        if let v = mapping.values[key] { return v }
        let parts = key.split(separator: "|", omittingEmptySubsequences: false)
        for w in wildcards where w.parts.count == parts.count && zip(w.parts, parts).allSatisfy({ $0 == "*" || $0 == $1 }) { return w.value }
        return nil
    }

    /// The columns, for messages: `IncidentGroup`, or `DateOfCall + TimeOfCall`.
    var columnsText: String { mapping.from.joined(separator: " + ") }

    /// A value as read: trimmed, a null token blank.
    func read(_ row: InputRow, _ column: String) -> String {
        let t = Text.trim(row[column])
        // Only a value no longer than the longest token can be one (normalising every value cost more than the rest).
        return t.utf8.count <= nullLength && !t.isEmpty && nullTokens.contains(ReferenceTable.normalise(t)) ? "" : t
    }

    /// Tidies and cases a value as the mapping says.
    func shape(_ s: String) -> String {
        var t = mapping.tidy ? Text.tidy(s) : s
        switch mapping.letterCase {
        case "upper": t = Text.uppercased(t)
        case "lower": t = t.lowercased()
        default: break
        }
        return t
    }

    /// Rejects a value of this field.
    func reject(_ rule: String, _ value: String, _ message: String) -> CleanRejection {
        let shown = mapping.personal ? "" : " `\(value)`"
        let columns = mapping.from == [name] ? "" : " (\(columnsText))"
        return CleanRejection(rule: rule, field: name, value: value, message: "\(name)\(shown)\(columns) \(message)", personal: mapping.personal)
    }

    /// The field's value for a row, and its day when it is a date.
    func apply(_ row: InputRow, day: Day?) throws -> (String, Day?) {
        if let c = mapping.constant { return (c, nil) }
        if mapping.pseudonymise {
            let parts = (mapping.pseudonymKey ?? mapping.from).map { read(row, $0) }
            if parts.allSatisfy(\.isEmpty) {
                if mapping.required { throw CleanRejection(rule: "clean.mapping.missing", field: name, value: "", message: "\(name) is blank (\(columnsText)): the record has no identifier", personal: true) }
                return ("", nil)
            }
            return (pseudonyms!.pseudonym(EntityRules.pseudonymNamespace[name] ?? name, parts.joined(separator: "|")), nil)
        }
        let raw = mapping.from.map { read(row, $0) }
        // Several columns with a lookup: the first non-blank one the table knows (IRS: the special service type, else
        // the incident type).
        if mapping.from.count > 1, table != nil {
            var last: String?
            for (i, r) in raw.enumerated() where !r.isEmpty {
                let v = shape(r)
                last = v
                if let found = lookup(v, columnIndex: i) { return (mapping.prefix + found, nil) }
            }
            if let last {
                if let d = mapping.defaultValue { return (d, nil) }
                throw reject("clean.mapping.unknown-code", last, "is not in the reference table `\(table!.name)`")
            }
            return try blank()
        }
        let joined: String
        if !mapping.values.isEmpty || mapping.valuesFile != nil {
            if raw.allSatisfy(\.isEmpty) { return try blank() }
            let key = raw.count == 1 ? shape(raw[0]) : raw.map(shape).joined(separator: "|")
            if let v = memoVocabulary(key) { return (mapping.prefix + v, nil) }
            if let d = mapping.defaultValue { return (d, nil) }
            throw reject("clean.mapping.unmapped-value", key, "is not in the field's vocabulary\(mapping.valuesFile.map { " (\($0))" } ?? ""); add it to `values:` or give a `default:`")
        }
        joined = raw.count == 1 ? raw[0] : raw.filter { !$0.isEmpty }.joined(separator: " ")
        if joined.isEmpty { return try blank() }
        var text = shape(joined)
        if table != nil {
            guard let found = lookup(text, columnIndex: 0) else {
                if let d = mapping.defaultValue { return (d, nil) }
                throw reject("clean.mapping.unknown-code", text, "is not in the reference table `\(table!.name)`")
            }
            text = found
        }
        switch type {
        case .date, .datetime, .month:
            let dt = try date(text)
            let out = type == .date ? dt.day.description : type == .month ? dt.month : dt.description
            return (mapping.prefix + out, dt.day)
        case .integer, .real:
            return (mapping.prefix + (try number(text)), nil)
        case .boolean:
            guard let b = Vocabulary.flag(text) else {
                throw reject("clean.flag.invalid", text, "is not a yes/no value (Y, N, Yes, No, True, False, 1, 0)")
            }
            return (b ? "true" : "false", nil)
        case .text:
            if let environment, mapping.wardAliases { return (try environment.wardCode(text, on: day), nil) }
            return (mapping.prefix + text, nil)
        }
    }

    /// A blank value: `blank:` when given, else blank, rejected when required.
    func blank() throws -> (String, Day?) {
        if let b = mapping.blank { return (b, nil) }
        if mapping.required {
            throw CleanRejection(rule: "clean.mapping.missing", field: name, value: "", message: "\(name) is blank (\(columnsText))", personal: mapping.personal)
        }
        return ("", nil)
    }

    /// Looked-up values by column and value: code lists are short and repeat on every record (a Home Office code is
    /// looked up by four fields of each crime), so each distinct value is normalised and found once. Stage 2 cleans a
    /// source's records on one thread.
    final class Memo { var values: [String: String?] = [:] }
    let memo = Memo()

    /// The reference table's value for `value` read from the `from` column at `columnIndex` (a `{column}` key value
    /// stands for that column's name).
    func lookup(_ value: String, columnIndex: Int) -> String? {
        let key = columnIndex == 0 ? value : "\(columnIndex)\u{1F}\(value)"
        if let found = memo.values[key] { return found }
        let found = lookupInTable(value, columnIndex: columnIndex)
        if memo.values.count < 100_000 { memo.values[key] = found }
        return found
    }

    /// The vocabulary's value for a shaped key, each distinct key normalised and matched once.
    func memoVocabulary(_ key: String) -> String? {
        let k = "v\u{1F}" + key
        if let found = memo.values[k] { return found }
        let found = vocabulary(SourceMapping.vocabularyKey(key))
        if memo.values.count < 100_000 { memo.values[k] = found }
        return found
    }

    /// `lookup` without the memo.
    func lookupInTable(_ value: String, columnIndex: Int) -> String? {
        guard let table, let l = mapping.lookup else { return nil }
        let column = columnIndex < mapping.from.count ? mapping.from[columnIndex] : ""
        let lead = l.keysPerColumn.map { $0[min(columnIndex, $0.count - 1)] } ?? l.keys
        let keys = lead.map { $0 == "{column}" ? column : $0 } + [value]
        guard let i = table.rowIndex(keys), let c = table.columns.firstIndex(of: l.column) else { return nil }
        return table.rows[i][c]
    }

    /// A date by the declared layouts, or csp's usual ones.
    func date(_ text: String) throws -> LocalDateTime {
        if mapping.formats.isEmpty {
            switch DateParser.parse(text) {
            case .success(let v): return v
            case .failure(let p):
                throw reject(p.rule, text, p == .impossible ? "is not a real date or time" : "is not in a date layout csp knows (dd/mm/yyyy [HH:MM], yyyy-mm-dd[THH:MM], dd-Mon-yy HH:MM); declare `formats:`")
            }
        }
        var impossible = false
        for f in mapping.formats {
            switch f.read(text) {
            case .success(let p):
                guard let day = Day(year: p.year, month: p.month, day: p.day) else { impossible = true; continue }
                return LocalDateTime(day: day, minutes: p.hour.map { $0 * 60 + p.minute })
            case .failure(let e): if e == .impossible { impossible = true }
            }
        }
        if impossible { throw reject("clean.date.impossible", text, "is not a real date or time") }
        throw reject("clean.date.format", text, "is in none of the declared layouts \(mapping.formats.map(\.text).joined(separator: ", "))")
    }

    /// A number: whole for an integer column (`416.0` is 416, `416.5` is rejected), within `range`.
    func number(_ text: String) throws -> String {
        let t = text.replacingOccurrences(of: ",", with: "")
        guard let d = Double(t), d.isFinite else { throw reject("clean.number.invalid", text, "is not a number") }
        if let r = mapping.range, !r.contains(d) {
            throw reject("clean.number.out-of-range", text, "is outside \(Self.shown(r.lowerBound))…\(Self.shown(r.upperBound))")
        }
        if type == .integer {
            guard d == d.rounded(), abs(d) < 1e15 else { throw reject("clean.number.invalid", text, "is not a whole number") }
            return String(Int(d))
        }
        return t
    }

    static func shown(_ d: Double) -> String { d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : String(d) }
}

