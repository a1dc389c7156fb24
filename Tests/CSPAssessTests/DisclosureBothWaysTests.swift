import CSPTestSupport
import CSPCore
import Foundation
import Testing
import CSPPipeline
@testable import CSPAssess

/// Disclosure both ways on the real data.police.uk run (36 months, the twelve months 2023-05 … 2024-04 published by
/// LSOA and ward): nothing small is published, nothing is withheld without need, Gi* hot spots are those of the true
/// counts, and the same with `privacy.suppress_below` 10 instead of 5.
@Suite(.serialized) struct DisclosureBothWaysTests {
    /// A real-data run with a `twelve_months` period and the given threshold: its run folder, `05-assess`, warehouse and
    /// pipeline.
    struct Run {
        /// The run's folder (`<output>/<pipeline>/runs/<run-id>`).
        let folder: String
        /// Its `05-assess` folder.
        let assess: String
        /// Its stage 4 warehouse.
        let warehouse: String
        /// The pipeline as run.
        let pipeline: PipelineDefinition

        /// Runs the real pipeline with `threshold` as `privacy.suppress_below`.
        static func make(threshold: Int) throws -> Run {
            let data = try DisclosureAttackTests.realData()
            var pipeline = try PipelineLoader(overrides: ["realdata": data]).load(path: StageTestSupport.repositoryRoot + "/Pipelines/police-uk-central-bedfordshire.yaml")
            pipeline.periods.append(try JSONDecoder().decode(PeriodDefinition.self, from: Data(#"{"name": "twelve_months", "from": "2023-05-01", "to": "2024-04-30"}"#.utf8)))
            pipeline.privacy.suppressBelow = threshold
            let r = try DisclosureAttackTests.run(pipeline)
            return Run(folder: (r.assess as NSString).deletingLastPathComponent, assess: r.assess, warehouse: r.warehouse, pipeline: pipeline)
        }

        /// The run with the default threshold, made once for the tests that read it.
        static let standard = Result { try make(threshold: 5) }
    }

    /// What `Tests/Reference/gi_star_truth.py` (an independent standard-library Gi* of the true counts, read from the
    /// warehouse) finds in a run.
    static func truth(_ run: Run) throws -> [String: Any] {
        try ReferenceScript.json("Tests/Reference/gi_star_truth.py", [run.folder, run.pipeline.referencePath("themes")!, String(run.pipeline.privacy.suppressBelow)])
    }

    /// Published Gi* hot spots are hot spots of the true counts (no artefact), at most 10% of the true hot spots are
    /// published as "not significant" (`~` is not counted as missed), and no count of 20 or more is withheld as a
    /// complement (it is published as a band), by the independent computation.
    @Test func giStarHotSpotsAreThoseOfTheTrueCounts() throws {
        let run = try Run.standard.get()
        let json = try Self.truth(run)
        let themes = try #require(json["themes"] as? [String: [String: Any]])
        var trueHot = 0, published = 0, artefacts: [String] = [], missed: [String] = [], withheld = 0
        for (theme, t) in themes.sorted(by: { $0.key < $1.key }) {
            for kind in ["hot", "cold"] {
                let k = try #require(t[kind] as? [String: Any])
                let a = k["artefacts"] as! [String], m = k["missed"] as! [String], w = k["withheld"] as! [String]
                artefacts += a.map { "\(theme) \(kind) \($0)" }
                if kind == "hot" {
                    trueHot += k["true"] as! Int
                    published += k["published"] as! Int
                    missed += m.map { "\(theme) \($0)" }
                    withheld += w.count
                }
                print("\(theme) \(kind) spots: true \(k["true"]!), published \(k["published"]!), artefacts \(a.count), missed \(m.count), withheld \(w.count); classes withheld \(t["withheld_flags"]!)")
            }
        }
        print("Gi* hot spots: \(trueHot) true, \(published) published, \(artefacts.count) artefacts, \(missed.count) missed, \(withheld) withheld")
        #expect(trueHot > 50, "the real archive has 66 true hot spots")
        #expect(artefacts.isEmpty, "\(artefacts)")
        #expect(Double(missed.count) <= 0.1 * Double(trueHot), "\(missed)")
        let complements = try #require(json["complements"] as? [String: Int])
        print("largest count withheld as a complement: \(complements)")
        print("complements published as a band: \(json["bands"] ?? [:])")
        // Ward E05014409's shoplifting, 91 = 2 (LSOA 016B) + 89 (016C) + zeros, once forced 89 or 91 to be withheld to
        // protect the 2: such a complement is now published as a band (DisclosurePolicy.coarsenFrom).
        #expect(complements.values.allSatisfy { $0 < 20 }, "\(complements)")
    }

    /// Every count withheld though not small is needed: with it published, the attack narrows some withheld count to
    /// within ±1. And nothing small is published.
    @Test func everyComplementIsNeeded() throws {
        try Self.checkBothWays(try Run.standard.get(), "threshold 5", known: ["burglary lsoa E01017617 = 5", "vehicle_crime lsoa E01017587 = 6"])
    }

    /// With `privacy.suppress_below` 10: nothing from 1 to 9 is published, nothing comes back, every complement is needed.
    @Test func aThresholdOfTenIsKeptBothWays() throws {
        let run = try Run.make(threshold: 10)
        let attack = try PublishedOutputAttack(folder: run.assess, warehouse: run.warehouse, pipeline: run.pipeline)
        DisclosureAttackTests.check(attack, "real-data run, threshold 10")
        try Self.checkBothWays(run, "threshold 10", attack: attack, known: ["anti_social_behaviour lsoa E01017585 = 11", "vehicle_crime lsoa E01017617 = 12",
                                                                             "violence_and_sexual lsoa E01017452 = 13", "violence_and_sexual lsoa E01017626 = 14"])
    }

    /// Nothing below the run's threshold is published in `hotspots.csv`, and each complement is needed. `known`: the
    /// complements the attack shows no need for as of 2026-12 (the search kept them because it found no second pair
    /// of alternatives without them; the attack's intervals are a relaxation, so they may still be needed): recorded
    /// as a known issue, while any other needless complement fails.
    static func checkBothWays(_ run: Run, _ what: String, attack: PublishedOutputAttack? = nil, known: Set<String> = []) throws {
        let threshold = run.pipeline.privacy.suppressBelow
        let rows = StageTestSupport.csvRows(run.assess + "/tables/hotspots.csv")
        let count = try #require(rows[0].firstIndex(of: "count"))
        let small = rows.dropFirst().filter { Int($0[count]).map { $0 > 0 && $0 < threshold } ?? false }
        #expect(small.isEmpty, "\(what): published small counts \(small.prefix(3))")
        let attack = try attack ?? PublishedOutputAttack(folder: run.assess, warehouse: run.warehouse, pipeline: run.pipeline, giStar: false)
        #expect(attack.recovered.isEmpty, "\(what): \(attack.recovered.prefix(3))")
        print("\(what): \(attack.complements.count) complements, largest \(attack.complements.map(\.count).max() ?? 0); "
              + "bands: \(attack.coarsened.map { "\($0.theme) \($0.layer) \($0.code) \($0.count) as \($0.band)" })")
        var needless: [String] = []
        for c in attack.complements {
            let revealed = try PublishedOutputAttack(folder: run.assess, warehouse: run.warehouse, pipeline: run.pipeline,
                                                     reveal: [[c.theme, c.layer, c.code]], giStar: false)
            if revealed.recovered.isEmpty { needless.append("\(c.theme) \(c.layer) \(c.code) = \(c.count)") }
        }
        // A band is needed too: published exactly, it would let the attack narrow a withheld count.
        for b in attack.coarsened {
            let revealed = try PublishedOutputAttack(folder: run.assess, warehouse: run.warehouse, pipeline: run.pipeline,
                                                     reveal: [[b.theme, b.layer, b.code]], giStar: false)
            #expect(!revealed.recovered.isEmpty, "\(what): \(b.theme) \(b.layer) \(b.code) = \(b.count), published as \(b.band), is not needed")
        }
        #expect(Set(needless).isSubset(of: known), "\(what): complements whose publication lets the attack narrow nothing: \(needless)")
        if !needless.isEmpty {
            withKnownIssue("complements the search keeps though the attack needs them not") {
                #expect(needless.isEmpty, "\(what): \(needless)")
            }
        }
    }
}
