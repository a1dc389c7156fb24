import CSPSchema
import CSPStorage
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CSPCSV

extension PoliceUKStreetCleaner: FastPathProvider {
    func fastPath(header: [String]) -> (any FastRecordCleaner)? { PoliceUKStreetFastPath(cleaner: self, header: header) }
}

/// `PoliceUKStreetCleaner.clean` on the stage 1 bytes, for the shape nearly every data.police.uk row has: month
/// `YYYY-MM`, plain decimal coordinates inside Great Britain (or both blank), a known crime type, tidy location and
/// outcome text, an ASCII LSOA code. Any other row (every rejection included) returns nil and goes through `clean`,
/// so results are identical by construction; the fast path only has to be right on what it accepts.
///
/// Measured on 1M rows: the String per field, the trims, `Double(String)` and the reference lookups per row were most
/// of stage 2's time; here a row is a few byte scans and copies.
final class PoliceUKStreetFastPath: FastRecordCleaner {
    /// A crime type as the reference maps it: three views of texts that `owners` keeps for as long as the fast path
    /// lives. The struct stays trivial (no reference inside), so taking one out of `categories` per row costs no
    /// retain and release (keeping the owners inside it made stage 2 about 50% slower at 1M rows).
    struct Category {
        let asb: Bool
        let name: ByteView
        let group: ByteView
        let hoCategory: ByteView
    }

    private let cleaner: PoliceUKStreetCleaner
    // Stage 1 columns.
    private let crimeID: Int, month: Int, longitude: Int, latitude: Int, location: Int, lsoa: Int, crimeType: Int
    private let lastOutcome: Int?
    // Output columns.
    private let crimeCount = Entities.crimes.columns.count, asbCount = Entities.asbIncidents.columns.count
    private let crimeRef = Entities.crimes.index("crime_ref"), crimeMonth = Entities.crimes.index("month")
    private let crimeGroup = Entities.crimes.index("offence_group"), crimeHOCategory = Entities.crimes.index("ho_category")
    private let crimeDescription = Entities.crimes.index("offence_description")
    private let crimeLongitude = Entities.crimes.index("longitude"), crimeLatitude = Entities.crimes.index("latitude")
    private let crimeLSOA = Entities.crimes.index("lsoa_code"), crimeLocation = Entities.crimes.index("location_description")
    private let crimeOutcome = Entities.crimes.index("last_outcome")
    private let asbOpened = Entities.asbIncidents.index("opened"), asbMonth = Entities.asbIncidents.index("month")
    private let asbCategory = Entities.asbIncidents.index("category")
    private let asbLongitude = Entities.asbIncidents.index("longitude"), asbLatitude = Entities.asbIncidents.index("latitude")
    private let asbLSOA = Entities.asbIncidents.index("lsoa_code"), asbLocation = Entities.asbIncidents.index("location_description")
    private let crimesEntity: Int, asbEntity: Int

    /// Crime types seen, by their raw bytes: index in `categories`, or -1 for a type the reference lacks. Read per
    /// record: `@exclusivity(unchecked)` (one thread, no overlapping access; see `CSVWriter`).
    @exclusivity(unchecked) private var seen = SmallByteMap()
    @exclusivity(unchecked) private var categories: [Category] = []
    /// What keeps the categories' views valid.
    private var owners: [OwnedBytes] = []
    private var opened: [UInt8] = Array("YYYY-MM-01".utf8)
    private static let noLocation = Array("No location".utf8)

    init?(cleaner: PoliceUKStreetCleaner, header: [String]) {
        self.cleaner = cleaner
        // The last column of a name, as `InputRow` finds it.
        guard let crimeID = header.lastIndex(of: "crime_id"), let month = header.lastIndex(of: "month"),
              let longitude = header.lastIndex(of: "longitude"), let latitude = header.lastIndex(of: "latitude"),
              let location = header.lastIndex(of: "location"), let lsoa = header.lastIndex(of: "lsoa_code"),
              let crimeType = header.lastIndex(of: "crime_type") else { return nil }
        self.crimeID = crimeID; self.month = month; self.longitude = longitude; self.latitude = latitude
        self.location = location; self.lsoa = lsoa; self.crimeType = crimeType
        lastOutcome = header.lastIndex(of: "last_outcome")
        crimesEntity = cleaner.entities.firstIndex { $0.name == Entities.crimes.name }!
        asbEntity = cleaner.entities.firstIndex { $0.name == Entities.asbIncidents.name }!
    }


