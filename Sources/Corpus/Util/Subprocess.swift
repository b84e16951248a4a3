import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs an engine binary as a child process (posix_spawn, no shell, so text needs no quoting),
/// with stdout and stderr sent to files in a scratch folder so no pipe can fill up and stall
/// the child. Safe to call from several threads at once.
enum Subprocess {
    struct Result {
        var status: Int32
        var standardOutput: String
        var standardError: String
    }

    /// How long one synthesis may take before the child is killed, seconds. The slowest engine
    /// (festival HTS) takes well under 2 s for the longest corpus sentence.
    static let defaultTimeoutSeconds = 60.0
    /// Poll interval while waiting for the child, microseconds.
    private static let pollMicroseconds: useconds_t = 2_000

    /// Runs `executable` with `arguments`; `scratch` is a folder for the output capture files.
    static func run(_ executable: String, _ arguments: [String], scratch: URL,
                    timeoutSeconds: Double = defaultTimeoutSeconds) throws -> Result {
        let outPath = scratch.appendingPathComponent("stdout.txt").path
        let errPath = scratch.appendingPathComponent("stderr.txt").path
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)

        let argv = ([executable] + arguments).map { strdup($0) }
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawnStatus = (argv + [nil]).withUnsafeBufferPointer { buffer in
            posix_spawn(&pid, executable, &actions, nil, UnsafeMutablePointer(mutating: buffer.baseAddress!), environ)
        }
        guard spawnStatus == 0 else {
            throw CorpusError.engineFailed(command: executable, reason: "cannot start: \(String(cString: strerror(spawnStatus)))")
        }
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        var waitStatus: Int32 = 0
        while true {
            let done = waitpid(pid, &waitStatus, WNOHANG)
            if done == pid { break }
            if done < 0 && errno != EINTR {
                throw CorpusError.engineFailed(command: executable, reason: "waitpid failed: \(String(cString: strerror(errno)))")
            }
            if Date() > deadline {
                kill(pid, SIGKILL)
                _ = waitpid(pid, &waitStatus, 0)
                throw CorpusError.engineFailed(command: executable, reason: "no result after \(Int(timeoutSeconds)) s; killed")
            }
            usleep(pollMicroseconds)
        }
        // WIFEXITED / WEXITSTATUS are macros: decode the wait status by hand.
        let exited = (waitStatus & 0x7f) == 0
        let status = exited ? (waitStatus >> 8) & 0xff : 128 + (waitStatus & 0x7f)
        let out = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
        let err = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
        return Result(status: status, standardOutput: out, standardError: err)
    }

    /// The absolute path of `name` on $PATH (or `name` itself when it contains a "/" and is
    /// executable); nil when not found.
    static func locate(_ name: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if name.contains("/") { return FileManager.default.isExecutableFile(atPath: name) ? name : nil }
        let path = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}
