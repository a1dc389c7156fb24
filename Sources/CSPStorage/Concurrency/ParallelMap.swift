import Foundation

/// Work on independent items spread over a few threads, results in item order.
public enum ParallelMap {
    /// `transform(i)` for every `i` in `0..<count`, computed by up to `threads` threads taking items in turn; the
    /// results in order. When any item throws, the error of the first such item (in item order) is thrown, after every
    /// thread has stopped.
    public static func map<T>(_ count: Int, threads: Int = 2, _ transform: (Int) throws -> T) throws -> [T] {
        let results = UnsafeMutableBufferPointer<Result<T, Error>?>.allocate(capacity: count)
        results.initialize(repeating: nil)
        defer { results.deinitialize(); results.deallocate() }
        let next = NSLock()
        nonisolated(unsafe) var cursor = 0
        nonisolated(unsafe) let slots = results
        withoutActuallyEscaping(transform) { transform in
            nonisolated(unsafe) let work = transform
            DispatchQueue.concurrentPerform(iterations: max(1, min(threads, count))) { _ in
                while true {
                    next.lock(); let i = cursor; cursor += 1; next.unlock()
                    guard i < count else { return }
                    slots[i] = Result { try work(i) }  // each slot written by one thread only
                }
            }
        }
        return try results.map { try $0!.get() }
    }
}
