import CSPTestSupport
import Foundation
import Testing
@testable import CSPGeo

@Suite("JSONParser")
struct JSONParserTests {
    private func parse(_ text: String) throws(JSONSyntaxError) -> JSONValue {
        try JSONParser.parse(Data(text.utf8))
    }

    @Test func valuesOfEveryKind() throws {
        let v = try parse(#" {"a": [true, false, null, -0.5, "x"], "b": {}, "c": [], "d": "é\u00e9\ud83d\ude00\n\/"} "#)
        #expect(v["a"] == .array([.bool(true), .bool(false), .null, .number(-0.5), .string("x")]))
        #expect(v["b"]?.isObject == true)
        if case .object(let members, let offset)? = v["b"] { #expect(members.isEmpty && offset == 44) }
        #expect(v["c"] == .array([]))
        #expect(v["d"] == .string("éé😀\n/"))
        #expect(v["missing"] == nil)
    }

    @Test func aRepeatedKeyAnswersItsLastValue() throws {
        #expect(try parse(#"{"k": 1, "k": 2}"#)["k"] == .number(2))
    }

    @Test func ringsArePackedAndMixedArraysAreNot() throws {
        #expect(try parse("[[1, 2], [3.5, -4, 100], [5e2, 6E-1]]") == .positions(xs: [1, 3.5, 500], ys: [2, -4, 0.6]))
        // One element that is not a position: the whole array is read generically, nothing lost.
        #expect(try parse(#"[[1, 2], [3, "x"]]"#) == .array([.array([.number(1), .number(2)]), .array([.number(3), .string("x")])]))
        #expect(try parse("[[1, 2], [3]]") == .array([.array([.number(1), .number(2)]), .array([.number(3)])]))
        #expect(try parse("[[1, 2, 3, 4]]") == .array([.array([.number(1), .number(2), .number(3), .number(4)])]))
        #expect(try parse("[[[1, 2]]]") == .array([.positions(xs: [1], ys: [2])]))
    }

    /// Every number is the nearest double to its text, as `strtod` (and Swift's `Double(_:)`) gives it.
    @Test func numbersAreCorrectlyRounded() throws {
        var rng = SystemRandomNumberGenerator()
        var texts = ["0", "-0", "1e22", "1e23", "123456789012345678", "0.1", "0.30000000000000004", "-180", "51.8812345678901234",
                     "9007199254740993", "2.2250738585072014e-308", "1.7976931348623157e308", "1e-400", "4.9e-324", "0.000001234567",
                     "-0.4567891234567", "12345678901234567890e-10"]
        for _ in 0..<20_000 {
            let n = Int.random(in: 1...17, using: &rng)
            let digits = String(Int.random(in: 1...9, using: &rng)) + (1..<n).map { _ in String(Int.random(in: 0...9, using: &rng)) }.joined()
            let point = Int.random(in: 0...n, using: &rng)
            var s = point == n ? digits : point == 0 ? "0." + digits : String(digits.prefix(point)) + "." + String(digits.dropFirst(point))
            if Bool.random(using: &rng) { s = "-" + s }
            if Int.random(in: 0...3, using: &rng) == 0 { s += "e\(Int.random(in: -30...30, using: &rng))" }
            texts.append(s)
        }
        for t in texts {
            let expected = strtod(t, nil)
            let got = try parse(t)
            #expect(got == .number(expected), "\(t)")
            #expect(try parse("[[\(t), \(t)]]") == .positions(xs: [expected], ys: [expected]), "\(t) in a position")
        }
    }

    @Test(arguments: [
        ("", "line 1, column 1: expected a value, found the end of the file"),
        ("{\"a\": 1,}", "line 1, column 9: expected a member name in double quotes, found `}`"),
        ("[1, 2,]", "line 1, column 7: expected a value, found `]`"),
        ("[01]", "line 1, column 3: expected no leading zero in a number, found `1`"),
        ("[1.]", "line 1, column 4: expected a digit after the decimal point, found `]`"),
        ("{\"a\": NaN}", "line 1, column 7: expected a value, found `N`"),
        ("{\"a\":\n  tru}", "line 2, column 3: expected a value, found `t`"),
        ("\"tab\there\"", "line 1, column 5: expected no control character (byte 9) in a string; escape it, found byte 9"),
        ("\"\\x\"", "line 1, column 3: expected an escape (\\\", \\\\, \\/, \\b, \\f, \\n, \\r, \\t or \\u), found `x`"),
        ("\"\\ud800\"", "line 1, column 7: expected the second half of a surrogate pair, found `0`"),
        ("{} {}", "line 1, column 4: expected the end of the document after its value, found `{`"),
        ("// comment\n{}", "line 1, column 1: expected a value, found `/`"),
        ("[1, 2", "line 1, column 6: expected `,` or `]`, found the end of the file"),
    ])
    func malformedDocumentsSayWhereAndWhat(_ text: String, _ message: String) {
        #expect(throws: JSONSyntaxError.self) { try parse(text) }
        do { _ = try parse(text) } catch { #expect(error.description == message) }
    }

    @Test func invalidUTF8IsRefused() {
        var bytes = Array("{\"name\": \"".utf8)
        bytes += [0xC3, 0x28]  // a lead byte without its continuation
        bytes += Array("\"}".utf8)
        #expect(throws: JSONSyntaxError.self) { try JSONParser.parse(Data(bytes)) }
    }

    @Test func aByteOrderMarkIsSkipped() throws {
        #expect(try JSONParser.parse(Data([0xEF, 0xBB, 0xBF] + Array("[true]".utf8))) == .array([.bool(true)]))
    }

    /// A hostile file of deep nesting is refused at the limit instead of exhausting the stack.
    @Test func deepNestingIsRefused() throws {
        let limit = JSONParser.maximumDepth
        #expect(try parse(String(repeating: "[", count: limit) + String(repeating: "]", count: limit)) != .null)
        let deep = String(repeating: "[", count: 1_000_000)
        do {
            _ = try parse(deep)
            Issue.record("a million [ parsed")
        } catch {
            #expect(error.expected == "at most \(limit) levels of nesting")
            #expect(error.column == limit + 1)
        }
    }

    /// The parser agrees with Foundation's on a real ward file: same features, same properties, same coordinates to
    /// within 1e-12 degrees. (Foundation goes through `Decimal` and is often a unit or two in the last place off
    /// the nearest double, 54.6795690401006 read as 54.67956904010059; this parser gives the nearest, as `strtod` does.)
    @Test func agreesWithFoundationOnARealWardFile() throws {
        let folder = try RealData.require("national/ward-wd25")
        let name = try #require(try FileManager.default.contentsOfDirectory(atPath: folder).sorted().first { $0.hasSuffix(".geojson") })
        let data = try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name))
        let ours = try JSONParser.parse(data)
        let theirs = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let features = try #require(theirs["features"] as? [[String: Any]])
        guard case .array(let parsed)? = ours["features"] else { Issue.record("no features"); return }
        #expect(parsed.count == features.count)
        for (a, b) in zip(parsed, features) {
            let props = try #require(b["properties"] as? [String: Any])
            for (k, v) in props {
                if let s = v as? String { #expect(a["properties"]?[k] == .string(s)) }
            }
            func flatten(_ x: Any) -> [Double] {
                if let n = x as? NSNumber { return [n.doubleValue] }
                return (x as? [Any] ?? []).flatMap(flatten)
            }
            func flatten(_ v: JSONValue) -> [Double] {
                switch v {
                case .number(let d): return [d]
                case .array(let items): return items.flatMap(flatten)
                case .positions(let xs, let ys): return zip(xs, ys).flatMap { [$0, $1] }
                default: return []
                }
            }
            let geometry = try #require(b["geometry"] as? [String: Any])
            let ours = flatten(a["geometry"]?["coordinates"] ?? .null), theirs = flatten(geometry["coordinates"] as Any)
            #expect(ours.count == theirs.count && !ours.isEmpty)
            #expect(zip(ours, theirs).allSatisfy { abs($0 - $1) <= 1e-12 })  // a ten-thousandth of a micrometre
            #expect(zip(ours, theirs).contains { $0 == $1 })
        }
    }
}
