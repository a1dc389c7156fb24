import Foundation
import Testing
@testable import CSPAssess

/// The executive summary: each sentence comes from one row of a published table, and says what the row says.
@Suite struct AssessSummaryTests {
    let matrix: [[String]] = [
        ["group", "theme", "Volume", "Trend", "Total", "Rank"],
        ["A", "Burglary", "2", "2", "10 (*)", "2"],
        ["A", "Robbery", "1", "1", "5", "4"],
        ["B", "Violence", "3", "3", "12", "1"],
        ["B", "Drugs", "2", "3", "9", "3"],
    ]
    let profiles: [[String]] = [
        ["theme_id", "theme", "volume_current", "volume_previous_year", "percent_change", "performance_current", "p_current",
         "volume_twelve_months", "volume_previous_twelve_months", "percent_change_12m", "performance_12m", "p_12m", "ward_hotspots"],
        ["burglary", "Burglary", "442", "408", "8.3", "Stable", "0.2577", "833", "835", "-0.2", "Stable", "0.9805", "Dunstable East; Northill"],
        ["robbery", "Robbery", "30", "60", "-50.0", "Decreasing volume", "0.0012", "70", "80", "-12.5", "Stable", "0.40", ""],
        ["violence", "Violence", "930", "836", "11.2", "Increasing volume", "0.0269", "1826", "1600", "14.1", "Increasing volume", "0.0001", ""],
        ["drugs", "Drugs", "10", "12", "-16.7", "Stable", "0.6", "20", "22", "-9.1", "Stable", "0.7", "*"],
    ]

    @Test func sentencesComeFromTheirRows() {
        let s = AssessSummary.make(files: [("tables/threat-risk-matrix.csv", matrix), ("tables/theme-profiles.csv", profiles),
                                           ("tables/priority-scanning.csv", [["group", "theme", "MSG performance", "Total"]])],
                                   unavailable: [("MSG performance and position", "no msg_comparators reference file")]).sentences
        #expect(s.map(\.text) == [
            "Violence is ranked 1st by the threat/risk matrix (total 12).",
            "Burglary is ranked 2nd by the threat/risk matrix (total 10, with some of its scores not available).",
            "Drugs is ranked 3rd by the threat/risk matrix (total 9).",
            "Robbery fell 50.0% (30 against 60) in the current period against the same period a year earlier (p = 0.0012).",
            "Violence rose 11.2% (930 against 836) in the current period against the same period a year earlier (p = 0.0269).",
            "Violence rose 14.1% (1826 against 1600) in the latest twelve months against the twelve before (p = 0.0001).",
            "Violence: no ward is a significant hotspot over the last twelve months.",
            "Burglary hotspot wards over the last twelve months: Dunstable East, Northill.",
            "These data cannot say: MSG performance and position (shown as *; the sources that would are listed under Data coverage).",
        ])
        // Rows are 1-based data rows of the table named: each can be looked up and says what the sentence says.
        #expect(s.map(\.row) == [3, 1, 4, 2, 3, 3, 3, 1, nil])
        #expect(s.map(\.table) == Array(repeating: "tables/threat-risk-matrix.csv", count: 3) + Array(repeating: "tables/theme-profiles.csv", count: 5)
            + ["tables/priority-scanning.csv"])
        for sentence in s where sentence.row != nil {
            let rows = sentence.table.hasSuffix("matrix.csv") ? matrix : profiles
            #expect(sentence.text.hasPrefix(rows[sentence.row!][1]), "\(sentence.text) is not about row \(sentence.row!) of \(sentence.table)")
        }
    }

    @Test func ordinals() {
        #expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111].map(AssessSummary.ordinal) == ["1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st", "111th"])
    }
}
