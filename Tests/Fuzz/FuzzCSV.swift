// libFuzzer entry for the CSV reader: any bytes, any options derived from the first byte;
// the reader must never crash, never hang, and every record must be consistent.
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let flags = bytes.first ?? 0
    let encoding: TextEncoding = flags & 3 == 0 ? .utf8 : (flags & 3 == 1 ? .windows1252 : .iso88591)
    let options = CSVReadOptions(delimiter: flags & 4 == 0 ? UInt8(ascii: ",") : UInt8(ascii: ";"), encoding: encoding,
                                 maxFieldBytes: flags & 8 == 0 ? 64 : 1 << 20, hasHeader: flags & 16 == 0)
    let parsed = CSV.parse(bytes: Array(bytes.dropFirst()), options: options)
    var last = 0
    for r in parsed.records {
        precondition(r.line > last, "line numbers must increase")
        last = r.line
        for f in r.fields { precondition(f.utf8.count <= options.maxFieldBytes || r.problem != nil) }
    }
    // Round trip: what the writer formats, the reader reads back unchanged.
    let rows = parsed.records.filter { $0.problem == nil && !$0.fields.isEmpty }.map(\.fields)
    if !rows.isEmpty {
        let again = CSV.parse(CSV.format(rows), options: CSVReadOptions(hasHeader: false))
        precondition(again.records.map(\.fields) == rows, "round trip")
    }
    return 0
}
