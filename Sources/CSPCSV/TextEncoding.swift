/// The character encoding of a CSV file's bytes. Everything the reader hands out is UTF-8.
public enum TextEncoding: String, Sendable, CaseIterable {
    /// UTF-8 (a leading byte-order mark is stripped; invalid sequences are reported).
    case utf8 = "utf-8"
    /// Windows code page 1252 (Western European), a superset of ISO-8859-1's printable range.
    case windows1252 = "windows-1252"
    /// ISO-8859-1 (Latin-1): every byte is the code point of the same value.
    case iso88591 = "iso-8859-1"

    /// Accepts common aliases case-insensitively: utf8, utf-8, cp1252, windows-1252, win1252,
    /// latin1, latin-1, iso-8859-1, iso8859-1. Returns nil for anything else.
    public init?(name: String) {
        switch name.lowercased() {
        case "utf8", "utf-8":
            self = .utf8
        case "cp1252", "windows-1252", "win1252", "windows1252", "cp-1252":
            self = .windows1252
        case "latin1", "latin-1", "iso-8859-1", "iso8859-1", "iso_8859-1", "l1":
            self = .iso88591
        default:
            return nil
        }
    }
}
