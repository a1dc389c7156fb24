/// The csp version recorded in manifests and the ledger.
public enum ToolVersion {
    /// Semantic version of this build.
    public static let current = "0.1.0"
}
