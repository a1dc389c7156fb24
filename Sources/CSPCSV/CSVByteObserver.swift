/// Sees every byte a `CSVReader` reads from its file, in order, as it reads them (a checksum of the bytes parsed,
/// computed in the same pass). Called on the thread that reads: `BackgroundCSVReader`'s producer thread.
public protocol CSVByteObserver: AnyObject {
    /// Called with each block read, in file order.
    func read(_ bytes: UnsafeBufferPointer<UInt8>)
    /// Called by `BackgroundCSVReader` on the consuming thread once the records of a batch (up to 8,192) have been
    /// handed to its caller: a run's progress counts them. Does nothing unless implemented.
    func consumed(records: Int)
}

extension CSVByteObserver {
    /// Nothing: an observer of bytes alone.
    public func consumed(records: Int) {}
}
