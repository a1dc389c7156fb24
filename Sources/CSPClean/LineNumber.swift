import CSPStorage
import CSPCSV

/// The lineage line number of a record: its value as `Int(String)` reads it, and the field's bytes when
/// `String(value)` gives them back (plain digits without a leading zero, as stage 1 writes it).
struct LineNumber {
    let value: Int
    let text: ByteView?

    init?(_ p: ByteView) {
        if p.count > 0 && p.count < 19 && (p.count == 1 || p[0] != UInt8(ascii: "0")) {
            var v = 0
            var digits = true
            for b in p {
                if b &- 0x30 > 9 { digits = false; break }
                v = v &* 10 &+ Int(b &- 0x30)
            }
            if digits { value = v; text = p; return }
        }
        guard let v = Int(String(decoding: p, as: UTF8.self)) else { return nil }
        value = v
        text = nil
    }
}

extension CSVRowEncoder {
    /// Encodes `row`'s fields, then the lineage columns (raw file, line), and ends the row.
    @inline(__always)
    func writeRow(_ row: CleanRow, file: ByteView, line: LineNumber) {
        for i in 0..<row.count { writeField(bytes: row.field(i)) }
        writeField(bytes: file)
        if let text = line.text { writeField(bytes: text) } else { writeField(String(line.value)) }
        endRow()
    }

    /// `writeRow`, returning where field `marked`'s bytes begin in `bytes` (a field that needs no quotes).
    func writeRow(_ row: CleanRow, file: ByteView, line: LineNumber, marking marked: Int?) -> Int? {
        var offset: Int?
        for i in 0..<row.count {
            if i == marked { offset = bytes.count + (i > 0 ? 1 : 0) }
            writeField(bytes: row.field(i))
        }
        writeField(bytes: file)
        if let text = line.text { writeField(bytes: text) } else { writeField(String(line.value)) }
        endRow()
        return offset
    }
}
