import Testing
@testable import CSPAssess

/// `tables/csp-crime-rates.csv` (National/PartnershipRates): rates per 1,000, and `*` where a month cannot answer.
@Suite struct PartnershipRatesTests {
    @Test func ratesArePer1000ResidentsAndStarWhenTheForcesFileIsMissing() {
        let t = PartnershipRates(table: [
            .init(csp: "E1", cspName: "One", pfa: "P1", pfaName: "Force", month: "2024-01", crimeType: "Burglary", count: 57, residents: 193_399, forceFile: "present"),
            .init(csp: "E2", cspName: "Two, The", pfa: "P2", pfaName: "Absent", month: "2024-01", crimeType: "Burglary", count: 4, residents: 295_938, forceFile: "missing"),
            .init(csp: "E3", cspName: "Three", pfa: "P1", pfaName: "Force", month: "2024-01", crimeType: "Drugs", count: 3, residents: nil, forceFile: "present"),
        ])
        let rows = t.rows()
        #expect(rows[0] == PartnershipRates.header)
        #expect(rows[1] == ["E1", "One", "P1", "Force", "2024-01", "Burglary", "57", "193399", "0.29", "present"])
        #expect(rows[2] == ["E2", "Two, The", "P2", "Absent", "2024-01", "Burglary", "4", "295938", "*", "missing"])
        #expect(rows[3] == ["E3", "Three", "P1", "Force", "2024-01", "Drugs", "3", "*", "*", "present"])
        #expect(t.partnerships == ["E1", "E2", "E3"])
        #expect(t.covered == ["E1", "E3"])
    }
}
