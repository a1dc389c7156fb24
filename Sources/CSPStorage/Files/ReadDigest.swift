import CSPCSV
import Crypto

/// SHA-256 of the bytes a `CSVReader` parses, computed in the same pass as it reads them (it is the reader's
/// `CSVByteObserver`), so that stage 1's manifest records the checksum of what was read, and a file rewritten
/// between its fingerprint and its reading is caught (`digest` differs from the fingerprint's).
///
/// Fed on the reading thread only; read `digest` after the reader has finished (`BackgroundCSVReader.forEach`
/// has returned, which orders the two threads).
public final class ReadDigest: CSVByteObserver, @unchecked Sendable {
    private var hasher = SHA256()
    private var count = 0

    /// A digest of nothing yet.
    public init() {}

    /// Adds a block read.
    public func read(_ bytes: UnsafeBufferPointer<UInt8>) {
        hasher.update(bufferPointer: UnsafeRawBufferPointer(bytes))
        count += bytes.count
    }

    /// Hex SHA-256 and size of the bytes seen so far.
    public var digest: (hex: String, bytes: Int) { (FileDigest.hex(hasher.finalize()), count) }
}
