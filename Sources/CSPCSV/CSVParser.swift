#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

private let lf: UInt8 = 0x0A
private let cr: UInt8 = 0x0D
private let quote: UInt8 = 0x22

/// The streaming byte-level CSV state machine shared by `CSVReader` and `CSV.parse`.
///
/// Feed it input with `parse(_:_:at:)` in pieces of any size; it keeps its state between pieces
/// and copies the current record's field bytes (unquoted, transcoded) into its own buffer, so
/// the caller can reuse its input buffer. Call `finish()` at end of input. A value type over
/// manually managed buffers: the owner calls `deallocate()` exactly once; copies share buffers,
/// so work on one copy at a time and write it back.
struct CSVParser {
    enum State: UInt8 {
        case recordStart, fieldStart, unquoted, quoted, quoteInQuoted
    }

    let delimiter: UInt8
    let encoding: TextEncoding
    let maxFieldBytes: Int

    var state: State = .recordStart
    /// The physical line of the next byte to read.
    var line = 1
    /// The last byte consumed in the record-start or quoted state was a CR (a following LF
    /// belongs to the same line break).
    var prevCR = false
    /// The last byte consumed inside a quoted field was a line break.
    var lastWasLineBreak = false
    /// Field count of the first record (the header's when there is one); -1 before it.
    var expectedFields = -1
    /// A CR followed by an LF ended a line between records: the file's lines end with CRLF.
    var sawCRLF = false
    /// The current record was completed by `finish()`: its last line has no line break (a truncated file, or
    /// an export written without a final line break).
    var recordUnterminated = false
    /// `finish()` found the input ending with a CR right after a record (half of a CRLF, when the file uses CRLF).
    var endedOnCR = false

    // The current record.
    var out: UnsafeMutablePointer<UInt8>
    var outCapacity: Int
    var outCount = 0
    var ends: UnsafeMutablePointer<Int>
    var endsCapacity: Int
    var fieldCount = 0
    var fieldStart = 0
    var skipping = false
    var recordLine = 0
    var lineSpan = 1
    var problem: CSVProblem?

    init(options: CSVReadOptions) {
        precondition(options.delimiter != quote && options.delimiter != cr && options.delimiter != lf,
                     "CSV delimiter must not be a quote, CR or LF")
        precondition(options.maxFieldBytes > 0, "maxFieldBytes must be positive")
        delimiter = options.delimiter
        encoding = options.encoding
        maxFieldBytes = options.maxFieldBytes
        outCapacity = 64 * 1024
        out = .allocate(capacity: outCapacity)
        endsCapacity = 64
        ends = .allocate(capacity: endsCapacity)
    }

    /// Frees the buffers; call once, from the owner.
    func deallocate() {
        out.deallocate()
        ends.deallocate()
    }

    /// The completed record as a view over the parser's buffers.
    var rawRecord: CSVRawRecord {
        CSVRawRecord(line: recordLine, count: fieldCount, problem: problem, lineSpan: lineSpan,
                     base: UnsafePointer(out), ends: UnsafePointer(ends), terminated: !recordUnterminated)
    }

    /// Parses `input[pos..<count]` until a record completes (returns true, `pos` just after its
    /// line break) or the input is used up (returns false, `pos == count`).
    mutating func parse(_ input: UnsafePointer<UInt8>, _ count: Int, at pos: inout Int) -> Bool {
        let p = input
        let n = count
        let delim = delimiter
        var i = pos
        defer { pos = i }
        while i < n {
            switch state {
            case .recordStart:
                let b = p[i]
                if b == lf {
                    if prevCR { prevCR = false; sawCRLF = true } else { line &+= 1 }
                    i &+= 1
                    continue
                }
                if b == cr {
                    line &+= 1
                    prevCR = true
                    i &+= 1
                    continue
                }
                prevCR = false
                beginRecord()
                state = .fieldStart

            case .fieldStart:
                let b = p[i]
                if b == delim {
                    endField()
                    i &+= 1
                } else if b == quote {
                    state = .quoted
                    i &+= 1
                } else if b == lf || b == cr {
                    endField()
                    i &+= 1
                    endRecordAtLineBreak(b)
                    return true
                } else {
                    state = .unquoted
                }

            case .unquoted:
                var j = i
                while j < n {
                    let b = p[j]
                    if b > quote {
                        if b == delim { break }
                        j &+= 1
                        continue
                    }
                    if b == delim || b == quote || b == lf || b == cr || b == 0 { break }
                    j &+= 1
                }
                if j > i { append(p + i, j &- i) }
                i = j
                if j == n { continue }
                let b = p[j]
                i &+= 1
                if b == delim {
                    endField()
                    // Fast path: a plain next field goes straight back to the unquoted scan.
                    if i < n {
                        let c = p[i]
                        if c != quote && c != delim && c != lf && c != cr { continue }
                    }
                    state = .fieldStart
                } else if b == lf || b == cr {
                    endField()
                    endRecordAtLineBreak(b)
                    return true
                } else if b == quote {
                    report(.strayQuote(line: recordLine, field: fieldCount))
                    appendByte(quote)
                } else {
                    report(.nulByte(line: recordLine, field: fieldCount))
                    appendByte(0)
                }

            case .quoted:
                var j = i
                while j < n {
                    let b = p[j]
                    if b > quote || (b != quote && b != lf && b != cr && b != 0) {
                        j &+= 1
                        continue
                    }
                    break
                }
                if j > i {
                    append(p + i, j &- i)
                    prevCR = false
                    lastWasLineBreak = false
                }
                i = j
                if j == n { continue }
                let b = p[j]
                i &+= 1
                if b == quote {
                    prevCR = false
                    lastWasLineBreak = false
                    state = .quoteInQuoted
                } else if b == lf {
                    if prevCR { prevCR = false } else { line &+= 1 }
                    lastWasLineBreak = true
                    appendByte(lf)
                } else if b == cr {
                    line &+= 1
                    prevCR = true
                    lastWasLineBreak = true
                    appendByte(cr)
                } else {
                    prevCR = false
                    lastWasLineBreak = false
                    report(.nulByte(line: recordLine, field: fieldCount))
                    appendByte(0)
                }

            case .quoteInQuoted:
                let b = p[i]
                if b == quote {
                    appendByte(quote)
                    state = .quoted
                    i &+= 1
                } else if b == delim {
                    endField()
                    state = .fieldStart
                    i &+= 1
                } else if b == lf || b == cr {
                    endField()
                    i &+= 1
                    endRecordAtLineBreak(b)
                    return true
                } else {
                    // Not a closing quote after all: keep it and read on as unquoted text.
                    report(.strayQuote(line: recordLine, field: fieldCount))
                    appendByte(quote)
                    state = .unquoted
                }
            }
        }
        return false
    }

    /// Ends input. Returns true when a last record (without a line break, or with an
    /// unterminated quote) is now complete; that record is marked unterminated (`CSVRawRecord.terminated`).
    mutating func finish() -> Bool {
        switch state {
        case .recordStart:
            endedOnCR = prevCR
            return false
        case .fieldStart, .unquoted, .quoteInQuoted:
            recordUnterminated = true
            endField()
            state = .recordStart
            completeRecord(endLine: line)
            return true
        case .quoted:
            recordUnterminated = true
            endField()
            state = .recordStart
            let lastLine = lastWasLineBreak ? line &- 1 : line
            let spanned = max(1, lastLine &- recordLine &+ 1)
            problem = .unterminatedQuote(line: recordLine, linesSpanned: spanned)
            completeRecord(endLine: lastLine)
            return true
        }
    }
}
