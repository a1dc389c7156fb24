import Foundation

/// Runs a built executable as a child and reads its own peak memory and time with `wait4`
/// (per process, unlike `getrusage(RUSAGE_CHILDREN)`, which mixes every child of the test run).
enum Measured {
    struct Result {
        var status: Int32
        var peakRSSKilobytes: Int
        var seconds: Double
        var stdout: String
        var stderr: String
    }

    static func run(_ tool: String, _ arguments: [String], in directory: String) throws -> Result {
        let out = directory + "/.measured-\(UUID().uuidString).out", err = out + ".err"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, err, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let path = CLI.productsDirectory + "/" + tool
        // The shell changes folder and then execs the tool, so the pid waited on is the tool's own.
        let argv = (["/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", directory, path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid = pid_t()
        let start = Date()
        let rc = posix_spawn(&pid, "/bin/sh", &actions, nil, argv, environ)
        guard rc == 0 else { throw NSError(domain: "spawn", code: Int(rc)) }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
        let seconds = Date().timeIntervalSince(start)
        defer { unlink(out); unlink(err) }
        let exit = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return Result(status: exit, peakRSSKilobytes: usage.ru_maxrss, seconds: seconds,
                      stdout: (try? String(contentsOfFile: out, encoding: .utf8)) ?? "", stderr: (try? String(contentsOfFile: err, encoding: .utf8)) ?? "")
    }
}