    func clean(_ record: CSVRawRecord, into row: CleanRow) -> Int? {
        let m = record.bytes(month)
        guard Self.isMonth(m) else { return nil }
        let lon = record.bytes(longitude), lat = record.bytes(latitude)
        if !(lon.isEmpty && lat.isEmpty) {
            guard let x = Bytes.plainDecimal(lon), let y = Bytes.plainDecimal(lat), (-9.0...2.5).contains(x), (49.0...61.5).contains(y) else { return nil }
        }
        guard let category = category(record.bytes(crimeType)) else { return nil }
        let place = record.bytes(location)
        guard Text.isTidy(place) else { return nil }
        let shownPlace = Bytes.equal(place, Self.noLocation) ? Bytes.empty : place
        let lsoaRaw = record.bytes(lsoa)
        let lsoaCode = Bytes.trimmed(lsoaRaw)
        guard DuplicateFinder.isASCII(lsoaCode) else { return nil }

        if category.asb {
            row.reset(fields: asbCount)
            for k in 0..<7 { opened[k] = m[k] }
            row.set(asbOpened, opened)
            row.set(asbMonth, m)
            row.set(asbCategory, category.name)
            row.set(asbLongitude, lon)
            row.set(asbLatitude, lat)
            row.setASCIIUppercased(asbLSOA, lsoaCode)
            row.set(asbLocation, shownPlace)
            return asbEntity
        }
        var outcome = Bytes.empty
        if let lastOutcome {
            outcome = record.bytes(lastOutcome)
            guard Text.isTidy(outcome) else { return nil }
        }
        let id = record.bytes(crimeID)
        row.reset(fields: crimeCount)
        row.set(crimeRef, Bytes.trimmed(id))
        row.set(crimeMonth, m)
        row.set(crimeGroup, category.group)
        row.set(crimeHOCategory, category.hoCategory)
        row.set(crimeDescription, category.name)
        row.set(crimeLongitude, lon)
        row.set(crimeLatitude, lat)
        row.setASCIIUppercased(crimeLSOA, lsoaCode)
        row.set(crimeLocation, shownPlace)
        row.set(crimeOutcome, outcome)
        return crimesEntity
    }

    /// The reference row of a crime type given as raw bytes (looked up once per distinct spelling), or nil.
    private func category(_ raw: ByteView) -> Category? {
        if let i = seen[raw] { return i < 0 ? nil : categories[i] }
        let type = Vocabulary.tidy(String(decoding: raw, as: UTF8.self))
        var index = -1
        if let cat = cleaner.categories.lookup(type) {
            let texts = [OwnedBytes(cat["crime_type"] ?? type), OwnedBytes(cat["offence_group"] ?? ""), OwnedBytes(cat["ho_category"] ?? "")]
            owners += texts
            categories.append(Category(asb: cat["entity"] == "asb_incidents", name: texts[0].view, group: texts[1].view, hoCategory: texts[2].view))
            index = categories.count - 1
        }
        seen.insert(raw, index)
        return index < 0 ? nil : categories[index]
    }

    /// `YYYY-MM` with a real month (what `DateParser` reads as the first of that month, printed back unchanged).
    static func isMonth(_ p: ByteView) -> Bool {
        guard p.count == 7, p[4] == UInt8(ascii: "-") else { return false }
        let d0 = p[0] &- 0x30, d1 = p[1] &- 0x30, d2 = p[2] &- 0x30, d3 = p[3] &- 0x30, d5 = p[5] &- 0x30, d6 = p[6] &- 0x30
        guard d0 <= 9, d1 <= 9, d2 <= 9, d3 <= 9, d5 <= 9, d6 <= 9 else { return false }
        let year = Int(d0) * 1000 + Int(d1) * 100 + Int(d2) * 10 + Int(d3)
        let month = Int(d5) * 10 + Int(d6)
        return year >= 1 && (1...12).contains(month)
    }
}

/// A small map from byte strings to Ints (distinct crime-type spellings): open addressing, keys copied in.
/// Stops taking new keys when full (lookups of others then miss, which only costs the slow lookup each time).
struct SmallByteMap {
    private var keys: [[UInt8]] = []
    private var values: [Int] = []
    private var slots = [Int16](repeating: -1, count: 1024)

    subscript(_ key: ByteView) -> Int? {
        var s = Self.slot(key)
        while true {
            let e = slots[s]
            if e < 0 { return nil }
            if Bytes.equal(key, keys[Int(e)]) { return values[Int(e)] }
            s = (s + 1) & 1023
        }
    }

    mutating func insert(_ key: ByteView, _ value: Int) {
        guard keys.count < 512, self[key] == nil else { return }
        var s = Self.slot(key)
        while slots[s] >= 0 { s = (s + 1) & 1023 }
        slots[s] = Int16(keys.count)
        keys.append(Array(key))
        values.append(value)
    }

    private static func slot(_ key: ByteView) -> Int {
        Int(truncatingIfNeeded: Bytes.hash(key, seed: 0x2545_F491_4F6C_DD1D)) & 1023
    }
}
