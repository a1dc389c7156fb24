import CSPStorage
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Standard error, shared by the log lines and the progress line so that they do not garble each other: a log line
/// first clears a progress line drawn in place (the next progress output draws it again). One lock for both.
public final class StderrConsole: @unchecked Sendable {
    private let lock = NSLock()
    private var lineShown = false
    private let sink: (String) -> Void

    /// Writes to file descriptor 2, or to `sink` (tests).
    public init(sink: ((String) -> Void)? = nil) {
        self.sink = sink ?? Self.writeStandardError
    }

    /// Writes whole lines (a log line, a JSON progress line), after clearing a progress line drawn in place.
    public func write(_ text: String) {
        lock.lock()
        defer { lock.unlock() }
        if lineShown { sink("\r\u{1B}[K"); lineShown = false }
        sink(text)
    }

    /// Draws `line` in place of the previous progress line (`\r`, the line, clear to the end of the line).
    public func draw(_ line: String) {
        lock.lock()
        defer { lock.unlock() }
        sink("\r" + line + "\u{1B}[K")
        lineShown = true
    }

    /// Clears the progress line, if one is shown.
    public func clearLine() {
        lock.lock()
        defer { lock.unlock() }
        if lineShown { sink("\r\u{1B}[K"); lineShown = false }
    }

    private static func writeStandardError(_ text: String) {
        // Standard error gone: nothing useful to do about it.
        try? FileWrite.all(Data(text.utf8), to: 2, path: "<standard error>")
    }
}
