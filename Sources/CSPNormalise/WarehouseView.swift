import CSPSchema
import CSPStorage
import GRDB

/// A view of the warehouse answering a common question; created only when its tables and columns exist.
public struct WarehouseView: Sendable, Equatable {
    /// View name.
    public let name: String
    /// What it answers.
    public let meaning: String
    /// Its columns.
    public let columns: [String]
    /// The SELECT it is defined by.
    public let sql: String

    /// The views for a set of published datasets: one monthly count per dataset with a month and a ward, and their union.
    public static func views(for datasets: [PublishedDataset]) -> [WarehouseView] {
        let byName = Dictionary(datasets.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        func has(_ table: String, _ columns: [String]) -> Bool { byName[table].map { d in columns.allSatisfy(d.has) } ?? false }
        var views: [WarehouseView] = []
        func grouped(_ name: String, _ table: String, _ keys: [String], _ meaning: String) {
            guard has(table, keys) else { return }
            let k = keys.map(\.quotedDatabaseIdentifier).joined(separator: ", ")
            views.append(WarehouseView(name: name, meaning: meaning, columns: keys + ["count"],
                                       sql: "SELECT \(k), COUNT(*) AS count FROM \(table.quotedDatabaseIdentifier) GROUP BY \(k) ORDER BY \(k)"))
        }
        grouped("crimes_by_month_ward_group", "crimes", ["month", "ward_code", "offence_group"], "recorded crimes per month, ward and offence group")
        grouped("asb_by_month_ward", "asb_incidents", ["month", "ward_code"], "anti-social behaviour incidents per month and ward")
        grouped("asb_by_month_ward_category", "asb_incidents", ["month", "ward_code", "category"], "anti-social behaviour incidents per month, ward and NSIR category")
        grouped("fires_by_month_ward_type", "fire_incidents", ["month", "ward_code", "incident_type", "motive"], "fire and rescue incidents per month, ward, incident type and motive")

        // The union: every dataset that has a month and a ward, named as in `dataset`.
        let monthly = datasets.filter { $0.has("month") && $0.has("ward_code") }.map(\.name)
        if !monthly.isEmpty {
            let parts = monthly.map { t in
                "SELECT '\(t)' AS dataset, \("month".quotedDatabaseIdentifier), \("ward_code".quotedDatabaseIdentifier), COUNT(*) AS count FROM \(t.quotedDatabaseIdentifier) GROUP BY 2, 3"
            }
            views.append(WarehouseView(name: "monthly_counts", meaning: "rows per dataset, month and ward, for every dataset with a month and a ward (\(monthly.joined(separator: ", ")))",
                                       columns: ["dataset", "month", "ward_code", "count"],
                                       sql: parts.joined(separator: " UNION ALL ") + " ORDER BY 1, 2, 3"))
        }
        return views
    }

    /// Creates the view.
    func create(in db: Database) throws {
        try db.execute(sql: "CREATE VIEW \(name.quotedDatabaseIdentifier) AS \(sql)")
    }
}
