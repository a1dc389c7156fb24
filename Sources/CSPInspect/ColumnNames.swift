import Foundation

/// How `csp inspect --draft-mapping` reads a column's name: its words, whether it looks personal, and which entity
/// field it probably fills. These are naming conventions of the exports csp meets (a header is `IncidentNumber`,
/// `INCIDENT_NUMBER` or `incident number`), not answers for one file: a column is only proposed for a field when its
/// values fit the field's type too, and every proposal is a draft a person reads.
public enum ColumnNames {
    /// The name in lower case with everything but letters and digits removed; for an XML path, its last step
    /// (`Location/Ward` → `ward`, `@extracted` → `extracted`).
    public static func squashed(_ column: String) -> String {
        let last = column.split(separator: "/").last.map(String.init) ?? column
        let local = last.split(separator: ":").last.map(String.init) ?? last
        return String(local.lowercased().unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) && $0.isASCII }.map(Character.init))
    }

    /// The name's words in lower case: split at spaces, punctuation and lower-to-upper case changes
    /// (`DateOfCall` → date, of, call; `IncGeo_WardCode` → inc, geo, ward, code).
    public static func words(_ column: String) -> [String] {
        let last = column.split(separator: "/").last.map(String.init) ?? column
        var out: [String] = [], current = ""
        var previousLower = false
        for ch in last {
            if !(ch.isLetter || ch.isNumber) {
                if !current.isEmpty { out.append(current.lowercased()); current = "" }
                previousLower = false
                continue
            }
            if ch.isUppercase && previousLower && !current.isEmpty { out.append(current.lowercased()); current = "" }
            current.append(ch)
            previousLower = ch.isLowercase || ch.isNumber
        }
        if !current.isEmpty { out.append(current.lowercased()) }
        return out
    }

    /// Words that make a column personal on their own.
    static let personalWords: Set<String> = ["surname", "forename", "forenames", "firstname", "lastname", "fullname", "dob", "birth",
                                             "address", "street", "postcode", "uprn", "usrn", "phone", "telephone", "tel", "mobile", "email"]
    /// Words that, before `name`, make it a person's name.
    static let personWords: Set<String> = ["person", "caller", "victim", "offender", "suspect", "full", "given", "family", "first", "last", "middle", "contact", "owner"]
    /// Words that, after `address`, make it a description rather than an address (`AddressQualifier`).
    static let addressDescriptions: Set<String> = ["qualifier", "type"]

    /// Whether a column's values look personal (names, dates of birth, addresses, postcodes, UPRN, USRN, phone,
    /// e-mail): its values are never printed.
    public static func isPersonal(_ column: String) -> Bool {
        let w = words(column)
        if w == ["name"] { return true }
        for (i, word) in w.enumerated() {
            if word == "address", i + 1 < w.count, addressDescriptions.contains(w[i + 1]) { continue }
            if personalWords.contains(word) { return true }
            if word == "name", i > 0, personWords.contains(w[i - 1]) { return true }
        }
        let s = squashed(column)
        return s.contains("dateofbirth") || s.contains("birthdate") || s.contains("postcode") || s.hasSuffix("surname") || s.hasSuffix("forename")
    }

    /// Name endings (squashed) that suggest a field, most telling first. A field not listed is matched by its own
    /// name (`offence_date` ↔ `OffenceDate`). Several columns for a coded field (`incident_type`) are read together.
    public static let hints: [String: [String]] = [
        "incident_ref": ["incidentnumber", "incidentno", "incidentid", "incidentref", "incidentreference"],
        "crime_ref": ["crimenumber", "crimeno", "crimeid", "crimeref", "crimereference"],
        "young_person_ref": ["ypid", "youngpersonid", "youngpersonref", "personid"],
        "respondent_ref": ["respondentid", "respondentref", "respondentno", "respondent"],
        "call_time": ["datetimeofcall", "dateofcall", "calldate", "calldatetime", "timeofcall"],
        "opened": ["opened", "openeddate", "dateopened", "opendate", "reporteddate", "incidentdate"],
        "committed_from": ["committedfrom", "committedfromdate", "datefrom", "committeddate"],
        "committed_to": ["committedto", "committedtodate", "dateto"],
        "recorded_date": ["recordeddate", "daterecorded"],
        "ho_code": ["hocode", "homeofficecode", "offencecode", "hooffencecode"],
        "incident_type": ["incidentgroup", "typeofincident", "incidenttype", "stopcodedescription", "specialservicetype"],
        "property_type": ["propertycategory", "propertytype"],
        "fatal_casualties": ["fatalcasualties", "fatalities", "deaths"],
        "non_fatal_casualties": ["nonfatalcasualties", "injuries"],
        "ward_text": ["wardnamenew", "wardname", "ward"],
        "ward_reported_code": ["wardcode"],
        "district_code": ["districtcode", "boroughcode", "lacode", "ladcode", "authoritycode"],
        "station": ["incidentstationground", "stngroundname", "stationground", "stationname", "station"],
        "first_pump_seconds": ["firstpumparrivingattendancetime", "firstpumpattendancetime", "firstpumpseconds"],
        "pumps_attending": ["numpumpsattending", "pumpsattending", "pumpcount", "numberofpumps"],
        "category": ["category", "asbcategory", "incidentcategory", "asbtype"],
        "repeat_caller": ["repeatcaller", "repeat"],
        "lsoa_code": ["lsoacode", "lsoa", "lsoa11cd", "lsoa21cd"],
        "extracted_date": ["extracteddate", "extracted", "extractdate"],
        "date_of_birth": ["dob", "dateofbirth", "birthdate"],
        "first_time_entrant": ["fte", "firsttimeentrant"],
        "sex": ["sex", "gender"],
        "last_outcome": ["lastoutcomecategory", "lastoutcome"],
    ]

    /// How well `column` names `field`: nil when it does not, else a rank (0 best). Fields whose hints are
    /// listed use them; every field also matches its own name squashed (`offence_date` ↔ `OffenceDate`).
    public static func rank(_ column: String, for field: String) -> Int? {
        let s = squashed(column)
        let own = field.replacingOccurrences(of: "_", with: "")
        if s == own { return 0 }
        guard let list = hints[field] else { return nil }
        for (i, h) in list.enumerated() where s == h || s.hasSuffix(h) { return i + 1 }
        return nil
    }
}
