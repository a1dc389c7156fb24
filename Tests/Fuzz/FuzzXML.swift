// libFuzzer entry for the XML reader: any bytes written to a file and read as records of `r`;
// the reader must never crash or hang, and must throw rather than expand or fetch anything.
import Foundation

let fuzzPath = "/tmp/csp-fuzz-\(getpid()).xml"

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzXML(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FileManager.default.createFile(atPath: fuzzPath, contents: Data(bytes: data, count: size))
    var options = XMLReadOptions(maxDepth: 64, maxValueBytes: 4096)
    options.maxRecordBytes = 1 << 16
    guard let reader = try? XMLRecordReader(path: fuzzPath, recordElement: "r", options: options) else { return 0 }
    var last = 0
    while true {
        do {
            guard let record = try reader.next() else { break }
            precondition(record.index == last + 1, "record indices are consecutive")
            last = record.index
            for f in record.fields { precondition(f.value.utf8.count <= 4096) }
        } catch { break }
    }
    return 0
}
