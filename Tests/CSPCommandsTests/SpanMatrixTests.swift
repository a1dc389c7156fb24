import CSPTestSupport
import Foundation
import Testing

/// Right for any partnership and any span of months: the release `csp` on spans of 1, 6, 12, 13, 24 and 36 months of
/// the shared data, for Central Bedfordshire (its own pipeline on the Bedfordshire archive), Luton (the national
/// pipeline on the same months, `--set csp=E22000010`) and the City of London (the national pipeline on 18 months of
/// City of London Police, three of them without a stop-and-search file, `--set csp=E22000180`).
///
/// Every run exits 0; which periods are available is worked out here from the span alone (the scheme of the README:
/// anchored on the last month; a comparison period only when wholly inside the data), and each theme's volumes,
/// comparisons, trend, seasonality and scanning ticks must be `*` exactly where the span cannot answer them; no
/// judged column is ticked (no partnership here has a judgements file); the report says what it cannot answer, and no
/// summary sentence compares with a period outside the data.
@Suite(.serialized) struct SpanMatrixTests {
    struct Month: Comparable {
        let index: Int
        init(_ text: String) { let p = text.split(separator: "-"); index = Int(p[0])! * 12 + Int(p[1])! - 1 }
        init(index: Int) { self.index = index }
        var text: String { String(format: "%04d-%02d", index / 12, index % 12 + 1) }
        static func < (a: Month, b: Month) -> Bool { a.index < b.index }
    }

    /// A folder of the `count` month folders of `source` ending with `last` (symbolic links).
    static func span(_ source: String, last: String, count: Int, in dir: TempDir, name: String) -> String {
        let folder = dir.path + "/" + name
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let end = Month(last)
        for i in (end.index - count + 1)...end.index {
            let m = Month(index: i).text
            try? FileManager.default.createSymbolicLink(atPath: folder + "/" + m, withDestinationPath: source + "/" + m)
        }
        return folder
    }

