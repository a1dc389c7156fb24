/// How a CSV input ended, known once the reader has handed out its last record: whether it was read to its end,
/// how many bytes were read, and whether its last line has the line break the file's other lines have. A file cut
/// short mid-line (a failed download, a full disk) ends without one; its last record is handed out with
/// `CSVRawRecord.terminated == false`.
public struct CSVEndState: Sendable, Equatable {
    /// Raw bytes read from the file, the header, a byte-order mark and line breaks included.
    public var bytesRead = 0
    /// The reader reached the end of the file (false when the records were not all read, or a read failed).
    public var reachedEnd = false
    /// Some line ended with CRLF (data.police.uk's files, Windows exports).
    public var usesCRLF = false
    /// The file ends with a CR after its last record although its lines end with CRLF: cut between the two bytes.
    public var endsInsideCRLF = false

    /// Creates an end state (all false: nothing read yet).
    public init(bytesRead: Int = 0, reachedEnd: Bool = false, usesCRLF: Bool = false, endsInsideCRLF: Bool = false) {
        self.bytesRead = bytesRead; self.reachedEnd = reachedEnd; self.usesCRLF = usesCRLF; self.endsInsideCRLF = endsInsideCRLF
    }

    /// The file's line break in words, for messages.
    public var lineBreakName: String { usesCRLF ? "CRLF" : "LF" }
}
