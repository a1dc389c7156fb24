import Testing
@testable import CSPAssess

/// The two numbers every suppression decision starts from, at their boundaries, against the method as documented on
/// `DisclosurePolicy`: counts from 1 to `threshold` − 1 are small (zero and the threshold itself are published), and
/// withholding a count costs the count plus one, and at least the threshold plus one.
@Suite struct DisclosureThresholdTests {
    @Test(arguments: [(5, [0: false, 1: true, 4: true, 5: false, 6: false]), (3, [0: false, 2: true, 3: false]), (10, [9: true, 10: false])])
    func smallCountsAreOneToBelowTheThreshold(threshold: Int, expected: [Int: Bool]) {
        let policy = DisclosurePolicy(threshold: threshold)
        for (count, small) in expected { #expect(policy.isSmall(count) == small, "\(count) with threshold \(threshold)") }
    }

    @Test func withholdingCostsTheCountPlusOneAndAtLeastTheThresholdPlusOne() {
        let policy = DisclosurePolicy(threshold: 5)
        #expect([0, 1, 4, 5, 6, 40].map(policy.cost(of:)) == [6, 6, 6, 6, 7, 41])
    }
}
