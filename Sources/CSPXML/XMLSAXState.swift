import CLibXML2

/// A problem found while parsing, before the file's path is attached.
enum XMLParseFailure: Error, Equatable {
    case malformed(line: Int, column: Int, message: String)
    case doctype(line: Int)
    case entity(line: Int, name: String)
    case tooDeep(line: Int, limit: Int)
    case valueTooLong(line: Int, field: String, limit: Int)
    case io(reason: String)

    /// The public error for the file at `path`.
    func error(path: String) -> XMLReadError {
        switch self {
        case .malformed(let line, let column, let message):
            .malformed(path: path, line: line, column: column, message: message)
        case .doctype(let line): .doctypeForbidden(path: path, line: line)
        case .entity(let line, let name): .entityForbidden(path: path, line: line, name: name)
        case .tooDeep(let line, let limit): .tooDeep(path: path, line: line, limit: limit)
        case .valueTooLong(let line, let field, let limit):
            .valueTooLong(path: path, line: line, field: field, limit: limit)
        case .io(let reason): .cannotOpen(path: path, reason: reason)
        }
    }
}

/// Everything the SAX callbacks read and write while libxml2 parses one file.
///
/// It lives behind an `UnsafeMutablePointer` owned by ``XMLPushParser`` (the callbacks receive
/// that pointer as libxml2's user data), so the hot path works on a plain struct: no class
/// property exclusivity checks, no reference counting of the state itself.
struct XMLSAXState {
    /// What the parse is for.
    enum Mode {
        /// Collect records of the record element.
        case records
        /// Count the names of the root element's children.
        case guessRecordElement
    }

    /// One open element inside the current record.
    struct Frame {
        var node: Int
        var textStart: Int
        var hasChildElement: Bool
    }

    /// A name seen at depth 2, for ``Mode/guessRecordElement``.
    struct NameKey: Hashable {
        var local: UnsafePointer<xmlChar>
        var prefix: UnsafePointer<xmlChar>?
    }

    let mode: Mode
    let maxDepth: Int
    let maxValueBytes: Int
    let maxRecordBytes: Int
    /// The record element's local name and, when it was given qualified, its prefix.
    let recordLocal: [UInt8]
    let recordPrefix: [UInt8]?

    /// The parser context, set once it exists; used for positions and to halt parsing.
    var context: xmlParserCtxtPtr?
    /// The first problem found; once set, the callbacks ignore everything.
    var failure: XMLParseFailure?
    /// libxml2's code for the error behind ``failure``, when it came from libxml2.
    var errorCode: xmlParserErrors?
    /// Whether any element has started.
    var sawElement = false

    /// Whether the parse failed only because the file holds no root element.
    var failedForLackOfRootElement: Bool {
        errorCode == XML_ERR_DOCUMENT_END && !sawElement
    }

    var depth = 0
    /// Depth of the open record element, or 0 outside any record.
    var recordDepth = 0
    var recordLine = 0
    var recordCount = 0
    /// Approximate memory held by the open record: its fields, new paths and open text.
    var recordBytes = 0
    var frames: [Frame] = []
    /// Text of the open elements, innermost last: each frame owns `text[frame.textStart...]`
    /// until its children open, and gets it back when they close.
    var text: [UInt8] = []
    var fields: [XMLField] = []
    var paths = XMLPathTable()

    /// Finished records not yet handed out, from `queueHead` on.
    var queue: [XMLRecord] = []
    var queueHead = 0

    /// Record-element matching results for names seen outside records.
    private var matchCache: [NameKey: Bool] = [:]

    /// Counts and first-seen order of the root's children, for ``Mode/guessRecordElement``.
    var rootChildCounts: [NameKey: (count: Int, lastSeen: Int)] = [:]
    var rootChildrenSeen = 0

    init(mode: Mode, recordElement: String, options: XMLReadOptions) {
        self.mode = mode
        maxDepth = options.maxDepth
        maxValueBytes = options.maxValueBytes
        maxRecordBytes = options.maxRecordBytes
        let parts = recordElement.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        if parts.count == 2 {
            recordPrefix = Array(parts[0].utf8)
            recordLocal = Array(parts[1].utf8)
        } else {
            recordPrefix = nil
            recordLocal = Array(recordElement.utf8)
        }
    }

    // MARK: - Events

    mutating func startElement(
        local: UnsafePointer<xmlChar>, prefix: UnsafePointer<xmlChar>?,
        attributeCount: Int, attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?
    ) {
        if failure != nil { return }
        sawElement = true
        depth += 1
        if depth > maxDepth {
            fail(.tooDeep(line: startTagLine(), limit: maxDepth))
            return
        }
        if recordDepth == 0 {
            switch mode {
            case .guessRecordElement:
                if depth == 2 { countRootChild(NameKey(local: local, prefix: prefix)) }
                return
            case .records:
                guard isRecordElement(NameKey(local: local, prefix: prefix)) else { return }
                recordDepth = depth
                recordCount += 1
                recordLine = startTagLine()
                recordBytes = 0
                if paths.count > 100_000 || paths.pathBytes > 8 << 20 { paths.reset() }
                text.removeAll(keepingCapacity: true)
                frames.append(Frame(node: 0, textStart: 0, hasChildElement: false))
                addAttributes(of: 0, count: attributeCount, attributes: attributes)
                return
            }
        }
        let parent = frames.count - 1
        frames[parent].hasChildElement = true
        let (node, isNew) = paths.child(of: frames[parent].node, local: local, prefix: prefix, isAttribute: false)
        if isNew {
            recordBytes += Self.nodeCost
            if !withinRecordBudget(adding: 0) { return }
        }
        frames.append(Frame(node: node, textStart: text.count, hasChildElement: false))
        if attributeCount > 0 {
            addAttributes(of: node, count: attributeCount, attributes: attributes)
        }
    }

