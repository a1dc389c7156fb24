import Testing
@testable import CSPGeo

@Suite struct CSPGeoPlaceholder { @Test func builds() { #expect(Bool(true)) } }
