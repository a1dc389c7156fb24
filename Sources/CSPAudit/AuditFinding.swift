import CSPSchema
import CSPStorage
/// One thing an audit found wrong.
public struct AuditFinding: Sendable, Codable, Equatable, CustomStringConvertible {
    /// `checksum`, `rows`, `conservation`, `chain`, `input`, `lineage`, `layout`, `collisions`, `geopackage`.
    public var check: String
    /// File or stage concerned.
    public var location: String
    /// What is wrong.
    public var message: String

    /// `[check] location: message`.
    public var description: String { "[\(check)] \(location): \(message)" }
}

/// What `csp audit` reports.
public struct AuditReport: Sendable, Codable, Equatable {
    /// Run audited.
    public var runID: String
    /// Checks made.
    public var checks: Int
    /// Problems.
    public var findings: [AuditFinding]
    /// Rows traced to their raw line.
    public var lineageRowsTraced: Int

    /// Whether the run verified.
    public var passed: Bool { findings.isEmpty }
}
