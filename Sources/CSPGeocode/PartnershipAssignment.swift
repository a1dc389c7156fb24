import CSPCore
import CSPStorage
import CSPCSV
import CSPStageSupport

/// Each placed record's Community Safety Partnership and police force area (`geography.csp:`), with how it was
/// decided (`csp_method`):
/// - `council`: the council of the record's ward (its code remapped through `la_remap`) has one CSP in the lookup;
/// - `old-district`: the council has several CSPs (a unitary formed from districts that kept their partnerships:
///   Buckinghamshire, BCP, the Northamptonshires, Cumberland, Westmorland and Furness, East Suffolk) and the district
///   of the record's LSOA (from the older LSOA's name, "Christchurch 001A") names one of them;
/// - `unassigned`: the council has several CSPs and the record's LSOA does not decide (no LSOA code, a code the LSOA
///   lookup does not know, or a district whose CSP is not one of the council's: the point and the LSOA disagree);
///   the force is kept when all the council's CSPs share it;
/// - `unknown-council`: the council is not in the lookup at all (blank CSP and force).
/// Every decision is counted by method and reason (`03-geocode/csp-assignment.csv`).
final class PartnershipAssignment {
    /// One partnership of the lookup.
    struct Partnership: Equatable {
        let code: String, name: String, pfaCode: String, pfaName: String
    }
    /// Placement of a ward's council: one partnership (>= 0), several (`split`), or not in the lookup (`unknown`).
    static let split: Int32 = -2, unknown: Int32 = -1

    /// The lookup's partnerships, in first-seen order.
    let partnerships: [Partnership]
    /// Per ward of the ward layer: its partnership, `split` or `unknown`.
    let wardPartnership: [Int32]
    /// Per ward: the candidate partnerships of its council (empty unless split).
    let wardCandidates: [[Int32]]
    /// Per ward: the force shared by all its council's partnerships (index into `partnerships`, for the PFA), or -1.
    let wardForce: [Int32]
    /// LSOA code → partnership of its old district (-1: the district is not in the district lookup).
    let lsoaDistrict: [String: Int32]
    /// LSOA codes whose older LSOAs lie in different districts (assigned by the majority).
    let ambiguousLSOAs: Set<String>

    /// Loads the lookup for the wards of `councils` (each ward's council code, as the ward files give it).
    init(_ def: CSPLookupDefinition, councils: [String], inputs: StageInputs) throws {
        let encoding = TextEncoding(name: def.encoding) ?? .utf8
        let t = try Geography.csv(try inputs.path(def.table), columns: [def.laColumn, def.cspCodeColumn, def.cspNameColumn, def.pfaCodeColumn, def.pfaNameColumn], encoding: encoding)
        var list: [Partnership] = [], index: [String: Int32] = [:], byCouncil: [String: [Int32]] = [:]
        for (i, r) in t.rows.enumerated() {
            guard !r[0].isEmpty, !r[1].isEmpty else {
                throw StageError.configuration("CSP lookup \(def.table) line \(i + 2): a blank `\(r[0].isEmpty ? def.laColumn : def.cspCodeColumn)`")
            }
            let p = Partnership(code: r[1], name: r[2], pfaCode: r[3], pfaName: r[4])
            let k: Int32
            if let known = index[p.code] {
                guard list[Int(known)] == p else {
                    throw StageError.configuration("CSP lookup \(def.table) line \(i + 2): CSP \(p.code) has another name or force than on an earlier line")
                }
                k = known
            } else { k = Int32(list.count); list.append(p); index[p.code] = k }
            if !(byCouncil[r[0]] ?? []).contains(k) { byCouncil[r[0], default: []].append(k) }
        }
        var remap: [String: String] = [:]
        if let rm = def.laRemap {
            for (i, r) in try Geography.csv(try inputs.path(rm.table), columns: [rm.fromColumn, rm.toColumn]).rows.enumerated() {
                guard byCouncil[r[1]] != nil else {
                    throw StageError.configuration("council code remap \(rm.table) line \(i + 2): `\(rm.toColumn)` \(r[1]) is not a council of the CSP lookup \(def.table)")
                }
                remap[r[0]] = r[1]
            }
        }
        partnerships = list
        var wp: [Int32] = [], wc: [[Int32]] = [], wf: [Int32] = []
        for la in councils {
            let c = byCouncil[remap[la] ?? la] ?? []
            wp.append(c.isEmpty ? Self.unknown : (c.count == 1 ? c[0] : Self.split))
            wc.append(c.count > 1 ? c : [])
            wf.append(c.isEmpty || Set(c.map { list[Int($0)].pfaCode }).count > 1 ? -1 : c[0])
        }
        wardPartnership = wp; wardCandidates = wc; wardForce = wf

        var districts: [String: Int32] = [:], ambiguous = Set<String>()
        if let o = def.oldDistricts {
            // District name → CSP code (a district of one CSP in the older lookup).
            var cspOfDistrict: [String: String] = [:]
            for r in try Geography.csv(try inputs.path(o.districtTable), columns: [o.districtNameColumn, o.districtCSPColumn]).rows { cspOfDistrict[r[0]] = r[1] }
            let lsoaRows = try Geography.csv(try inputs.path(o.lsoaTable), columns: [o.lsoaCodeColumn, o.lsoaNameColumn], encoding: TextEncoding(name: o.lsoaEncoding) ?? .utf8).rows
            var votes: [String: [Int32: Int]] = [:]
            for r in lsoaRows where !r[0].isEmpty {
                let k = Self.district(ofLSOAName: r[1]).flatMap { cspOfDistrict[$0] }.flatMap { index[$0] } ?? -1
                votes[r[0], default: [:]][k, default: 0] += 1
            }
            for (code, v) in votes {
                if v.count > 1 { ambiguous.insert(code) }
                districts[code] = v.max { ($0.value, $1.key) < ($1.value, $0.key) }!.key
            }
        }
        lsoaDistrict = districts; ambiguousLSOAs = ambiguous
    }

