import CSPCore

/// The stages this build provides, in pipeline order.
public enum Stages {
    /// Every built stage.
    public static let all: [any PipelineStage] = [IngestStage(), CleanStage(), GeocodeStage(), NormaliseStage(), AssessStage()]

    /// The implementation of one stage, if built.
    public static func implementation(_ id: StageID) -> (any PipelineStage)? { all.first { $0.id == id } }
}
