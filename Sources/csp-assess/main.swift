import CSPCommands

AssessCommand.main()