    /// The district part of an LSOA name: everything before its last space ("Christchurch 001A" → "Christchurch").
    static func district(ofLSOAName name: String) -> String? {
        guard let space = name.lastIndex(of: " ") else { return nil }
        let d = Text.trim(String(name[..<space]))
        return d.isEmpty ? nil : d
    }

    /// Every way a record's partnership is decided; its position is its row in `outcomes` and its column in the counts.
    enum Outcome: Int, CaseIterable {
        case council, oldDistrict, oldDistrictMajority, noLSOA, lsoaUnknown, districtUnknown, disagree, unknownCouncil

        /// `csp_method`.
        var method: String {
            switch self {
            case .council: "council"
            case .oldDistrict, .oldDistrictMajority: "old-district"
            case .noLSOA, .lsoaUnknown, .districtUnknown, .disagree: "unassigned"
            case .unknownCouncil: "unknown-council"
            }
        }

        /// Why, blank when nothing is to say.
        var reason: String {
            switch self {
            case .council, .oldDistrict: ""
            case .oldDistrictMajority: "LSOA spans old districts (majority)"
            case .noLSOA: "no LSOA code"
            case .lsoaUnknown: "LSOA not in the LSOA lookup"
            case .districtUnknown: "LSOA's district not in the district lookup"
            case .disagree: "LSOA's district CSP is not one of the council's (point and LSOA disagree)"
            case .unknownCouncil: "council not in the CSP lookup"
            }
        }
    }

    /// `csp_method` and reason of every outcome, in `Outcome` order.
    static let outcomes: [(method: String, reason: String)] = Outcome.allCases.map { ($0.method, $0.reason) }

    /// What decided one record.
    struct Decision {
        /// Index into `partnerships`, or -1.
        var partnership: Int32 = -1
        /// The partnership whose force the record gets (-1 none).
        var force: Int32 = -1
        /// How it was decided.
        var kind = Outcome.council
        /// Index into `outcomes`.
        var outcome: Int { kind.rawValue }
        /// `csp_method`.
        var method: String { kind.method }
    }

    /// The partnership of a record placed in ward `ward` whose LSOA code is `code()` (blank: none; asked only for
    /// wards of councils with several CSPs).
    func decide(ward: Int, lsoa code: () -> String) -> Decision {
        var d = Decision()
        let p = wardPartnership[ward]
        if p >= 0 { d.partnership = p; d.force = p; return d }
        if p == Self.unknown { d.kind = .unknownCouncil; return d }
        d.force = wardForce[ward]
        let lsoa = code()
        guard !lsoa.isEmpty else { d.kind = .noLSOA; return d }
        guard let k = lsoaDistrict[lsoa] else { d.kind = .lsoaUnknown; return d }
        guard k >= 0 else { d.kind = .districtUnknown; return d }
        guard wardCandidates[ward].contains(k) else { d.kind = .disagree; return d }
        d.partnership = k; d.force = k
        d.kind = ambiguousLSOAs.contains(lsoa) ? .oldDistrictMajority : .oldDistrict
        return d
    }
}

/// `03-geocode/csp-assignment.csv`: records by entity, `csp_method` and reason; and the columns the records gain.
enum PartnershipCounts {
    /// The file name.
    static let fileName = StageSideFiles.partnershipCounts
    /// The columns of each placed record, after the area layers'.
    static let columns = ["csp_code", "csp_name", "pfa_code", "pfa_name", "csp_method"]

    /// Writes the counts (`entity` → counts per `PartnershipAssignment.outcomes` index); returns the rows written.
    static func write(_ counts: [(entity: String, counts: [Int])], to path: String) throws -> Int {
        let w = try CSVWriter(path: path)
        try w.writeRow(["entity", "csp_method", "reason", "records"])
        var rows = 0
        for (entity, c) in counts {
            for (i, n) in c.enumerated() where n > 0 {
                let o = PartnershipAssignment.outcomes[i]
                try w.writeRow([entity, o.method, o.reason, String(n)]); rows += 1
            }
        }
        try w.close()
        return rows
    }
}
