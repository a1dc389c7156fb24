/// A data problem found in one CSV record. The reader never throws for these: it hands out the
/// record with `problem` set and goes on with the next one.
///
/// `line` is always the physical line (1-based) where the record begins; `field` is the 0-based
/// index of the field. Descriptions count fields from 1, as an analyst would.
public enum CSVProblem: Error, Sendable, Equatable, CustomStringConvertible {
    /// The record has `found` fields where the header (or the first record) has `expected`.
    case raggedRow(line: Int, expected: Int, found: Int)
    /// A quoted field is still open at end of file; the record began at `line` and swallowed
    /// `linesSpanned` physical lines. Reading stops after this record.
    case unterminatedQuote(line: Int, linesSpanned: Int)
    /// Text after a closing quote, or a quote inside an unquoted field; the bytes are kept as is.
    case strayQuote(line: Int, field: Int)
    /// The field is longer than `limit` bytes; its value is empty and its bytes were skipped.
    case fieldTooLong(line: Int, field: Int, limit: Int)
    /// The field is not valid UTF-8; its value is the lossy decoding (U+FFFD for bad bytes).
    case invalidUTF8(line: Int, field: Int)
    /// The field contains a NUL byte (kept in the value).
    case nulByte(line: Int, field: Int)

    /// The physical line (1-based) where the record with the problem begins.
    public var line: Int {
        switch self {
        case .raggedRow(let line, _, _), .unterminatedQuote(let line, _), .strayQuote(let line, _),
             .fieldTooLong(let line, _, _), .invalidUTF8(let line, _), .nulByte(let line, _):
            return line
        }
    }

    /// The 0-based field index, or nil for row-level problems (ragged row, unterminated quote).
    public var field: Int? {
        switch self {
        case .raggedRow, .unterminatedQuote:
            return nil
        case .strayQuote(_, let field), .fieldTooLong(_, let field, _), .invalidUTF8(_, let field),
             .nulByte(_, let field):
            return field
        }
    }

    /// A stable identifier for reject files and counts, e.g. "csv.ragged-row".
    public var rule: String {
        switch self {
        case .raggedRow: return "csv.ragged-row"
        case .unterminatedQuote: return "csv.unterminated-quote"
        case .strayQuote: return "csv.stray-quote"
        case .fieldTooLong: return "csv.field-too-long"
        case .invalidUTF8: return "csv.invalid-utf8"
        case .nulByte: return "csv.nul-byte"
        }
    }

    /// A sentence an analyst can act on, e.g. "line 12: 9 fields where the header has 11".
    public var description: String {
        switch self {
        case let .raggedRow(line, expected, found):
            return "line \(line): \(found) field\(found == 1 ? "" : "s") where the header has \(expected)"
                + " (or the first record, when there is no header); look for an unquoted delimiter"
                + " or a truncated line"
        case let .unterminatedQuote(line, spanned):
            return "line \(line): a quoted field opened in this record is never closed, so the last"
                + " \(spanned) line\(spanned == 1 ? "" : "s") of the file were read as one record;"
                + " look for a stray \" on line \(line)"
        case let .strayQuote(line, field):
            return "line \(line), field \(field + 1): a quote inside an unquoted field or text after a"
                + " closing quote; the text was kept as written"
        case let .fieldTooLong(line, field, limit):
            return "line \(line), field \(field + 1): longer than the limit of \(limit) bytes; the value"
                + " was dropped (raise maxFieldBytes if the data is genuine)"
        case let .invalidUTF8(line, field):
            return "line \(line), field \(field + 1): not valid UTF-8; bad bytes were replaced by U+FFFD"
                + " (is the file really Windows-1252 or ISO-8859-1?)"
        case let .nulByte(line, field):
            return "line \(line), field \(field + 1): contains a NUL byte; the file may be binary or"
                + " UTF-16"
        }
    }
}
