import Foundation
import Testing
@testable import CSPStages

@Suite struct AssessMethodsSuppressionTests {
    /// No row or column may hold exactly one withheld cell.
    static func protected(_ s: Suppression) -> Bool {
        let rows = s.reasons.allSatisfy { $0.filter { $0 != nil }.count != 1 }
        let columns = (0..<(s.cells.first?.count ?? 0)).allSatisfy { c in s.reasons.filter { $0[c] != nil }.count != 1 }
        return rows && columns
    }

    @Test func threeInARowOfTwoSmallCellsIsProtectedThroughColumns() {
        // Row 0 has 3 and 2 (both primary): the row protects itself, but each is alone in its column,
        // so the column partners 20 and 30 go as secondary.
        let s = Suppression(cells: [[3, 2, 40], [20, 30, 10]])
        #expect(s.reasons == [[.primary, .primary, nil], [.secondary, .secondary, nil]])
        #expect(s.displayed == [["~", "~", "40"], ["~", "~", "10"]])
        #expect(s.rowTotals == [45, 60] && s.columnTotals == [23, 32, 50] && s.grandTotal == 105)
        #expect(Self.protected(s))
    }

    @Test func secondaryCascadesFromRowToColumns() {
        // 3 alone in row 0 -> 10 (smallest in the row); then columns 0 and 1 each have one -> 7 and 20.
        let s = Suppression(cells: [[3, 10, 12], [7, 20, 15]])
        #expect(s.reasons == [[.primary, .secondary, nil], [.secondary, .secondary, nil]])
        #expect(s.display(row: 0, column: 2) == "12")
        #expect(Self.protected(s))
    }

    @Test func tiesPreferACellWhoseColumnIsAlreadyProtected() {
        // Row 0: 3 alone, candidates 8 and 8; the second 8's column already hides the 2 -> choose it.
        // Row 1: 2 alone -> smallest other, 5. Columns then each have two.
        let s = Suppression(cells: [[3, 8, 8], [5, 6, 2]])
        #expect(s.reasons == [[.primary, nil, .secondary], [.secondary, nil, .primary]])
        #expect(Self.protected(s))
    }

    @Test func zerosArePublishedUnlessNeeded() {
        #expect(Suppression(cells: [[0, 10], [7, 9]]).reasons.allSatisfy { $0.allSatisfy { $0 == nil } })
        // 3 is the only non-zero cell of its row: a zero cell is withheld beside it, then the columns follow.
        let s = Suppression(cells: [[3, 0, 0], [10, 20, 30]])
        #expect(s.reasons[0] == [.primary, .secondary, nil])
        #expect(s.reasons[1] == [.secondary, .secondary, nil])
        #expect(Self.protected(s))
        // The threshold is a setting: at 3, a 3 is published.
        #expect(!Suppression(cells: [[3, 10], [10, 10]], threshold: 3).isSuppressed(row: 0, column: 0))
        #expect(AssessMarker.suppressed != AssessMarker.notAvailable)
    }
}

@Suite struct AssessMethodsMSGTests {
    @Test func aboveBelowInLine() {
        // Mean of 12, 10, 10, 10, 10 = 10.4; 12 > 10.92.
        let above = MSGPosition(rate: 12, otherMembers: [10, 10, 10, 10])
        #expect(approx(above.groupMean, 10.4) && above.position == 1 && above.groupSize == 5)
        #expect(above.comparison.phrase == "Above MSG average")
        // Mean of 10.3, 10, 10, 11 = 10.325; within 5%. One member higher -> position 2.
        let level = MSGPosition(rate: 10.3, otherMembers: [10, 10, 11])
        #expect(level.comparison.phrase == "In line with MSG average" && level.position == 2)
        // Mean of 8, 10, 12, 9 = 9.75; 8 < 9.2625 -> below, lowest of four.
        let below = MSGPosition(rate: 8, otherMembers: [10, 12, 9])
        #expect(below.comparison.phrase == "Below MSG average" && below.position == 4)
    }

    @Test func toleranceAndMissingGroup() {
        // Mean of 10.6, 10, 10, 10 = 10.15; 10.6 < 10.6575 at 5%, > 10.2515 at 1%.
        #expect(MSGPosition(rate: 10.6, otherMembers: [10, 10, 10]).comparison == .inLine)
        #expect(MSGPosition(rate: 10.6, otherMembers: [10, 10, 10], tolerance: 0.01).comparison == .above)
        let none = MSGPosition(rate: 10, otherMembers: [])
        #expect(none.comparison.phrase == "*" && none.position == nil && none.groupMean == nil)
        // Equal rates share the best rank.
        #expect(MSGPosition(rate: 10, otherMembers: [10, 9]).position == 1)
    }
}
