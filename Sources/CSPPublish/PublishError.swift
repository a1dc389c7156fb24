import CSPCore

/// Why `csp publish` stopped; each case names the server (its URL, never a password: none is accepted) and, where
/// one is concerned, the table or file.
public enum PublishError: Error, Sendable, CustomStringConvertible, ExitCodeProviding {
    /// `--to` is not a `postgresql://` URL, or it carries a password (64).
    case badTarget(String)
    /// `psql` (postgresql-client) is not installed (69).
    case noPsql(String)
    /// The server cannot be reached, or the database does not exist (69).
    case unreachable(server: String, reason: String)
    /// The database has no PostGIS extension, which the geometry columns need (69).
    case noPostGIS(server: String, database: String)
    /// The server refused the credentials, or the role may not do what the load needs (77).
    case refused(server: String, reason: String)
    /// The schema holds tables csp did not load (73): loading would replace or mix with someone else's data.
    case foreignTables(server: String, schema: String, tables: [String])
    /// The run has no completed stage 4 to publish (66).
    case noStage(file: String)
    /// A published file does not match the run's manifest, or its dictionary cannot be read (65).
    case runMismatch(file: String, reason: String)
    /// The load failed on the server; the transaction was rolled back and the previous load is intact (65, or 73 when
    /// the server could not write).
    case loadFailed(server: String, table: String?, reason: String, cannotWrite: Bool)

    /// The sysexits code (README, "Exit codes").
    public var exitCode: ExitCode {
        switch self {
        case .badTarget: return .usage
        case .noPsql, .unreachable, .noPostGIS: return .unavailable
        case .refused: return .noPermission
        case .foreignTables: return .cannotCreate
        case .noStage: return .noInput
        case .runMismatch: return .dataError
        case let .loadFailed(_, _, _, cannotWrite): return cannotWrite ? .cannotCreate : .dataError
        }
    }

    /// A sentence an analyst can act on.
    public var description: String {
        switch self {
        case let .badTarget(why): return "--to: \(why)"
        case let .noPsql(why): return "psql is needed to load PostgreSQL (apt-get install postgresql-client): \(why)"
        case let .unreachable(server, reason): return "cannot reach the PostgreSQL server \(server): \(reason)"
        case let .noPostGIS(server, database):
            return "database \(database) on \(server) has no PostGIS: its owner or a superuser runs CREATE EXTENSION postgis once (Debian: postgresql-<major>-postgis-3); nothing loaded"
        case let .refused(server, reason):
            return "the PostgreSQL server \(server) refused the load: \(reason) (credentials come from PGUSER/PGPASSWORD or ~/.pgpass, never the command line)"
        case let .foreignTables(server, schema, tables):
            return "schema \(schema) on \(server) already holds tables csp did not load: \(tables.joined(separator: ", ")); nothing loaded (choose another --schema, or drop them)"
        case let .noStage(file): return "\(file): the run has no completed stage 4 (normalise) to publish; nothing loaded"
        case let .runMismatch(file, reason): return "\(file): \(reason); nothing loaded"
        case let .loadFailed(server, table, reason, _):
            return "loading into \(server) failed\(table.map { " at table \($0)" } ?? ""): \(reason); rolled back, the previous load is intact"
        }
    }
}
