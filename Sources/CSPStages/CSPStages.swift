/// The CSPStages module.
enum CSPStagesNamespace {}
