import Testing
@testable import CSPCSV

@Suite struct CSPCSVPlaceholder { @Test func builds() { #expect(Bool(true)) } }
