import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A detached tmux session driven as a trainee would: keys sent with `send-keys`, the screen read back
/// with `capture-pane`.
///
/// tmux is started with `posix_spawn` and reaped with `waitpid`, never with Foundation's `Process`: the
/// first `tmux` command forks the tmux server as a daemon, and a daemon that inherits `Process`'s
/// private socket keeps `waitUntilExit` waiting for ever (seen on a machine where no tmux server was
/// running yet). For the same reason the child gets only /dev/null or a file on 0-2 and none of the
/// test process's other descriptors.
struct TmuxSession {
    static let executable = "/usr/bin/tmux"
    static var isAvailable: Bool { FileManager.default.isExecutableFile(atPath: executable) }

    let name = "hl-\(UUID().uuidString.prefix(8))"

    /// Starts `command` in a new detached 120×50 session.
    func start(_ command: String) {
        Self.tmux(["new-session", "-d", "-s", name, "-x", "120", "-y", "50", command])
    }

    /// Types `text` literally, then Enter.
    func type(_ text: String) {
        Self.tmux(["send-keys", "-t", name, "-l", text])
        Self.tmux(["send-keys", "-t", name, "Enter"])
    }

    /// Sends one named key such as `C-c`.
    func press(_ key: String) {
        Self.tmux(["send-keys", "-t", name, key])
    }

    /// The pane with its scroll-back.
    func screen() -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString).txt")
        defer { try? FileManager.default.removeItem(at: file) }
        Self.tmux(["capture-pane", "-p", "-J", "-t", name, "-S", "-2000"], output: file.path)
        return (try? String(contentsOf: file, encoding: .utf8)) ?? ""
    }

    /// Waits up to `seconds` for `text` to appear `count` times on the screen.
    func waitFor(_ text: String, count: Int = 1, seconds: Double = 10) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if screen().components(separatedBy: text).count - 1 >= count { return true }
            usleep(50_000)
        }
        return false
    }

    func kill() {
        Self.tmux(["kill-session", "-t", name])
    }

    /// Runs tmux with `arguments` and waits for that client (not the server it may fork) to exit.
    @discardableResult
    private static func tmux(_ arguments: [String], output: String = "/dev/null") -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let limit = min(Int32(sysconf(Int32(_SC_OPEN_MAX))), 65_536)
        for fd in 3..<max(3, limit) where fcntl(fd, F_GETFD) != -1 {
            posix_spawn_file_actions_addclose(&actions, fd)
        }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, executable, &actions, nil, argv, environ) == 0 else { return -1 }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        return status
    }
}
