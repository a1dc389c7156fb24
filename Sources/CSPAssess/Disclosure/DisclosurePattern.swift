import CSPSchema
import CSPStorage
/// Which cells of some ``LinkedCounts`` are withheld, why, and the proof that each withheld count is protected.
public struct DisclosurePattern: Sendable, Equatable {
    /// Why a cell is withheld.
    public enum Reason: String, Sendable, Equatable {
        /// A small count (1 to the threshold − 1).
        case primary
        /// Withheld so that no withheld count can be worked out from the published ones.
        case secondary
        /// A count needed to protect others that is large enough to be published as a band (``DisclosurePattern/bands``)
        /// rather than withheld.
        case coarsened
    }

    /// Per cell: nil when published, else why it is withheld.
    public let reasons: [Reason?]
    /// Per withheld cell: two sets of records that publish the same figures and disagree on the cell.
    public let protections: [Int: Protection]
    /// Withheld cells for which no protection was found (none in a pattern that is safe to publish).
    public let unprotected: [Int]
    /// Per cell published as a band (reason ``Reason/coarsened``): the band. Every alternative of every protection keeps
    /// the cell inside it.
    public let bands: [Int: ClosedRange<Int>]

    /// A pattern; `bands` holds the band of every ``Reason/coarsened`` cell.
    public init(reasons: [Reason?], protections: [Int: Protection], unprotected: [Int], bands: [Int: ClosedRange<Int>] = [:]) {
        self.reasons = reasons
        self.protections = protections
        self.unprotected = unprotected
        self.bands = bands
    }

    /// Whether the cell's count is not published exactly: withheld, or published as a band.
    public func isWithheld(_ cell: Int) -> Bool { reasons[cell] != nil }

    /// Number of cells withheld for being small.
    public var primaryCount: Int { reasons.filter { $0 == .primary }.count }
    /// Number of cells withheld to protect others.
    public var secondaryCount: Int { reasons.filter { $0 == .secondary }.count }
    /// Number of cells published as a band to protect others.
    public var coarsenedCount: Int { bands.count }

    /// The largest of `values` (one per cell) among the cells withheld to protect others; 0 when none is.
    public func largestComplement(_ values: [Int]) -> Int {
        reasons.indices.filter { reasons[$0] == .secondary }.map { values[$0] }.max() ?? 0
    }
}

/// The protection of one withheld cell: the record moves that give a low and a high alternative. Applied to the
/// records, each publishes every figure exactly as published, and the cell holds `low` in one and `high` in the other.
public struct Protection: Sendable, Equatable {
    /// The cell's value in the low alternative.
    public let low: Int
    /// The cell's value in the high alternative.
    public let high: Int
    /// Moves that make the low alternative.
    public let lowMoves: [RecordMove]
    /// Moves that make the high alternative.
    public let highMoves: [RecordMove]

    /// `high − low`: how far apart two equally consistent values of the cell are.
    public var width: Int { high - low }
}

/// One record of signature `signature` moves from place `from` to place `to`; when `partner` is not -1, one record of
/// that signature moves back from `to` to `from` (a swap, so that the classes both signatures share do not change).
public struct RecordMove: Hashable, Sendable {
    /// Signature (index into ``LinkedCounts/signatures``) of the record that moves.
    public let signature: Int
    /// Place it leaves.
    public let from: Int
    /// Place it goes to.
    public let to: Int
    /// Signature of the record moving the other way, or -1.
    public let partner: Int

    /// A move.
    public init(signature: Int, from: Int, to: Int, partner: Int) {
        self.signature = signature
        self.from = from
        self.to = to
        self.partner = partner
    }

    /// The same exchange the other way.
    public var reversed: RecordMove { RecordMove(signature: signature, from: to, to: from, partner: partner) }
}

extension LinkedCounts {
    /// Record numbers after `moves`, or nil when a move takes a record that is not there.
    public func applying(_ moves: [RecordMove]) -> [[Int]]? {
        var n = counts
        for m in moves {
            n[m.signature][m.from] -= 1
            n[m.signature][m.to] += 1
            if m.partner >= 0 {
                n[m.partner][m.to] -= 1
                n[m.partner][m.from] += 1
            }
            if n[m.signature][m.from] < 0 || (m.partner >= 0 && n[m.partner][m.to] < 0) { return nil }
        }
        return n
    }
}
