import CSPCommands

StageExecutableCommand<NormaliseExecutable>.main()
