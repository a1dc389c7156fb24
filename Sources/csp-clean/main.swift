import CSPCommands

CleanCommand.main()
