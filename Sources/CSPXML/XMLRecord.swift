/// One occurrence of the record element, flattened to path and value pairs.
///
/// Fields come in document order: an element's attributes first, then its children, then the
/// element's own text. Elements without child elements always give a field (possibly `""`);
/// elements with child elements give one only when they also hold non-blank text.
public struct XMLRecord: Sendable, Equatable {
    /// The record's position among the records of its file, starting at 1.
    public let index: Int
    /// The physical line (1-based) where the record's start tag begins.
    public let line: Int
    /// The record's values in document order; repeated children repeat.
    public let fields: [XMLField]

    /// Creates a record; the reader builds these, tests and stages may too.
    public init(index: Int, line: Int, fields: [XMLField]) {
        self.index = index
        self.line = line
        self.fields = fields
    }

    /// The first value at `path`, or nil when the record has none. A path without prefixes
    /// (`Location/Ward`) also matches fields written with namespace prefixes (`irs:Location/irs:Ward`),
    /// so one mapping reads a supplier's files whatever prefix each file happens to use;
    /// an exact match is preferred.
    public func value(_ path: String) -> String? {
        for field in fields where field.path == path {
            return field.value
        }
        guard !path.contains(":") else { return nil }
        for field in fields where field.path.contains(":") && XMLRecord.localPath(field.path) == path {
            return field.value
        }
        return nil
    }

    /// Every value at `path`, in document order (prefixes ignored as in `value(_:)` when nothing matches exactly).
    public func values(_ path: String) -> [String] {
        let exact = fields.compactMap { $0.path == path ? $0.value : nil }
        if !exact.isEmpty || path.contains(":") { return exact }
        return fields.compactMap { $0.path.contains(":") && XMLRecord.localPath($0.path) == path ? $0.value : nil }
    }

    /// `a:B/c:D/@e:f` → `B/D/@f`.
    static func localPath(_ path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: false).map { step -> Substring in
            let attribute = step.hasPrefix("@")
            let name = attribute ? step.dropFirst() : step[...]
            let local = name.lastIndex(of: ":").map { name[name.index(after: $0)...] } ?? name
            return attribute ? "@" + local : local
        }.joined(separator: "/")
    }

    /// The distinct paths of the record, in first-seen order.
    public var paths: [String] {
        var seen = Set<String>()
        var result: [String] = []
        for field in fields where seen.insert(field.path).inserted {
            result.append(field.path)
        }
        return result
    }
}
