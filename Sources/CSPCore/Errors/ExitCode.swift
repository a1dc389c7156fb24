/// Process exit codes, after BSD `sysexits.h`: the cron job reads what went wrong from these.
public enum ExitCode: Int32, Sendable, CaseIterable {
    /// Everything succeeded.
    case success = 0
    /// The command line was wrong.
    case usage = 64
    /// Malformed input, a data-quality gate, counts that do not balance, an audit mismatch.
    case dataError = 65
    /// An input is missing, or cannot be read (it vanished or became unreadable during the run).
    case noInput = 66
    /// A service the command needs is unavailable: the PostgreSQL server cannot be reached, or `psql` is not installed.
    case unavailable = 69
    /// Output could not be written: the disk (or a quota) is full, the output folder is read-only or not writable.
    case cannotCreate = 73
    /// Another run holds the lock; try again later.
    case tempFail = 75
    /// Permission denied: the PostgreSQL server refused the credentials, or the role may not create the tables.
    case noPermission = 77
    /// Bad pipeline file, missing or unsafe key.
    case config = 78
}

/// An error that knows which exit code it deserves; any other error is a data error (65).
public protocol ExitCodeProviding: Error {
    /// The sysexits code a command should exit with.
    var exitCode: ExitCode { get }
}
