import CSPTestSupport
@testable import CSPCore
import Foundation
import Testing
@testable import CSPStorage
@testable import CSPClean
@testable import CSPSchema

/// The byte-level helpers that replaced Foundation and split/join in stage 2 must give exactly the old results.
@Suite struct CleanTextTests {
    @Test func whitespaceIsFoundationsWhitespacesForEveryScalar() {
        for v in UInt32(0)...0x10FFFF {
            guard let u = Unicode.Scalar(v) else { continue }
            let s = "a" + String(String.UnicodeScalarView([u]))
            let foundation = s.trimmingCharacters(in: .whitespaces) != s
            if foundation != Text.isWhitespace(v) { Issue.record("U+\(String(v, radix: 16)): Foundation \(foundation)") }
        }
    }

    static let samples: [String] = [
        "", " ", "\t", "  ", "a", " a", "a ", " a ", "\ta\t", "a  b", "a \t b", "a\tb", "  Burglary  ", "On or near  Manor Road",
        "\u{A0}x", "x\u{A0}", "\u{A0}", "\u{3000}x\u{2003}", "x\u{200B}", "\u{200C}x", " \u{301}abc \u{301}", "é ", " é", "\u{1F600} ",
        "x \u{A0} y", " \u{A0} ", "ß", "straße ", "e01017395", "E01017395", "ǆ", "Café  Row", "a\r\nb", " \r\n", "\u{85}x", "x\u{2028}",
    ]

    @Test func trimIsTrimmingCharactersInWhitespaces() {
        for s in Self.samples {
            #expect(Text.trim(s) == s.trimmingCharacters(in: .whitespaces), "`\(s.debugDescription)`")
            #expect(Array(Text.trim(s).unicodeScalars) == Array(s.trimmingCharacters(in: .whitespaces).unicodeScalars), "`\(s.debugDescription)`")
        }
    }

    @Test func tidyAndUppercasedAreTheSplitJoinAndUnicodeForms() {
        for s in Self.samples {
            let old = s.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
            #expect(Array(Vocabulary.tidy(s).unicodeScalars) == Array(old.unicodeScalars), "`\(s.debugDescription)`")
            #expect(Text.uppercased(s) == s.uppercased(), "`\(s.debugDescription)`")
            #expect(Array(ReferenceTable.normalise(s).unicodeScalars) == Array(old.uppercased().unicodeScalars))
        }
    }

    @Test func nameIndexFindsWhatADictionaryFinds() {
        let ascii = ["crime_id", "month", "longitude", "latitude", "", "a", "month", "officer_defined_ethnicity", "K",
                     "self_defined_ethnicity", "x1", "x2", "1x", "2x"] + (0..<40).map { "column_\($0)" }
        for names in [ascii, ascii + ["é", "e\u{301}"]] {
            for lastWins in [false, true] {
                var reference: [String: Int] = [:]
                for (i, n) in names.enumerated() where lastWins || reference[n] == nil { reference[n] = i }
                let index = NameIndex(names, lastWins: lastWins)
                for n in names + ["missing", "Month", "column_40", "monthx", "\u{212A}", "é", "e\u{301}"] {
                    #expect(index[n] == reference[n], "`\(n)`")
                }
            }
        }
    }
}
