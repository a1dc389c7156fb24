/// CSV injection: a spreadsheet opening a published CSV would run a text cell that begins with `=`, `+`, `-` or `@`
/// (or a tab or carriage return, which some spreadsheets skip before such a character) as a formula.
/// Such cells are neutralised by a leading single quote, which spreadsheets show as text and do not evaluate.
/// Numeric columns (integer, real) are never neutralised: a validated number such as `-0.52` is data, not a formula.
/// The warehouse keeps the original values. Every CSV a person opens follows the rule: stage 4's datasets, the
/// rejects, excluded and duplicates files of every stage, and the assessment's tables.
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

    /// A cell of a text column that may hold a number (a rejected value, a table cell): a number such as `-0.52`,
    /// `-3` or `-12.5%` is left alone, as in numeric columns; any other trigger gets the quote.
    public static func textCell(_ s: String) -> String {
        guard let f = s.utf8.first, f == UInt8(ascii: "-") || f == UInt8(ascii: "+") || f == UInt8(ascii: "=") || f == UInt8(ascii: "@") || f == 0x09 || f == 0x0D else { return s }
        if f == UInt8(ascii: "-") || f == UInt8(ascii: "+") {
            let number = s.hasSuffix("%") ? String(s.dropLast()) : s
            if number.utf8.count > 1, Double(number) != nil, !number.contains(where: { $0.isLetter }) { return s }
        }
        return "'" + s
    }
}
