import Foundation
import Testing
@testable import CSPCSV

/// `CSVWriter(path:baseline:)`: the output always holds exactly the bytes written; the baseline only decides whether
/// they are written, linked or copied.
@Suite struct CSVBaselineTests {
    /// Rows large enough to cross the writer's 1 MB buffers several times.
    static func rows(_ n: Int, changedAt: Int? = nil) -> [[String]] {
        (0..<n).map { i in [String(i), i == changedAt ? "changed" : "row \(i) " + String(repeating: "x", count: 40), "a,b"] }
    }

    static func write(_ rows: [[String]], to path: String, baseline: String?) throws {
        let w = try CSVWriter(path: path, baseline: baseline)
        for r in rows { try w.writeRow(r) }
        try w.close()
    }

    /// Whether the file at `path` holds exactly `rows` as `CSV.format` writes them.
    static func holds(_ path: String, _ rows: [[String]]) throws -> Bool {
        try Data(contentsOf: URL(fileURLWithPath: path)) == Data(CSV.format(rows).utf8)
    }

    static func inode(_ path: String) -> UInt64 {
        var st = stat()
        return stat(path, &st) == 0 ? UInt64(st.st_ino) : 0
    }

    @Test func equalOutputIsAHardLinkToTheBaseline() throws {
        let base = TempFile(emptyNamed: "base"), out = TempFile(emptyNamed: "out")
        defer { base.remove(); out.remove() }
        let rows = Self.rows(60_000)
        try Self.write(rows, to: base.path, baseline: nil)
        try Self.write(rows, to: out.path, baseline: base.path)
        #expect(Self.inode(out.path) == Self.inode(base.path))
        #expect(try Self.holds(out.path, rows))
    }

    @Test(arguments: [0, 1, 30_000, 59_999])
    func aDifferenceAnywhereGivesTheWrittenBytesAndLeavesTheBaselineAlone(_ at: Int) throws {
        let base = TempFile(emptyNamed: "base"), out = TempFile(emptyNamed: "out")
        defer { base.remove(); out.remove() }
        let original = Self.rows(60_000), changed = Self.rows(60_000, changedAt: at)
        try Self.write(original, to: base.path, baseline: nil)
        try Self.write(changed, to: out.path, baseline: base.path)
        #expect(Self.inode(out.path) != Self.inode(base.path))
        #expect(try Self.holds(out.path, changed))
        #expect(try Self.holds(base.path, original))
    }

    @Test func aPrefixOrALongerOutputIsCopiedNotLinked() throws {
        let base = TempFile(emptyNamed: "base"), out = TempFile(emptyNamed: "out")
        defer { base.remove(); out.remove() }
        let rows = Self.rows(40_000)
        try Self.write(rows, to: base.path, baseline: nil)
        let fewer = Array(rows.prefix(25_000))
        try Self.write(fewer, to: out.path, baseline: base.path)
        #expect(Self.inode(out.path) != Self.inode(base.path))
        #expect(try Self.holds(out.path, fewer))
        let more = rows + [["one", "more", "row"]]
        try Self.write(more, to: out.path, baseline: base.path)
        #expect(try Self.holds(out.path, more))
        #expect(try Self.holds(base.path, rows))
    }

    /// A second writer on a path that is already a link to the baseline (stage 4's row-by-row pass after a clash)
    /// replaces the path; it must never truncate the baseline through the link.
    @Test func rewritingALinkedOutputNeverTruncatesTheBaseline() throws {
        let base = TempFile(emptyNamed: "base"), out = TempFile(emptyNamed: "out")
        defer { base.remove(); out.remove() }
        let rows = Self.rows(20_000)
        try Self.write(rows, to: base.path, baseline: nil)
        try Self.write(rows, to: out.path, baseline: base.path)
        #expect(Self.inode(out.path) == Self.inode(base.path))
        let fewer = Array(rows.dropLast(3))
        try Self.write(fewer, to: out.path, baseline: base.path)
        #expect(try Self.holds(base.path, rows))
        #expect(try Self.holds(out.path, fewer))
    }

    @Test func theObserverSeesEveryByteWhenNothingIsWritten() throws {
        final class Counter: CSVWriteObserver {
            var bytes = 0, total = -1, size = -1
            func written(_ b: UnsafeBufferPointer<UInt8>) { bytes += b.count }
            func completed(fd: Int32, total: Int) {
                self.total = total
                var st = stat()
                if fstat(fd, &st) == 0 { size = Int(st.st_size) }
            }
        }
        let base = TempFile(emptyNamed: "base"), out = TempFile(emptyNamed: "out")
        defer { base.remove(); out.remove() }
        let rows = Self.rows(30_000)
        try Self.write(rows, to: base.path, baseline: nil)
        let counter = Counter()
        let w = try CSVWriter(path: out.path, observer: counter, baseline: base.path)
        for r in rows { try w.writeRow(r) }
        try w.close()
        let expected = CSV.format(rows).utf8.count
        #expect(counter.bytes == expected && counter.total == expected && counter.size == expected)
    }

    @Test func aMissingBaselineMeansAPlainWrite() throws {
        let out = TempFile(emptyNamed: "out")
        defer { out.remove() }
        let rows = Self.rows(10)
        try Self.write(rows, to: out.path, baseline: "/nonexistent/baseline.csv")
        #expect(try Self.holds(out.path, rows))
    }
}
