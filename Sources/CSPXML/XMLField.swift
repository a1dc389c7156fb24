/// One value read from a record: an attribute, or the text of an element.
public struct XMLField: Sendable, Equatable {
    /// Where the value sits, relative to the record element: `"@id"` for an attribute of the
    /// record element, `"Child"`, `"Child/Sub"`, `"Child/@attr"`; names as written in the
    /// document, prefix included (`"nc:Date"`). The record element's own text, when it has
    /// any, is at `"."`.
    public let path: String
    /// The text content, whitespace-trimmed at both ends; an empty element gives `""`.
    public let value: String

    /// Creates a field; the reader builds these, tests and stages may too.
    public init(path: String, value: String) {
        self.path = path
        self.value = value
    }
}
