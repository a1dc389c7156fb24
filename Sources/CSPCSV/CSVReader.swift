#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A streaming CSV file reader: POSIX `read` in large chunks into one reused buffer, parsed by
/// a byte-level state machine. Memory stays at about one chunk plus the largest record
/// (each field is capped by `maxFieldBytes`), whatever the file size.
///
/// Data problems never throw: each record carries its first `CSVProblem` and reading goes on
/// (after an unterminated quote the file is at its end). Only opening the file and a bad
/// header throw. A read error after opening ends the records and is kept in `readError`.
///
/// Not thread-safe; use one reader from one task. Do not call `next()` from inside `forEach`.
public final class CSVReader {
    /// The header's fields; `[]` when `hasHeader` is false or the file is empty.
    public private(set) var header: [String]
    /// The path the reader was opened with.
    public let path: String
    /// The options the reader was opened with.
    public let options: CSVReadOptions
    /// Raw bytes consumed so far (including the header, a BOM and line breaks).
    @exclusivity(unchecked) public private(set) var bytesRead: Int = 0
    /// The read error that ended the records early, if any.
    public private(set) var readError: CSVFileError?
    /// How the file ended (meaningful once the records are all read: see `CSVEndState`).
    public var endState: CSVEndState {
        CSVEndState(bytesRead: totalRead, reachedEnd: atEnd && readError == nil && !(chunkPos < chunkCount),
                    usesCRLF: parser.sawCRLF, endsInsideCRLF: parser.sawCRLF && parser.endedOnCR)
    }
    /// Sees every block read (for a checksum of the bytes parsed); nil for none. (`BackgroundCSVReader` also tells it
    /// of the records handled.)
    let observer: CSVByteObserver?

    private var parser: CSVParser
    private var fd: Int32
    private let chunk: UnsafeMutablePointer<UInt8>
    private let chunkSize: Int
    // Per-record state: `@exclusivity(unchecked)`, as in `CSVWriter` (one thread, no overlapping access).
    @exclusivity(unchecked) private var chunkPos = 0
    @exclusivity(unchecked) private var chunkCount = 0
    @exclusivity(unchecked) private var totalRead = 0
    @exclusivity(unchecked) private var atEnd = false
    private var iterating = false

    /// Opens `path` and reads the header when `options.hasHeader`.
    /// - Throws: `CSVFileError.cannotOpen` when the file cannot be opened,
    ///   `CSVFileError.badHeader` when the header has a data problem,
    ///   `CSVFileError.readFailed` when reading the header fails.
    /// `observer`, when given, sees every block read, in order (see `CSVByteObserver`).
    public convenience init(path: String, options: CSVReadOptions = .init(), observer: CSVByteObserver? = nil) throws {
        try self.init(path: path, options: options, chunkSize: 1 << 20, observer: observer)
    }

    /// As the public initializer, with the read size in bytes (tests use tiny chunks).
    init(path: String, options: CSVReadOptions, chunkSize: Int, observer: CSVByteObserver? = nil) throws {
        precondition(chunkSize > 0, "chunkSize must be positive")
        self.observer = observer
        self.path = path
        self.options = options
        self.chunkSize = chunkSize
        let opened = open(path, O_RDONLY | O_CLOEXEC)
        if opened < 0 {
            throw CSVFileError.cannotOpen(path: path, reason: String(cString: strerror(errno)))
        }
        fd = opened
        chunk = .allocate(capacity: max(chunkSize, 3))
        parser = CSVParser(options: options)
        header = []

        // A byte-order mark needs the first three bytes together, whatever the chunk size.
        while chunkCount < 3 && !atEnd {
            let want = min(chunkSize, max(chunkSize, 3) - chunkCount)
            let got = readSome(into: chunk + chunkCount, want)
            if got <= 0 { break }
            chunkCount += got
        }
        if let error = readError {
            throw error
        }
        if options.encoding == .utf8 && chunkCount >= 3
            && chunk[0] == 0xEF && chunk[1] == 0xBB && chunk[2] == 0xBF {
            chunkPos = 3
        }
        if options.hasHeader {
            var p = parser
            let found = fetch(&p)
            parser = p
            if let error = readError { throw error }
            if found {
                let raw = p.rawRecord
                if let problem = raw.problem {
                    throw CSVFileError.badHeader(path: path, problem: problem)
                }
                header = raw.strings()
            }
        }
    }

    deinit {
        parser.deallocate()
        chunk.deallocate()
        if fd >= 0 { _ = close(fd) }
    }

    /// The next record with its fields as Strings, or nil at end of file. Allocates; prefer
    /// `forEach` for large files.
    public func next() -> CSVRecord? {
        precondition(!iterating, "CSVReader.next() called inside forEach")
        var p = parser
        defer { parser = p }
        return fetch(&p) ? p.rawRecord.record() : nil
    }

    /// Calls `body` with each remaining record, without allocating per field.
    ///
    /// The `CSVRawRecord` is valid only during its call: its bytes are overwritten by the next
    /// record. If `body` throws, reading stops and the error is rethrown; a later call goes on
    /// with the following record.
    public func forEach(_ body: (borrowing CSVRawRecord) throws -> Void) rethrows {
        precondition(!iterating, "CSVReader.forEach is not reentrant")
        iterating = true
        var p = parser
        defer {
            parser = p
            iterating = false
        }
        while fetch(&p) {
            try body(p.rawRecord)
        }
    }

    /// Advances `p` to the next complete record, reading chunks as needed. False at the end.
    private func fetch(_ p: inout CSVParser) -> Bool {
        var pos = chunkPos
        var count = chunkCount
        defer {
            chunkPos = pos
            chunkCount = count
            bytesRead = totalRead - (count - pos)
        }
        while true {
            if pos < count {
                if p.parse(UnsafePointer(chunk), count, at: &pos) { return true }
            }
            if atEnd { return false }
            pos = 0
            count = 0
            let got = readSome(into: chunk, chunkSize)
            if got > 0 {
                count = got
            } else {
                return p.finish()
            }
        }
    }

    /// Bytes currently reserved for the record buffer (tests check that memory stays bounded).
    var recordBufferCapacity: Int { parser.outCapacity }

    /// One `read` (retrying on EINTR); 0 at end of file or after an error (kept in `readError`).
    private func readSome(into buffer: UnsafeMutablePointer<UInt8>, _ want: Int) -> Int {
        if atEnd { return 0 }
        while true {
            let got = read(fd, buffer, want)
            if got > 0 {
                totalRead += got
                observer?.read(UnsafeBufferPointer(start: buffer, count: got))
                return got
            }
            if got < 0 && errno == EINTR { continue }
            if got < 0 {
                readError = .readFailed(path: path, reason: String(cString: strerror(errno)))
            }
            atEnd = true
            _ = close(fd)
            fd = -1
            return 0
        }
    }
}
