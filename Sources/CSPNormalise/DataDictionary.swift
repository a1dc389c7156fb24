import CSPSchema
import CSPStorage
/// `DICTIONARY.md`: every published dataset and column with its type and meaning, row counts, keys, indexes and views.
/// Generated from the schema (the stage 2 `EntitySchema` meanings plus the geography, geocode and lineage columns);
/// it holds no time, run id or path, so the same inputs give the same bytes.
struct DataDictionary {
    let datasets: [(dataset: PublishedDataset, rows: Int)]
    let references: [(dataset: PublishedDataset, rows: Int)]
    let views: [WarehouseView]

    func render() -> String {
        var md = """
        # Data dictionary: normalised datasets

        Stage 4 (normalise) publishes each dataset twice: as `<dataset>.csv` in this folder and as a table of the same
        name in `warehouse.sqlite` (SQLite, schema version \(NormaliseStage.schemaVersion) in `PRAGMA user_version`).
        The CSV and the table hold the same rows in the same order; the table's `id` is the CSV's data row number.

        ## Conventions
        - **Blank is NULL.** An empty CSV cell is NULL in the warehouse, whatever the column's type.
        - **Types.** `integer` and `real` are stored as SQLite INTEGER and REAL; `boolean` is `true`/`false` in the CSV
          and INTEGER 1/0 in the warehouse; `date` (`YYYY-MM-DD`), `datetime` (`YYYY-MM-DD`, `YYYY-MM-DDTHH:MM` or
          `YYYY-MM-DDTHH:MM:SS`, UK local time) and `month` (`YYYY-MM`) are ISO 8601 TEXT. Every typed column has a CHECK
          on its storage class or shape (a real calendar day for dates); a row with a cell not of its column's type is
          not published but rejected (`rejects.csv`, rule `normalise.type.<type>`).
        - **Keys.** Every table has a surrogate `id INTEGER PRIMARY KEY`. Dataset rows are `UNIQUE(source_file, source_record)`,
          and datasets with a natural key are UNIQUE on it (NULLs never clash), except the rows its exemption column flags:
          `crimes` is `UNIQUE(crime_ref) WHERE NOT crime_ref_collision`, because data.police.uk sometimes publishes one Crime
          ID for two different records of a month (other place, crime type or outcome); stage 2 keeps both, flags them and
          lists them in `02-clean/collisions.csv` (a query that needs one row per Crime ID groups those rows). A row whose
          natural key or lineage is already published is not inserted: it goes to `duplicates.csv` (rule
          `normalise.duplicate.<columns>`, the message naming the row kept: the first in file order). Reference tables are `UNIQUE(layer, code)`; a clash
          there stops the stage.
        - **Lineage.** Every dataset row carries `source_file` and `source_record`: the raw file and the physical line
          where the record begins, so any row leads back to one line of one raw export.
        - **Areas.** `ward_code`/`ward_name` and `la_code`/`la_name`, and a `<layer>_code`/`<layer>_name` pair for each of the
          pipeline's other area layers; the `areas` table lists every layer's codes and names, `population` their residents, `geometry` their outlines.
        - **Spreadsheet safety (CSV injection).** In the CSVs, a text cell that begins with `=`, `+`, `-` or `@` (or a tab or
          carriage return) is prefixed with a single quote `'`, so that a spreadsheet shows it as text instead of running it
          as a formula. Numeric columns (`integer`, `real`, such as a longitude of `-0.52`) are never prefixed. The
          warehouse keeps the original values: query it, not the CSVs, when the exact text matters.

        ## Datasets
        | dataset | rows | one row is | natural key |
        |---|---:|---|---|

        """
        for (d, rows) in datasets + references {
            md += "| `\(d.name)` | \(rows) | \(d.meaning) | \(d.naturalKey.map { "`\($0)`" + (d.naturalKeyExemption.map { " (where not `\($0)`)" } ?? "") } ?? (d.hasLineage ? "none" : NormaliseCatalog.referenceKeys(d.name).map { "`\($0)`" }.joined(separator: ", "))) |\n"
        }
        for (d, rows) in datasets + references {
            md += "\n## `\(d.name)`\n\(rows) rows; one row is \(d.meaning).\n"
            var keys = ["`id` INTEGER PRIMARY KEY"]
            if let k = d.naturalKey { keys.append("UNIQUE(`\(k)`)" + (d.naturalKeyExemption.map { " WHERE NOT `\($0)`" } ?? "")) }
            keys.append(d.hasLineage ? "UNIQUE(`source_file`, `source_record`)" : "UNIQUE(" + NormaliseCatalog.referenceKeys(d.name).map { "`\($0)`" }.joined(separator: ", ") + ")")
            md += "Keys: " + keys.joined(separator: ", ") + ".\n"
            let indexes = d.indexes.map { "`" + $0.joined(separator: "`, `") + "`" }
            if !indexes.isEmpty { md += "Indexes: " + indexes.joined(separator: "; ") + ".\n" }
            md += "\n| column | type | warehouse | meaning |\n|---|---|---|---|\n"
            for c in d.columns {
                let storage = c.type.dictionaryNote + (c.notNull ? ", NOT NULL" : "")
                md += "| `\(c.name)` | \(c.type.rawValue) | \(storage) | \(Self.cell(c.meaning)) |\n"
            }
        }
        md += "\n## Views\n"
        if views.isEmpty { md += "No dataset has the columns the views need.\n" }
        for v in views {
            md += "\n### `\(v.name)`\n\(v.meaning.prefix(1).uppercased() + v.meaning.dropFirst()). Columns: \(v.columns.map { "`\($0)`" }.joined(separator: ", ")).\n"
            md += "```sql\n\(v.sql)\n```\n"
        }
        return md
    }

    /// Escapes a table cell.
    static func cell(_ s: String) -> String { s.replacingOccurrences(of: "|", with: "\\|") }
}
