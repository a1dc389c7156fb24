/// Limits that keep reading an XML file bounded in time and memory, whatever the file holds.
public struct XMLReadOptions: Sendable {
    /// The deepest element nesting accepted, counting the root element as depth 1.
    /// Deeper documents fail with ``XMLReadError/tooDeep(path:line:limit:)``. Default 256.
    public var maxDepth: Int
    /// The longest value accepted, in UTF-8 bytes, for one element's text or one attribute.
    /// Longer values fail with ``XMLReadError/valueTooLong(path:line:field:limit:)``. Default 1 MiB.
    public var maxValueBytes: Int
    /// The most memory one record may hold, in bytes, counting its values, its paths and a
    /// small overhead per field. Bigger records fail with
    /// ``XMLReadError/valueTooLong(path:line:field:limit:)`` whose `field` is `""` (the whole
    /// record) and whose line is the record's. Default 32 MiB.
    public var maxRecordBytes: Int = 32 << 20

    /// Creates options with the given limits; the defaults suit police and fire exports.
    public init(maxDepth: Int = 256, maxValueBytes: Int = 1_048_576) {
        self.maxDepth = maxDepth
        self.maxValueBytes = maxValueBytes
    }
}
