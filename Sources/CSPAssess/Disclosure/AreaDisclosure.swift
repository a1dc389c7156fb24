import CSPCore
import CSPSchema
import CSPStorage

/// The hotspot tables through the ``DisclosurePolicy``: for each dataset, its themes' area counts over the last twelve
/// months as ``LinkedCounts`` (a theme is a class, each hotspot layer a layer), protected together, and each theme's
/// layer as published (``DisclosedLayer``). The alternatives of a withheld cell are checked against everything the
/// layer publishes: the published rows are recomputed (``Hotspots``: rates, expected counts, p-values, flags) and
/// must print the same. A Benjamini–Hochberg adjusted p-value depends on every area's p-value, withheld or not; a
/// published area's adjusted p-value that an alternative changes is withheld on its own (`~`, the area's count and
/// flag stay published), since it would tell something of a withheld count.
struct AreaDisclosure {
    /// The published layers by theme id and layer id.
    let layers: [String: [String: DisclosedLayer]]
    /// Per dataset, the tables and their pattern (for tests and the counts of withheld cells).
    let patterns: [String: (tables: LinkedCounts, pattern: DisclosurePattern, themes: [String], layers: [String])]
    /// Published areas (cells of the dataset's tables) whose adjusted p-value alone is withheld.
    let adjustedWithheld: [String: Set<Int>]

    /// Number of published areas whose adjusted p-value alone is withheld.
    var adjustedCount: Int { adjustedWithheld.values.reduce(0) { $0 + $1.count } }

    /// The published layer of a theme, nil when the theme has none.
    func layer(_ theme: String, _ layer: String) -> DisclosedLayer? { layers[theme]?[layer] }

    /// Per layer id: cells published in the hotspot table, cells withheld as small, cells withheld to protect them, and
    /// the largest count withheld to protect them (0 when none; a count published as a band is not withheld).
    var counts: [(layer: String, cells: Int, primary: Int, secondary: Int, largestComplement: Int)] {
        var out: [String: (Int, Int, Int, Int)] = [:]
        for (_, p) in patterns {
            let values = p.tables.values
            for cell in p.pattern.reasons.indices {
                let l = p.layers[p.tables.position(of: cell).layer]
                var v = out[l] ?? (0, 0, 0, 0)
                v.0 += 1
                if p.pattern.reasons[cell] == .primary { v.1 += 1 }
                if p.pattern.reasons[cell] == .secondary { v.2 += 1; v.3 = max(v.3, values[cell]) }
                out[l] = v
            }
        }
        return AssessStage.hotspotLayers.compactMap { l in out[l].map { (l, $0.0, $0.1, $0.2, $0.3) } }
    }

    /// Cells needed to protect others that are published as a band instead of withheld, and the largest of their
    /// counts (0 when none).
    var coarsened: (cells: Int, largest: Int) {
        var cells = 0, largest = 0
        for (_, p) in patterns {
            let values = p.tables.values
            for cell in p.pattern.bands.keys {
                cells += 1
                largest = max(largest, values[cell])
            }
        }
        return (cells, largest)
    }

    /// Withheld cells for which the search found no two alternatives far enough apart (none in the runs tested).
    var unprotected: [String] {
        patterns.flatMap { _, p in
            p.pattern.unprotected.map { cell in
                let (c, l, a) = p.tables.position(of: cell)
                return "\(p.themes[c]) \(p.layers[l]) area \(a)"
            }
        }.sorted()
    }

