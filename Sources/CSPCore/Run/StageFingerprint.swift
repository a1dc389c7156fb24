import CSPStorage
import Crypto
import Foundation

/// What a stage's result depends on, hashed, so that a nightly run on unchanged exports can skip it: the stage,
/// the tool version, the configuration hash, the previous stage's output checksums, and the checksum of every
/// file the stage declares it reads (`PipelineStage.declaredInputs(for:)`). Nothing else can reach a stage, so
/// a changed file reruns exactly the stages that declare it (and the later stages whose inputs then change).
struct StageFingerprint {
    let pipeline: PipelineDefinition
    let layout: RunLayout
    let runID: String

    /// The fingerprint of `stage` as it would run now in `runID`, its declared inputs, and the digests of the files
    /// it reads (absolute path → SHA-256 and size), so that the stage's manifest need not hash them again.
    func compute(_ stage: any PipelineStage) throws -> (fingerprint: String, inputs: StageInputs, digests: [String: (hex: String, bytes: Int)]) {
        let id = stage.id
        let inputs = StageInputs(stage: id, declared: try stage.declaredInputs(for: pipeline))
        var digests: [String: (hex: String, bytes: Int)] = [:]
        var parts = ["stage=\(id.rawValue)", "tool=\(ToolVersion.current)", "config=\(pipeline.configHash)"]
        if let prev = id.previous {
            let dir = layout.stage(prev, run: runID)
            let m = try JSON.read(Manifest.self, from: dir + "/manifest.json")
            for o in m.outputs.sorted(by: { $0.path < $1.path }) {
                parts.append("input \(o.path)=\(o.sha256)")
                digests[dir + "/" + o.path] = (o.sha256, o.bytes)
            }
        }
        // Declared files are hashed on both cores (stage 1's raw exports are the largest files a run hashes).
        let hashed = try FileDigest.sha256(paths: inputs.declared.map(\.path))
        for (d, h) in zip(inputs.declared, hashed) {
            digests[d.path] = h
            parts.append("\(d.role) \(d.path)=\(h.hex)")
        }
        return (FileDigest.sha256(data: Data(parts.joined(separator: "\n").utf8)), inputs, digests)
    }
}