    mutating func endElement() {
        if failure != nil { return }
        defer { depth -= 1 }
        guard recordDepth != 0, let frame = frames.popLast() else { return }
        let value = trimmedString(from: frame.textStart)
        text.removeSubrange(frame.textStart...)
        if depth == recordDepth {
            if !value.isEmpty { emit(path: ".", value: value) }
            if failure != nil { return }
            queue.append(XMLRecord(index: recordCount, line: recordLine, fields: fields))
            let kept = fields.count
            fields = []
            fields.reserveCapacity(kept)
            recordDepth = 0
        } else if !frame.hasChildElement || !value.isEmpty {
            emit(node: frame.node, value: value)
        }
    }

    mutating func characters(_ bytes: UnsafePointer<xmlChar>, count: Int) {
        guard recordDepth != 0, failure == nil, let frame = frames.last else { return }
        if text.count - frame.textStart + count > maxValueBytes {
            let field = frame.node == 0 ? "." : paths.path(of: frame.node)
            fail(.valueTooLong(line: currentLine(), field: field, limit: maxValueBytes))
            return
        }
        guard withinRecordBudget(adding: text.count + count) else { return }
        text.append(contentsOf: UnsafeBufferPointer(start: bytes, count: count))
    }

    mutating func documentType() {
        if failure != nil { return }
        fail(.doctype(line: startTagLine(opening: Array("<!DOCTYPE".utf8))))
    }

    mutating func entityReference(_ name: UnsafePointer<xmlChar>?) {
        if failure != nil { return }
        fail(.entity(line: currentLine(), name: name.map { String(cString: $0) } ?? ""))
    }

    mutating func parserError(_ error: xmlError) {
        if failure != nil || error.level.rawValue < XML_ERR_ERROR.rawValue { return }
        let line = Int(error.line)
        let code = xmlParserErrors(rawValue: UInt32(bitPattern: error.code))
        errorCode = code
        if code == XML_ERR_UNDECLARED_ENTITY || code == XML_WAR_UNDECLARED_ENTITY {
            fail(.entity(line: line, name: error.str1.map { String(cString: $0) } ?? ""))
            return
        }
        if code == XML_ERR_DOCUMENT_END, !sawElement {
            // libxml2's push parser words an empty file as "Extra content at the end".
            fail(.malformed(line: line, column: Int(error.int2), message: "the file holds no root element"))
            return
        }
        fail(.malformed(line: line, column: Int(error.int2), message: Self.cleanMessage(error.message)))
    }

    // MARK: - Helpers

    /// Rough bytes held per path node and per field beyond their text.
    private static let nodeCost = 64
    private static let fieldCost = 32

    /// Appends a field for path node `node`, counting it against the record budget.
    private mutating func emit(node: Int, value: String) {
        let before = paths.pathBytes
        let path = paths.path(of: node)
        recordBytes += paths.pathBytes - before
        emit(path: path, value: value)
    }

    private mutating func emit(path: String, value: String) {
        recordBytes += Self.fieldCost + value.utf8.count
        guard withinRecordBudget(adding: 0) else { return }
        fields.append(XMLField(path: path, value: value))
    }

    /// Whether the open record, with `pending` more bytes, stays within ``maxRecordBytes``;
    /// records the failure when it does not.
    private mutating func withinRecordBudget(adding pending: Int) -> Bool {
        if recordBytes + pending <= maxRecordBytes { return true }
        fail(.valueTooLong(line: recordLine, field: "", limit: maxRecordBytes))
        return false
    }

    /// Records the first failure and halts libxml2 without freeing its buffers (it may still be
    /// inside the function that called us): no more callbacks, the parse loop stops at once.
    mutating func fail(_ failure: XMLParseFailure) {
        guard self.failure == nil else { return }
        self.failure = failure
        if let context {
            context.pointee.disableSAX = 1
            context.pointee.instate = XML_PARSER_EOF
        }
    }

    /// The parser's current line.
    func currentLine() -> Int {
        guard let input = context?.pointee.input else { return 0 }
        return Int(input.pointee.line)
    }

