import CSPTestSupport
import CSPCore
import Foundation
import Testing
import CSPPipeline

/// What a real pipeline publishes for its periods, against an independent reference: the Central Bedfordshire
/// pipeline runs on four spans of the real archive (all 36 months; the same without 2023-08 and with 2024-04's street
/// file cut short; the 12 months 2023-05…2024-04; the 13 months 2023-04…2024-04; each a temporary folder of
/// symlinked month folders), and `Tests/Reference/periods_reference.py`
/// counts the raw street files of the same folder in Python (its own Crime ID, point in polygon and period rules,
/// scipy's binomial test). The derived periods (`assessment.json`) and every theme's period volumes, changes, per
/// cents, words and p-values (`theme-profiles.csv`) must equal the script's, cell by cell.
@Suite(.serialized) struct PeriodReferenceTests {
    /// One span's published figures and the reference's.
    struct Span: Sendable {
        let name: String
        /// `periods` of assessment.json: name → ["from", "to"].
        let periods: [String: [String: String]]
        /// theme id → column → cell of theme-profiles.csv.
        let published: [String: [String: String]]
        /// The reference's anchor month.
        let anchor: String
        /// The reference's periods: name → ["from", "to", "available" ("true"/"false"), "length"].
        let referencePeriods: [String: [String: String]]
        /// The reference's cells: theme id → column → cell.
        let referenceThemes: [String: [String: String]]

