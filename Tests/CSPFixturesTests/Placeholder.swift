import Testing
@testable import CSPFixtures

@Suite struct CSPFixturesPlaceholder { @Test func builds() { #expect(Bool(true)) } }
