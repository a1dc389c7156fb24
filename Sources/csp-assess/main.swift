import CSPCommands

StageExecutableCommand<AssessExecutable>.main()
