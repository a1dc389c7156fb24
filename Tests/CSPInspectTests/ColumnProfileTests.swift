@testable import CSPInspect
import Testing

/// The column profile behind `--draft-mapping`, on values whose answers are written out by hand.
@Suite struct ColumnProfileTests {
    func profile(_ values: [String], name: String = "c") -> ColumnProfile {
        var p = ColumnProfile(name: name, personal: ColumnNames.isPersonal(name))
        for v in values { p.add(v) }
        return p
    }

    @Test func nullTokensAreBlanksAndNumbersWrittenWithZeroFractionAreWhole() {
        let p = profile(["416.0", "NULL", "12.0", " ", "NA", "3"])
        #expect(p.count == 6 && p.blanks == 3 && p.filled == 3)
        #expect(p.nullTokens == ["NULL": 1, "NA": 1])
        #expect(p.kind == .integer && p.zeroFraction && p.minimum == 3 && p.maximum == 416)
    }

    @Test func layoutsThatReadEveryValue() {
        #expect(profile(["01/02/2009 03:01", "31/12/2020 23:59"]).layoutsReadingAll.map(\.text) == ["dd/MM/yyyy HH:mm"])
        #expect(profile(["01 Jan 2009", "28 Feb 2010"]).layoutsReadingAll.map(\.text) == ["dd MMM yyyy"])
        // Every day 12 or less: day-first and month-first both read them.
        #expect(profile(["01/02/2009", "03/04/2009"]).layoutsReadingAll.map(\.text) == ["dd/MM/yyyy", "MM/dd/yyyy"])
        let time = profile(["00:00:37", "23:59:59"])
        #expect(time.kind == .time && time.layoutsReadingAll.map(\.text) == ["HH:mm:ss"])
        #expect(profile(["2009", "2010"]).kind == .integer)
    }

    @Test func distinctValuesAreCappedAndPersonalValuesNotKept() {
        let many = profile((1...30).map { "v\($0)" })
        #expect(many.distinct.count == ColumnProfile.distinctLimit && many.distinctOverflow)
        let dob = profile(["12/03/1993"], name: "DOB")
        #expect(dob.personal && dob.distinct.isEmpty && dob.kind == .date)
    }

    @Test func roundingNeedsTenValues() {
        #expect(profile((1...10).map { String(532_000 + $0 * 50) }).rounding == 50)
        #expect(profile((1...10).map { String(532_000 + $0 * 100) }).rounding == 100)
        #expect(profile(["532350", "170050"]).rounding == 1)
    }

    @Test func personalNamesAndCodesFromMeanings() {
        #expect(ColumnNames.isPersonal("Postcode_full") && ColumnNames.isPersonal("uprn") && ColumnNames.isPersonal("Surname"))
        #expect(!ColumnNames.isPersonal("AddressQualifier") && !ColumnNames.isPersonal("stn ground name") && !ColumnNames.isPersonal("IncGeo_WardName"))
        #expect(MappingDraft.codes(inMeaning: "M, F or U") == ["M", "F", "U"])
        #expect(MappingDraft.codes(inMeaning: "accidental, deliberate or not_known") == ["accidental", "deliberate", "not_known"])
        #expect(MappingDraft.codes(inMeaning: "outcome (reprimand, final warning, court disposals), tidied") == nil)
        #expect(MappingDraft.quoted("date_time of call") == "date_time of call")
        #expect(MappingDraft.quoted("Notional Cost (£)") == "\"Notional Cost (£)\"")
        #expect(MappingDraft.quoted("NULL") == "\"NULL\"" && MappingDraft.quoted("@extracted") == "\"@extracted\"")
    }
}
