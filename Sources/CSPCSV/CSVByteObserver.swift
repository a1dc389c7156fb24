/// Sees every byte a `CSVReader` reads from its file, in order, as it reads them (a checksum of the bytes parsed,
/// computed in the same pass). Called on the thread that reads: `BackgroundCSVReader`'s producer thread.
public protocol CSVByteObserver: AnyObject {
    /// Called with each block read, in file order.
    func read(_ bytes: UnsafeBufferPointer<UInt8>)
}
