import CSPCommands

IngestCommand.main()
