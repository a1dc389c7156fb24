/// The CSPCommands module.
enum CSPCommandsNamespace {}
