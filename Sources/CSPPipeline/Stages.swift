import CSPCore
import CSPIngest
import CSPClean
import CSPGeocode
import CSPNormalise
import CSPAssess
import CSPSchema
import CSPStorage

/// The stages this build provides, in pipeline order.
public enum Stages {
    /// Every built stage.
    public static let all: [any PipelineStage] = [IngestStage(), CleanStage(), GeocodeStage(), NormaliseStage(), AssessStage()]

    /// The implementation of one stage, if built.
    public static func implementation(_ id: StageID) -> (any PipelineStage)? { all.first { $0.id == id } }

    /// The stages from the first through `last`, in order (a run that stops after `last`).
    public static func until(_ last: StageID) -> [any PipelineStage] { all.filter { $0.id <= last } }
}
