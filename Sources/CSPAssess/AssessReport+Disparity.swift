import CSPCore
import CSPSchema
import Foundation

extension AssessReport {
    /// The stop-and-search section's part on ethnicity (from `tables/stop-search-disparity.csv`): for the partnership
    /// and the force, self-defined ethnicity, every power, a chart of searches per 1,000 residents by group and of each
    /// group's ratio to the White rate with its 95% interval; the share of searches whose ethnicity is not stated and
    /// what it does to the ratio; the force's searches without a location; and the table of both bases. Every figure
    /// is the table's (withheld `~` where the table withholds it); every text is escaped.
    func disparitySection(_ s: StopSearchSummary, _ d: StopSearchDisparity) -> String {
        var h = "<h3 id=\"stop-and-search-ethnicity\">Searches by ethnicity against residents</h3>"
        let located = d.forceTotal - d.forceWithoutLocation
        h += "<p>Searches per 1,000 Census 2021 residents of each broad ethnic group (\(HTML.escape(s.from)) to \(HTML.escape(s.to))), "
            + "and each group's rate divided by the White rate (disproportionality; 95% interval by the log method for a ratio of two "
            + "Poisson rates). Self-defined ethnicity is mapped to the five Census groups by its leading word; \"Not stated\" and blank "
            + "searches have no residents and no rate. The partnership's searches are those located in it; the force's are all its "
            + "searches, \(HTML.escape(Self.grouped(d.forceWithoutLocation))) of \(HTML.escape(Self.grouped(d.forceTotal))) "
            + "(\(HTML.escape(AssessFormat.fixed(d.forceTotal > 0 ? 100 * Double(d.forceWithoutLocation) / Double(d.forceTotal) : nil, 1)))%) "
            + "without a location (they belong to the force, not to a council), \(HTML.escape(Self.grouped(located))) located. "
            + "Section 60 searches are counted apart as well (<code>legislation_group</code> <code>section_60</code>). "
            + "Source: tables/stop-search-disparity.csv.</p>"
        h += "<div class=\"charts\">"
        for a in d.areas.indices {
            h += "<figure>\(disparityChart(s, d, area: a))<figcaption>\(HTML.escape(d.areas[a].name)) (\(HTML.escape(d.areas[a].kind))), self-defined "
                + "ethnicity: searches per 1,000 residents (bars) and ratio to the White rate with its 95% interval (dots and lines; the "
                + "dashed line is 1, no difference)</figcaption></figure>"
        }
        h += "</div>"
        // Not stated: its share, and what it does to the ratio.
        var rows = [["Area", "Basis", "Not stated or blank", "Group", "Ratio, not stated left out (= shared in proportion)", "Ratio if every not-stated search were White"]]
        for a in d.areas.indices {
            for b in StopSearchDisparity.Basis.allCases {
                let ns = s.published(.all, d.layer(area: a, basis: b, linked: false), StopSearchDisparity.groups.firstIndex(of: .notStated)!)
                let bl = s.published(.all, d.layer(area: a, basis: b, linked: false), StopSearchDisparity.groups.firstIndex(of: .blank)!)
                let total = d.total(.all, area: a)
                let share = ns.flatMap { n in bl.map { total > 0 ? AssessFormat.fixed(100 * Double(n + $0) / Double(total), 1) + "%" : AssessMarker.notAvailable } }
                    ?? AssessMarker.suppressed
                for g in EthnicGroup.census where g != .white {
                    let f = d.figures(.all, area: a, basis: b, group: g, count: s.published)
                    rows.append([d.areas[a].name, b == .selfDefined ? "self-defined" : "officer-defined", share, g.rawValue,
                                 f.cells[1], f.cells[8]])
                }
            }
        }
        h += "<p>Not stated. Left out, the ratio compares the searches whose ethnicity is known. Shared among the five groups in proportion "
            + "to their known searches, every group's rate rises by the same factor (total ÷ known; column <code>rate_not_stated_shared</code>) "
            + "and the ratio does not change. The other bound: if every not-stated or blank search were of a White person, the ratio is the "
            + "last column, the least disparity the data allow; the true figure lies between the two.</p>"
        h += table(rows, caption: "Ratio to the White rate and the not-stated searches (every power)")
        // The table itself, self- and officer-defined, every power.
        var t = [["Area", "Basis", "Group", "Searches", "Residents", "Per 1,000", "Ratio to White", "95% interval", "Outcome linked (share)", "95% interval"]]
        for a in d.areas.indices {
            for b in StopSearchDisparity.Basis.allCases {
                for g in StopSearchDisparity.groups {
                    let f = d.figures(.all, area: a, basis: b, group: g, count: s.published)
                    let c = f.cells
                    let head: [String] = [d.areas[a].name, b == .selfDefined ? "self-defined" : "officer-defined", g.rawValue,
                                          f.searches.map(String.init) ?? AssessMarker.suppressed, d.areas[a].residents[g].map(String.init) ?? AssessMarker.notAvailable]
                    t.append(head + [c[0], c[1], Self.interval(c[2], c[3]), c[4], Self.interval(c[5], c[6])])
                }
            }
        }
        h += table(t, caption: "Searches by ethnicity, every power (outcome linked: share of the group's searches whose outcome was linked to the object of search, Wilson interval)")
        return h
    }

