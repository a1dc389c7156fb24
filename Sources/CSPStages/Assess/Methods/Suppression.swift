/// Statistical disclosure control for a published table of counts: which cells to withhold, and why.
///
/// Method. Primary suppression withholds every cell with 0 < count < `threshold` (default 5). Zero cells
/// are published (a structural or true zero discloses nothing about a person) unless chosen as secondary
/// cells below. Row and column totals are always published, computed from the unsuppressed table.
/// Secondary suppression then makes sure no withheld cell can be recovered by subtraction from its row or
/// column total: while some row or column contains exactly one withheld cell, one more cell of that line
/// is withheld — the smallest non-zero published cell; among equal candidates, one whose crossing line
/// already has a withheld cell (so the protection does not spread), then the first in reading order; if the
/// line has no non-zero published cell, its first published zero cell. Rows are examined before columns,
/// top to bottom and left to right, and the process repeats until no line has exactly one withheld cell.
/// A withheld cell is shown as `~` (``AssessMarker/suppressed``), never `*`, which the assessment keeps for
/// "data not available". A line with a single cell cannot be protected by its own total; such a table is
/// left as far as the rule can take it.
public struct Suppression: Sendable, Equatable {
    /// Why a cell is withheld.
    public enum Reason: String, Sendable, Equatable {
        /// Below the threshold.
        case primary
        /// Withheld so that a primary cell cannot be recovered from a total.
        case secondary
    }

    /// The table's counts, rows of equal length.
    public let cells: [[Int]]
    /// Per cell: nil when published, else why it is withheld.
    public let reasons: [[Reason?]]
    /// Row totals.
    public let rowTotals: [Int]
    /// Column totals.
    public let columnTotals: [Int]
    /// Grand total.
    public let grandTotal: Int

    /// Suppresses `cells` (rows of equal length; shorter rows are padded with zeros) with primary
    /// threshold `threshold`.
    public init(cells input: [[Int]], threshold: Int = 5) {
        let width = input.map(\.count).max() ?? 0
        let cells = input.map { $0 + [Int](repeating: 0, count: width - $0.count) }
        self.cells = cells
        rowTotals = cells.map { $0.reduce(0, +) }
        columnTotals = (0..<width).map { c in cells.reduce(0) { $0 + $1[c] } }
        grandTotal = rowTotals.reduce(0, +)
        var reasons: [[Reason?]] = cells.map { row in row.map { $0 > 0 && $0 < threshold ? .primary : nil } }
        let rows = cells.count
        func line(_ isRow: Bool, _ k: Int) -> [(Int, Int)] {
            isRow ? (0..<width).map { (k, $0) } : (0..<rows).map { ($0, k) }
        }
        var changed = true
        while changed {
            changed = false
            for isRow in [true, false] {
                for k in 0..<(isRow ? rows : width) {
                    let members = line(isRow, k)
                    guard members.filter({ reasons[$0.0][$0.1] != nil }).count == 1 else { continue }
                    let open = members.filter { reasons[$0.0][$0.1] == nil }
                    func crossingProtected(_ cell: (Int, Int)) -> Bool {
                        line(!isRow, isRow ? cell.1 : cell.0).contains { reasons[$0.0][$0.1] != nil }
                    }
                    let nonZero = open.filter { cells[$0.0][$0.1] > 0 }
                    let pick: (Int, Int)?
                    if nonZero.isEmpty {
                        pick = open.first
                    } else {
                        pick = nonZero.enumerated().min { a, b in
                            let va = cells[a.element.0][a.element.1], vb = cells[b.element.0][b.element.1]
                            if va != vb { return va < vb }
                            let pa = crossingProtected(a.element), pb = crossingProtected(b.element)
                            if pa != pb { return pa }
                            return a.offset < b.offset
                        }?.element
                    }
                    if let pick {
                        reasons[pick.0][pick.1] = .secondary
                        changed = true
                    }
                }
            }
        }
        self.reasons = reasons
    }

    /// Whether the cell at `row`, `column` is withheld.
    public func isSuppressed(row: Int, column: Int) -> Bool { reasons[row][column] != nil }

    /// The cell as published: its count, or `~` when withheld.
    public func display(row: Int, column: Int) -> String {
        isSuppressed(row: row, column: column) ? AssessMarker.suppressed : String(cells[row][column])
    }

    /// Every cell as published, row by row.
    public var displayed: [[String]] {
        cells.indices.map { r in cells[r].indices.map { display(row: r, column: $0) } }
    }
}
