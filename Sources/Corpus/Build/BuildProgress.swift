import Foundation

/// The progress line on stderr: utterances done / total, audio made, rate and ETA.
/// On a terminal the line is redrawn in place every second; into a file (nohup) a new line is
/// written every 10 s so logs stay readable. Thread-safe.
final class BuildProgress: @unchecked Sendable {
    private let lock = NSLock()
    private let total: Int
    private var done: Int
    private var doneThisRun = 0
    private var audioSeconds = 0.0
    private let started = Date()
    private var lastPrinted = Date.distantPast
    private let quiet: Bool
    private let isTerminal = isatty(2) != 0

    /// Seconds between lines: on a terminal, and in a log file.
    static let terminalInterval = 1.0
    static let logInterval = 10.0

    init(total: Int, alreadyDone: Int, quiet: Bool) {
        self.total = total
        self.done = alreadyDone
        self.quiet = quiet
    }

    func add(utterances: Int, seconds: Double) {
        lock.lock()
        defer { lock.unlock() }
        done += utterances
        doneThisRun += utterances
        audioSeconds += seconds
        let interval = isTerminal ? Self.terminalInterval : Self.logInterval
        if Date().timeIntervalSince(lastPrinted) >= interval || done == total { print() }
    }

    func finish() {
        lock.lock()
        defer { lock.unlock() }
        if !quiet && isTerminal { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    private func print() {
        guard !quiet else { return }
        lastPrinted = Date()
        let elapsed = max(Date().timeIntervalSince(started), 1e-3)
        let rate = Double(doneThisRun) / elapsed
        let eta = rate > 0 ? Double(total - done) / rate : 0
        let line = String(format: "corpus: %d/%d utterances  %.1f utt/s  %.1f min audio this run  elapsed %@  ETA %@",
                          done, total, rate, audioSeconds / 60, Self.clock(elapsed), Self.clock(eta))
        FileHandle.standardError.write(Data((isTerminal ? "\r" + line + "\u{1B}[K" : line + "\n").utf8))
    }

    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return String(format: "%d:%02d", s / 60, s % 60)
    }
}
