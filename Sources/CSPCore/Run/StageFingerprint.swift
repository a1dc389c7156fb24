import Crypto
import Foundation

/// What a stage's result depends on, hashed, so that a nightly run on unchanged exports can skip it.
struct StageFingerprint {
    let pipeline: PipelineDefinition
    let layout: RunLayout
    let runID: String

    /// The fingerprint of `stage` as it would run now in `runID`.
    func compute(_ stage: StageID) throws -> String {
        var parts = ["stage=\(stage.rawValue)", "tool=\(ToolVersion.current)", "config=\(pipeline.configHash)"]
        if let prev = stage.previous {
            let m = try JSON.read(Manifest.self, from: layout.stage(prev, run: runID) + "/manifest.json")
            for o in m.outputs.sorted(by: { $0.path < $1.path }) { parts.append("input \(o.path)=\(o.sha256)") }
        } else {
            for source in pipeline.sources {
                for pattern in source.paths {
                    for file in FileSystem.glob(pattern) {
                        parts.append("source \(source.id) \(file)=\(try FileDigest.sha256(path: file).hex)")
                    }
                }
            }
        }
        for ref in pipeline.reference { parts.append("reference \(ref.name)=\(try FileDigest.sha256(path: ref.path).hex)") }
        if let key = pipeline.privacy.keyFile, let data = FileManager.default.contents(atPath: key) {
            parts.append("key=\(FileDigest.sha256(data: data).prefix(16))")
        }
        return FileDigest.sha256(data: Data(parts.joined(separator: "\n").utf8))
    }
}
