import CSPStorage

/// Numbers for the raw file names of a source's lineage, so dedupe records carry 4 bytes instead of the path.
final class FileNumbers {
    private var names: [String] = []
    private var numbers: [[UInt8]: Int32] = [:]
    private var last: [UInt8] = []
    private var lastNumber: Int32 = -1

    /// The number of the file named by these bytes (consecutive records nearly always share it).
    func number(_ p: ByteView) -> Int32 {
        if lastNumber >= 0 && Bytes.equal(p, last) { return lastNumber }
        let key = Array(p)
        let n: Int32
        if let known = numbers[key] { n = known } else {
            n = Int32(names.count)
            names.append(String(decoding: p, as: UTF8.self))
            numbers[key] = n
        }
        last = key
        lastNumber = n
        return n
    }

    /// The file name of a number.
    func name(_ n: Int32) -> String { names[Int(n)] }
}
