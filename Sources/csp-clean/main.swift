import CSPCommands

StageExecutableCommand<CleanExecutable>.main()
