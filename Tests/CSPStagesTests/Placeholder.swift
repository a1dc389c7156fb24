import Testing
@testable import CSPStages

@Suite struct CSPStagesPlaceholder { @Test func builds() { #expect(Bool(true)) } }
