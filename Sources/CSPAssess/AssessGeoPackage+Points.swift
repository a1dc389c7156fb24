import CSPCore
import CSPGeo
import CSPSchema
import CSPStorage
import GRDB

extension AssessGeoPackage {
    /// The point layers' datasets and the columns they carry when the table has them (what data.police.uk itself
    /// publishes with each point: its Crime ID, month, type, place description, LSOA, outcome; and the areas stage 3
    /// placed the point in).
    static let pointColumns: [(dataset: String, columns: [String])] = [
        ("crimes", ["crime_ref", "month", "offence_group", "location_description", "lsoa_code", "last_outcome", "ward_code", "ward_name", "lsoa21_code"]),
        ("asb_incidents", ["incident_ref", "month", "location_description", "lsoa_code", "ward_code", "ward_name", "lsoa21_code"]),
    ]

    /// Whether the pipeline's records may be published as points: every source is data.police.uk's (its points are
    /// public already). A force export's locations are not: the disclosure policy publishes counts by area.
    static func publishesPoints(_ pipeline: PipelineDefinition) -> Bool {
        !pipeline.sources.isEmpty && pipeline.sources.allSatisfy { [.policeUKStreet, .policeUKOutcomes, .policeUKStopSearch].contains($0.kind) }
    }

    /// `points_<dataset>`: the records of months `from`...`to` with a longitude and latitude, at National Grid metres
    /// (rounded to the metre: data.police.uk's points are snapped to its map points anyway), in table order.
    static func pointLayers(warehouse: AssessWarehouse, from: String, to: String) throws -> [GeoPackageWriter.Layer] {
        var layers: [GeoPackageWriter.Layer] = []
        for (dataset, wanted) in pointColumns where try warehouse.tableExists(dataset) {
            let present = try warehouse.queue.read { db in Set(try db.columns(in: dataset).map(\.name)) }
            guard present.isSuperset(of: ["longitude", "latitude", "month"]) else { continue }
            let columns = wanted.filter(present.contains)
            let list = columns.map { "\"\($0)\"" }.joined(separator: ", ")
            // Streamed from the warehouse into the GeoPackage (a national run's year is millions of points).
            let stream: ((GeoPackageGeometry, [DatabaseValueConvertible?]) throws -> Void) throws -> Void = { emit in
                try warehouse.queue.read { db in
                    let cursor = try Row.fetchCursor(db, sql: """
                        SELECT longitude, latitude, \(list) FROM "\(dataset)"
                        WHERE month BETWEEN ? AND ? AND longitude IS NOT NULL AND latitude IS NOT NULL ORDER BY id
                        """, arguments: [from, to])
                    while let row = try cursor.next() {
                        let p = OSGB36.fromWGS84(LonLat(lon: row[0], lat: row[1]))
                        let values: [DatabaseValueConvertible?] = (0..<columns.count).map { i in
                            let v: DatabaseValue = row[i + 2]
                            return v.isNull ? nil : v
                        }
                        try emit(.point(x: p.easting.rounded(), y: p.northing.rounded()), values)
                    }
                }
            }
            layers.append(GeoPackageWriter.Layer(
                table: "points_" + dataset,
                description: "\(dataset) of \(from)..\(to) at data.police.uk's published (anonymised, snapped) points, in National Grid metres",
                geometryType: "POINT", columns: columns.map { GeoPackageWriter.Column($0, "TEXT") }, stream: stream))
        }
        return layers
    }
}
