/// The CSPCSV module.
enum CSPCSVNamespace {}
