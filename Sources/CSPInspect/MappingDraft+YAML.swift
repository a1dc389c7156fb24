import CSPCore
import CSPSchema
import Foundation

extension MappingDraft {
    /// The draft as a mapping file: keys `SourceMappingLoader` reads, each column's profile as comments above the
    /// field that reads it, unread columns under "Not used", `TODO` where a person decides.
    public var yaml: String {
        let r = profile.report
        var out: [String] = []
        let name = (file as NSString).lastPathComponent
        out.append("# Draft mapping of \(name) onto \(entity), written by `csp inspect --draft-mapping` from all \(r.records) records.")
        out.append("# Fill every TODO and check every guess; then name this file in a pipeline source's `mapping:`.")
        out.append("# Profiles: type, values, blanks (null tokens included), distinct values with counts when 20 or fewer")
        out.append("# (values of personal-looking columns are never shown).")
        if r.errorCount > 0 { out.append("# \(r.errorCount) record(s) could not be read (run `csp inspect` for the list): not profiled.") }
        out.append("entity: \(entity)")
        out.append("description: \(Self.quoted("Drafted from \(name)"))")
        out.append("format: \(r.format)")
        if r.format == "csv" {
            out.append("encoding: \(r.encoding)")
        } else if let e = r.recordElement {
            out.append("record: \(Self.quoted(e))")
        }
        var tokens: [String: Int] = [:]
        for c in profile.columns { for (t, n) in c.nullTokens { tokens[t, default: 0] += n } }
        if !tokens.isEmpty {
            let list = tokens.sorted { ($1.value, $0.key) < ($0.value, $1.key) }
            out.append("# Null tokens seen: \(list.map { "\($0.key) (\($0.value))" }.joined(separator: ", ")).")
            out.append("null: [\(list.map { Self.quoted($0.key, always: true) }.joined(separator: ", "))]")
        }
        let byName = Dictionary(profile.columns.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        out.append("fields:")
        var unmapped: [String] = []
        let taken = Set(fields.flatMap(\.columns) + pairs.flatMap { [$0.x, $0.y] })
        for f in fields {
            if f.columns.isEmpty {
                if f.required {
                    out.append("  # \(f.name) (\(f.type.rawValue), required): \(f.meaning). No column found by name.")
                    if [.date, .datetime].contains(f.type) {
                        let fit = profile.columns.filter { !$0.personal && !taken.contains($0.name) && [.date, .datetime].contains($0.kind) }
                        if !fit.isEmpty {
                            out.append("  # TODO: columns whose values fit: " + fit.map { "\(Self.clean($0.name)) (\($0.layoutsReadingAll.map(\.text).joined(separator: " | ")))" }.joined(separator: ", "))
                        }
                    }
                    out.append("  \(f.name): {from: TODO}")
                } else {
                    unmapped.append(f.name)
                }
                continue
            }
            for c in f.columns { if let p = byName[c] { out.append("  # " + Self.describe(p)) } }
            out.append(contentsOf: entry(f).map { "  " + $0 })
        }
        if !unmapped.isEmpty {
            out.append("  # No column found for: \(unmapped.joined(separator: ", ")) (optional: add one with `from:` or `value:`).")
        }
        if !pairs.isEmpty {
            out.append("coordinates:")
            for p in pairs {
                let keys = p.system == .bng ? ("easting", "northing") : ("longitude", "latitude")
                let note = p.precision == 1 ? "" : "  # every value a multiple of \(p.precision)"
                out.append("  - {\(keys.0): \(Self.quoted(p.x)), \(keys.1): \(Self.quoted(p.y)), precision_m: \(p.precision)}\(note)")
            }
            for p in pairs { for c in [p.x, p.y] { if let pr = byName[c] { out.append("#   " + Self.describe(pr)) } } }
        }
        let read = Set(fields.flatMap(\.columns) + pairs.flatMap { [$0.x, $0.y] })
        let rest = profile.columns.filter { !read.contains($0.name) }
        if !rest.isEmpty {
            out.append("# Not used (not read by csp):")
            for c in rest { out.append("#   " + Self.describe(c)) }
        }
        let personal = rest.filter(\.personal).map(\.name)
        if !personal.isEmpty {
            out.append("# Personal-looking columns, not read: \(personal.joined(separator: ", ")). Name one under `personal:` only if a field must read it.")
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// The YAML lines of one field.
    func entry(_ f: Field) -> [String] {
        let from = f.columns.count == 1 ? Self.quoted(f.columns[0]) : "[\(f.columns.map { Self.quoted($0) }.joined(separator: ", "))]"
        var keys: [String] = []
        if !f.formats.isEmpty { keys.append("formats: [\(f.formats.map { Self.quoted($0, always: true) }.joined(separator: ", "))]") }
        if f.pseudonymise { keys.append("pseudonymise: true") }
        var lines: [String] = []
        if let note = f.formatNote { lines.append("# \(note)") }
        if let codes = f.codes {
            lines.append("# \(f.name): \(f.meaning)")
            lines.append("# TODO: give each value its code, one of: \(codes.joined(separator: ", ")).")
            if !f.leftOut.isEmpty {
                lines.append("# TODO: \(f.leftOut.joined(separator: ", ")) may name the type too; with it there are more than \(ColumnProfile.distinctLimit) combinations: add it to `from:` with `*` for any value (\"Fire|*|*\").")
            }
            if f.valuesOverflow { lines.append("# TODO: more than \(ColumnProfile.distinctLimit) distinct values; only the first are listed: add the rest, or a `default:`.") }
            lines.append("\(f.name):")
            lines.append("  from: \(from)")
            for k in keys { lines.append("  " + k) }
            lines.append("  values:")
            for v in f.values {
                lines.append("    \(Self.quoted(v.key, always: true)): \(v.code.map { Self.quoted($0) } ?? "TODO")  # \(v.count) record(s)")
            }
            return lines
        }
        if f.meaning.contains("prefixed by the system") { lines.append("# \(f.name): \(f.meaning); `prefix: \"x:\"` keeps ids of several systems apart.") }
        lines.append(keys.isEmpty ? "\(f.name): \(from)" : "\(f.name): {from: \(from), \(keys.joined(separator: ", "))}")
        return lines
    }

    /// One column's profile on one line: type, layouts, counts, range, distinct values (none for a personal column).
    static func describe(_ c: ColumnProfile) -> String {
        var parts = ["\(clean(c.name)): \(c.kind.rawValue)"]
        let layouts = c.layoutsReadingAll.map(\.text)
        if !layouts.isEmpty { parts[0] += " (\(layouts.joined(separator: " | ")))" }
        if c.kind == .integer && c.zeroFraction { parts[0] += ", written 416.0" }
        parts.append("\(c.filled) filled, \(c.blanks) blank")
        if !c.nullTokens.isEmpty { parts.append("null tokens \(c.nullTokens.keys.sorted().joined(separator: " "))") }
        if c.personal {
            parts.append("personal: values not shown")
            return parts.joined(separator: "; ")
        }
        if (c.kind == .integer || c.kind == .decimal) && c.filled > 0 { parts.append("\(number(c.minimum))–\(number(c.maximum))") }
        if c.kind == .integer && c.rounding > 1 && c.maximum >= 1000 { parts.append("all multiples of \(c.rounding)") }
        if !c.distinctOverflow && !c.distinct.isEmpty {
            let sorted = c.distinct.sorted { ($1.value, $0.key) < ($0.value, $1.key) }
            if sorted.count > 5 && sorted.allSatisfy({ $0.value == 1 }) {
                // An identifier, or a short file: every value once says more than the list.
                parts.append("\(sorted.count) distinct, each once: " + sorted.prefix(3).map { clean(String($0.key.prefix(40))) }.joined(separator: ", ") + ", …")
            } else {
                parts.append("\(sorted.count) distinct: " + sorted.map { "\(clean(String($0.key.prefix(40)))) (\($0.value))" }.joined(separator: ", "))
            }
        } else if c.distinctOverflow {
            parts.append("more than \(ColumnProfile.distinctLimit) distinct")
        }
        return parts.joined(separator: "; ")
    }

    /// A number without a needless `.0`.
    static func number(_ d: Double) -> String { d.rounded() == d && abs(d) < 1e15 ? String(Int(d)) : String(d) }

    /// Text safe inside a comment line (no line breaks).
    static func clean(_ s: String) -> String {
        String(s.map { $0 == "\n" || $0 == "\r" || $0 == "\t" ? " " : $0 })
    }

    /// Words YAML would read as something other than a string.
    static let reserved: Set<String> = ["true", "false", "yes", "no", "on", "off", "null", "y", "n", "~", "todo"]

    /// A YAML scalar for `s`: plain when that reads back as the same string, else double-quoted with escapes.
    static func quoted(_ s: String, always: Bool = false) -> String {
        let plainSafe = !always && !s.isEmpty && s.first!.isLetter && s.last != " " && Double(s) == nil && !reserved.contains(s.lowercased())
            && s.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || " _-./()'".contains($0)) } && !s.contains("  ")
        if plainSafe { return s }
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 || u.value == 0x7F { out += String(format: "\\x%02X", u.value) } else { out.unicodeScalars.append(u) }
            }
        }
        return out + "\""
    }
}
