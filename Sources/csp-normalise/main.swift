import CSPCommands

NormaliseCommand.main()
