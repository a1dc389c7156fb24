import CLibXML2

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

    /// What this parse collects.
    let mode: Mode
    /// Limits from ``XMLReadOptions``.
    let maxDepth: Int
    /// See ``XMLReadOptions/maxValueBytes``.
    let maxValueBytes: Int
    /// See ``XMLReadOptions/maxRecordBytes``.
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

    /// Depth of the innermost open element; the root element is at depth 1.
    var depth = 0
    /// Depth of the open record element, or 0 outside any record.
    var recordDepth = 0
    /// Line where the open record's start tag begins.
    var recordLine = 0
    /// Records started so far; the open record's index.
    var recordCount = 0
    /// Approximate memory held by the open record: its fields, new paths and open text.
    var recordBytes = 0
    /// The open elements of the open record, record element first.
    var frames: [Frame] = []
    /// Text of the open elements, innermost last: each frame owns `text[frame.textStart...]`
    /// until its children open, and gets it back when they close.
    var text: [UInt8] = []
    /// The open record's fields so far.
    var fields: [XMLField] = []
    /// Field paths, interned.
    var paths = XMLPathTable()

    /// Finished records not yet handed out, from `queueHead` on.
    var queue: [XMLRecord] = []
    var queueHead = 0

    /// Record-element matching results for names seen outside records.
    private var matchCache: [NameKey: Bool] = [:]

    /// Counts and first-seen order of the root's children, for ``Mode/guessRecordElement``.
    var rootChildCounts: [NameKey: (count: Int, lastSeen: Int)] = [:]
    /// How many children of the root have been seen, for ``Mode/guessRecordElement``.
    var rootChildrenSeen = 0

    /// State for a parse in `mode`, matching `recordElement` (qualified or local name).
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

    /// The next finished record, if any, taken off the queue.
    mutating func popRecord() -> XMLRecord? {
        guard queueHead < queue.count else { return nil }
        let record = queue[queueHead]
        queueHead += 1
        if queueHead == queue.count {
            queue.removeAll(keepingCapacity: true)
            queueHead = 0
        }
        return record
    }

    /// A start tag, with libxml2's attribute array (five pointers per attribute: local name,
    /// prefix, namespace URI, value start, value end).
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

    /// An end tag (or the end of an empty-element tag).
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

    /// Character data, CDATA or whitespace inside the innermost open element.
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

    /// A `<!DOCTYPE …>` declaration: always refused.
    mutating func documentType() {
        if failure != nil { return }
        fail(.doctype(line: startTagLine(opening: Array("<!DOCTYPE".utf8))))
    }

    /// A reference to an entity libxml2 did not expand: always refused.
    mutating func entityReference(_ name: UnsafePointer<xmlChar>?) {
        if failure != nil { return }
        fail(.entity(line: currentLine(), name: name.map { String(cString: $0) } ?? ""))
    }

    /// An error or warning reported by libxml2; warnings are ignored.
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
}
