/// A growable in-memory byte buffer.
package final class ByteBuffer {
    private var base: UnsafeMutableRawPointer
    private var capacity: Int
    package private(set) var count = 0

    package init(capacity: Int = 4096) {
        self.capacity = capacity
        base = .allocate(byteCount: capacity, alignment: 16)
    }

    deinit { base.deallocate() }

    /// The bytes appended; valid until the next append.
    package var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    package func removeAll() { count = 0 }

    /// Makes room for `n` more bytes.
    @inline(__always)
    package func reserve(_ n: Int) {
        if count + n <= capacity { return }
        var c = capacity * 2
        while c < count + n { c *= 2 }
        let b = UnsafeMutableRawPointer.allocate(byteCount: c, alignment: 16)
        b.copyMemory(from: base, byteCount: count)
        base.deallocate()
        base = b
        capacity = c
    }

    package func append(_ p: UnsafeBufferPointer<UInt8>) {
        reserve(p.count)
        if let a = p.baseAddress { (base + count).copyMemory(from: a, byteCount: p.count) }
        count += p.count
    }

    @inline(__always)
    package func append<T: FixedWidthInteger>(_ v: T) {
        reserve(MemoryLayout<T>.size)
        base.storeBytes(of: v, toByteOffset: count, as: T.self)
        count += MemoryLayout<T>.size
    }
}
