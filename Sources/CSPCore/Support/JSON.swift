import Foundation

/// JSON encoding as csp writes it: sorted keys, so equal content gives equal bytes.
public enum JSON {
    /// Pretty, sorted, with a final newline.
    public static func pretty<T: Encodable>(_ value: T) throws -> Data {
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var d = try enc.encode(value)
        d.append(0x0A)
        return d
    }

    /// One line, sorted, no final newline.
    public static func line<T: Encodable>(_ value: T) throws -> Data {
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try enc.encode(value)
    }

    /// Decodes a file.
    public static func read<T: Decodable>(_ type: T.Type, from path: String) throws -> T {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return try JSONDecoder().decode(type, from: data)
    }
}
