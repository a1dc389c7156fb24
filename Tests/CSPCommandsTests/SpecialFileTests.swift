import CSPTestSupport
import Foundation
import Testing

/// Only regular files are opened: a FIFO (or device, socket, folder) matching a source's glob is refused with 66,
/// naming it, before any read, so a nightly run cannot hang holding the lock.
@Suite(.serialized) struct SpecialFileTests {
    @Test func aFIFOMatchingAGlobIsRefusedAt66AndReleasesTheLock() throws {
        let dir = TempDir("fifo"); defer { dir.cleanup() }
        _ = dir.write("raw/a.csv", "id,ward\n1,Ampthill\n")
        #expect(mkfifo(dir.path + "/raw/b.csv", 0o600) == 0)
        let p = dir.write("p.yaml", """
        name: fifo-test
        area: {name: Central Bedfordshire, la_code: E06000056}
        sources:
          - {id: things, agency: police, kind: crimes, format: csv, path: raw/*.csv}
        """)
        let started = Date()
        let r = try CLI.run(["run", "--pipeline", p, "--output", dir.path + "/out", "--until", "ingest"])
        #expect(r.status == 66, "\(r.stderr)")
        #expect(r.stderr.contains("raw/b.csv") && r.stderr.contains("FIFO"), "\(r.stderr)")
        #expect(Date().timeIntervalSince(started) < 30)
        // The lock is free: the next run gets as far as the same refusal instead of exiting 75.
        let again = try CLI.run(["run", "--pipeline", p, "--output", dir.path + "/out", "--until", "ingest"])
        #expect(again.status == 66)
    }
}
