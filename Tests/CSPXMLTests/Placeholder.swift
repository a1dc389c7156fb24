import Testing
@testable import CSPXML

@Suite struct CSPXMLPlaceholder { @Test func builds() { #expect(Bool(true)) } }
