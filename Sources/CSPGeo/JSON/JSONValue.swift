/// A JSON value as ``JSONParser`` reads it, shaped for boundary files.
///
/// One shape is special: an array whose every element is an array of two or three numbers (a GeoJSON ring or line)
/// is held as ``positions(xs:ys:)``, its x and y packed in two arrays of doubles (a third number, an elevation, is
/// read and dropped). A national ward file set has millions of positions, and one allocation per position was most of
/// the cost of reading it. Every other array is ``array(_:)``.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    /// The members in file order (a repeated key keeps every occurrence; ``subscript(_:)`` answers the last, as
    /// Foundation's parser does) and the byte offset of the opening brace.
    case object([Member], offset: Int)
    /// An array of positions, packed: `xs[i]`, `ys[i]` are the first two numbers of element `i`.
    case positions(xs: [Double], ys: [Double])

    /// One member of an object.
    public struct Member: Sendable, Equatable {
        public let key: String
        public let value: JSONValue
    }

    /// The value of `key` when this is an object holding it (its last occurrence); nil otherwise.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members, _) = self else { return nil }
        return members.last { $0.key == key }?.value
    }

    /// The text when this is a string.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The number when this is a number.
    public var numberValue: Double? {
        if case .number(let d) = self { return d }
        return nil
    }

    /// The elements when this is an array; a packed array of positions is unpacked into arrays of two numbers.
    public var arrayValue: [JSONValue]? {
        switch self {
        case .array(let items): return items
        case .positions(let xs, let ys): return zip(xs, ys).map { .array([.number($0), .number($1)]) }
        default: return nil
        }
    }

    /// Whether this is an object.
    public var isObject: Bool {
        if case .object = self { return true }
        return false
    }
}
