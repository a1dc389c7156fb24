import Testing
@testable import CSPCore

@Suite struct CSPCorePlaceholder { @Test func builds() { #expect(Bool(true)) } }
