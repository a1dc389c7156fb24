import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An existing file that a `CSVWriter`'s output is expected to equal byte for byte (stage 4 republishes stage 3's
/// files, and almost always every row goes through unchanged).
///
/// While the written bytes equal the baseline's, nothing is written: each buffer is compared with the next bytes of
/// the baseline (read with `pread`, which costs a fraction of a `write(2)` into the page cache). At the first
/// difference the matched prefix is copied from the baseline into the output (`sendfile`, in the kernel) and
/// the writer goes on writing as usual. When the whole output equals the whole baseline, the output becomes a hard
/// link to it (a copy where a link is impossible, across file systems). Either way the output holds exactly the bytes
/// written: the baseline only saves writing them. Measured on the national month: stage 4 wrote 129 MB of CSV that
/// stage 3 had just written, 0.4 s of kernel copying on this machine (page-cache writes at 324 MB/s).
///
/// Used on the writer's background queue only.
final class CSVBaseline {
    let path: String
    private let fd: Int32
    private let size: Int
    private let scratch: UnsafeMutablePointer<UInt8>
    private let scratchSize: Int
    /// Bytes of the output known equal to the baseline's first bytes.
    private(set) var matched = 0
    /// Whether the output has differed from the baseline (and is being written in full).
    private(set) var diverged = false

    /// Opens the baseline; nil when it cannot be read (the writer then simply writes).
    init?(path: String, bufferSize: Int) {
        let opened = open(path, O_RDONLY | O_CLOEXEC)
        guard opened >= 0 else { return nil }
        var st = stat()
        guard fstat(opened, &st) == 0, st.st_mode & S_IFMT == S_IFREG else { _ = close(opened); return nil }
        self.path = path
        fd = opened
        size = Int(st.st_size)
        scratchSize = bufferSize
        scratch = .allocate(capacity: bufferSize)
    }

    deinit {
        _ = close(fd)
        scratch.deallocate()
    }

    /// Whether `bytes` equal the baseline's next bytes; if so they count as matched. After a first difference, false.
    func matches(_ bytes: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        guard !diverged, n <= size - matched else { return false }
        var done = 0
        while done < n {
            let want = min(n - done, scratchSize)
            var got = 0
            while got < want {
                let r = pread(fd, scratch + got, want - got, off_t(matched + done + got))
                if r < 0 && errno == EINTR { continue }
                guard r > 0 else { return false }
                got += r
            }
            guard memcmp(scratch, bytes + done, want) == 0 else { return false }
            done += want
        }
        matched += n
        return true
    }

    /// Gives up matching: copies the matched prefix into `output` (opened for writing, at offset 0) so that writing
    /// can carry on after it. Returns the `errno` of a failed copy, or 0.
    func diverge(into output: Int32) -> Int32 {
        diverged = true
        return copy(matched, into: output)
    }

    /// Makes `outputPath` (whose descriptor `output` holds nothing yet) hold the baseline's first `count` bytes, the
    /// whole output: a hard link when that is the whole baseline, else a copy. Returns the `errno` of a failure, or 0.
    func complete(_ count: Int, at outputPath: String, output: Int32) -> Int32 {
        if count == size {
            if unlink(outputPath) == 0 || errno == ENOENT, link(path, outputPath) == 0 { return 0 }
            // Across file systems (EXDEV), or a file system without hard links: a copy into a new file.
            let recreated = open(outputPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            guard recreated >= 0 else { return errno }
            defer { _ = close(recreated) }
            return copy(count, into: recreated)
        }
        return copy(count, into: output)
    }

    /// Copies the baseline's first `count` bytes into `output` from its current offset.
    private func copy(_ count: Int, into output: Int32) -> Int32 {
        var offset: off_t = 0
        var left = count
        while left > 0 {
            let n = sendfile(output, fd, &offset, left)
            if n > 0 { left -= n; continue }
            if n < 0 && errno == EINTR { continue }
            if n == 0 { return EIO }
            // No sendfile between these two (EINVAL, ENOSYS): read and write.
            return copyByReading(from: Int(offset), left, into: output)
        }
        return 0
    }

    private func copyByReading(from start: Int, _ count: Int, into output: Int32) -> Int32 {
        var at = start
        let end = start + count
        while at < end {
            let r = pread(fd, scratch, min(scratchSize, end - at), off_t(at))
            if r < 0 && errno == EINTR { continue }
            guard r > 0 else { return r == 0 ? EIO : errno }
            var done = 0
            while done < r {
                let w = write(output, scratch + done, r - done)
                if w < 0 && errno == EINTR { continue }
                guard w > 0 else { return errno }
                done += w
            }
            at += r
        }
        return 0
    }
}
