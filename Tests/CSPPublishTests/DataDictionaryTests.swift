import CSPPublish
import CSPSchema
import Foundation
import Testing

/// The run's DICTIONARY.md read back: columns, types, NOT NULL, keys with their exemption, indexes (the text below is
/// stage 4's format, written out by hand).
@Suite struct DataDictionaryTests {
    static let text = """
        # Data dictionary: normalised datasets

        ## Datasets
        | dataset | rows | one row is | natural key |
        |---|---:|---|---|
        | `crimes` | 3 | one recorded crime | `crime_ref` |

        ## `crimes`
        3 rows; one row is one recorded crime.
        Keys: `id` INTEGER PRIMARY KEY, UNIQUE(`crime_ref`) WHERE NOT `crime_ref_collision`, UNIQUE(`source_file`, `source_record`).
        Indexes: `month`; `ward_code`.

        | column | type | warehouse | meaning |
        |---|---|---|---|
        | `crime_ref` | text | TEXT | the reference |
        | `month` | month | TEXT YYYY-MM | the month |
        | `easting` | integer | INTEGER | metres |
        | `crime_ref_collision` | boolean | INTEGER 1/0 (CSV: true/false) | flag |
        | `source_file` | text | TEXT NOT NULL | lineage |
        | `source_record` | integer | INTEGER NOT NULL | lineage |

        ## `areas`
        Keys: `id` INTEGER PRIMARY KEY, UNIQUE(`layer`, `code`).

        | column | type | warehouse | meaning |
        |---|---|---|---|
        | `layer` | text | TEXT NOT NULL | layer |
        | `code` | text | TEXT NOT NULL | code |
        """

    @Test func readsTablesKeysAndIndexes() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("dict-\(UUID().uuidString).md").path
        try Self.text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let d = try DataDictionary(path: path)
        #expect(d.tables.keys.sorted() == ["areas", "crimes"])
        let c = try #require(d.tables["crimes"])
        #expect(c.columns.map(\.name) == ["crime_ref", "month", "easting", "crime_ref_collision", "source_file", "source_record"])
        #expect(c.columns.map(\.type) == [.text, .month, .integer, .boolean, .text, .integer])
        #expect(c.columns.filter(\.notNull).map(\.name) == ["source_file", "source_record"])
        #expect(c.unique.count == 2)
        #expect(c.unique[0].columns == ["crime_ref"] && c.unique[0].exempt == "crime_ref_collision")
        #expect(c.unique[1].columns == ["source_file", "source_record"] && c.unique[1].exempt == nil)
        #expect(c.indexes == [["month"], ["ward_code"]])
        #expect(d.tables["areas"]?.unique.first?.columns == ["layer", "code"])
    }

    @Test func unknownTypeIsRefusedWithItsLine() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("dict-\(UUID().uuidString).md").path
        try Self.text.replacingOccurrences(of: "| `easting` | integer |", with: "| `easting` | geometry |").write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect { try DataDictionary(path: path) } throws: { e in
            "\(e)".contains("easting") && "\(e)".contains("geometry") && "\(e)".contains("line 17")
        }
    }
}
