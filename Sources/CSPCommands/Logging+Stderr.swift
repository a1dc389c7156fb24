import ArgumentParser
import CSPCore
import Foundation
import Logging

/// Log formats on standard error.
public enum LogFormat: String, ExpressibleByArgument, Sendable {
    /// `2009-10-01T02:00:00.000Z info stage ingest: ...`
    case text
    /// One JSON object per line, for cron and log collectors.
    case json
}

/// A log handler that writes each message as one line to standard error, as text or JSON.
struct StderrLogHandler: LogHandler {
    let label: String
    let format: LogFormat
    /// Standard error, shared with the progress line (a log line clears it first).
    let console: StderrConsole
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        write(level: event.level, message: event.message, metadata: event.metadata)
    }

    private func write(level: Logger.Level, message: Logger.Message, metadata extra: Logger.Metadata?) {
        var all = metadata
        if let extra { all.merge(extra) { _, b in b } }
        let text: String
        switch format {
        case .text:
            let meta = all.isEmpty ? "" : " " + all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            text = "\(Timestamp.iso()) \(level) \(message)\(meta)\n"
        case .json:
            var obj: [String: String] = ["time": Timestamp.iso(), "level": "\(level)", "message": "\(message)", "logger": label]
            for (k, v) in all { obj[k] = "\(v)" }
            let data = (try? JSON.line(obj)) ?? Data()
            text = String(decoding: data, as: UTF8.self) + "\n"
        }
        console.write(text)
    }
}

extension CommonOptions {
    /// A logger for this command; no global bootstrap, so commands can run many times in one process (tests).
    /// `console` is standard error, shared with the run's progress line.
    func makeLogger(console: StderrConsole = StderrConsole()) -> Logger {
        let format = logFormat
        let level: Logger.Level = quiet ? .warning : .info
        return Logger(label: "csp") { label in StderrLogHandler(label: label, format: format, console: console, logLevel: level) }
    }
}
