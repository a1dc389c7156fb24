import CSPCore
import GRDB

/// Named places from the records themselves, for a pipeline whose geography has no `place` layer: data.police.uk
/// publishes each crime at an anonymised snap point named "On or near …" (`location_description`; public, never a
/// street address). For each theme, the places with the most records over the last twelve months, in the
/// partnership (`top`) and inside each of the theme's hotspot wards (`inHotspots`).
///
/// Disclosure. A place's count is at most the count of its ward and of its LSOA, so it bounds them from below: a place
/// is named only when its count is at least the policy's threshold and neither its ward's nor its LSOA's count for
/// the theme is withheld (``DisclosedLayer``). A place whose records lie in several wards is counted in each.
struct AssessPlaces {
    /// One named place of a theme.
    struct Place: Equatable {
        let name: String
        let wardCode: String
        let ward: String
        let count: Int
    }

    /// How many places each list names at most.
    static let listLength = 3

    /// Per theme id: every place that may be named, largest count first (ties by name, then ward).
    let byTheme: [String: [Place]]
    /// Per theme id: the theme's hotspot ward names (as published) the `inHotspots` lists draw from.
    let hotspotWards: [String: [String]]

    /// A place as the lists name it: "On or near Tavistock Street (Bedford Castle)".
    static func label(_ p: Place) -> String { "\(p.name) (\(p.ward))" }

    /// The theme's top places in the partnership; nil when the theme has no place figures (`*`).
    func top(_ theme: String) -> [Place]? { byTheme[theme].map { Array($0.prefix(Self.listLength)) } }

    /// The theme's top places inside its hotspot wards; nil when the theme has no place figures.
    func inHotspots(_ theme: String) -> [Place]? {
        guard let all = byTheme[theme], let wards = hotspotWards[theme] else { return nil }
        return Array(all.filter { wards.contains($0.ward) }.prefix(Self.listLength))
    }

    /// `tables/places.csv`: every named place of every theme.
    func rows(themes: [ThemeAssessment]) -> [[String]] {
        var rows = [["theme_id", "theme", "place", "ward_code", "ward", "count", "in_hotspot_ward"]]
        for t in themes {
            for p in byTheme[t.theme.id] ?? [] {
                rows.append([t.theme.id, t.theme.name, p.name, p.wardCode, p.ward, String(p.count),
                             (hotspotWards[t.theme.id] ?? []).contains(p.ward) ? "yes" : "no"])
            }
        }
        return rows
    }

    /// Places of the `themes` whose dataset has `location_description` and `ward_code`, over the months `from`–`to`,
    /// as far as the published `areas` allow (rule above); `threshold` is the policy's.
    static func make(themes: [ThemeAssessment], areas: AreaDisclosure, warehouse: AssessWarehouse, from: String, to: String,
                     threshold: Int) throws -> AssessPlaces {
        var byTheme: [String: [Place]] = [:]
        var hotspotWards: [String: [String]] = [:]
        for t in themes where t.hasSeries {
            let cols = try warehouse.columns(t.theme.dataset)
            guard cols.contains("location_description"), cols.contains("ward_code"), let wards = areas.layer(t.theme.id, "ward") else { continue }
            let lsoaColumn = AssessClusters.layer + "_code"
            let lsoas = cols.contains(lsoaColumn) ? areas.layer(t.theme.id, AssessClusters.layer) : nil
            let f = try warehouse.filter(t.theme)
            let sql = "SELECT location_description, ward_code, " + (lsoas != nil ? lsoaColumn.quotedDatabaseIdentifier : "NULL")
                + ", COUNT(*) FROM \(t.theme.dataset.quotedDatabaseIdentifier) WHERE \(f.sql) AND month BETWEEN ? AND ?"
                + " AND location_description IS NOT NULL AND location_description <> '' AND ward_code IS NOT NULL GROUP BY 1, 2, 3"
            var args = f.arguments
            args += [from, to]
            let groups = try warehouse.queue.read { db in
                try Row.fetchAll(db, sql: sql, arguments: args).map { r in (name: r[0] as String, ward: r[1] as String, lsoa: r[2] as String?, count: r[3] as Int) }
            }
            let wardRows = Dictionary(wards.rows.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
            let withheldLSOAs = Set(lsoas?.rows.filter(\.withheld).map(\.code) ?? [])
            var counts: [String: (ward: DisclosedLayer.Row, count: Int, blocked: Bool)] = [:]
            for g in groups {
                guard let ward = wardRows[g.ward] else { continue }  // outside the partnership
                let key = g.name + "\u{1}" + g.ward
                let lsoaWithheld = g.lsoa.map(withheldLSOAs.contains) ?? false
                let before = counts[key] ?? (ward, 0, false)
                counts[key] = (ward, before.count + g.count, before.blocked || lsoaWithheld || ward.withheld)
            }
            byTheme[t.theme.id] = counts.compactMap { key, v -> Place? in
                guard !v.blocked, v.count >= threshold else { return nil }
                return Place(name: String(key.split(separator: "\u{1}")[0]), wardCode: v.ward.code, ward: v.ward.name, count: v.count)
            }
            .sorted { $0.count != $1.count ? $0.count > $1.count : ($0.name != $1.name ? $0.name < $1.name : $0.ward < $1.ward) }
            hotspotWards[t.theme.id] = wards.hotspots
        }
        return AssessPlaces(byTheme: byTheme, hotspotWards: hotspotWards)
    }
}
