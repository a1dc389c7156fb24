import Testing
@testable import CSPCommands

@Suite struct CSPCommandsPlaceholder { @Test func builds() { #expect(Bool(true)) } }
