import CSPCore
import CSPSchema
import CSPStorage
import Foundation

/// A calendar month as `YYYY-MM` and as a running index.
struct Month: Hashable, Comparable, Sendable {
    let year: Int
    let month: Int
    init(year: Int, month: Int) { self.year = year; self.month = month }
    init?(_ text: String) {
        let p = text.split(separator: "-")
        guard p.count >= 2, let y = Int(p[0]), let m = Int(p[1]), (1...12).contains(m) else { return nil }
        year = y; month = m
    }
    init(_ day: Day) { year = day.year; month = day.month }
    var index: Int { year * 12 + month - 1 }
    init(index: Int) { year = index / 12; month = index % 12 + 1 }
    var text: String { String(format: "%04d-%02d", year, month) }
    static func < (a: Month, b: Month) -> Bool { a.index < b.index }
}
