import CSPCore
import Foundation
import Logging

/// Loads a run's published datasets into PostgreSQL with PostGIS, driving `psql` (postgresql-client).
///
/// Why psql and not PostgresNIO: psql's `\copy` streams each CSV from the client with the server's own CSV parser
/// (the same COPY path `Tests/Warehouse/postgres.sh` proves against warehouse.sqlite), libpq reads the credentials
/// exactly as every other PostgreSQL tool does (`PGPASSWORD`, `PGUSER`, `PGSERVICE`, `~/.pgpass`, `sslmode`, Unix
/// socket folders) with nothing of ours in between, and the package gains no network stack (SwiftNIO and its
/// dependencies) for a command that runs once a night. The price is a run-time dependency on psql, which a
/// machine that publishes to PostgreSQL has; its absence is a clear exit 69.
///
/// One transaction per run, committed by csp: the script (``PublishPlan/loadScript(schema:previous:loadedBy:tool:)``)
/// goes to psql's standard input without a COMMIT; only when psql has echoed the script's last marker does csp send
/// `COMMIT`. A load that stops before (an error, csp or psql killed, the connection lost) ends with the connection
/// and the server rolls it back: readers never see half a load, and a failed load leaves the previous one in place.
public struct PostgresPublisher {
    /// What a publish did.
    public enum Outcome: Sendable, Equatable {
        /// The run was loaded: tables, rows, seconds.
        case loaded(tables: Int, rows: Int, seconds: Double)
        /// The schema already holds this run's load (same run, same manifest): nothing was done.
        case alreadyLoaded(loadedAt: String)
    }

    /// The server.
    public let target: PostgresTarget
    /// The schema the tables go into (default `csp`).
    public let schema: String
    /// The psql executable.
    public let psql: String
    /// The log.
    public let logger: Logger

