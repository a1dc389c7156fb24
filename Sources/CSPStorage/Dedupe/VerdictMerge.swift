#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The verdicts of every partition, merged into ordinal order (a binary heap over the partitions' next verdicts).
package final class VerdictMerge {
    /// Where a partition's verdicts are: in memory (with the next position), or in a file (with its reader).
    package enum Source {
        case memory([DuplicateFinder.Verdict], Int)
        case file(SpillReader?, String)
    }

    private var sources: [Source]
    /// Heap of (next verdict, source index), least ordinal first.
    private var heap: [(DuplicateFinder.Verdict, Int)] = []

    /// A merge of these sources (each in ordinal order).
    package init(sources: [Source]) {
        self.sources = sources
    }

    /// The next verdict in ordinal order, or nil when there are no more.
    package func next() throws -> DuplicateFinder.Verdict? {
        if !started {
            started = true
            for i in sources.indices { if let l = try pull(i) { push((l, i)) } }
        }
        guard let (top, i) = popMin() else { return nil }
        if let l = try pull(i) { push((l, i)) }
        return top
    }

    private var started = false

    /// Deletes the verdict files.
    package func close() {
        for s in sources { if case .file(_, let path) = s { unlink(path) } }
        sources = []
        heap = []
    }

    deinit { close() }

    private func pull(_ i: Int) throws -> DuplicateFinder.Verdict? {
        switch sources[i] {
        case .memory(let verdicts, let next):
            guard next < verdicts.count else { return nil }
            sources[i] = .memory(verdicts, next + 1)
            return verdicts[next]
        case .file(let reader, let path):
            guard let reader, let ordinal = try reader.read(Int64.self) else { return nil }
            func value<T: FixedWidthInteger>(_ t: T.Type) throws -> T {
                guard let v = try reader.read(t) else { throw IOFailure(path: path, operation: "read", reason: "the file ends inside a verdict") }
                return v
            }
            func bytes(_ n: Int) throws -> [UInt8] {
                if n == 0 { return [] }
                guard let b = try reader.read(n) else { throw IOFailure(path: path, operation: "read", reason: "the file ends inside a verdict") }
                return Array(b)
            }
            let collision = try value(UInt8.self) != 0
            let line = Int(try value(Int64.self)), file = try value(Int32.self)
            let otherFile = try value(Int32.self), otherLine = Int(try value(Int64.self))
            let differing = try value(UInt64.self), kept = Int(try value(Int32.self))
            let keyCount = Int(try value(Int32.self)), rankCount = Int(try value(Int32.self))
            let key = try bytes(keyCount), rank = try bytes(rankCount)
            return DuplicateFinder.Verdict(collision: collision, ordinal: Int(ordinal), key: key, file: file, line: line, otherFile: otherFile,
                                           otherLine: otherLine, otherRank: rank, differing: differing, kept: kept)
        }
    }

    /// Appends one verdict to a partition's verdict file (read back by `next`).
    package static func write(_ v: DuplicateFinder.Verdict, to out: SpillWriter) throws {
        try out.append(Int64(v.ordinal)); try out.append(UInt8(v.collision ? 1 : 0))
        try out.append(Int64(v.line)); try out.append(v.file)
        try out.append(v.otherFile); try out.append(Int64(v.otherLine))
        try out.append(v.differing); try out.append(Int32(v.kept))
        try out.append(Int32(v.key.count)); try out.append(Int32(v.otherRank.count))
        try v.key.withUnsafeBufferPointer { try out.append($0) }
        try v.otherRank.withUnsafeBufferPointer { try out.append($0) }
    }

    private func push(_ e: (DuplicateFinder.Verdict, Int)) {
        heap.append(e)
        var c = heap.count - 1
        while c > 0 {
            let p = (c - 1) / 2
            if heap[p].0.ordinal <= heap[c].0.ordinal { break }
            heap.swapAt(p, c)
            c = p
        }
    }

    private func popMin() -> (DuplicateFinder.Verdict, Int)? {
        guard !heap.isEmpty else { return nil }
        heap.swapAt(0, heap.count - 1)
        let top = heap.removeLast()
        var p = 0
        while true {
            let l = 2 * p + 1, r = l + 1
            var m = p
            if l < heap.count && heap[l].0.ordinal < heap[m].0.ordinal { m = l }
            if r < heap.count && heap[r].0.ordinal < heap[m].0.ordinal { m = r }
            if m == p { break }
            heap.swapAt(p, m)
            p = m
        }
        return top
    }
}
