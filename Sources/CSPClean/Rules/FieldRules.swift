import CSPCore
import CSPSchema
import CSPStorage

/// Field-level cleaning rules shared by the cleaners; each failure is a `CleanRejection` with its rule id.
enum FieldRules {
    /// A required date (with or without time).
    static func date(_ row: InputRow, _ field: String, personal: Bool = false) throws -> LocalDateTime {
        let text = row[field]
        if Text.trim(text).isEmpty {
            throw CleanRejection(rule: "clean.date.missing", field: field, value: "", message: "\(field) is blank", personal: personal)
        }
        switch DateParser.parse(text) {
        case .success(let v): return v
        case .failure(let p):
            // A personal value (a date of birth) never appears in the message: the value column is masked instead.
            let shown = personal ? "" : " `\(text)`"
            throw CleanRejection(rule: p.rule, field: field, value: text,
                                 message: p == .impossible ? "\(field)\(shown) is not a real date or time" : "\(field)\(shown) is not in a date layout csp knows (dd/mm/yyyy [HH:MM], yyyy-mm-dd[THH:MM], dd-Mon-yy HH:MM)",
                                 personal: personal)
        }
    }

    /// An optional date: blank gives nil.
    static func optionalDate(_ row: InputRow, _ field: String, personal: Bool = false) throws -> LocalDateTime? {
        Text.trim(row[field]).isEmpty ? nil : try date(row, field, personal: personal)
    }

    /// A yes/no flag; blank is false.
    static func flag(_ row: InputRow, _ field: String) throws -> String {
        guard row.has(field) else { return "" }
        guard let v = Vocabulary.flag(row[field]) else {
            throw CleanRejection(rule: "clean.flag.invalid", field: field, value: row[field], message: "\(field) `\(row[field])` is not a yes/no value (Y, N, Yes, No, True, False, 1, 0)")
        }
        return v ? "true" : "false"
    }

    /// A yes/no flag where blank means not known (kept blank).
    static func optionalFlag(_ row: InputRow, _ field: String) throws -> String {
        Text.trim(row[field]).isEmpty ? "" : try flag(row, field)
    }

    /// Sex as M, F or U.
    static func sex(_ row: InputRow, _ field: String) throws -> String {
        guard let v = Vocabulary.sex(row[field]) else {
            throw CleanRejection(rule: "clean.sex.invalid", field: field, value: row[field], message: "\(field) `\(row[field])` is not a sex code (M, F, U, Male, Female, Unknown)")
        }
        return v
    }

    /// An optional whole number (metres of easting/northing, counts); blank stays blank.
    static func optionalInteger(_ row: InputRow, _ field: String, range: ClosedRange<Int>? = nil) throws -> String {
        let t = Text.trim(row[field])
        if t.isEmpty { return "" }
        guard let v = Int(t) ?? Double(t).flatMap({ $0.isFinite && $0 == $0.rounded() ? Int($0) : nil }) else {
            throw CleanRejection(rule: "clean.number.invalid", field: field, value: t, message: "\(field) `\(t)` is not a whole number")
        }
        if let range, !range.contains(v) {
            throw CleanRejection(rule: "clean.number.out-of-range", field: field, value: t, message: "\(field) \(v) is outside \(range.lowerBound)…\(range.upperBound)")
        }
        return String(v)
    }

    /// Optional WGS84 coordinates for Great Britain; both blank is fine (no location), one blank is rejected.
    static func coordinates(_ row: InputRow, longitude: String = "longitude", latitude: String = "latitude") throws -> (String, String) {
        let lon = Text.trim(row[longitude]), lat = Text.trim(row[latitude])
        if lon.isEmpty && lat.isEmpty { return ("", "") }
        guard let x = Double(lon), let y = Double(lat) else {
            throw CleanRejection(rule: "clean.coordinate.invalid", field: lon.isEmpty || Double(lon) == nil ? longitude : latitude,
                                 value: "\(lon) \(lat)", message: "coordinates `\(lon)`, `\(lat)` are not a longitude and latitude pair")
        }
        guard (-9.0...2.5).contains(x), (49.0...61.5).contains(y) else {
            throw CleanRejection(rule: "clean.coordinate.out-of-range", field: longitude, value: "\(lon) \(lat)", message: "coordinates \(lon), \(lat) are outside Great Britain")
        }
        return (lon, lat)
    }

    /// The group of an ethnicity value through the `ethnicity_groups` reference; blank → Not known; unknown → rejected.
    static func ethnicityGroup(_ row: InputRow, _ field: String, table: ReferenceTable) throws -> String {
        let v = Text.trim(row[field])
        if v.isEmpty { return "Not known" }
        guard let g = table.value(v, column: "group") else {
            throw CleanRejection(rule: "clean.ethnicity.unknown", field: field, value: v, message: "ethnicity `\(v)` is not in the reference table `\(table.name)`")
        }
        return g
    }
}