    /// Creates a publisher; finds psql on `PATH`, else in Debian's `/usr/lib/postgresql/<major>/bin`
    /// (``PublishError/noPsql(_:)`` when there is none).
    public init(target: PostgresTarget, schema: String, logger: Logger, path: String? = ProcessInfo.processInfo.environment["PATH"]) throws {
        self.target = target
        self.schema = schema
        self.logger = logger
        let fm = FileManager.default
        let onPath = (path ?? "/usr/bin:/bin").split(separator: ":").map { String($0) + "/psql" }
        let debian = ((try? fm.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []).sorted { $0.compare($1, options: .numeric) == .orderedDescending }
            .map { "/usr/lib/postgresql/\($0)/bin/psql" }
        guard let found = (onPath + debian).first(where: { fm.isExecutableFile(atPath: $0) }) else {
            throw PublishError.noPsql("no psql on PATH nor in /usr/lib/postgresql/*/bin")
        }
        psql = found
    }

    /// Loads `plan` unless the schema's current load is the same run with the same manifest.
    public func publish(_ plan: PublishPlan, loadedBy: String) throws -> Outcome {
        let pre = try preflight()
        logger.info("publish: \(target): PostgreSQL \(pre.version) as \(pre.user); schema \(schema) holds \(pre.tables.count) tables")
        if let c = pre.current, c.run == plan.runID, c.manifest == plan.manifestSHA256 {
            return .alreadyLoaded(loadedAt: c.loadedAt)
        }
        // Tables csp did not load (not the ledger, not the current load's) are someone else's: never touched.
        let ours = Set([PublishPlan.ledgerTable] + (pre.current?.tables ?? []))
        let foreign = pre.tables.filter { !ours.contains($0) }
        if !foreign.isEmpty || (pre.current == nil && !pre.tables.isEmpty) {
            throw PublishError.foreignTables(server: target.url, schema: schema, tables: foreign.isEmpty ? pre.tables : foreign)
        }
        let script = plan.loadScript(schema: schema, previous: pre.current?.tables ?? [], loadedBy: loadedBy, tool: ToolVersion.current)
        let started = Date()
        try load(script, plan: plan)
        return .loaded(tables: plan.datasets.count, rows: plan.rows, seconds: Date().timeIntervalSince(started))
    }

    /// The schema's tables and current load, read before anything is written; connection problems are classified.
    func preflight() throws -> (version: String, user: String, tables: [String], current: (run: String, manifest: String, tables: [String], loadedAt: String)?) {
        let options = ["-X", "-q", "-w", "-A", "-t", "-F", "\t", "-v", "ON_ERROR_STOP=1"]
        let r = try run(arguments: options + PublishPlan.preflightSQL(schema: schema).flatMap { ["-c", $0] })
        guard r.status == 0 else { throw classify(r.stderr, table: nil) }
        var version = "", user = "", tables: [String] = [], ledger = false
        var current: (run: String, manifest: String, tables: [String], loadedAt: String)?
        for line in r.stdout.split(separator: "\n") {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            switch f.first {
            case "server" where f.count > 3:
                version = f[1]; user = f[2]
                guard !f[3].isEmpty else { throw PublishError.noPostGIS(server: target.url, database: target.database) }
            case "tables" where f.count > 2: tables = f[1].split(separator: ",").map(String.init); ledger = f[2] == "t"
            default: break
            }
        }
        if ledger {
            let c = try run(arguments: options + ["-c", PublishPlan.currentLoadSQL(schema: schema)])
            guard c.status == 0 else { throw classify(c.stderr, table: PublishPlan.ledgerTable) }
            for line in c.stdout.split(separator: "\n") {
                let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
                if f.first == "current", f.count > 4 { current = (f[1], f[2], f[3].split(separator: ",").map(String.init), f[4]) }
            }
        }
        return (version, user, tables, current)
    }

    /// Runs the load script through one psql and commits only after its last marker; COPY's counts are checked
    /// against the manifest's on the way (the server checks them again inside the transaction).
    func load(_ script: String, plan: PublishPlan) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: psql)
        process.arguments = ["-X", "-w", "-d", target.url]  // not -q: the "COPY n" lines are read
        process.environment = environment
        let stdin = Pipe(), stdout = Pipe()
        let errFile = FileManager.default.temporaryDirectory.appendingPathComponent("csp-publish-\(getpid())-\(UInt32.random(in: 0 ... .max)).err")
        _ = FileManager.default.createFile(atPath: errFile.path, contents: nil, attributes: [.posixPermissions: 0o600])
        defer { try? FileManager.default.removeItem(at: errFile) }
        let errHandle = try FileHandle(forWritingTo: errFile)
        process.standardInput = stdin; process.standardOutput = stdout; process.standardError = errHandle
        do { try process.run() } catch { throw PublishError.noPsql("\(psql): \(error)") }
        // Written from another thread: psql reads the script while this one reads its output (no pipe fills up).
        // A psql that died makes the write fail (EPIPE, SIGPIPE ignored by the command): its error says why.
        let writer = stdin.fileHandleForWriting
        let wrote = DispatchSemaphore(value: 0)
        DispatchQueue.global().async { try? writer.write(contentsOf: Data(script.utf8)); wrote.signal() }
        var table: String?, ready = false, buffer = Data()
        var copied: [String: Int] = [:]
        let expected = Dictionary(plan.datasets.map { ($0.name, $0.rows) }, uniquingKeysWith: { a, _ in a })
        var stepStart = Date()
        reading: while true {
            let chunk = stdout.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            buffer.append(chunk)
            while let nl = buffer.firstIndex(of: 0x0A) {
                let line = String(decoding: buffer[buffer.startIndex..<nl], as: UTF8.self)
                buffer.removeSubrange(buffer.startIndex...nl)
                if line.hasPrefix("csp-table ") {
                    table = String(line.dropFirst("csp-table ".count)); stepStart = Date()
                } else if line.hasPrefix("COPY "), let t = table, let n = Int(line.dropFirst(5)) {
                    copied[t] = n
                    logger.info("publish: \(t): COPY \(n) rows in \(String(format: "%.2f", Date().timeIntervalSince(stepStart))) s")
                } else if line == "csp-keys" {
                    table = nil; stepStart = Date()
                } else if line == "csp-swap" {
                    logger.info("publish: keys, indexes and ANALYZE in \(String(format: "%.2f", Date().timeIntervalSince(stepStart))) s")
                } else if line == "csp-ready" {
                    ready = true
                    break reading
                }
            }
        }
        // Every table's COPY count equals the manifest's rows, or no COMMIT: closing psql's input rolls back.
        let wrong = expected.filter { copied[$0.key] != $0.value }
        wrote.wait()
        if ready && wrong.isEmpty {
            try? writer.write(contentsOf: Data("COMMIT;\n".utf8))
        }
        try? writer.close()
        _ = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try? errHandle.close()
        let stderr = (try? String(contentsOf: errFile, encoding: .utf8)) ?? ""
        guard ready, process.terminationStatus == 0 else { throw classify(stderr, table: table) }
        if let (name, rows) = wrong.sorted(by: { $0.key < $1.key }).first {
            throw PublishError.loadFailed(server: target.url, table: name, reason: "COPY read \(copied[name].map(String.init) ?? "no") rows where the manifest says \(rows)", cannotWrite: false)
        }
    }

    /// psql's environment: the caller's (libpq reads PGUSER, PGPASSWORD, PGPASSFILE... itself), with a connection
    /// timeout of 10 s unless PGCONNECT_TIMEOUT says otherwise, so an unreachable server is an error, not a hang.
    var environment: [String: String] {
        var env = ProcessInfo.processInfo.environment
        if env["PGCONNECT_TIMEOUT"] == nil { env["PGCONNECT_TIMEOUT"] = "10" }
        env["PGAPPNAME"] = "csp publish"
        return env
    }

    /// Runs psql with `arguments` on the target; its exit status, standard output and standard error.
    func run(arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: psql)
        process.arguments = arguments + ["-d", target.url]
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out; process.standardError = err
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch { throw PublishError.noPsql("\(psql): \(error)") }
        // Both pipes read to their end before waiting: the outputs here are a few lines.
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }

    /// psql's error as a ``PublishError``: connection failures 69, refused credentials or privileges 77, a full disk
    /// 73, anything else a failed load (65); the server's own words kept, psql's script line numbers dropped.
    func classify(_ stderr: String, table: String?) -> PublishError {
        let lines = stderr.split(separator: "\n").map { line -> String in
            var s = String(line)
            if s.hasPrefix("psql:"), let r = s.range(of: ": ", options: [], range: s.index(s.startIndex, offsetBy: 5)..<s.endIndex) { s = String(s[r.upperBound...]) }
            return s.replacingOccurrences(of: "psql: ", with: "")
        }.filter { !$0.isEmpty && !$0.hasPrefix("CONTEXT") && !$0.hasPrefix("LINE ") && !$0.hasPrefix("HINT") && !$0.hasPrefix(" ") && !$0.hasPrefix("\t") }
        let reason = lines.prefix(2).joined(separator: "; ")
        let text = stderr.lowercased()
        let server = target.url
        if ["password authentication failed", "no password supplied", "fe_sendauth", "authentication failed", "peer authentication",
            "permission denied", "must be owner", "pg_hba.conf rejects"].contains(where: text.contains)
            || (text.contains("role \"") && text.contains("does not exist")) {
            return .refused(server: server, reason: reason.isEmpty ? "authentication failed" : reason)
        }
        if ["could not connect", "connection refused", "could not translate host name", "timeout expired", "no route to host",
            "server closed the connection", "connection to server", "network is unreachable"].contains(where: text.contains)
            || (text.contains("database \"") && text.contains("does not exist")) {
            return .unreachable(server: server, reason: reason.isEmpty ? "no connection" : reason)
        }
        let full = ["no space left on device", "could not extend file", "disk full", "read-only"].contains(where: text.contains)
        return .loadFailed(server: server, table: table, reason: reason.isEmpty ? "psql stopped without a message" : reason, cannotWrite: full)
    }
}
