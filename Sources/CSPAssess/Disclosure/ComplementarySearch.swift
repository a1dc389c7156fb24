import CSPSchema
import CSPStorage
/// The search behind ``DisclosurePolicy/protect(_:cost:disturbed:)``: primary cells, then for each withheld cell in
/// turn, record moves that change only withheld cells and make a low and a high alternative, withholding the
/// cheapest further cells when there are not enough.
///
/// Two kinds of perturbation move a cell `x` (class `c`, layer `l`, area `a`) by one record:
/// - an exchange: a record of a signature `s1` holding `c` moves between a place `p1` in `a` and a place `p2` outside
///   it, alone or swapped with a record of a signature `s2` without `c` (so the classes both hold do not change). It
///   changes, for each class in one signature and not the other, the areas of `p1` and `p2` in every layer where they
///   differ.
/// - a path within layer `l`: a record moves from `a` to a place differing from its own in layer `l` only, whose area
///   `u` (or "none") is balanced by another record of the signature leaving `u` the same way for an area `b` (each
///   hop alone or swapped as above). It changes the cells of `a` and `b` in layer `l` only: this is how a place whose
///   records could as well lie outside any place is protected by another place.
/// A perturbation that changes the published total of a class in a layer (see `totalAreas`) also needs every cell of
/// that total withheld. Each alternative is checked with `disturbed` before it is kept.
/// With `coarsenFrom`, a cell withheld to protect others whose count is that or more is published as a band instead
/// (``DisclosurePolicy/band(_:)``): the search treats it as withheld, except that no alternative may take it outside
/// its band, and it needs no alternatives of its own.
struct ComplementarySearch {
    /// A perturbation that lowers the cell being protected by one record (`down`) and one that raises it (`up`), the
    /// cells either changes, and how many times each can be applied to the records.
    struct Candidate {
        let key: [Int]
        let down: [RecordMove]
        let up: [RecordMove]
        let downCapacity: Int
        let upCapacity: Int
        let cells: [Int]
    }

    let tables: LinkedCounts
    let policy: DisclosurePolicy
    /// Per layer, the areas whose sum is published for a class while any of their cells is.
    let totalAreas: [[Bool]]
    /// The cells of those areas, per class and layer.
    let totalCellsOf: [[[Int]]]
    let cost: (Int) -> Int
    let disturbed: ([Int: Int], [Bool]) -> [Int]
    /// Complements of this count or more are published as a band instead of withheld (nil: none is).
    let coarsenFrom: Int?
    /// Cells published as a band: every alternative keeps them inside it.
    var bands: [Int: ClosedRange<Int>] = [:]
    let value: [Int]
    var withheld: [Bool]
    var reasons: [DisclosurePattern.Reason?]
    var protections: [Int: Protection] = [:]
    var unprotected: [Int] = []

    /// Signatures holding each class.
    let signaturesOf: [[Int]]
    /// Membership of each class in each signature.
    let member: [[Bool]]
    /// Places with each area of each layer.
    let placesIn: [[[Int]]]
    /// Signatures with records in each place.
    let present: [[Int]]
    /// Records of each class: no alternative can move a cell further than that.
    let classTotals: [Int]
    /// Classes an exchange changes, with +1 for those that move with `s1`, as `classChange[s1][s2 + 1]`.
    let classChange: [[[(class: Int, sign: Int)]]]
    /// Per layer: pairs of places that differ in that layer only, by their areas there (`-1`: none).
    let siblings: [[Int: [Int: [(from: Int, to: Int)]]]]
    /// Partners of a path for a signature and a class: none, and the signatures without the class whose swap changes no
    /// more classes than the signature alone (fewest changed classes first), as `pathPartners[s][c]`.
    let pathPartners: [[[Int]]]

