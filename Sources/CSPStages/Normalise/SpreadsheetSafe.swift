/// CSV injection: a spreadsheet opening a published CSV would run a text cell that begins with `=`, `+`, `-` or `@`
/// (or a tab or carriage return, which some spreadsheets skip before such a character) as a formula.
/// Such cells are neutralised by a leading single quote, which spreadsheets show as text and do not evaluate.
/// Numeric columns (integer, real) are never neutralised: a validated number such as `-0.52` is data, not a formula.
/// The warehouse keeps the original values.
public enum SpreadsheetSafe {
    /// The characters that make a spreadsheet read a cell as a formula.
    public static let triggers: [UInt8] = [UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D]

    /// Whether a cell given as UTF-8 bytes needs the quote.
    @inline(__always)
    public static func needsQuote(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = b.first else { return false }
        return first == UInt8(ascii: "=") || first == UInt8(ascii: "+") || first == UInt8(ascii: "-") || first == UInt8(ascii: "@") || first == 0x09 || first == 0x0D
    }

    /// The cell as published.
    public static func cell(_ s: String) -> String {
        var s = s
        return s.withUTF8 { needsQuote($0) } ? "'" + s : s
    }
}
