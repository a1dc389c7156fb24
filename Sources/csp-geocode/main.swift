import CSPCommands

StageExecutableCommand<GeocodeExecutable>.main()