    /// Protects the area counts of `themes` (their `areaRows`, over `layers` in order), reading the records of the
    /// months `from`–`to` from `warehouse`.
    static func make(themes: [ThemeAssessment], layers: [(String, [(code: String, name: String, population: Int?)])],
                     warehouse: AssessWarehouse, from: String?, to: String?, policy: DisclosurePolicy) throws -> AreaDisclosure {
        var published: [String: [String: DisclosedLayer]] = [:]
        var adjustedWithheld: [String: Set<Int>] = [:]
        var patterns: [String: (tables: LinkedCounts, pattern: DisclosurePattern, themes: [String], layers: [String])] = [:]
        let used = layers.filter { !$0.1.isEmpty }
        for dataset in Array(Set(themes.map(\.theme.dataset))).sorted() {
            let members = themes.filter { $0.theme.dataset == dataset && !$0.areaRows.isEmpty }
            guard !members.isEmpty, let from, let to else { continue }
            let index = used.map { Dictionary($0.1.enumerated().map { ($1.code, $0) }, uniquingKeysWith: { a, _ in a }) }
            let groups = try warehouse.recordGroups(dataset: dataset, themes: members.map(\.theme), codeColumns: used.map { $0.0 + "_code" },
                                                    from: from, to: to)
            let tables = LinkedCounts(classCount: members.count, layerSizes: used.map(\.1.count), records: groups.map { g in
                (g.themes, g.codes.enumerated().map { l, code in code.flatMap { index[l][$0] } ?? -1 }, g.count)
            })
            // The hotspot results as the stage computed them, per class and layer.
            var original: [[Hotspots]] = []
            for t in members {
                original.append(try used.map { layer, areas in
                    guard let h = t.layerHotspots[layer], h.areas.count == areas.count else {
                        throw StageError.configuration("assess: theme \(t.theme.id) has no \(layer) hotspots to protect")
                    }
                    return h
                })
            }
            let values = tables.values
            for (c, t) in members.enumerated() {
                for (l, layer) in used.enumerated() {
                    for (a, r) in original[c][l].areas.enumerated() where values[tables.cell(class: c, layer: l, area: a)] != r.count {
                        throw StageError.configuration("assess: theme \(t.theme.id), \(layer) \(used[l].1[a].code): \(r.count) in the hotspot "
                            + "table but \(values[tables.cell(class: c, layer: l, area: a)]) among the records it was counted from")
                    }
                }
            }
            let names = used.map { $0.1.map { ($0.code, $0.name) } }
            func render(_ c: Int, _ l: Int, _ h: Hotspots, _ withheld: [Bool], adjusted: Set<Int> = [], bands: [Int: ClosedRange<Int>] = [:]) -> DisclosedLayer {
                let cells = (0..<h.areas.count).map { tables.cell(class: c, layer: l, area: $0) }
                return DisclosedLayer(areas: names[l], hotspots: h, withheld: cells.map { withheld[$0] }, adjustedWithheld: cells.map { adjusted.contains($0) },
                                      bands: cells.map { bands[$0] })
            }
            /// The hotspot results of the layers a change of some cells touches.
            func recomputed(_ changed: [Int: Int]) -> [[Int]: Hotspots] {
                var byLayer: [[Int]: [Int: Int]] = [:]
                for (cell, v) in changed {
                    let (c, l, a) = tables.position(of: cell)
                    byLayer[[c, l], default: [:]][a] = v
                }
                var out: [[Int]: Hotspots] = [:]
                for (key, newCounts) in byLayer {
                    let h = original[key[0]][key[1]]
                    out[key] = Hotspots(areas: h.areas.enumerated().map { a, r in Hotspots.Area(name: r.name, count: newCounts[a] ?? r.count, population: r.population) })
                }
                return out
            }
            // Every row as it would print if published.
            let unmasked = original.map { $0.enumerated().map { l, h in DisclosedLayer(areas: names[l], hotspots: h, withheld: [Bool](repeating: false, count: h.areas.count)) } }
            let pattern = policy.protect(tables, totals: used.map { $0.1.map { ($0.population ?? 0) > 0 } }, cost: { cell in
                let (c, l, a) = tables.position(of: cell)
                let h = original[c][l]
                // Hotspots and top areas are withheld only when nothing else will do.
                let prominent = h.areas[a].isHotspot || h.topByCount.contains(h.areas[a].name)
                return policy.cost(of: values[cell]) + (prominent ? 1_000_000 : 0)
            }, disturbed: { changed, withheld in
                // Figures equal as numbers print the same; only those that differ need printing to compare. The
                // adjusted p-value does not count: where it changes, it is withheld on its own.
                var out: [Int] = []
                for (key, after) in recomputed(changed).sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) {
                    let (c, l) = (key[0], key[1])
                    for a in after.areas.indices where !withheld[tables.cell(class: c, layer: l, area: a)] && after.areas[a] != original[c][l].areas[a] {
                        let row = DisclosedLayer(areas: [names[l][a]], hotspots: after, withheld: [false], only: a).rows[0]
                        if !row.sameExceptAdjusted(unmasked[c][l].rows[a]) { out.append(tables.cell(class: c, layer: l, area: a)) }
                    }
                }
                return out
            }, coarsenFrom: policy.coarsenFrom)
            let withheld = pattern.reasons.map { $0 != nil }
            // Adjusted p-values of published areas that some alternative changes.
            var adjusted = Set<Int>()
            for protection in pattern.protections.values {
                for moves in [protection.lowMoves, protection.highMoves] where !moves.isEmpty {
                    guard let n = tables.applying(moves) else { continue }
                    let v = tables.values(n)
                    var changed: [Int: Int] = [:]
                    for cell in v.indices where v[cell] != values[cell] { changed[cell] = v[cell] }
                    for (key, h) in recomputed(changed) {
                        let (c, l) = (key[0], key[1])
                        for a in h.areas.indices where !withheld[tables.cell(class: c, layer: l, area: a)]
                            && AssessFormat.pvalue(h.areas[a].adjustedPValue) != AssessFormat.pvalue(original[c][l].areas[a].adjustedPValue) {
                            adjusted.insert(tables.cell(class: c, layer: l, area: a))
                        }
                    }
                }
            }
            adjustedWithheld[dataset] = adjusted
            for (c, t) in members.enumerated() {
                for (l, layer) in used.enumerated() {
                    published[t.theme.id, default: [:]][layer.0] = render(c, l, original[c][l], withheld, adjusted: adjusted, bands: pattern.bands)
                }
            }
            patterns[dataset] = (tables, pattern, members.map(\.theme.id), used.map(\.0))
        }
        return AreaDisclosure(layers: published, patterns: patterns, adjustedWithheld: adjustedWithheld)
    }
}
