import CSPTestSupport
import Foundation
import Testing

/// Mounts for the I/O fault tests: a small tmpfs (a disk that fills), a read-only bind mount (root ignores permission
/// bits, so chmod cannot make a folder unwritable for it). Root only; CI runs as root.
enum Mounts {
    /// Whether this process can mount (root, and a kernel and container that allow it): tried once.
    static let available: Bool = {
        guard getuid() == 0 else { return false }
        let probe = FileManager.default.temporaryDirectory.path + "/csp-mount-probe-\(getpid())"
        try? FileManager.default.createDirectory(atPath: probe, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: probe) }
        guard run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", probe]) else { return false }
        return run(["umount", probe])
    }()

    /// `mount -t tmpfs -o size=SIZE tmpfs PATH`.
    static func tmpfs(_ path: String, size: String) -> Bool { run(["mount", "-t", "tmpfs", "-o", "size=\(size)", "tmpfs", path]) }

    /// Mounts `path` read-only over itself: every new open, create or rename under it fails with EROFS (descriptors
    /// already open keep writing to the folder beneath).
    static func readOnly(_ path: String) -> Bool { run(["mount", "--bind", path, path]) && run(["mount", "-o", "remount,bind,ro", path]) }

    @discardableResult
    static func unmount(_ path: String) -> Bool { run(["umount", path]) }

    @discardableResult
    static func run(_ arguments: [String]) -> Bool {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = arguments
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return false }
        p.waitUntilExit()
        return p.terminationStatus == 0
    }
}

/// I/O failures in a real `csp` process end with the README's exit codes: a full disk or a read-only output folder 73,
/// an input that vanishes or cannot be read mid-run 66; the message names the file; `latest` does not move.
@Suite(.serialized, .enabled(if: Mounts.available, "needs root and mount (tmpfs, bind mounts)"))
struct IOFaultTests {
    /// A pipeline of two CSV sources: `big` (`rows` rows) then `small` (3 rows), so that `small` is read last.
    func makePipeline(_ dir: TempDir, rows: Int) -> (pipeline: String, small: String) {
        dir.writeBigCSV("raw/big.csv", rows: rows)
        let small = dir.write("raw/small.csv", "id,ward,address\n1,Ward 1,1 Street\n2,Ward 2,2 Street\n3,Ward 3,3 Street\n")
        let p = dir.write("p.yaml", """
        name: io-test
        area: {name: Central Bedfordshire, la_code: E06000056}
        sources:
          - {id: big, agency: police, kind: crimes, format: csv, path: raw/big.csv}
          - {id: small, agency: police, kind: crimes, format: csv, path: raw/small.csv}
        """)
        return (p, small)
    }

    func latest(_ out: String) -> String? { try? FileManager.default.destinationOfSymbolicLink(atPath: out + "/io-test/latest") }

    @Test func aFullDiskExits73NamingTheFile() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let (p, _) = makePipeline(dir, rows: 40_000)  // about 2.5 MB read, as much written
        let out = dir.path + "/out"
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        #expect(Mounts.tmpfs(out, size: "1m"))
        defer { Mounts.unmount(out) }
        let r = try CLI.run(["run", "--pipeline", p, "--output", out, "--until", "ingest"])
        #expect(r.status == 73, "\(r.stderr)")
        #expect(r.stderr.contains("No space left on device") && r.stderr.contains("/.tmp-01-ingest-"), "names the file: \(r.stderr)")
        #expect(latest(out) == nil, "a failed run never moves latest")
        let runs = try FileManager.default.contentsOfDirectory(atPath: out + "/io-test/runs")
        #expect(runs.allSatisfy { !FileManager.default.fileExists(atPath: out + "/io-test/runs/\($0)/01-ingest") }, "the stage published nothing")
    }

    @Test func aReadOnlyOutputFolderExits73NotALockError() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let (p, _) = makePipeline(dir, rows: 10)
        let out = dir.path + "/out"
        #expect(try CLI.run(["run", "--pipeline", p, "--output", out, "--until", "ingest"]).status == 0)
        let before = latest(out)
        #expect(Mounts.readOnly(out))
        defer { Mounts.unmount(out) }
        let r = try CLI.run(["run", "--pipeline", p, "--output", out, "--until", "ingest", "--force"])
        #expect(r.status == 73, "\(r.stderr)")
        #expect(r.stderr.contains("Read-only file system") && r.stderr.contains(out + "/io-test/"), "\(r.stderr)")
        #expect(latest(out) == before)
    }

    /// Starts a run over a big first source, waits until stage 1 is writing, then does `fault` to the small source.
    func midRun(_ fault: (String) throws -> Void) throws -> (CLI.Result, before: String?, after: String?) {
        let dir = TempDir(); defer { dir.cleanup() }
        let (p, small) = makePipeline(dir, rows: 1_000_000)
        let out = dir.path + "/out"
        // A first good run, so that there is a `latest` to keep.
        #expect(try CLI.run(["run", "--pipeline", p, "--output", out, "--until", "ingest"]).status == 0)
        let before = latest(out)
        let running = try CLI.start("csp", ["run", "--pipeline", p, "--output", out, "--until", "ingest", "--force"], in: dir.path)
        var writing = false
        for _ in 0..<2000 where !writing {
            usleep(5_000)
            let runs = (try? FileManager.default.contentsOfDirectory(atPath: out + "/io-test/runs")) ?? []
            writing = runs.contains { ((try? FileManager.default.contentsOfDirectory(atPath: out + "/io-test/runs/" + $0)) ?? []).contains { $0.hasPrefix(".tmp-01-ingest") } }
        }
        #expect(writing, "stage 1 started")
        try fault(small)
        let o = running.outPipe.fileHandleForReading.readDataToEndOfFile()
        let e = running.errPipe.fileHandleForReading.readDataToEndOfFile()
        running.process.waitUntilExit()
        let after = latest(out)
        return (CLI.Result(status: running.process.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self)), before, after)
    }

    @Test func anInputThatVanishesMidRunExits66NamingIt() throws {
        let (r, before, after) = try midRun { small in try FileManager.default.removeItem(atPath: small) }
        #expect(r.status == 66, "\(r.stderr)")
        #expect(r.stderr.contains("raw/small.csv"), "\(r.stderr)")
        #expect(after == before)
    }

    @Test func anInputThatBecomesUnreadableMidRunExits66NamingIt() throws {
        // Replaced by a folder of the same name: it opens, but every read fails (EISDIR); root ignores permission bits.
        let (r, before, after) = try midRun { small in
            try FileManager.default.removeItem(atPath: small)
            try FileManager.default.createDirectory(atPath: small, withIntermediateDirectories: false)
        }
        #expect(r.status == 66, "\(r.stderr)")
        #expect(r.stderr.contains("raw/small.csv") && r.stderr.contains("Is a directory"), "\(r.stderr)")
        #expect(after == before)
    }
}
