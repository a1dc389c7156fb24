/// Streams the records of an XML file: every element named `recordElement`, flattened to
/// path and value pairs, in document order, in bounded memory.
///
/// Hardened against hostile files: a DOCTYPE is refused, no entity other than the predefined
/// five is ever expanded, nothing is fetched from the network or the file system, and nesting
/// depth and value length are capped (see ``XMLReadOptions``).
///
/// A matching element inside a record is part of that record, not a new one. Matching
/// elements outside records may sit at any depth (`/root/batch/Incident`).
public final class XMLRecordReader {
    /// The file being read.
    public let path: String
    /// How many records ``next()`` has returned so far.
    public private(set) var recordsRead: Int = 0

    private let parser: XMLPushParser
    private var finished = false

    /// Opens `path` to read the elements whose qualified name (`"nibrs:Report"`) or local
    /// name (`"Report"`) is `recordElement`. Throws ``XMLReadError/cannotOpen(path:reason:)``.
    public init(path: String, recordElement: String, options: XMLReadOptions = .init()) throws {
        self.path = path
        do {
            parser = try XMLPushParser(
                path: path,
                state: XMLSAXState(mode: .records, recordElement: recordElement, options: options))
        } catch {
            throw error.error(path: path)
        }
    }

    /// The next record, or nil at the end of the document. After it throws, the reader is
    /// finished and returns nil. Records before a problem are returned before the error.
    public func next() throws -> XMLRecord? {
        if finished { return nil }
        let state = parser.state
        while true {
            if let record = state.pointee.popRecord() {
                recordsRead += 1
                return record
            }
            if let failure = state.pointee.failure {
                finished = true
                throw failure.error(path: path)
            }
            if !parser.step(), state.pointee.failure == nil, state.pointee.queue.isEmpty {
                finished = true
                return nil
            }
        }
    }

    /// The most frequent element name among the root element's children, qualified as written
    /// (`"nibrs:Report"`), for `csp inspect` without `--record`; ties go to the name seen last.
    /// Nil for a document whose root has no children, or with no root at all. Streams the file.
    public static func guessRecordElement(path: String, options: XMLReadOptions = .init()) throws -> String? {
        let parser: XMLPushParser
        do {
            parser = try XMLPushParser(
                path: path,
                state: XMLSAXState(mode: .guessRecordElement, recordElement: "", options: options))
        } catch {
            throw error.error(path: path)
        }
        while parser.step() {}
        if let failure = parser.state.pointee.failure {
            if parser.state.pointee.failedForLackOfRootElement { return nil }
            throw failure.error(path: path)
        }
        return parser.state.pointee.guessedRecordElement()
    }
}
