import CSPCommands

StageExecutableCommand<IngestExecutable>.main()