    init(tables: LinkedCounts, policy: DisclosurePolicy, totalAreas: [[Bool]]?, cost: ((Int) -> Int)?,
         disturbed: @escaping ([Int: Int], [Bool]) -> [Int], coarsenFrom: Int? = nil) {
        self.coarsenFrom = coarsenFrom
        self.tables = tables
        self.policy = policy
        let totalAreas = totalAreas ?? tables.layerSizes.map { [Bool](repeating: true, count: $0) }
        self.totalAreas = totalAreas
        totalCellsOf = (0..<tables.classCount).map { k in
            tables.layerSizes.indices.map { l in (0..<tables.layerSizes[l]).filter { totalAreas[l][$0] }.map { tables.cell(class: k, layer: l, area: $0) } }
        }
        let value = tables.values
        self.value = value
        self.cost = cost ?? { policy.cost(of: value[$0]) }
        self.disturbed = disturbed
        reasons = value.map { policy.isSmall($0) ? .primary : nil }
        withheld = reasons.map { $0 != nil }
        let member = tables.signatures.map { s in (0..<tables.classCount).map { s.contains($0) } }
        self.member = member
        signaturesOf = (0..<tables.classCount).map { c in tables.signatures.indices.filter { tables.signatures[$0].contains(c) } }
        classTotals = signaturesOf.map { $0.reduce(0) { $0 + tables.counts[$1].reduce(0, +) } }
        var placesIn = tables.layerSizes.map { [[Int]](repeating: [], count: $0) }
        for (p, areas) in tables.places.enumerated() {
            for (l, a) in areas.enumerated() where a >= 0 { placesIn[l][a].append(p) }
        }
        self.placesIn = placesIn
        present = tables.places.indices.map { p in tables.signatures.indices.filter { tables.counts[$0][p] > 0 } }
        var classChange: [[[(class: Int, sign: Int)]]] = []
        for s1 in tables.signatures.indices {
            var row: [[(class: Int, sign: Int)]] = []
            for s2 in -1..<tables.signatures.count {
                var change: [(class: Int, sign: Int)] = []
                for c in 0..<tables.classCount {
                    let a = member[s1][c], b = s2 >= 0 && member[s2][c]
                    if a && !b { change.append((c, 1)) } else if b && !a { change.append((c, -1)) }
                }
                row.append(change)
            }
            classChange.append(row)
        }
        self.classChange = classChange
        var siblings: [[Int: [Int: [(from: Int, to: Int)]]]] = []
        for l in tables.layerSizes.indices {
            var groups: [[Int]: [Int]] = [:]
            for (p, areas) in tables.places.enumerated() {
                var key = areas
                key[l] = Int.min
                groups[key, default: []].append(p)
            }
            var pairs: [Int: [Int: [(from: Int, to: Int)]]] = [:]
            for (_, members) in groups.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) {
                for p in members {
                    for q in members where q != p {
                        pairs[tables.places[p][l], default: [:]][tables.places[q][l], default: []].append((p, q))
                    }
                }
            }
            siblings.append(pairs)
        }
        self.siblings = siblings
        pathPartners = tables.signatures.indices.map { s in
            (0..<tables.classCount).map { c in
                guard member[s][c] else { return [] }
                let others = tables.signatures.indices.filter { !member[$0][c] && classChange[s][$0 + 1].count <= tables.signatures[s].count }
                return [-1] + others.sorted { (classChange[s][$0 + 1].count, $0) < (classChange[s][$1 + 1].count, $1) }
            }
        }
    }

    mutating func run() -> DisclosurePattern {
        var queue = withheld.indices.filter { withheld[$0] }
        var next = 0
        while next < queue.count {
            let x = queue[next]
            next += 1
            // A band is published: it needs no alternatives of its own, only to hold those of the cells it protects.
            if protections[x] != nil || bands[x] != nil { continue }
            queue += protect(x)
        }
        // Cells withheld after an unprotected cell was tried may have opened a perturbation for it.
        unprotected = unprotected.filter { x in
            let (p, _) = certify(x)
            protections[x] = p
            return p.width < target(x)
        }
        if unprotected.isEmpty { release() }
        return DisclosurePattern(reasons: reasons, protections: protections, unprotected: unprotected.sorted(), bands: bands)
    }

    /// Publishes again the cells withheld to protect others that, in the end, no protection needs, dearest first: a
    /// cell is released when every protection whose alternatives change its class in its layer either stays valid
    /// with the cell published (the cell's figures, and a total it would publish, stay as they are) or can be found
    /// again.
    mutating func release() {
        let secondary = reasons.indices.filter { reasons[$0] == .secondary || reasons[$0] == .coarsened }.sorted { (cost($0), $0) > (cost($1), $1) }
        var changes: [Int: [[Int: Int]]] = [:]
        for (y, p) in protections { changes[y] = alternatives(p) }
        for z in secondary {
            let (c, l, a) = tables.position(of: z)
            let (reason, band) = (reasons[z], bands[z])
            withheld[z] = false
            reasons[z] = nil
            bands[z] = nil
            var again: [Int: Protection] = [:]
            var kept = true
            for (y, alternatives) in changes.sorted(by: { $0.key < $1.key }) where y != z {
                let touches = alternatives.contains { $0.keys.contains { let p = tables.position(of: $0); return p.class == c && p.layer == l } }
                guard touches, !alternatives.allSatisfy({ stillValid($0, publishing: z, c, l, a) }) else { continue }
                let (p, _) = certify(y)
                if p.width < target(y) { kept = false; break }
                again[y] = p
            }
            guard kept else {
                withheld[z] = true
                reasons[z] = reason
                bands[z] = band
                continue
            }
            protections[z] = nil
            changes[z] = nil
            for (y, p) in again {
                protections[y] = p
                changes[y] = alternatives(p)
            }
        }
    }

    /// The new values of the cells each alternative of a protection changes.
    func alternatives(_ p: Protection) -> [[Int: Int]] {
        [p.lowMoves, p.highMoves].filter { !$0.isEmpty }.map { moves in
            var n = tables.counts
            var delta: [Int: Int] = [:]
            for (cell, d) in apply(moves, 1, &n) ?? [] { delta[cell, default: 0] += d }
            var changed: [Int: Int] = [:]
            for (cell, d) in delta where d != 0 { changed[cell] = value[cell] + d }
            return changed
        }
    }

    /// Whether an alternative stays consistent with the published figures once cell `z` (class `c`, layer `l`, area `a`)
    /// is published: it leaves the cell as it is, the total the cell would publish too, and every published figure.
    func stillValid(_ changed: [Int: Int], publishing z: Int, _ c: Int, _ l: Int, _ a: Int) -> Bool {
        guard changed[z] == nil else { return false }
        if totalAreas[l][a] && totalCells(c, l).reduce(0, { sum, cell in sum + (changed[cell] ?? value[cell]) - value[cell] }) != 0 { return false }
        // Every other published figure was checked before; only the cell's own can differ now.
        var onlyZ = [Bool](repeating: true, count: withheld.count)
        onlyZ[z] = false
        return disturbed(changed.filter { let p = tables.position(of: $0.key); return p.class == c && p.layer == l }, onlyZ).isEmpty
    }

    /// The protection cell `x` needs: the policy's, or all its class has when the class has fewer records.
    func target(_ x: Int) -> Int { min(policy.protection, classTotals[tables.position(of: x).class]) }

    /// Protects cell `x`, withholding further cells as needed; returns the cells it withheld.
    mutating func protect(_ x: Int) -> [Int] {
        var added: [Int] = []
        // Published cells whose figures a perturbation would change (it becomes usable once they are withheld).
        var blockers: [[Int]: Set<Int>] = [:]
        var wholeLayer = false
        while true {
            let (protection, blocked) = certify(x, skipping: blockers)
            if protection.width >= target(x) {
                protections[x] = protection
                return added
            }
            for (k, cells) in blocked { blockers[k, default: []].formUnion(cells) }
            if let fresh = cheapest(x, lowered: value[x] - protection.low, raised: protection.high - value[x], &blockers) {
                for cell in fresh { added.append(cell); withhold(cell) }
                continue
            }
            if !wholeLayer {
                // Nothing left to open: withhold the rest of the cell's layer for its class, then try once more.
                wholeLayer = true
                let (c, l, _) = tables.position(of: x)
                for a in 0..<tables.layerSizes[l] {
                    let cell = tables.cell(class: c, layer: l, area: a)
                    if !withheld[cell] { added.append(cell); withhold(cell) }
                }
                continue
            }
            unprotected.append(x)
            protections[x] = protection
            return added
        }
    }

    /// Withholds a cell to protect others, or publishes it as a band (``DisclosurePolicy/band(_:)``) when its count is
    /// `coarsenFrom` or more.
    mutating func withhold(_ cell: Int) {
        withheld[cell] = true
        if let coarsenFrom, value[cell] >= coarsenFrom {
            reasons[cell] = .coarsened
            bands[cell] = policy.band(value[cell])
        } else {
            reasons[cell] = .secondary
        }
    }

    /// Whether cells at new values `changed` all stay inside their bands (cells without a band always do).
    func withinBands(_ changed: [Int: Int]) -> Bool {
        bands.isEmpty || changed.allSatisfy { cell, v in bands[cell]?.contains(v) ?? true }
    }

    /// The published cells to withhold so that the best perturbation of `x` can be used: the least information lost (the
    /// dearest cell it withholds cheapest, then the least total cost, then the fewest cells, then the most records it can
    /// move the cell, up to `needed`), counting the cells that stop it. Before a choice is made, one
    /// unit of it is tried as if its cells were withheld; the published cells it would still change are added to its
    /// cost (in `blockers`) and the choice is made again. Nil when none would open.
    /// `lowered` and `raised`: how far the protection found so far moves the cell each way.
    func cheapest(_ x: Int, lowered: Int, raised: Int, _ blockers: inout [[Int]: Set<Int>]) -> [Int]? {
        let needed = target(x) - lowered - raised
        let room = min(value[x], target(x)) - lowered
        var options: [(candidate: Candidate, useful: Int, downwards: Bool)] = []
        forEachCandidate(x) { candidate in
            let down = min(candidate.downCapacity, room), up = candidate.upCapacity
            let useful = min(needed, down + up)
            if useful > 0 { options.append((candidate, useful, down >= up)) }
            return false
        }
        for _ in 0..<32 {
            // Least information lost: the option whose dearest fresh cell is cheapest, then the least total, then the
            // fewest cells, then the most records it can move.
            var best: (index: Int, key: [Int], useful: Int, fresh: [Int])?
            for (i, option) in options.enumerated() {
                var fresh = Set(option.candidate.cells.filter { !withheld[$0] })
                if let more = blockers[option.candidate.key] { fresh.formUnion(more.filter { !withheld[$0] }) }
                guard !fresh.isEmpty else { continue }
                var dearest = 0, total = 0
                for cell in fresh {
                    let c = cost(cell)
                    dearest = max(dearest, c)
                    total += c
                }
                let key = [dearest, total, fresh.count, -option.useful]
                if let b = best, !key.lexicographicallyPrecedes(b.key) { continue }
                best = (i, key, option.useful, fresh.sorted())
            }
            guard let b = best else { return nil }
            var trial = withheld
            for cell in b.fresh { trial[cell] = true }
            let c = options[b.index].candidate
            let unit = options[b.index].downwards ? c.down : c.up
            var n = tables.counts
            guard let effect = apply(unit, 1, &n) else {
                options.remove(at: b.index)
                continue
            }
            var changed: [Int: Int] = [:]
            for (cell, d) in effect { changed[cell, default: value[cell]] += d }
            let spoiled = disturbed(changed.filter { $0.value != value[$0.key] }, trial)
            if spoiled.isEmpty && withinBands(changed) { return b.fresh }
            guard !spoiled.isEmpty else {
                // One record moves a band's cell out of it (a safeguard: a band holds its count ± the protection, and
                // an alternative moves a cell by at most the protection): the option is of no use.
                options.remove(at: b.index)
                continue
            }
            blockers[c.key, default: []].formUnion(spoiled)
        }
        return nil
    }

    /// The best protection of `x` from perturbations that change only withheld cells, and for perturbations stopped by
    /// published figures they would change, the cells behind those figures. Perturbations in `skipping` are not tried
    /// while a cell that stopped them is published.
    func certify(_ x: Int, skipping: [[Int]: Set<Int>] = [:]) -> (Protection, blocked: [[Int]: [Int]]) {
        var blocked: [[Int]: [Int]] = [:]
        let low = extend(x, target: min(value[x], target(x)), upwards: false, skipping, &blocked)
        let high = extend(x, target: target(x) - low.units, upwards: true, skipping, &blocked)
        return (Protection(low: value[x] - low.units, high: value[x] + high.units, lowMoves: low.moves, highMoves: high.moves), blocked)
    }

    /// Applies usable perturbations (downwards, or upwards when `upwards`), as many times at once as one allows and else
    /// once, keeping those after which no published figure changes, until the cell has moved by `target`.
    func extend(_ x: Int, target: Int, upwards: Bool, _ skipping: [[Int]: Set<Int>], _ blocked: inout [[Int]: [Int]]) -> (units: Int, moves: [RecordMove]) {
        guard target > 0 else { return (0, []) }
        var n = tables.counts
        var delta: [Int: Int] = [:]
        var done = 0
        var kept: [RecordMove] = []
        let withheld = self.withheld
        forEachCandidate(x) { candidate in
            guard (upwards ? candidate.upCapacity : candidate.downCapacity) > 0, candidate.cells.allSatisfy({ withheld[$0] }) else { return false }
            if let stoppers = skipping[candidate.key], stoppers.contains(where: { !withheld[$0] }) { return false }
            let unit = upwards ? candidate.up : candidate.down
            var times = min(target - done, upwards ? candidate.upCapacity : candidate.downCapacity)
            while times > 0 {
                let saved = n
                guard let effect = apply(unit, times, &n) else { times = times > 1 ? 1 : 0; continue }
                for (cell, d) in effect { delta[cell, default: 0] += d }
                var changed: [Int: Int] = [:]
                for (cell, d) in delta where d != 0 { changed[cell] = value[cell] + d }
                // A band's cell taken outside its band spoils the alternative as a changed published figure would.
                let inBands = withinBands(changed)
                let spoiled = inBands ? disturbed(changed, withheld) : []
                if inBands && spoiled.isEmpty {
                    done += times
                    for _ in 0..<times { kept += unit }
                    break
                }
                n = saved
                for (cell, d) in effect { delta[cell, default: 0] -= d }
                if times == 1 { blocked[candidate.key, default: []] += spoiled }
                times = times > 1 ? 1 : 0
            }
            return done >= target
        }
        return (done, kept)
    }

    /// Applies `unit` `times` times to record numbers `n`; the cell changes, or nil (and `n` unchanged) when a move
    /// would take a record that is not there.
    func apply(_ unit: [RecordMove], _ times: Int, _ n: inout [[Int]]) -> [(Int, Int)]? {
        let before = n
        for m in unit {
            n[m.signature][m.from] -= times
            n[m.signature][m.to] += times
            if m.partner >= 0 {
                n[m.partner][m.to] -= times
                n[m.partner][m.from] += times
            }
            if n[m.signature][m.from] < 0 || (m.partner >= 0 && n[m.partner][m.to] < 0) {
                n = before
                return nil
            }
        }
        var effect: [(Int, Int)] = []
        for m in unit {
            let p1 = tables.places[m.from], p2 = tables.places[m.to]
            for (c, sign) in classChange[m.signature][m.partner + 1] {
                for l in p1.indices where p1[l] != p2[l] {
                    if p1[l] >= 0 { effect.append((tables.cell(class: c, layer: l, area: p1[l]), -sign * times)) }
                    if p2[l] >= 0 { effect.append((tables.cell(class: c, layer: l, area: p2[l]), sign * times)) }
                }
            }
        }
        return effect
    }

    /// Calls `body` with every candidate perturbation of cell `x` until `body` returns true.
    func forEachCandidate(_ x: Int, _ body: (Candidate) -> Bool) {
        if forEachExchange(x, body) { return }
        _ = forEachPath(x, body)
    }

    /// Exchanges of a record of a signature with the cell's class between a place in the cell's area and one outside
    /// it, alone or swapped with a record of a signature without the class that has records in either place and
    /// changes no more classes than a move alone would (it trades classes whose cells are dear for others).
    func forEachExchange(_ x: Int, _ body: (Candidate) -> Bool) -> Bool {
        let (c, l, a) = tables.position(of: x)
        let n = tables.counts
        for s1 in signaturesOf[c] {
            let alone = tables.signatures[s1].count
            for p1 in placesIn[l][a] {
                for p2 in tables.places.indices where tables.places[p2][l] != a {
                    let d1 = n[s1][p1], u1 = n[s1][p2]
                    guard d1 > 0 || u1 > 0 else { continue }
                    var partners = [-1]
                    for s2 in present[p1] where !member[s2][c] { partners.append(s2) }
                    for s2 in present[p2] where !member[s2][c] && n[s2][p1] == 0 { partners.append(s2) }
                    for s2 in partners {
                        let change = classChange[s1][s2 + 1]
                        if s2 >= 0 && change.count > alone { continue }
                        let down = min(d1, s2 >= 0 ? n[s2][p2] : d1)
                        let up = min(u1, s2 >= 0 ? n[s2][p1] : u1)
                        guard down > 0 || up > 0 else { continue }
                        let m = RecordMove(signature: s1, from: p1, to: p2, partner: s2)
                        let candidate = Candidate(key: [0, s1, p1, p2, s2], down: [m], up: [m.reversed], downCapacity: down, upCapacity: up,
                                                  cells: cells(change.map(\.class), tables.places[p1], tables.places[p2]))
                        if body(candidate) { return true }
                    }
                }
            }
        }
        return false
    }

    /// Paths within the cell's layer through one other area or none: for a signature `s` with the cell's class, a
    /// record leaves area `a` for a place that differs from its own in that layer only (area `u`), and a record of the
    /// signature leaves `u` the same way for area `b`; upwards the same backwards. Each hop may swap with a record of a
    /// partner signature `s2` (as in an exchange), so that only the classes of one and not the other change. Each
    /// (signature, partner, `u`, `b`) once, through the places with most records.
    func forEachPath(_ x: Int, _ body: (Candidate) -> Bool) -> Bool {
        let (c, l, a) = tables.position(of: x)
        let n = tables.counts
        let hops = siblings[l]
        guard let fromA = hops[a] else { return false }
        for s in signaturesOf[c] {
            for s2 in pathPartners[s][c] {
                let change = classChange[s][s2 + 1]
                // Records available for one hop from `h.from` to `h.to` (with the partner coming back), and backwards.
                func forward(_ h: (from: Int, to: Int)) -> Int { min(n[s][h.from], s2 >= 0 ? n[s2][h.to] : n[s][h.from]) }
                func backward(_ h: (from: Int, to: Int)) -> Int { min(n[s][h.to], s2 >= 0 ? n[s2][h.from] : n[s][h.to]) }
                for (u, first) in fromA.sorted(by: { $0.key < $1.key }) {
                    guard let fromU = hops[u], let down1 = first.max(by: { forward($0) < forward($1) }),
                          let up1 = first.max(by: { backward($0) < backward($1) }) else { continue }
                    for (b, second) in fromU.sorted(by: { $0.key < $1.key }) where b >= 0 && b != a {
                        // The second hop starts elsewhere than where the first ended, or the path is one exchange.
                        guard let down2 = second.filter({ $0.from != down1.to }).max(by: { forward($0) < forward($1) }),
                              let up2 = second.filter({ $0.from != up1.to }).max(by: { backward($0) < backward($1) }) else { continue }
                        let down = min(forward(down1), forward(down2)), up = min(backward(up2), backward(up1))
                        guard down > 0 || up > 0 else { continue }
                        let d = [RecordMove(signature: s, from: down1.from, to: down1.to, partner: s2), RecordMove(signature: s, from: down2.from, to: down2.to, partner: s2)]
                        let r = [RecordMove(signature: s, from: up2.to, to: up2.from, partner: s2), RecordMove(signature: s, from: up1.to, to: up1.from, partner: s2)]
                        var changed: [Int] = []
                        for (k, _) in change {
                            changed.append(tables.cell(class: k, layer: l, area: a))
                            changed.append(tables.cell(class: k, layer: l, area: b))
                            if inTotal(l, a) != inTotal(l, b) { changed += totalCells(k, l) }
                        }
                        if body(Candidate(key: [1, s, s2, l, a, u, b], down: d, up: r, downCapacity: down, upCapacity: up, cells: changed)) { return true }
                    }
                }
            }
        }
        return false
    }

    /// Cells of `classes` in the areas of two places, in every layer where the places differ; when a move between them
    /// changes a published total, every cell of that total (the total stays hidden only if they all are).
    func cells(_ classes: [Int], _ from: [Int], _ to: [Int]) -> [Int] {
        var out: [Int] = []
        for k in classes {
            for layer in from.indices where from[layer] != to[layer] {
                if from[layer] >= 0 { out.append(tables.cell(class: k, layer: layer, area: from[layer])) }
                if to[layer] >= 0 { out.append(tables.cell(class: k, layer: layer, area: to[layer])) }
                if inTotal(layer, from[layer]) != inTotal(layer, to[layer]) { out += totalCells(k, layer) }
            }
        }
        return out
    }

    func inTotal(_ l: Int, _ a: Int) -> Bool { a >= 0 && totalAreas[l][a] }

    /// The cells whose sum is a published total for class `k` in layer `l`.
    func totalCells(_ k: Int, _ l: Int) -> [Int] { totalCellsOf[k][l] }
}