    static func csp(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: try CLI.releaseTool("csp"))
        p.arguments = arguments
        p.currentDirectoryURL = URL(fileURLWithPath: CLI.repositoryRoot)
        // Standard error goes to a file, so that neither pipe can fill and block the process.
        let errPath = NSTemporaryDirectory() + "/span-matrix-\(UUID().uuidString).err"
        FileManager.default.createFile(atPath: errPath, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: errPath) }
        let out = Pipe()
        p.standardOutput = out; p.standardError = FileHandle(forWritingAtPath: errPath); p.standardInput = FileHandle.nullDevice
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
    }

    /// The period months of the README's scheme, anchored on `anchor`.
    static func periods(anchor: Month) -> [(name: String, from: Month, to: Month)] {
        [("current", -5, 0), ("previous_year", -17, -12), ("previous_six_months", -11, -6), ("twelve_months", -11, 0), ("previous_twelve_months", -23, -12)]
            .map { ($0.0, Month(index: anchor.index + $0.1), Month(index: anchor.index + $0.2)) }
    }

    /// Checks one assessment folder against its span of `months` months ending `last` (street files in every month).
    static func check(_ assess: String, last: String, months: Int, label: String) throws {
        let end = Month(last), first = Month(index: end.index - months + 1)
        let available = Dictionary(uniqueKeysWithValues: periods(anchor: end).map { p in
            (p.name, p.name.hasPrefix("previous") ? p.from >= first && p.to <= end : p.to >= first)
        })
        let profiles = StageTestSupport.csvRows(assess + "/tables/theme-profiles.csv")
        let h = profiles[0]
        func col(_ name: String) -> Int { h.firstIndex(of: name)! }
        #expect(profiles.count > 10, "\(label): \(profiles.count - 1) themes")
        for r in profiles.dropFirst() {
            for (p, ok) in available {
                let v = r[col("volume_" + p)]
                #expect(ok ? Int(v) != nil : v == "*", "\(label) \(r[0]) volume_\(p) = \(v) (available: \(ok))")
            }
            for (cells, a, b) in [(["change_current_vs_previous_year", "percent_change", "performance_current", "p_current"], "current", "previous_year"),
                                  (["change_12m", "percent_change_12m", "performance_12m", "p_12m"], "twelve_months", "previous_twelve_months"),
                                  (["change_current_vs_previous_six_months", "percent_change_6m", "performance_6m", "p_6m"], "current", "previous_six_months")] {
                let ok = available[a]! && available[b]!
                for c in cells where c != "percent_change" && c != "percent_change_12m" && c != "percent_change_6m" {
                    #expect(ok ? r[col(c)] != "*" : r[col(c)] == "*", "\(label) \(r[0]) \(c) = \(r[col(c)])")
                }
            }
            // Trend and seasonality need 24 months with data.
            if months < 24 {
                #expect(r[col("trend")] == "*" && r[col("seasonality")] == "*", "\(label) \(r[0]) trend \(r[col("trend")]) seasonality \(r[col("seasonality")])")
            }
        }
        // No judged column is ticked or scored: no partnership here has judgements. The computed trend tick needs
        // 24 months, or both twelve-month periods.
        let scanning = StageTestSupport.csvRows(assess + "/tables/priority-scanning.csv")
        let judged = ["Police and Crime Plan priority", "Serious Violence Duty", "Partnership plan priority"]
        for r in scanning.dropFirst() {
            for j in judged { #expect(r[scanning[0].firstIndex(of: j)!] == "*", "\(label) \(r[1]) \(j)") }
            if months < 24 { #expect(r[scanning[0].firstIndex(of: "Increasing trend")!] == "*", "\(label) \(r[1]) Increasing trend") }
            #expect(!scanning[0].contains("LAA Priority") && !scanning[0].contains("PSA"))
        }
        let matrix = StageTestSupport.csvRows(assess + "/tables/threat-risk-matrix.csv")
        for r in matrix.dropFirst() {
            for j in ["Harm", "Current activity"] { #expect(r[matrix[0].firstIndex(of: j)!] == "*", "\(label) \(r[1]) \(j)") }
        }
        // The report says what it cannot answer; no sentence compares with a period outside the data.
        let report = StageTestSupport.read(assess + "/report.html")
        #expect(report.contains("no `judgements` reference file"), "\(label): the report does not say the judgements are missing")
        if available.values.contains(false) {
            #expect(report.contains("Not available (<code>*</code>"), "\(label): the report does not name the periods it cannot answer")
        }
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: assess + "/assessment.json"))) as! [String: Any]
        let sentences = ((json["summary"] as? [String: Any])?["sentences"] as? [[String: Any]] ?? []).compactMap { $0["text"] as? String }
        for s in sentences {
            #expect(!s.contains("against 0)"), "\(label): \(s)")
            if !available["previous_year"]! { #expect(!s.contains("a year earlier"), "\(label): \(s)") }
            if !available["previous_twelve_months"]! { #expect(!s.contains("against the twelve before"), "\(label): \(s)") }
        }
    }

    static let spans = [1, 6, 12, 13, 24, 36]

    @Test(arguments: spans) func centralBedfordshireOnItsOwnPipeline(months: Int) throws {
        let archive = try RealData.require("police-uk-archive")
        let dir = TempDir(); defer { dir.cleanup() }
        let folder = Self.span(archive, last: "2024-04", count: months, in: dir, name: "months")
        let p = "Pipelines/police-uk-central-bedfordshire.yaml", out = dir.path + "/out"
        let r = try Self.csp(["run", "--pipeline", p, "--output", out, "--set", "realdata=" + RealData.root, "--set", "police_uk=" + folder, "--quiet"])
        #expect(r.status == 0, "\(months) months: \(r.stderr.suffix(2000))")
        try Self.check(out + "/police-uk-central-bedfordshire/latest/05-assess", last: "2024-04", months: months, label: "Central Bedfordshire \(months)m")
    }

    /// The national pipeline on a span of months, then one partnership's assessment of it.
    static func national(_ source: String, last: String, months: Int, csp code: String, label: String) throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let folder = span(source, last: last, count: months, in: dir, name: "months")
        let p = "Pipelines/police-uk-england-wales.yaml", out = dir.path + "/out"
        let sets = ["--set", "realdata=" + RealData.root, "--set", "police_uk=" + folder]
        let r = try csp(["run", "--pipeline", p, "--output", out, "--quiet"] + sets)
        #expect(r.status == 0, "\(label): \(r.stderr.suffix(2000))")
        let a = try csp(["stage", "assess", "--pipeline", p, "--output", out, "--quiet", "--set", "csp=" + code] + sets)
        #expect(a.status == 0, "\(label): \(a.stderr.suffix(2000))")
        try check(out + "/police-uk-england-wales/latest/05-assess", last: last, months: months, label: label)
        // The City's 2017-05 street file has no anti-social behaviour row (counted in the raw file): a gap, not a zero.
        if code == "E22000180", months >= 2 {
            let report = StageTestSupport.read(out + "/police-uk-england-wales/latest/05-assess/report.html")
            #expect(report.contains("months whose export holds no record of it at all, left out as gaps (not zeros): 2017-05"), "\(label)")
        }
    }

    @Test(arguments: spans) func lutonThroughTheNationalPipeline(months: Int) throws {
        try Self.national(try RealData.require("police-uk-archive"), last: "2024-04", months: months, csp: "E22000010", label: "Luton \(months)m")
    }

    @Test(arguments: [1, 6, 12, 13, 18]) func cityOfLondonOnItsOwnForcesMonths(months: Int) throws {
        try Self.national(try RealData.require("police-uk-city-of-london"), last: "2017-06", months: months, csp: "E22000180", label: "City of London \(months)m")
    }

    /// Street files that run on after the outcomes and stop-and-search files stop: the crime themes anchor on the
    /// street files' last month, stop and search on its own, and the outcomes section says where its files end.
    @Test func aSourceThatStopsEarlierLimitsOnlyItsOwnSections() throws {
        let archive = try RealData.require("police-uk-archive")
        let dir = TempDir(); defer { dir.cleanup() }
        let folder = dir.path + "/months"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for i in Month("2022-05").index...Month("2024-04").index {
            let m = Month(index: i).text
            if i <= Month("2023-10").index {
                try FileManager.default.createSymbolicLink(atPath: folder + "/" + m, withDestinationPath: archive + "/" + m)
            } else {
                try FileManager.default.createDirectory(atPath: folder + "/" + m, withIntermediateDirectories: true)
                try FileManager.default.createSymbolicLink(atPath: folder + "/\(m)/\(m)-bedfordshire-street.csv", withDestinationPath: archive + "/\(m)/\(m)-bedfordshire-street.csv")
            }
        }
        let p = "Pipelines/police-uk-central-bedfordshire.yaml", out = dir.path + "/out"
        let r = try Self.csp(["run", "--pipeline", p, "--output", out, "--set", "realdata=" + RealData.root, "--set", "police_uk=" + folder, "--quiet"])
        #expect(r.status == 0, "\(r.stderr.suffix(2000))")
        let assess = out + "/police-uk-central-bedfordshire/latest/05-assess"
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: assess + "/assessment.json"))) as! [String: Any]
        let periods = json["periods"] as! [String: [String: String]]
        #expect(periods["current"]?["to"] == "2024-04-30", "\(periods)")
        let ss = StageTestSupport.csvRows(assess + "/tables/stop-search.csv")
        #expect(ss[1][ss[0].firstIndex(of: "period_to")!] == "2023-10", "stop and search ends with its own files: \(ss[1])")
        let report = StageTestSupport.read(assess + "/report.html")
        #expect(report.contains("Outcome files cover 2022-05 to 2023-10. They end before the crimes' period does (2024-04)"))
        #expect(report.contains("anchored on 2023-10, the latest complete month of the coverage calendar for `stop-search`"))
        #expect(report.contains("Periods: anchored on 2024-04, the latest complete month of the coverage calendar for `street`"))
        try Self.check(assess, last: "2024-04", months: 24, label: "street to 2024-04, the rest to 2023-10")
    }

    /// Months that do not meet (six in 2021, eight in 2023-24): the two years between are a coverage gap, not zeros.
    /// A comparison period wholly in the gap, or with fewer than half its months (previous six months: 2 of 6), is
    /// `*`; `twelve_months` counts its eight months with data and says so.
    @Test func monthsThatDoNotMeetLeaveAGapNotZeros() throws {
        let archive = try RealData.require("police-uk-archive")
        let dir = TempDir(); defer { dir.cleanup() }
        let folder = dir.path + "/months"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for m in (Month("2021-05").index...Month("2021-10").index).map({ Month(index: $0).text }) + (Month("2023-09").index...Month("2024-04").index).map({ Month(index: $0).text }) {
            try FileManager.default.createSymbolicLink(atPath: folder + "/" + m, withDestinationPath: archive + "/" + m)
        }
        let p = "Pipelines/police-uk-central-bedfordshire.yaml", out = dir.path + "/out"
        let r = try Self.csp(["run", "--pipeline", p, "--output", out, "--set", "realdata=" + RealData.root, "--set", "police_uk=" + folder, "--quiet"])
        #expect(r.status == 0, "\(r.stderr.suffix(2000))")
        let assess = out + "/police-uk-central-bedfordshire/latest/05-assess"
        let profiles = StageTestSupport.csvRows(assess + "/tables/theme-profiles.csv")
        let h = profiles[0]
        for row in profiles.dropFirst() {
            func v(_ c: String) -> String { row[h.firstIndex(of: c)!] }
            #expect(v("volume_previous_year") == "*" && v("volume_previous_six_months") == "*" && v("volume_previous_twelve_months") == "*", "\(row[0])")
            #expect((Int(v("volume_current")) ?? -1) <= (Int(v("volume_twelve_months")) ?? -2), "\(row[0]): twelve_months holds current")
            #expect(v("performance_current") == "*" && v("performance_6m") == "*" && v("performance_12m") == "*" && v("trend") == "*", "\(row[0])")
        }
        let report = StageTestSupport.read(assess + "/report.html")
        #expect(report.contains("twelve months counts 8 of its 12 months"), "the report does not say twelve_months is partial")
        #expect(report.contains("previous six months, only 2 of its 6 months have data"), "the report does not say why the previous six months are *")
    }
}