        /// Runs the pipeline on the months from `first` (all when nil) to the archive's last, without the month folder
        /// `without`, and with the street file of the month `short` cut to its first 1,000 rows; then the reference on
        /// the same folder.
        static func run(_ name: String, from first: String?, without: String? = nil, short: String? = nil) throws -> Span {
            let real = try StageTestSupport.requireRealData()
            let archive = try StageTestSupport.requireRealData("police-uk-archive")
            let root = StageTestSupport.temporaryFolder("periods-" + name)
            defer { try? FileManager.default.removeItem(atPath: root) }
            let fm = FileManager.default
            let months = root + "/months"
            try fm.createDirectory(atPath: months, withIntermediateDirectories: true)
            for m in try fm.contentsOfDirectory(atPath: archive).sorted() where (first.map { m >= $0 } ?? true) && m != without {
                guard m == short else {
                    try fm.createSymbolicLink(atPath: months + "/" + m, withDestinationPath: archive + "/" + m)
                    continue
                }
                try fm.createDirectory(atPath: months + "/" + m, withIntermediateDirectories: true)
                for file in try fm.contentsOfDirectory(atPath: archive + "/" + m) {
                    let source = archive + "/" + m + "/" + file
                    guard file.hasSuffix("-street.csv") else {
                        try fm.createSymbolicLink(atPath: months + "/" + m + "/" + file, withDestinationPath: source)
                        continue
                    }
                    // The header and 1,000 rows, cut after a line feed: a month `short` in the coverage calendar.
                    let bytes = try Data(contentsOf: URL(fileURLWithPath: source))
                    let ends = bytes.indices.filter { bytes[$0] == UInt8(ascii: "\n") }
                    try bytes[..<(ends[1000] + 1)].write(to: URL(fileURLWithPath: months + "/" + m + "/" + file))
                }
            }
            let pipeline = try PipelineLoader(overrides: ["realdata": real, "police_uk": months])
                .load(path: StageTestSupport.repositoryRoot + "/Pipelines/police-uk-central-bedfordshire.yaml")
            let summary = try PipelineRunner(pipeline: pipeline, stages: Stages.all, logger: StageTestSupport.logger).run(RunRequest(output: root + "/out"))
            let assess = RunLayout(output: root + "/out", pipeline: pipeline.name).stage(.assess, run: summary.runID)
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: assess + "/assessment.json"))) as? [String: Any]
            let rows = StageTestSupport.csvRows(assess + "/tables/theme-profiles.csv")
            var published: [String: [String: String]] = [:]
            if let header = rows.first {
                for r in rows.dropFirst() { published[r[0]] = Dictionary(zip(header, r), uniquingKeysWith: { a, _ in a }) }
            }
            let ref = try reference(months, realdata: real)
            let refPeriods = (ref["periods"] as? [String: [String: Any]] ?? [:]).mapValues { p in p.mapValues { "\($0)" } }
            .mapValues { p in p.merging(["available": (p["available"] == "1" || p["available"] == "true") ? "true" : "false"]) { _, b in b } }
            return Span(name: name, periods: json?["periods"] as? [String: [String: String]] ?? [:], published: published,
                        anchor: ref["anchor"] as? String ?? "", referencePeriods: refPeriods,
                        referenceThemes: ref["themes"] as? [String: [String: String]] ?? [:])
        }

        /// The script's JSON for a folder of months.
        static func reference(_ months: String, realdata: String) throws -> [String: Any] {
            try ReferenceScript.json("Tests/Reference/periods_reference.py", [months, "--realdata", realdata])
        }
    }


    /// Each span is run once; the periods test and the figures test of a span read the same run.
    static let full = Result { try Span.run("full", from: nil) }
    static let twelve = Result { try Span.run("twelve", from: "2023-05") }
    static let thirteen = Result { try Span.run("thirteen", from: "2023-04") }
    /// All 36 months without 2023-08 (a gap inside `twelve_months` and `previous_six_months`) and with 2024-04's street
    /// file short: the anchor is 2024-03, and the periods holding 2023-08 are one month shorter.
    static let gaps = Result { try Span.run("gaps", from: nil, without: "2023-08", short: "2024-04") }

    static let schemeNames = ["current", "previous_year", "previous_six_months", "twelve_months", "previous_twelve_months"]

    /// The derived periods: every period the reference finds available has its dates in assessment.json, and the
    /// reference's availability is what the spans are made to show.
    func checkPeriods(_ span: Span, unavailable: Set<String>) {
        let ref = span.referencePeriods
        #expect(Set(ref.filter { $0.value["available"] == "false" }.keys) == unavailable, "the reference's own periods of \(span.name)")
        for name in Self.schemeNames {
            guard let r = ref[name], r["available"] == "true" else { continue }
            #expect(span.periods[name] == ["from": r["from"] ?? "", "to": r["to"] ?? ""], "\(span.name): period \(name)")
        }
    }

    /// Every reference cell (volumes per period, and change, per cent, words and p of the three comparisons) of every
    /// theme equals the published cell.
    func checkFigures(_ span: Span) {
        let ref = span.referenceThemes
        #expect(ref.count == 12 && Set(span.published.keys) == Set(ref.keys), "\(span.name): themes")
        var wrong: [String] = []
        for (theme, cells) in ref.sorted(by: { $0.key < $1.key }) {
            for (column, value) in cells.sorted(by: { $0.key < $1.key }) where span.published[theme]?[column] != value {
                wrong.append("\(theme).\(column): published \(span.published[theme]?[column] ?? "<none>"), reference \(value)")
            }
        }
        #expect(wrong.isEmpty, "\(span.name): \(wrong.count) cells differ from the reference:\n\(wrong.joined(separator: "\n"))")
    }

    @Test func fullArchivePeriods() throws {
        let span = try Self.full.get()
        #expect(span.anchor == "2024-04")
        checkPeriods(span, unavailable: [])
    }

    @Test func fullArchiveFigures() throws { checkFigures(try Self.full.get()) }

    @Test func gapsPeriods() throws {
        let span = try Self.gaps.get()
        #expect(span.anchor == "2024-03")
        #expect(span.referencePeriods["twelve_months"]?["length"] == "11" && span.referencePeriods["previous_six_months"]?["length"] == "5")
        checkPeriods(span, unavailable: [])
    }

    @Test func gapsFigures() throws { checkFigures(try Self.gaps.get()) }

    @Test func twelveMonthPeriods() throws {
        checkPeriods(try Self.twelve.get(), unavailable: ["previous_year", "previous_twelve_months"])
    }

    @Test func twelveMonthFigures() throws { checkFigures(try Self.twelve.get()) }

    @Test func thirteenMonthPeriods() throws {
        checkPeriods(try Self.thirteen.get(), unavailable: ["previous_year", "previous_twelve_months"])
    }

    @Test func thirteenMonthFigures() throws { checkFigures(try Self.thirteen.get()) }
}
