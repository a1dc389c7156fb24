import CSPCommands

CSPCommand.main()
