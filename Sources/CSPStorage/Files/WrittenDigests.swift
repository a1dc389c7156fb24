import CSPCSV
import Crypto
import Foundation

/// SHA-256 of the CSV files this process wrote, computed while they were written (on each writer's background
/// queue, see `CSVWriter`), so that a stage's manifest does not read its outputs back to hash them.
///
/// A digest is recorded against the file's device and inode with its size and modification time at close; it is
/// used only while all four still match (a rename keeps them; any later write changes the size or the time), and
/// only by `StageExecutor` for the manifest of outputs it has just seen written. The auditor always reads files.
public enum WrittenDigests {
    struct Stamp: Hashable { let device: UInt64, inode: UInt64 }
    struct Entry { let size: Int, mtimeSeconds: Int, mtimeNanoseconds: Int, hex: String }

    nonisolated(unsafe) private static var entries: [Stamp: Entry] = [:]
    private static let lock = NSLock()
    nonisolated(unsafe) private static var installed = false

    /// Makes every `CSVWriter` opened from now on hash what it writes. Idempotent; call before stages run.
    public static func install() {
        lock.lock(); defer { lock.unlock() }
        guard !installed else { return }
        installed = true
        CSVWriter.observerFactory = { _ in Hashing() }
    }

    /// The recorded digest and size of the file at `path`, when it is unchanged since its writer closed it.
    public static func recorded(_ path: String) -> (hex: String, bytes: Int)? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        lock.lock(); defer { lock.unlock() }
        guard let e = entries[Stamp(device: UInt64(st.st_dev), inode: UInt64(st.st_ino))],
              e.size == Int(st.st_size), e.mtimeSeconds == Int(st.st_mtim.tv_sec), e.mtimeNanoseconds == Int(st.st_mtim.tv_nsec)
        else { return nil }
        return (e.hex, e.size)
    }

    /// The digest of `path`: recorded when its writer's record still matches, else read and hashed.
    public static func sha256(path: String) throws -> (hex: String, bytes: Int) {
        try recorded(path) ?? FileDigest.sha256(path: path)
    }

    private final class Hashing: CSVWriteObserver {
        var hasher = SHA256()
        var count = 0
        func written(_ bytes: UnsafeBufferPointer<UInt8>) {
            hasher.update(bufferPointer: UnsafeRawBufferPointer(bytes))
            count += bytes.count
        }
        func completed(fd: Int32, total: Int) {
            var st = stat()
            guard fstat(fd, &st) == 0, Int(st.st_size) == count, total == count else { return }
            let hex = FileDigest.hex(hasher.finalize())
            let key = Stamp(device: UInt64(st.st_dev), inode: UInt64(st.st_ino))
            let entry = Entry(size: count, mtimeSeconds: Int(st.st_mtim.tv_sec), mtimeNanoseconds: Int(st.st_mtim.tv_nsec), hex: hex)
            WrittenDigests.lock.lock(); defer { WrittenDigests.lock.unlock() }
            WrittenDigests.entries[key] = entry
        }
    }
}
