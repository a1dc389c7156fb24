import CSPTestSupport
import Foundation
import Testing
@testable import CSPAssess

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
