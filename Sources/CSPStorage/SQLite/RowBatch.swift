import CSPSchema
import CSPCSV

/// Validated rows on their way from the thread that reads the stage 3 file to the thread that inserts them: per cell
/// a storage class and a value, text as an offset into the batch's own copy of the record bytes. Fixed capacity,
/// reused: the load's memory is a few batches whatever the input's size.
package final class RowBatch: @unchecked Sendable {
    package static let null: UInt8 = 0, integer: UInt8 = 1, real: UInt8 = 2, text: UInt8 = 3

    package let columns: Int
    package let capacity: Int
    // Per-row state is `@exclusivity(unchecked)` (as in `CSVWriter`): a batch is used by one thread at a time, handed
    // over under `LoadPipeline`'s lock, with no overlapping access.
    /// Rows staged.
    @exclusivity(unchecked) package private(set) var rows = 0
    /// The last batch of the file (possibly empty).
    @exclusivity(unchecked) package var last = false
    /// Per cell (`row * columns + column`): storage class.
    package let kinds: UnsafeMutablePointer<UInt8>
    /// Per cell: the integer, the real's bits, or the text's offset in `arena`.
    package let values: UnsafeMutablePointer<Int64>
    /// Per cell: the text's length in bytes.
    package let lengths: UnsafeMutablePointer<Int32>
    /// The staged rows' bytes, one record after the other.
    @exclusivity(unchecked) package private(set) var arena: UnsafeMutablePointer<UInt8>
    @exclusivity(unchecked) private var arenaCapacity: Int
    @exclusivity(unchecked) private var arenaUsed = 0
    @exclusivity(unchecked) private var pending = 0
    private let arenaTarget: Int

    /// Per column: the type every staged cell is checked against.
    private let types: UnsafeMutableBufferPointer<ColumnType>

    package init(types columnTypes: [ColumnType], capacity: Int = 2048, arenaBytes: Int = 1 << 20) {
        let columns = columnTypes.count
        self.columns = columns
        types = .allocate(capacity: max(columns, 1))
        _ = types.initialize(from: columnTypes)
        self.capacity = capacity
        kinds = .allocate(capacity: columns * capacity)
        values = .allocate(capacity: columns * capacity)
        lengths = .allocate(capacity: columns * capacity)
        arenaTarget = arenaBytes
        arenaCapacity = arenaBytes + (64 << 10)
        arena = .allocate(capacity: arenaCapacity)
    }

    deinit {
        kinds.deallocate(); values.deallocate(); lengths.deallocate(); arena.deallocate(); types.deallocate()
    }

    /// Full: hand it over before staging another row.
    package var isFull: Bool { rows == capacity || arenaUsed >= arenaTarget }

    /// Empties the batch for reuse.
    package func reset() {
        rows = 0
        arenaUsed = 0
        last = false
        // A batch grown for one huge record goes back to its usual size.
        if arenaCapacity > arenaTarget * 4 {
            arena.deallocate()
            arenaCapacity = arenaTarget + (64 << 10)
            arena = .allocate(capacity: arenaCapacity)
        }
    }

    /// Checks each cell of `rec` against its column's type (`ColumnType.cell`, the rules of the warehouse's CHECKs)
    /// and prepares the row. Returns the index of the first cell not of its type, or -1: the row is then staged by
    /// `commit()` (or dropped by not committing it).
    @inline(__always)
    package func stage(_ rec: borrowing CSVRawRecord) -> Int {
        // The record's fields are contiguous in the reader's buffer: copy them at once.
        let first = rec.bytes(0), lastField = rec.bytes(columns - 1)
        let base = first.baseAddress!
        let size = lastField.baseAddress! + lastField.count - base
        if arenaUsed + size > arenaCapacity {
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: arenaUsed + size + arenaTarget)
            grown.update(from: arena, count: arenaUsed)
            arena.deallocate()
            arena = grown
            arenaCapacity = arenaUsed + size + arenaTarget
        }
        let start = arenaUsed
        let cell0 = rows * columns
        for i in 0..<columns {
            let b = rec.bytes(i)
            guard let cell = types[i].cell(b) else { return i }
            let k = cell0 + i
            switch cell {
            case .null: kinds[k] = Self.null
            case .integer(let v): kinds[k] = Self.integer; values[k] = v
            case .real(let d): kinds[k] = Self.real; values[k] = Int64(bitPattern: d.bitPattern)
            case .text:
                kinds[k] = Self.text
                values[k] = Int64(start + (b.baseAddress! - base))
                lengths[k] = Int32(b.count)
            }
        }
        (arena + start).update(from: base, count: size)
        pending = size
        return -1
    }

    /// Stages the row prepared by the last `stage` that returned -1.
    @inline(__always)
    package func commit() {
        arenaUsed += pending
        rows += 1
    }
}
