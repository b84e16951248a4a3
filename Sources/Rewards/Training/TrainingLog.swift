import Foundation

/// A run's record: JSON lines appended to `log.jsonl` (one object per event, flushed at once,
/// so `tail -f` and plots see it live) and a progress line on standard error with the rate
/// and the time left.
public final class TrainingLog: @unchecked Sendable {
    let handle: FileHandle
    let totalSteps: Int
    let quiet: Bool
    private var rateStart: (step: Int, time: Date)?

    public init(url: URL, totalSteps: Int, quiet: Bool = false) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        if !FileManager.default.fileExists(atPath: url.path) { _ = FileManager.default.createFile(atPath: url.path, contents: nil) }
        handle = try FileHandle(forWritingTo: url)
        try handle.seekToEnd()
        self.totalSteps = totalSteps
        self.quiet = quiet
    }

    deinit { try? handle.close() }

    /// Appends one JSON object (keys sorted) with the event name and wall-clock time.
    public func record(_ event: String, _ fields: [String: Any]) {
        var object = fields
        object["event"] = event
        object["time"] = ISO8601DateFormatter().string(from: Date())
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return }
        handle.write(data + Data("\n".utf8))
    }

    /// Redraws the progress line: step, loss, learning rate, steps/s and ETA.
    public func progress(step: Int, loss: Double, learningRate: Float, extra: String = "") {
        let now = Date()
        if rateStart == nil { rateStart = (step, now) }
        let (s0, t0) = rateStart!
        let elapsed = now.timeIntervalSince(t0)
        let rate = step > s0 && elapsed > 0 ? Double(step - s0) / elapsed : 0
        let eta = rate > 0 ? Self.duration(Double(totalSteps - step) / rate) : "?"
        guard !quiet else { return }
        let line = String(format: "\rstep %d/%d  loss %.4f  lr %.2e  %.2f steps/s  ETA %@ %@", step, totalSteps, loss,
                          learningRate, rate, eta, extra)
        FileHandle.standardError.write(Data(line.utf8))
    }

    public func newline() { if !quiet { FileHandle.standardError.write(Data("\n".utf8)) } }

    /// "1h02m", "3m20s".
    public static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%dh%02dm", s / 3600, (s % 3600) / 60) : String(format: "%dm%02ds", s / 60, s % 60)
    }
}