    /// The line where the tag being parsed begins: libxml2's line is where the tag ends, so
    /// step back to the tag's `<` (attribute values cannot hold a raw `<`) counting newlines.
    func startTagLine(opening: [UInt8] = []) -> Int {
        guard let input = context?.pointee.input, let base = input.pointee.base,
              var cursor = input.pointee.cur else { return currentLine() }
        var line = Int(input.pointee.line)
        while cursor > base {
            cursor -= 1
            let byte = cursor.pointee
            if byte == UInt8(ascii: "\n") {
                line -= 1
            } else if byte == UInt8(ascii: "<"), opening.isEmpty || Self.starts(cursor, with: opening, end: input.pointee.end) {
                return line
            }
        }
        return Int(input.pointee.line)
    }

    private static func starts(_ cursor: UnsafePointer<xmlChar>, with prefix: [UInt8], end: UnsafePointer<xmlChar>?) -> Bool {
        guard let end, end - cursor >= prefix.count else { return false }
        for (offset, byte) in prefix.enumerated() where cursor[offset] != byte { return false }
        return true
    }

    private mutating func addAttributes(of node: Int, count: Int, attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?) {
        guard let attributes else { return }
        for index in 0..<count {
            let entry = attributes + 5 * index
            guard let local = entry[0], let begin = entry[3], let end = entry[4] else { continue }
            let (attribute, isNew) = paths.child(of: node, local: local, prefix: entry[1], isAttribute: true)
            if isNew { recordBytes += Self.nodeCost }
            let length = end - begin
            if length > maxValueBytes {
                fail(.valueTooLong(line: startTagLine(), field: paths.path(of: attribute), limit: maxValueBytes))
                return
            }
            emit(node: attribute, value: Self.attributeValue(begin, count: length))
            if failure != nil { return }
        }
    }

    private mutating func isRecordElement(_ key: NameKey) -> Bool {
        if let known = matchCache[key] { return known }
        let matches = Self.equal(key.local, recordLocal)
            && (recordPrefix.map { wanted in key.prefix.map { Self.equal($0, wanted) } ?? false } ?? true)
        if matchCache.count < 1024 { matchCache[key] = matches }
        return matches
    }

    private mutating func countRootChild(_ key: NameKey) {
        rootChildrenSeen += 1
        let previous = rootChildCounts[key]?.count ?? 0
        rootChildCounts[key] = (previous + 1, rootChildrenSeen)
    }

    /// The most frequent root child name; ties go to the name seen last, since headers and
    /// metadata usually come before the repeated content.
    func guessedRecordElement() -> String? {
        let best = rootChildCounts.max { lhs, rhs in
            (lhs.value.count, lhs.value.lastSeen) < (rhs.value.count, rhs.value.lastSeen)
        }
        return best.map { XMLPathTable.qualifiedName(local: $0.key.local, prefix: $0.key.prefix) }
    }

    private static func equal(_ string: UnsafePointer<xmlChar>, _ bytes: [UInt8]) -> Bool {
        for (offset, byte) in bytes.enumerated() where string[offset] != byte { return false }
        return string[bytes.count] == 0
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D
    }

    /// The text from `start` to the end of the buffer, trimmed of XML whitespace.
    private func trimmedString(from start: Int) -> String {
        text.withUnsafeBufferPointer { buffer in
            var lower = start
            var upper = buffer.count
            while lower < upper, Self.isSpace(buffer[lower]) { lower += 1 }
            while upper > lower, Self.isSpace(buffer[upper - 1]) { upper -= 1 }
            if lower == upper { return "" }
            return String(decoding: UnsafeBufferPointer(rebasing: buffer[lower..<upper]), as: UTF8.self)
        }
    }

    /// An attribute value, trimmed. Without entity substitution libxml2 hands over every `&`
    /// in an attribute value as the five bytes `&#38;` (for a later decoding step that SAX
    /// users must do themselves); a raw `&` cannot occur there, so each `&#38;` is one `&`.
    private static func attributeValue(_ begin: UnsafePointer<xmlChar>, count: Int) -> String {
        var lower = 0
        var upper = count
        while lower < upper, isSpace(begin[lower]) { lower += 1 }
        while upper > lower, isSpace(begin[upper - 1]) { upper -= 1 }
        if lower == upper { return "" }
        let bytes = UnsafeBufferPointer(start: begin + lower, count: upper - lower)
        guard bytes.contains(UInt8(ascii: "&")) else { return String(decoding: bytes, as: UTF8.self) }
        var decoded: [UInt8] = []
        decoded.reserveCapacity(bytes.count)
        var index = 0
        let escaped = Array("&#38;".utf8)
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "&"), bytes.count - index >= escaped.count,
               Array(bytes[index..<index + escaped.count]) == escaped {
                decoded.append(UInt8(ascii: "&"))
                index += escaped.count
            } else {
                decoded.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: decoded, as: UTF8.self)
    }

    /// libxml2's message on one line, without its trailing newline, at most 300 characters.
    private static func cleanMessage(_ message: UnsafeMutablePointer<CChar>?) -> String {
        guard let message else { return "libxml2 gave no message" }
        var text = String(cString: message)
        text = String(text.map { $0 == "\n" || $0 == "\r" ? " " : $0 })
        while text.last == " " { text.removeLast() }
        if text.count > 300 { text = String(text.prefix(300)) + "…" }
        return text.isEmpty ? "libxml2 gave no message" : text
    }
}
