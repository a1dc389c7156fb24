import CLibXML2

/// Turning libxml2's bytes into the strings a record keeps.
extension XMLSAXState {
    /// Whether `byte` is XML whitespace (space, tab, line feed, carriage return).
    static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D
    }

    /// The text from `start` to the end of the buffer, trimmed of XML whitespace.
    func trimmedString(from start: Int) -> String {
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
    static func attributeValue(_ begin: UnsafePointer<xmlChar>, count: Int) -> String {
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
    static func cleanMessage(_ message: UnsafeMutablePointer<CChar>?) -> String {
        guard let message else { return "libxml2 gave no message" }
        var text = String(cString: message)
        text = String(text.map { $0 == "\n" || $0 == "\r" ? " " : $0 })
        while text.last == " " { text.removeLast() }
        if text.count > 300 { text = String(text.prefix(300)) + "…" }
        return text.isEmpty ? "libxml2 gave no message" : text
    }
}
