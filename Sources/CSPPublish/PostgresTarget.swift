import Foundation

/// The server `csp publish --to` names: a libpq URL `postgresql://[user@]host[:port]/database[?param=value...]`
/// (a Unix socket folder as a percent-encoded host, `%2Frun%2Fpostgresql`, as libpq reads it). A password is refused,
/// in the user part and as a `password` parameter alike: a command line is visible to every user of the machine
/// (`ps`) and lands in shell histories and cron logs. Credentials come from the environment (`PGUSER`, `PGPASSWORD`,
/// `PGSERVICE`...) or `~/.pgpass`, which libpq reads itself.
public struct PostgresTarget: Sendable, Equatable, CustomStringConvertible {
    /// The URL as given (it holds no password), passed to psql as its connection string.
    public let url: String
    /// The database named in the path.
    public let database: String

    /// Parses and checks `text`; throws ``PublishError/badTarget(_:)`` naming what is wrong.
    public init(_ text: String) throws {
        guard let scheme = ["postgresql://", "postgres://"].first(where: { text.lowercased().hasPrefix($0) }) else {
            throw PublishError.badTarget("expected postgresql://host:port/database, got \(Self.shown(text))")
        }
        let rest = text.dropFirst(scheme.count)
        let authority = rest.prefix { $0 != "/" && $0 != "?" }
        if let at = authority.lastIndex(of: "@"), authority[..<at].contains(":") {
            throw PublishError.badTarget("the URL holds a password: give it in PGPASSWORD or ~/.pgpass instead, never on the command line (it would be visible in ps, shell history and logs)")
        }
        let afterAuthority = rest.dropFirst(authority.count)
        let path = afterAuthority.hasPrefix("/") ? afterAuthority.dropFirst().prefix { $0 != "?" } : ""
        if let q = text.firstIndex(of: "?") {
            for pair in text[text.index(after: q)...].split(separator: "&") where pair.split(separator: "=").first?.lowercased() == "password" {
                throw PublishError.badTarget("the URL holds a password parameter: give it in PGPASSWORD or ~/.pgpass instead, never on the command line")
            }
        }
        guard !path.isEmpty else { throw PublishError.badTarget("no database in \(text): postgresql://host:port/database") }
        url = text
        database = String(path).removingPercentEncoding ?? String(path)
    }

    /// The URL, as errors and the log name the server.
    public var description: String { url }

    /// The start of a rejected argument (it may hold a secret; at most 40 characters are echoed).
    static func shown(_ text: String) -> String { text.count > 40 ? "`\(text.prefix(40))…`" : "`\(text)`" }
}
