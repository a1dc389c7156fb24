import Foundation

/// Run identifiers: UTC start time plus a random suffix, so they sort by time and never collide.
public enum RunID {
    /// A new id such as `20091001T020000123Z-4f2a`: UTC time to the millisecond, so that ids sort in the order
    /// runs started even when two start in the same second, then a random suffix.
    public static func make(at date: Date = Date()) -> String {
        let ms = Int((date.timeIntervalSince1970 * 1000).rounded(.down)) % 1000
        var t = time_t(date.timeIntervalSince1970)
        var tm = tm()
        gmtime_r(&t, &tm)
        func pad(_ v: Int32, _ w: Int) -> String { let s = String(v); return String(repeating: "0", count: max(0, w - s.count)) + s }
        let stamp = "\(pad(tm.tm_year + 1900, 4))\(pad(tm.tm_mon + 1, 2))\(pad(tm.tm_mday, 2))T\(pad(tm.tm_hour, 2))\(pad(tm.tm_min, 2))\(pad(tm.tm_sec, 2))\(pad(Int32(ms), 3))Z"
        let suffix = String(UInt16.random(in: 0...UInt16.max), radix: 16)
        return "\(stamp)-\(String(repeating: "0", count: 4 - suffix.count))\(suffix)"
    }

    /// Whether `text` has the shape of a run id (guards paths built from user input); ids without
    /// milliseconds (`20091001T020000Z-4f2a`) are accepted too.
    public static func isValid(_ text: String) -> Bool {
        (text.count == 21 || text.count == 24) && text.allSatisfy { $0.isASCII && ($0.isNumber || $0.isLetter || $0 == "-") }
    }
}

/// ISO 8601 UTC timestamps with milliseconds, as manifests and the ledger write them.
public enum Timestamp {
    /// `2009-10-01T02:00:00.000Z`.
    public static func iso(_ date: Date = Date()) -> String {
        let ms = Int((date.timeIntervalSince1970 * 1000).rounded(.down))
        var t = time_t(ms / 1000)
        var tm = tm()
        gmtime_r(&t, &tm)
        func pad(_ v: Int, _ w: Int) -> String { let s = String(v); return String(repeating: "0", count: max(0, w - s.count)) + s }
        return "\(pad(Int(tm.tm_year) + 1900, 4))-\(pad(Int(tm.tm_mon) + 1, 2))-\(pad(Int(tm.tm_mday), 2))T\(pad(Int(tm.tm_hour), 2)):\(pad(Int(tm.tm_min), 2)):\(pad(Int(tm.tm_sec), 2)).\(pad(ms % 1000, 3))Z"
    }
}
