import CSPCommands
print("csp")
