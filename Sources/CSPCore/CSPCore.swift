/// The CSPCore module.
enum CSPCoreNamespace {}
