import CSPCore
import CSPSchema
import Foundation

/// A first source mapping of an export csp has never seen onto one entity (`csp inspect FILE --draft-mapping
/// ENTITY`): every column of the file is named, either as the column of a field (where its name and its values make
/// that clear) or under "not used", with a profile of its values as YAML comments; a `TODO` marks what a person must
/// decide (a vocabulary's codes, a required field without a column). Once the TODOs are filled,
/// `SourceMappingLoader` accepts it. Built in two steps: `plan` decides, `yaml` writes (MappingDraft+YAML.swift).
public struct MappingDraft: Sendable {
    /// One entity field and where its values come from.
    public struct Field: Sendable {
        /// The entity field.
        public let name: String
        /// Its type.
        public let type: ColumnType
        /// Its meaning in the entity's schema.
        public let meaning: String
        /// Raw columns read (empty: no column found).
        public var columns: [String] = []
        /// Date layouts for `formats:`, and what the profile says of them.
        public var formats: [String] = []
        /// A sentence about the layouts (several read every value; some values read by none).
        public var formatNote: String?
        /// The entity's codes, when its meaning lists them (`M, F or U`).
        public var codes: [String]?
        /// Source value (or `|`-joined values) → code, or nil where a person must choose; with counts.
        public var values: [(key: String, count: Int, code: String?)] = []
        /// More source values than listed.
        public var valuesOverflow = false
        /// Columns whose names suggest the field too, left out as they make more than 20 combinations.
        public var leftOut: [String] = []
        /// The meaning asks for a keyed pseudonym.
        public var pseudonymise = false
        /// The entity cannot do without it.
        public var required = false
    }

    /// A coordinate pair found by name and range.
    public struct Pair: Sendable {
        /// `bng` or `wgs84`.
        public let system: CoordinatePair.System
        /// Easting or longitude column, northing or latitude column.
        public let x: String, y: String
        /// Rounding of the values in metres (1: exact).
        public let precision: Int
    }

    /// The entity.
    public let entity: String
    /// The file, as given.
    public let file: String
    /// The profile it was drafted from.
    public let profile: FileProfile
    /// Fields in the entity's order (inputs such as a date of birth last).
    public var fields: [Field] = []
    /// Coordinate pairs, exact first.
    public var pairs: [Pair] = []

    /// Drafts the mapping of the file at `path` onto `entity`, reading the file once.
    public static func draft(path: String, entity: String, inspector: FileInspector) throws -> MappingDraft {
        guard let schema = EntityContract.schema(entity) else { throw DraftError.unknownEntity(entity, known: EntityContract.entities) }
        let coded = codedFields(schema)
        let profile = try FileProfile.read(path: path, inspector: inspector) { report in
            // Vocabulary fields read several columns together: count each leading group of their candidates.
            coded.flatMap { field -> [[String]] in
                let cols = candidates(field, in: report.columns)
                return cols.count < 2 ? [] : (2...min(3, cols.count)).map { Array(cols.prefix($0)) }
            }
        }
        guard profile.report.errors.first(where: { $0.rule.hasPrefix("csv.") && $0.line == 1 }) == nil, !profile.report.columns.isEmpty else {
            throw DraftError.unreadable(path, profile.report.errors.first?.message ?? "no columns found")
        }
        return MappingDraft(entity: entity, file: path, profile: profile, schema: schema)
    }

    /// Entity fields whose meaning lists their codes.
    static func codedFields(_ schema: EntitySchema) -> [String] {
        schema.columns.filter { codes(inMeaning: $0.meaning) != nil }.map(\.name)
    }

    /// Non-personal columns whose names suggest `field`, best first.
    static func candidates(_ field: String, in columns: [String]) -> [String] {
        columns.compactMap { c in ColumnNames.isPersonal(c) ? nil : ColumnNames.rank(c, for: field).map { (c, $0) } }
            .sorted { $0.1 < $1.1 }.map(\.0)
    }

