import Foundation

/// Runs a built executable and reads its own peak memory and time. A child starts with its parent's peak RSS
/// as a floor on Linux (kept across exec), so the test process (hundreds of MB) cannot measure its children
/// directly: a small python3 process runs the tool and reports `RUSAGE_CHILDREN`, which then holds the tool alone.
enum Measured {
    struct Result {
        var status: Int32
        var peakRSSKilobytes: Int
        var seconds: Double
        var stdout: String
        var stderr: String
    }

    static let script = """
    import json, resource, subprocess, sys, time
    out, err, res, cwd, *cmd = sys.argv[1:]
    t = time.monotonic()
    with open(out, 'wb') as o, open(err, 'wb') as e:
        p = subprocess.run(cmd, cwd=cwd, stdout=o, stderr=e, stdin=subprocess.DEVNULL)
    json.dump({'status': p.returncode, 'maxrss': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, 'seconds': time.monotonic() - t}, open(res, 'w'))
    """

    static func run(_ tool: String, _ arguments: [String], in directory: String) throws -> Result {
        let base = directory + "/.measured-\(UUID().uuidString)"
        let (out, err, res) = (base + ".out", base + ".err", base + ".json")
        defer { for f in [out, err, res] { unlink(f) } }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", script, out, err, res, directory, try CLI.releaseTool(tool)] + arguments
        try p.run()
        p.waitUntilExit()
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: res))) as! [String: Any]
        let status = (json["status"] as! NSNumber).int32Value
        return Result(status: status < 0 ? 128 - status : status, peakRSSKilobytes: (json["maxrss"] as! NSNumber).intValue,
                      seconds: (json["seconds"] as! NSNumber).doubleValue,
                      stdout: (try? String(contentsOfFile: out, encoding: .utf8)) ?? "", stderr: (try? String(contentsOfFile: err, encoding: .utf8)) ?? "")
    }
}