    /// "lower – upper", or the marker when both ends are one.
    static func interval(_ lo: String, _ hi: String) -> String { lo == hi && lo.count == 1 ? lo : lo + " – " + hi }

    /// A whole number with thousands separators.
    static func grouped(_ n: Int) -> String {
        let f = NumberFormatter()
        f.numberStyle = .decimal
        f.locale = Locale(identifier: "en_GB")
        return f.string(from: NSNumber(value: n)) ?? String(n)
    }

    /// Two panels for one area (self-defined, every power): rate per 1,000 by Census group (bars), and ratio to White
    /// with its interval (linear scale from 0, the line at 1 dashed). A withheld figure is drawn as `~`, never as a bar.
    func disparityChart(_ s: StopSearchSummary, _ d: StopSearchDisparity, area a: Int) -> String {
        let groups = EthnicGroup.census
        let figures = groups.map { d.figures(.all, area: a, basis: .selfDefined, group: $0, count: s.published) }
        let w = 560.0, rowH = 26.0, top = 22.0, labelW = 60.0, gap = 30.0
        let panelW = (w - labelW - gap - 10) / 2
        let h = top + rowH * Double(groups.count) + 24
        let rates = figures.compactMap(\.rateValue)
        let maxRate = max(rates.max() ?? 1, 0.01) * 1.15
        let uppers = figures.compactMap { $0.ratioValue?.upper }
        let maxRatio = max(uppers.max() ?? 2, 2) * 1.05
        let x0 = labelW, x1 = labelW + panelW + gap
        func rx(_ v: Double) -> Double { x0 + panelW * v / maxRate }
        func qx(_ v: Double) -> Double { x1 + panelW * min(v, maxRatio) / maxRatio }
        var svg = "<svg class=\"chart\" viewBox=\"0 0 \(Int(w)) \(Int(h))\" width=\"\(Int(w))\" height=\"\(Int(h))\" role=\"img\" aria-label=\""
            + HTML.escape("Stop and search rates and ratios by ethnic group, \(d.areas[a].name)") + "\">"
        svg += String(format: "<text x=\"%.1f\" y=\"14\" class=\"lbl\">%@</text>", x0, HTML.escape("Per 1,000 residents"))
        svg += String(format: "<text x=\"%.1f\" y=\"14\" class=\"lbl\">%@</text>", x1, HTML.escape("Ratio to White (95% interval)"))
        let bottom = top + rowH * Double(groups.count)
        svg += String(format: "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" class=\"axis\"/>", x0, top, x0, bottom)
        svg += String(format: "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" class=\"axis\"/>", x1, top, x1, bottom)
        svg += String(format: "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#888\" stroke-dasharray=\"4 3\"/>", qx(1), top, qx(1), bottom)
        for (v, anchor) in [(0.0, x1), (1.0, qx(1)), (maxRatio, x1 + panelW)] {
            svg += String(format: "<text x=\"%.1f\" y=\"%.1f\" class=\"lbl\" text-anchor=\"middle\">%@</text>", anchor, bottom + 14, HTML.escape(AssessFormat.fixed(v, 1)))
        }
        for (i, g) in groups.enumerated() {
            let y = top + rowH * Double(i), mid = y + rowH / 2
            let f = figures[i]
            svg += String(format: "<text x=\"%.1f\" y=\"%.1f\" class=\"lbl\" text-anchor=\"end\">%@</text>", x0 - 6, mid + 4, HTML.escape(g.rawValue))
            switch f.rateValue {
            case .some(let r):
                svg += String(format: "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#4a7ab5\"/>", x0, y + 5, max(rx(r) - x0, 0.5), rowH - 10)
                svg += String(format: "<text x=\"%.1f\" y=\"%.1f\" class=\"lbl\">%@</text>", rx(r) + 4, mid + 4, HTML.escape(AssessFormat.fixed(r, 2)))
            default:
                svg += String(format: "<text x=\"%.1f\" y=\"%.1f\" class=\"lbl\">%@</text>", x0 + 4, mid + 4, HTML.escape(Self.disparityMark(f.rate)))
            }
            if g == .white {
                svg += String(format: "<text x=\"%.1f\" y=\"%.1f\" class=\"lbl\">%@</text>", qx(1) + 4, mid + 4, HTML.escape("reference"))
                continue
            }
            switch f.ratioValue {
            case .some(let q):
                svg += String(format: "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#b5534a\" stroke-width=\"2\"/>", qx(q.lower), mid, qx(q.upper), mid)
                svg += String(format: "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"#b5534a\"/>", qx(q.ratio), mid)
                svg += String(format: "<text x=\"%.1f\" y=\"%.1f\" class=\"lbl\">%@</text>", min(qx(q.upper) + 4, w - 40), mid - 5,
                              HTML.escape(AssessFormat.fixed(q.ratio, 2)))
            default:
                svg += String(format: "<text x=\"%.1f\" y=\"%.1f\" class=\"lbl\">%@</text>", x1 + 4, mid + 4, HTML.escape(Self.disparityMark(f.ratio.map { $0.map(\.ratio) })))
            }
        }
        return svg + "</svg>"
    }

    /// `~` for a withheld figure, `*` for one that does not apply.
    static func disparityMark<T>(_ v: T??) -> String {
        switch v {
        case .none: return AssessMarker.suppressed
        default: return AssessMarker.notAvailable
        }
    }
}
