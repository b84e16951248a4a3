import Foundation

/// A one-line progress report on stderr, rewritten in place on a terminal and printed every
/// `interval` seconds otherwise (logs of background runs stay readable).
public final class ProgressLine: @unchecked Sendable {
    let total: Int
    let start = Date()
    let startCount: Int
    let interval: Double
    var lastPrint = Date.distantPast
    let isTerminal = isatty(STDERR_FILENO) != 0

    public init(total: Int, startingAt: Int = 0, interval: Double = 30) {
        self.total = total; startCount = startingAt; self.interval = interval
    }

    /// `done` of `total` finished; `detail` is appended (losses, rates).
    public func update(_ done: Int, _ detail: String, force: Bool = false) {
        let now = Date()
        guard force || isTerminal || now.timeIntervalSince(lastPrint) >= interval else { return }
        lastPrint = now
        let elapsed = now.timeIntervalSince(start)
        let rate = Double(done - startCount) / max(elapsed, 1e-9)
        let eta = rate > 0 ? Double(total - done) / rate : .infinity
        let line = "\(done)/\(total) \(detail) | \(String(format: "%.2f", 1 / max(rate, 1e-9))) s/step, ETA \(Self.duration(eta))"
        FileHandle.standardError.write(Data(((isTerminal ? "\r\u{1B}[K" : "") + line + (isTerminal ? "" : "\n")).utf8))
    }

    public func finish() { if isTerminal { FileHandle.standardError.write(Data("\n".utf8)) } }

    static func duration(_ s: Double) -> String {
        guard s.isFinite else { return "?" }
        let t = Int(s)
        return t >= 3600 ? "\(t / 3600)h\(String(format: "%02d", t % 3600 / 60))m" : "\(t / 60)m\(String(format: "%02d", t % 60))s"
    }
}
