import CSPTestSupport
import CSPCore
import CSPCSV
import CSPGeo
import Foundation
import Testing
@testable import CSPGeocode

/// Stage 3's point in polygon on the national ward files against an independent one (shapely), for every row of one
/// real force file: the literal is printed by `Tests/Reference/national_wards_reference.py --literals
/// 2024-01-bedfordshire-street.csv E06000055,E06000056,E06000032`. The whole national run is checked row by row by
/// the same script given a run folder (README, "National run").
@Suite struct NationalWardsReferenceTests {
    /// 2024-01-bedfordshire-street.csv: 4655 rows with a point; 4625 in 79 wards of Bedford, Central Bedfordshire, Luton.
    static let reference: [String: Int] = [
        "E05014394": 50, "E05014395": 39, "E05014396": 12, "E05014397": 21, "E05014398": 42, "E05014399": 67, "E05014400": 43, "E05014401": 37,
        "E05014402": 75, "E05014403": 45, "E05014404": 126, "E05014405": 46, "E05014406": 24, "E05014407": 38, "E05014408": 19, "E05014409": 54,
        "E05014410": 23, "E05014411": 10, "E05014412": 84, "E05014413": 90, "E05014414": 32, "E05014415": 99, "E05014416": 67, "E05014417": 14,
        "E05014418": 44, "E05014419": 44, "E05014420": 73, "E05014421": 42, "E05014422": 41, "E05014423": 64, "E05014424": 5, "E05014491": 16,
        "E05014492": 36, "E05014493": 16, "E05014494": 114, "E05014495": 162, "E05014496": 27, "E05014497": 63, "E05014498": 67, "E05014499": 9,
        "E05014500": 23, "E05014501": 143, "E05014502": 134, "E05014503": 17, "E05014504": 76, "E05014505": 24, "E05014506": 32, "E05014507": 22,
        "E05014508": 93, "E05014509": 32, "E05014510": 56, "E05014511": 18, "E05014512": 25, "E05014513": 24, "E05014514": 8, "E05014515": 49,
        "E05014516": 59, "E05014517": 26, "E05014518": 10, "E05014735": 40, "E05014736": 92, "E05014737": 51, "E05014738": 77, "E05014739": 412,
        "E05014740": 90, "E05014741": 68, "E05014742": 103, "E05014743": 107, "E05014744": 53, "E05014745": 41, "E05014746": 78, "E05014747": 70,
        "E05014748": 71, "E05014749": 41, "E05014750": 131, "E05014751": 58, "E05014752": 63, "E05014753": 59, "E05014754": 69
    ]

    @Test func everyWardCountOfABedfordshireMonthEqualsTheIndependentOne() throws {
        let wards = try RealData.require("national/ward-wd25")
        let file = try RealData.require("national/police-uk/2024-01/2024-01-bedfordshire-street.csv")
        let files = ["E06000055", "E06000056", "E06000032"].map { "{path: \(wards)/\($0).geojson, la_code: \($0)}" }
        let text = NationalGeographyTests.pipeline(wards, layer: "{id: ward, code: WD25CD, name: WD25NM, files: [\(files.joined(separator: ", "))]}")
        let p = try PipelineLoader().parse(text: text, file: NSTemporaryDirectory() + "/national-wards.yaml")
        let g = try Geography(pipeline: p, inputs: StageInputs(stage: .geocode, declared: try Geography.declaredInputs(for: p)))
        let geocoder = Geocoder(geography: g, pipeline: p)
        let reader = try CSVReader(path: file)
        let lon = try #require(reader.header.firstIndex(of: "Longitude")), lat = try #require(reader.header.firstIndex(of: "Latitude"))
        var counts: [String: Int] = [:], withPoint = 0
        while let r = reader.next() {
            guard let x = Double(r.fields[lon]), let y = Double(r.fields[lat]) else { continue }
            withPoint += 1
            let h = geocoder.point(OSGB36.fromWGS84(LonLat(lon: x, lat: y)))
            if h.kind == .placed { counts[g.layers[0].areas.features[h.ward].code, default: 0] += 1 }
        }
        #expect(withPoint == 4655)
        #expect(counts.values.reduce(0, +) == 4625)
        #expect(counts == Self.reference)
    }
}
