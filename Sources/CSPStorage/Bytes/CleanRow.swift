/// The cleaned values of one record (its entity's columns, lineage excluded) as UTF-8 bytes in one buffer reused from
/// record to record: the byte-level cleaners set fields straight from the stage 1 record's bytes, without a String per
/// value. Fields may be set in any order; a field never set is empty. Not thread-safe. Its raw memory lives here in
/// CSPStorage with every other unsafe buffer; the methods are `@inlinable` so stage 2's 60M calls per 1M records
/// stay as cheap as when the type lived in CSPClean (a cross-module call per field was what made the first move cost).
package final class CleanRow {
    @usableFromInline var bytes: UnsafeMutablePointer<UInt8>
    @usableFromInline var capacity: Int
    @usableFromInline var used = 0
    /// Per field: start in `bytes` and length.
    @usableFromInline var starts: UnsafeMutablePointer<Int>
    @usableFromInline var lengths: UnsafeMutablePointer<Int>
    @usableFromInline var fieldCapacity: Int
    /// Number of fields.
    @usableFromInline package private(set) var count = 0

    package init() {
        capacity = 1024
        bytes = .allocate(capacity: capacity)
        fieldCapacity = 64
        starts = .allocate(capacity: fieldCapacity)
        lengths = .allocate(capacity: fieldCapacity)
    }

    deinit {
        bytes.deallocate()
        starts.deallocate()
        lengths.deallocate()
    }

    /// Starts a row of `fields` empty fields.
    @inlinable package func reset(fields: Int) {
        if fields > fieldCapacity {
            starts.deallocate(); lengths.deallocate()
            fieldCapacity = fields
            starts = .allocate(capacity: fields)
            lengths = .allocate(capacity: fields)
        }
        lengths.initialize(repeating: 0, count: fields)
        starts.initialize(repeating: 0, count: fields)
        count = fields
        used = 0
    }

    /// Sets field `i` to a copy of `value`.
    @inlinable package func set(_ i: Int, _ value: ByteView) {
        precondition(i >= 0 && i < count, "field \(i) out of range 0..<\(count)")
        let n = value.count
        if n == 0 { lengths[i] = 0; return }
        if used + n > capacity { grow(n) }
        (bytes + used).update(from: value.baseAddress!, count: n)
        starts[i] = used
        lengths[i] = n
        used += n
    }

    /// Sets field `i` to `value` with ASCII lower-case letters upper-cased (the caller checked it is ASCII).
    @inlinable package func setASCIIUppercased(_ i: Int, _ value: ByteView) {
        set(i, value)
        for k in used - value.count..<used where bytes[k] &- 0x61 < 26 { bytes[k] &-= 0x20 }
    }

    /// Sets field `i` to `value`.
    @inlinable package func set(_ i: Int, _ value: String) {
        var value = value
        value.withUTF8 { set(i, $0) }
    }

    /// Sets field `i` to the bytes of `value`.
    @inlinable package func set(_ i: Int, _ value: [UInt8]) {
        value.withUnsafeBufferPointer { set(i, $0) }
    }

    /// The bytes of field `i`; valid until the row changes.
    @inlinable package func field(_ i: Int) -> ByteView {
        ByteView(start: bytes + starts[i], count: lengths[i])
    }

    @usableFromInline func grow(_ n: Int) {
        var c = capacity * 2
        while c < used + n { c *= 2 }
        let b = UnsafeMutablePointer<UInt8>.allocate(capacity: c)
        b.update(from: bytes, count: used)
        bytes.deallocate()
        bytes = b
        capacity = c
    }
}
