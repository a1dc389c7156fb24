import CLibXML2
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Owns one libxml2 push-parser context, the file it reads and the state its SAX callbacks
/// fill; everything is freed in `deinit`.
///
/// libxml2's SAX2 push parser is used rather than `xmlTextReader`: it builds no tree, and it
/// exposes the parser position at each start tag, which gives exact record lines
/// (`xmlTextReader` reports element lines through `xmlNode.line`, capped at 65,535).
final class XMLPushParser {
    private static let chunkSize = 64 * 1024

    let state: UnsafeMutablePointer<XMLSAXState>
    private let context: xmlParserCtxtPtr
    private let descriptor: Int32
    private let buffer: UnsafeMutablePointer<CChar>
    /// Bytes read before the context existed, waiting to be parsed.
    private var pending: Range<Int>
    private var reachedEnd = false

    /// Opens `path` and prepares a parser; throws `XMLParseFailure.io` when the file cannot be read.
    init(path: String, state initial: XMLSAXState) throws(XMLParseFailure) {
        LibXML2Environment.prepareThread()
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .io(reason: Self.systemError(errno)) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            let reason = Self.systemError(errno)
            close(descriptor)
            throw .io(reason: reason)
        }
        guard (info.st_mode & S_IFMT) != S_IFDIR else {
            close(descriptor)
            throw .io(reason: "it is a directory")
        }
        let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: Self.chunkSize)
        let count: Int
        do {
            count = try Self.readChunk(descriptor, into: buffer)
        } catch {
            buffer.deallocate()
            close(descriptor)
            throw error
        }
        let state = UnsafeMutablePointer<XMLSAXState>.allocate(capacity: 1)
        state.initialize(to: initial)
        // The first four bytes let libxml2 detect UTF-16 and UCS-4 from their byte order marks.
        let head = min(count, 4)
        var handler = Self.makeHandler()
        guard let context = xmlCreatePushParserCtxt(&handler, state, head > 0 ? buffer : nil, Int32(head), path) else {
            state.deinitialize(count: 1)
            state.deallocate()
            buffer.deallocate()
            close(descriptor)
            throw .io(reason: "libxml2 could not create a parser (out of memory?)")
        }
        // NONET only: never NOENT, DTDLOAD, DTDATTR or HUGE.
        let unsupported = xmlCtxtUseOptions(context, Int32(XML_PARSE_NONET.rawValue))
        guard unsupported == 0 else {
            xmlFreeParserCtxt(context)
            state.deinitialize(count: 1)
            state.deallocate()
            buffer.deallocate()
            close(descriptor)
            throw .io(reason: "libxml2 refused the parser options (\(unsupported))")
        }
        state.pointee.context = context
        self.state = state
        self.context = context
        self.descriptor = descriptor
        self.buffer = buffer
        pending = head..<count
        if count == 0 { pending = 0..<0 }
    }

    deinit {
        xmlFreeParserCtxt(context)
        state.deinitialize(count: 1)
        state.deallocate()
        buffer.deallocate()
        close(descriptor)
    }

    /// Parses the next chunk of the file. Returns false once the whole file has been parsed
    /// or parsing has stopped on a failure (then `state.pointee.failure` says why).
    func step() -> Bool {
        if reachedEnd || state.pointee.failure != nil { return false }
        csp_silenceGenericErrors()
        let chunk: Range<Int>
        if pending.isEmpty {
            do {
                chunk = 0..<(try Self.readChunk(descriptor, into: buffer))
            } catch {
                state.pointee.failure = error
                return false
            }
        } else {
            chunk = pending
            pending = 0..<0
        }
        let terminate: Int32 = chunk.isEmpty ? 1 : 0
        let result = xmlParseChunk(context, chunk.isEmpty ? nil : buffer + chunk.lowerBound, Int32(chunk.count), terminate)
        if state.pointee.failure == nil, result != 0 || (terminate == 1 && context.pointee.wellFormed == 0) {
            // libxml2 stopped without reporting through the error callback: its encoder
            // failed on bytes that are not valid in the declared encoding.
            let input = context.pointee.input
            let line = input.map { Int($0.pointee.line) } ?? 0
            let column = input.map { Int($0.pointee.col) } ?? 0
            let message = result == Int32(XML_ERR_INVALID_ENCODING.rawValue)
                ? "the bytes are not valid in the file's declared encoding"
                : "libxml2 stopped with error code \(result)"
            state.pointee.failure = .malformed(line: line, column: column, message: message)
        }
        if terminate == 1 { reachedEnd = true }
        return !reachedEnd && state.pointee.failure == nil
    }

    private static func readChunk(_ descriptor: Int32, into buffer: UnsafeMutablePointer<CChar>) throws(XMLParseFailure) -> Int {
        while true {
            let count = read(descriptor, buffer, chunkSize)
            if count >= 0 { return count }
            if errno != EINTR { throw .io(reason: systemError(errno)) }
        }
    }

    private static func systemError(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "error \(code)" }
        return String(cString: text)
    }

    /// The SAX2 callbacks; everything not set here is ignored (comments, processing
    /// instructions) or cannot happen because the DOCTYPE that would enable it is refused.
    private static func makeHandler() -> xmlSAXHandler {
        var handler = xmlSAXHandler()
        handler.initialized = UInt32(XML_SAX2_MAGIC)
        handler.startElementNs = { context, local, prefix, _, _, _, attributeCount, _, attributes in
            guard let local else { return }
            saxState(context).pointee.startElement(
                local: local, prefix: prefix, attributeCount: Int(attributeCount), attributes: attributes)
        }
        handler.endElementNs = { context, _, _, _ in
            saxState(context).pointee.endElement()
        }
        handler.characters = { context, bytes, count in
            guard let bytes, count > 0 else { return }
            saxState(context).pointee.characters(bytes, count: Int(count))
        }
        handler.cdataBlock = handler.characters
        handler.ignorableWhitespace = handler.characters
        handler.internalSubset = { context, _, _, _ in
            saxState(context).pointee.documentType()
        }
        handler.externalSubset = { context, _, _, _ in
            saxState(context).pointee.documentType()
        }
        handler.reference = { context, name in
            saxState(context).pointee.entityReference(name)
        }
        handler.getEntity = { _, _ in nil }
        handler.getParameterEntity = { _, _ in nil }
        handler.resolveEntity = { _, _, _ in nil }
        handler.serror = { context, error in
            guard let context, let error else { return }
            saxState(context).pointee.parserError(error.pointee)
        }
        return handler
    }
}

/// The parse state behind libxml2's user-data pointer (a free function: C callbacks cannot
/// capture `Self`).
private func saxState(_ context: UnsafeMutableRawPointer?) -> UnsafeMutablePointer<XMLSAXState> {
    context.unsafelyUnwrapped.assumingMemoryBound(to: XMLSAXState.self)
}
