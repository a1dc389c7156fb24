import CSPSchema
import CSPStorage
/// The markers the assessment's tables print instead of a value.
public enum AssessMarker {
    /// `*`: data not available, or too little data for the method (the assessment's own meaning).
    public static let notAvailable = "*"
    /// `~`: a count withheld by statistical disclosure control (see ``Suppression``). Distinct from `*`
    /// so that a reader can tell "we have no data" from "we have it but may not publish it".
    public static let suppressed = "~"
}