    /// The codes a meaning lists (`accidental, deliberate or not_known`; `M, F or U`: three or more single words),
    /// nil when it lists none.
    /// A parenthesis and an `answer:` lead are ignored; `blank` is not a code.
    public static func codes(inMeaning meaning: String) -> [String]? {
        var text = meaning
        while let open = text.firstIndex(of: "("), let close = text[open...].firstIndex(of: ")") { text.removeSubrange(open...close) }
        if let colon = text.firstIndex(of: ":") { text = String(text[text.index(after: colon)...]) }
        let parts = text.replacingOccurrences(of: " or ", with: ", ").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && $0 != "blank" }
        guard parts.count >= 3, parts.allSatisfy({ p in
            p.allSatisfy { $0.isLetter || $0 == "_" } && (p == p.lowercased() || (p.count == 1 && p == p.uppercased()))
        }) else { return nil }
        return parts
    }

    /// Decides every field and the coordinates from the profile.
    init(entity: String, file: String, profile: FileProfile, schema: EntitySchema) {
        self.entity = entity; self.file = file; self.profile = profile
        var byName: [String: ColumnProfile] = [:]
        for c in profile.columns { byName[c.name] = c }
        var used = Set<String>()
        pairs = Self.coordinatePairs(profile.columns)
        for p in pairs { used.insert(p.x); used.insert(p.y) }

        let derived = Set(EntityContract.derived[entity] ?? [])
        let required = Set(EntityContract.required[entity] ?? [])
        var all: [Field] = schema.columns.filter { !derived.contains($0.name) && !["easting", "northing", "longitude", "latitude"].contains($0.name) }
            .map { Field(name: $0.name, type: $0.type, meaning: $0.meaning) }
        for (name, type) in (EntityContract.inputs[entity] ?? [:]).sorted(by: { $0.key < $1.key }) {
            all.append(Field(name: name, type: type, meaning: "read by csp's rules, never written (personal)"))
        }
        // Best name matches first, each column read by one field; values must fit the field's type.
        var offers: [(field: Int, column: String, rank: Int)] = []
        for (fi, f) in all.enumerated() {
            for c in profile.columns where !used.contains(c.name) {
                guard let r = ColumnNames.rank(c.name, for: f.name), Self.fits(c, f, input: EntityContract.inputs[entity]?[f.name] != nil) else { continue }
                offers.append((fi, c.name, r))
            }
        }
        offers.sort { ($0.rank, $0.field) < ($1.rank, $1.field) }
        for o in offers where all[o.field].columns.isEmpty && !used.contains(o.column) {
            all[o.field].columns = [o.column]
            used.insert(o.column)
        }
        for i in all.indices {
            all[i].required = required.contains(all[i].name)
            all[i].pseudonymise = all[i].meaning.hasPrefix("keyed pseudonym")
            all[i].codes = Self.codes(inMeaning: all[i].meaning)
            guard let first = all[i].columns.first, let col = byName[first] else { continue }
            if [.date, .datetime].contains(all[i].type) { Self.planDate(&all[i], col, byName, &used) }
            if all[i].codes != nil { planValues(&all[i], byName, &used) }
        }
        fields = all
    }

    /// Whether a column's values fit a field's type (a personal column fits only an input such as a date of birth).
    static func fits(_ c: ColumnProfile, _ f: Field, input: Bool) -> Bool {
        if c.personal && !input { return false }
        switch f.type {
        case .date, .datetime, .month: return [.date, .datetime, .month, .time].contains(c.kind) || !c.layoutsReadingSome.isEmpty
        case .integer: return c.kind == .integer || c.kind == .empty
        case .real: return c.kind == .integer || c.kind == .decimal || c.kind == .empty
        case .boolean: return c.kind == .boolean || (c.kind == .integer && c.minimum >= 0 && c.maximum <= 1) || c.kind == .empty
        case .text: return true
        }
    }

    /// A date field: the layouts that read every value; a date column with its time column (`DateOfCall`,
    /// `TimeOfCall`) read together.
    static func planDate(_ f: inout Field, _ col: ColumnProfile, _ byName: [String: ColumnProfile], _ used: inout Set<String>) {
        var dateCol = col
        if col.kind == .time, let partner = byName.values.first(where: { $0.kind == .date && !used.contains($0.name) && ColumnNames.squashed($0.name) == ColumnNames.squashed(col.name).replacingOccurrences(of: "time", with: "date") }) {
            dateCol = partner
            f.columns = [partner.name]
            used.insert(partner.name)
        }
        let all = dateCol.layoutsReadingAll.map(\.text)
        if f.type == .datetime && dateCol.kind == .date {
            let stem = ColumnNames.squashed(dateCol.name).replacingOccurrences(of: "date", with: "time")
            let times = byName.values.filter { $0.kind == .time && !used.contains($0.name) }
            if let t = times.first(where: { ColumnNames.squashed($0.name) == stem }) ?? (times.count == 1 ? times.first : nil) {
                f.columns.append(t.name)
                used.insert(t.name)
                let timeLayouts = t.layoutsReadingAll.map(\.text)
                f.formats = all.flatMap { d in timeLayouts.prefix(1).map { "\(d) \($0)" } }
                if all.count > 1 { f.formatNote = "TODO: several layouts read every date (\(all.joined(separator: ", "))): keep the right one" }
                return
            }
        }
        if !all.isEmpty {
            f.formats = all
            if all.count > 1 { f.formatNote = "TODO: several layouts read every value (\(all.joined(separator: ", "))): keep the right one" }
            return
        }
        // Several layouts in one column: each that reads some values, less a lenient or month-first spelling of one
        // that reads as many (`d/M/yyyy`, `MM/dd/yyyy` beside `dd/MM/yyyy`).
        let reads = Dictionary(dateCol.layoutsReadingSome.map { ($0.0.text, $0.1) }, uniquingKeysWith: { a, _ in a })
        let some = dateCol.layoutsReadingSome.filter { c, n in
            let rivals = [c.strict, c.text.hasPrefix("MM/dd") ? "dd/MM" + c.text.dropFirst(5) : nil].compactMap { $0 }
            return !rivals.contains { (reads[$0] ?? 0) >= n }
        }
        f.formats = some.map(\.0.text)
        f.formatNote = some.isEmpty
            ? "TODO: no candidate layout reads these values: write `formats:` (csp's usual layouts apply without it)"
            : "no one layout reads every value; \(dateCol.unreadByLayouts) value(s) none reads will be rejected"
    }

    /// A coded field: the longest leading group of its candidate columns with at most 20 combinations of values,
    /// each listed with its code where the value spells one (`Special Service` → special_service), else nil.
    func planValues(_ f: inout Field, _ byName: [String: ColumnProfile], _ used: inout Set<String>) {
        guard let codes = f.codes, let first = f.columns.first, let col = byName[first] else { return }
        var listed: [String: Int] = col.distinct, overflow = col.distinctOverflow
        let cols = Self.candidates(f.name, in: profile.report.columns).filter { $0 == first || !used.contains($0) }
        if cols.first == first {
            for n in stride(from: min(3, cols.count), through: 2, by: -1) {
                let group = Array(cols.prefix(n))
                if let combos = profile.combinations[group], !profile.combinationOverflow.contains(group), combos.count <= ColumnProfile.distinctLimit {
                    f.columns = group; listed = combos; overflow = false
                    for c in group { used.insert(c) }
                    break
                }
            }
            f.leftOut = Array(cols.prefix(3).dropFirst(f.columns.count))
        }
        let byCode = Dictionary(codes.map { (Self.snake($0), $0) }, uniquingKeysWith: { a, _ in a })
        f.values = listed.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { (key: $0.key, count: $0.value, code: f.columns.count == 1 ? byCode[Self.snake($0.key)] : nil) }
        f.valuesOverflow = overflow
    }

    /// A value as a code would spell it: lower case, runs of other characters as one `_`.
    static func snake(_ s: String) -> String {
        var out = "", gap = false
        for ch in s.lowercased() {
            if ch.isLetter || ch.isNumber { if gap && !out.isEmpty { out.append("_") }; out.append(ch); gap = false } else { gap = true }
        }
        return out
    }

    /// Coordinate pairs recognised by name and value range: British National Grid eastings (0–700000) and northings
    /// (0–1300000), then longitude and latitude in Great Britain's range; exact pairs first, rounded ones after.
    static func coordinatePairs(_ columns: [ColumnProfile]) -> [Pair] {
        func named(_ words: Set<String>, _ range: ClosedRange<Double>) -> [ColumnProfile] {
            columns.filter { c in !c.personal && ColumnNames.words(c.name).contains(where: words.contains) && c.numbers(within: range) }
        }
        func pairUp(_ xs: [ColumnProfile], _ ys: [ColumnProfile], _ swap: [(String, String)], _ system: CoordinatePair.System) -> [Pair] {
            var out: [Pair] = [], taken = Set<String>()
            for x in xs {
                let lower = x.name.lowercased()
                let partner = ys.first { y in !taken.contains(y.name) && swap.contains { lower.replacingOccurrences(of: $0.0, with: $0.1) == y.name.lowercased() } }
                    ?? (xs.count == 1 && ys.count == 1 ? ys.first : nil)
                guard let y = partner else { continue }
                taken.insert(y.name)
                out.append(Pair(system: system, x: x.name, y: y.name, precision: system == .bng ? min(x.rounding, y.rounding) : 1))
            }
            return out
        }
        let bng = pairUp(named(["easting", "eastings", "x"], 0...700_000), named(["northing", "northings", "y"], 0...1_300_000),
                         [("easting", "northing"), ("x", "y")], .bng)
        let wgs = pairUp(named(["longitude", "lon", "long", "lng"], -9...2.5), named(["latitude", "lat"], 49...61),
                         [("longitude", "latitude"), ("lon", "lat"), ("lng", "lat"), ("long", "lat")], .wgs84)
        return bng.sorted { $0.precision < $1.precision } + wgs
    }
}

/// Why no draft could be written.
public enum DraftError: Error, CustomStringConvertible, ExitCodeProviding {
    /// The entity is not one a mapping can fill.
    case unknownEntity(String, known: [String])
    /// The file has no header or no readable columns.
    case unreadable(String, String)

    /// 64 for an unknown entity (the command line is wrong), 65 for a file without columns.
    public var exitCode: ExitCode {
        if case .unknownEntity = self { return .usage }
        return .dataError
    }

    public var description: String {
        switch self {
        case .unknownEntity(let e, let known): return "`\(e)` is not an entity a mapping can fill; known: \(known.joined(separator: ", "))"
        case .unreadable(let path, let why): return "\(path): no columns to draft a mapping from (\(why))"
        }
    }
}
