import Testing
@testable import CSPInspect

@Suite struct ByteCounterTests {
    @Test func countsLikeADictionaryThroughGrowth() {
        var counter = ByteCounter(capacity: 1)
        var reference: [String: Int] = [:]
        var rng = SystemRandomNumberGenerator()
        for i in 0..<5_000 {
            let key = i % 7 == 0 ? "" : "Ward \(Int.random(in: 0..<700, using: &rng)) é"
            reference[key, default: 0] += 1
            Array(key.utf8).withUnsafeBufferPointer { counter.add($0) }
        }
        #expect(counter.dictionary == reference)
    }
}
