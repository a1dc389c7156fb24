// TEMPORARY: replaced by the real reader from branch xml-reader before merge.
public struct XMLReadOptions: Sendable {
    public var maxDepth: Int
    public var maxValueBytes: Int
    public init(maxDepth: Int = 256, maxValueBytes: Int = 1_048_576) { self.maxDepth = maxDepth; self.maxValueBytes = maxValueBytes }
}
public struct XMLField: Sendable, Equatable { public let path: String; public let value: String }
public struct XMLRecord: Sendable, Equatable {
    public let index: Int
    public let line: Int
    public let fields: [XMLField]
    public func value(_ path: String) -> String? { fields.first { $0.path == path }?.value }
    public var paths: [String] { fields.map(\.path) }
}
public enum XMLReadError: Error, Sendable, Equatable, CustomStringConvertible {
    case cannotOpen(path: String, reason: String)
    case malformed(path: String, line: Int, column: Int, message: String)
    public var line: Int { 0 }
    public var rule: String { "xml.malformed" }
    public var description: String { "\(self)" }
}
public final class XMLRecordReader {
    public let path: String
    public private(set) var recordsRead = 0
    public init(path: String, recordElement: String, options: XMLReadOptions = .init()) throws { self.path = path; throw XMLReadError.cannotOpen(path: path, reason: "stub") }
    public func next() throws -> XMLRecord? { nil }
    public static func guessRecordElement(path: String, options: XMLReadOptions = .init()) throws -> String? { nil }
}
