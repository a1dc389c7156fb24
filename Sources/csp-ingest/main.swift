import CSPCommands
print("csp-ingest")
