import CSPTestSupport
import Foundation
import Testing
@testable import CSPCore

@Suite struct RunLockTests {
    func holder(_ pid: Int32, host: String = "box") -> RunLock.Holder {
        RunLock.Holder(pid: pid, host: host, user: "analyst", started: "2009-10-01T02:00:00.000Z", arguments: ["csp", "run"])
    }

    @Test func aSecondTakerIsRefusedAndNamesTheHolder() throws {
        let dir = TempDir("lock"); defer { dir.cleanup() }
        let first = try RunLock(path: dir.path + "/.lock", holder: holder(getpid()))
        #expect { try RunLock(path: dir.path + "/.lock", holder: holder(getpid())) } throws: { error in
            guard let held = error as? RunLock.Held else { return false }
            return held.exitCode == .tempFail && held.description.contains("pid \(getpid()) on box by analyst")
        }
        first.release()
        let again = try RunLock(path: dir.path + "/.lock", holder: holder(getpid()))
        #expect(again.takenOverFrom == nil)
    }

    @Test func aLockLeftByADeadProcessIsTakenOver() throws {
        let dir = TempDir("lock"); defer { dir.cleanup() }
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/bin/true")
        try child.run()
        child.waitUntilExit()
        let dead = child.processIdentifier
        try JSON.line(holder(dead)).write(to: URL(fileURLWithPath: dir.path + "/.lock"))
        let lock = try RunLock(path: dir.path + "/.lock", holder: holder(getpid()))
        #expect(lock.takenOverFrom?.pid == dead)
        // A lock held on another host is never taken over: its process cannot be checked from here.
        lock.release()
        try JSON.line(holder(dead, host: "elsewhere")).write(to: URL(fileURLWithPath: dir.path + "/.lock"))
        #expect(throws: RunLock.Held.self) { try RunLock(path: dir.path + "/.lock", holder: holder(getpid())) }
    }
}

@Suite struct RunIDTests {
    @Test func idsSortInStartOrderEvenWithinOneSecond() {
        let base = Date(timeIntervalSince1970: 1_254_362_400)  // 2009-10-01T02:00:00Z
        let ids = (0..<50).map { RunID.make(at: base.addingTimeInterval(Double($0) * 0.013)) }
        #expect(ids == ids.sorted())
        #expect(ids.allSatisfy(RunID.isValid))
        #expect(ids[0].hasPrefix("20091001T020000000Z-"))
        #expect(RunID.isValid("20091001T020000Z-4f2a"), "ids from before milliseconds still resolve")
        #expect(!RunID.isValid("../../etc"))
    }
}
