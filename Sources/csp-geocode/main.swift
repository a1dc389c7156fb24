import CSPCommands

GeocodeCommand.main()
