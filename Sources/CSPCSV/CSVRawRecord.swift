/// A view of the record the reader is positioned on, exposing fields without allocating.
///
/// Lifetime: a plain (escapable) struct over the reader's internal buffers. It is valid only
/// inside the `CSVReader.forEach` callback that received it; the buffers are reused for the next
/// record. Copy out what you keep (`string(_:)`, `Array(bytes(_:))`).
public struct CSVRawRecord {
    /// The physical line (1-based) where the record begins.
    public let line: Int
    /// The number of fields.
    public let count: Int
    /// The first data problem found in the record, if any.
    public let problem: CSVProblem?
    /// How many physical lines the record spans.
    public let lineSpan: Int
    /// False for a last record whose line has no line break at the end of the input: the file ends inside it
    /// (truncated, or written without a final line break). Every other record is true.
    public let terminated: Bool
    let base: UnsafePointer<UInt8>
    let ends: UnsafePointer<Int>

    init(line: Int, count: Int, problem: CSVProblem?, lineSpan: Int, base: UnsafePointer<UInt8>,
         ends: UnsafePointer<Int>, terminated: Bool = true) {
        self.line = line
        self.count = count
        self.problem = problem
        self.lineSpan = lineSpan
        self.base = base
        self.ends = ends
        self.terminated = terminated
    }

    /// The UTF-8 bytes of field `i` (0-based), already unquoted, unescaped and transcoded.
    /// Always valid UTF-8 (invalid input is replaced by U+FFFD and reported).
    @inline(__always)
    public func bytes(_ i: Int) -> UnsafeBufferPointer<UInt8> {
        precondition(i >= 0 && i < count, "field index \(i) out of range 0..<\(count)")
        let start = i == 0 ? 0 : ends[i &- 1]
        return UnsafeBufferPointer(start: base + start, count: ends[i] &- start)
    }

    /// Field `i` (0-based) as a String (allocates).
    public func string(_ i: Int) -> String {
        String(decoding: bytes(i), as: UTF8.self)
    }

    /// All fields as Strings (allocates).
    public func strings() -> [String] {
        (0..<count).map { string($0) }
    }

    /// The record as an owned `CSVRecord` (allocates).
    public func record() -> CSVRecord {
        CSVRecord(line: line, fields: strings(), problem: problem, lineSpan: lineSpan)
    }
}
