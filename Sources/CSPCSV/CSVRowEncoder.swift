/// Encodes rows into a reusable in-memory buffer exactly as `CSVWriter` writes them to a file after the file's first
/// row: the same quoting, `""` for a row of one empty field, LF endings. For callers that keep encoded rows aside (a
/// scratch file) and copy them into a writer later with `CSVWriter.writeEncodedRows`, without parsing them again.
///
/// The one rule it does not apply is the writer's first-row rule (a first field starting with a byte-order mark is
/// quoted), so encoded rows must not be a file's first row; `writeEncodedRows` checks that. Not thread-safe.
public final class CSVRowEncoder {
    /// The field separator byte.
    public let delimiter: UInt8
    private let delimiterWord: UInt64
    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var count = 0
    private var fieldsInRow = 0
    private var lastFieldEmpty = false
    /// Rows completed by `endRow` since the last `removeAll`.
    public private(set) var rows = 0

    /// An empty encoder.
    public init(delimiter: UInt8 = UInt8(ascii: ","), capacity: Int = 4096) {
        precondition(delimiter != 0x22 && delimiter != 0x0A && delimiter != 0x0D,
                     "CSV delimiter must not be a quote, CR or LF")
        self.delimiter = delimiter
        delimiterWord = UInt64(delimiter) &* 0x0101_0101_0101_0101
        self.capacity = max(capacity, 16)
        buffer = .allocate(capacity: self.capacity)
    }

    deinit { buffer.deallocate() }

    /// The encoded bytes of the completed rows (and of a row in progress). Valid until the next mutation.
    public var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: buffer, count: count) }

    /// Forgets the encoded rows, keeping the buffer.
    public func removeAll() {
        count = 0
        fieldsInRow = 0
        rows = 0
    }

    /// Appends one field, given as UTF-8 bytes, to the current row.
    public func writeField(bytes: UnsafeBufferPointer<UInt8>) {
        let n = bytes.count
        if count + 2 * n + 3 > capacity { reserve(2 * n + 3) }
        var out = buffer + count
        if fieldsInRow > 0 { out.pointee = delimiter; out += 1 }
        fieldsInRow += 1
        lastFieldEmpty = n == 0
        guard let source = bytes.baseAddress, n > 0 else { count = out - buffer; return }
        // One pass that copies and looks for a byte needing quotes (CSV.needsQuoting's set), eight bytes at a time:
        // most fields need none, and the separate scan and copy were a tenth of stage 2's time.
        var i = 0
        var plain = true
        while i + 8 <= n {
            let word = UnsafeRawPointer(source + i).loadUnaligned(as: UInt64.self)
            if hasQuotable(word) { plain = false; break }
            UnsafeMutableRawPointer(out + i).storeBytes(of: word, as: UInt64.self)
            i += 8
        }
        if plain {
            while i < n {
                let b = source[i]
                if b == 0x22 || b == 0x0A || b == 0x0D || b == delimiter { plain = false; break }
                out[i] = b
                i += 1
            }
        }
        if plain {
            count = out + n - buffer
            return
        }
        out.pointee = 0x22; out += 1
        for k in 0..<n {
            let b = source[k]
            out.pointee = b; out += 1
            if b == 0x22 { out.pointee = 0x22; out += 1 }
        }
        out.pointee = 0x22; out += 1
        count = out - buffer
    }

    /// Whether one of the eight bytes is a quote, LF, CR or the delimiter (exact: the zero-byte test of `word`
    /// XOR each of them broadcast).
    @inline(__always)
    private func hasQuotable(_ word: UInt64) -> Bool {
        @inline(__always) func hasZero(_ v: UInt64) -> Bool { (v &- 0x0101_0101_0101_0101) & ~v & 0x8080_8080_8080_8080 != 0 }
        return hasZero(word ^ 0x2222_2222_2222_2222) || hasZero(word ^ 0x0A0A_0A0A_0A0A_0A0A)
            || hasZero(word ^ 0x0D0D_0D0D_0D0D_0D0D) || hasZero(word ^ delimiterWord)
    }

    /// Appends one field to the current row.
    public func writeField(_ s: String) {
        var s = s
        s.withUTF8 { writeField(bytes: $0) }
    }

    /// Appends `rows` complete rows already encoded (by this type, with the same delimiter). Only between rows.
    public func appendEncodedRows(_ encoded: UnsafeBufferPointer<UInt8>, rows: Int) {
        precondition(fieldsInRow == 0, "encoded rows go between rows")
        reserve(encoded.count)
        if let base = encoded.baseAddress { (buffer + count).update(from: base, count: encoded.count) }
        count += encoded.count
        self.rows += rows
    }

    /// Ends the current row with LF.
    public func endRow() {
        reserve(3)
        if fieldsInRow == 1 && lastFieldEmpty {
            buffer[count] = 0x22; buffer[count + 1] = 0x22; count += 2
        }
        buffer[count] = 0x0A; count += 1
        fieldsInRow = 0
        rows += 1
    }

    private func reserve(_ n: Int) {
        if count + n <= capacity { return }
        var c = capacity * 2
        while c < count + n { c *= 2 }
        let b = UnsafeMutablePointer<UInt8>.allocate(capacity: c)
        b.update(from: buffer, count: count)
        buffer.deallocate()
        buffer = b
        capacity = c
    }
}
