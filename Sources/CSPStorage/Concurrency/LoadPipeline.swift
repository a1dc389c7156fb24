import CSPSchema
import Foundation

/// The batches between the reading thread and the inserting thread: a ring of a few `RowBatch`es, filled and
/// emptied in the same order, so each side only waits on its semaphore.
package final class LoadPipeline: @unchecked Sendable {
    private let batches: [RowBatch]
    private let free = DispatchSemaphore(value: 0)
    private let full = DispatchSemaphore(value: 0)
    /// Touched by the reading thread only.
    private var produced = 0
    /// Touched by the inserting thread only.
    private var consumed = 0
    private let lock = NSLock()
    private var abandoned = false

    package init(types: [ColumnType], batches count: Int = 3) {
        batches = (0..<count).map { _ in RowBatch(types: types) }
        for _ in 0..<count { free.signal() }
    }

    /// Reading thread: the next empty batch (waits while all are in use).
    package func nextFree() -> RowBatch {
        free.wait()
        defer { produced += 1 }
        return batches[produced % batches.count]
    }

    /// Reading thread: hands a filled batch over.
    package func submit(_ batch: RowBatch) { full.signal() }

    /// Inserting thread: the next filled batch (waits for it).
    package func nextFull() -> RowBatch {
        full.wait()
        defer { consumed += 1 }
        return batches[consumed % batches.count]
    }

    /// Inserting thread: gives an emptied batch back.
    package func recycle(_ batch: RowBatch) {
        batch.reset()
        free.signal()
    }

    /// Inserting thread: the rest of the file is not wanted (the dataset will be loaded again).
    package func abandon() { lock.withLock { abandoned = true } }
    package var isAbandoned: Bool { lock.withLock { abandoned } }
}

/// A body run once on its own named thread, and a way to wait for its end: the thread and its semaphore live here,
/// not in the stage that uses them.
package final class BackgroundThread: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)

    /// Starts `body` on a new thread called `name`.
    package init(name: String, _ body: @escaping @Sendable () -> Void) {
        let thread = Thread { [done] in
            body()
            done.signal()
        }
        thread.name = name
        thread.start()
    }

    /// Waits until the body has returned.
    package func join() { done.wait() }
}
