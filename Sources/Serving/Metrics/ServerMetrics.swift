import Foundation

/// Counters and histograms of the server, rendered as Prometheus text by `GET /metrics`:
/// requests by route, method and status; batch sizes; audio seconds generated; real-time factor
/// (synthesis seconds per audio second, below 1 is faster than real time). Gauges of the queue
/// are read from the scheduler when rendering.
public final class ServerMetrics: @unchecked Sendable {
    struct RequestKey: Hashable, Comparable {
        let route: String
        let method: String
        let status: Int

        static func < (a: RequestKey, b: RequestKey) -> Bool {
            (a.route, a.method, a.status) < (b.route, b.method, b.status)
        }
    }

    /// Methods reported by name; anything else a client invents is counted as "other", so a
    /// client cannot grow the metric's label set without bound.
    static let knownMethods: Set<String> = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]

    private let lock = NSLock()
    private var requests: [RequestKey: Int] = [:]
    private var batchSizes = PrometheusHistogram(upperBounds: [1, 2, 4, 8, 16, 32])
    private var realTimeFactors = PrometheusHistogram(upperBounds: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10])
    private var audioSeconds = 0.0

    public init() {}

    /// Counts one answered request; `route` is the matched pattern, or "unmatched".
    public func recordRequest(route: String, method: HTTPMethod, status: Int) {
        let methodLabel = Self.knownMethods.contains(method.rawValue) ? method.rawValue : "other"
        lock.lock()
        requests[RequestKey(route: route, method: methodLabel, status: status), default: 0] += 1
        lock.unlock()
    }

    /// One finished job's batch size: the most jobs it shared a token step with.
    public func recordBatch(size: Int) {
        lock.lock()
        batchSizes.observe(Double(size))
        lock.unlock()
    }

    /// One synthesised response: its audio length and the seconds it took (sampling and vocoding).
    public func recordSynthesis(audioSeconds seconds: Double, computeSeconds: Double) {
        lock.lock()
        audioSeconds += seconds
        if seconds > 0 { realTimeFactors.observe(computeSeconds / seconds) }
        lock.unlock()
    }

    /// The exposition text, with the scheduler's current queue gauges.
    public func render(waitingJobs: Int, runningJobs: Int) -> String {
        lock.lock()
        defer { lock.unlock() }
        var text = "# HELP vgpo_http_requests_total HTTP requests answered, by route pattern, method and status.\n"
        text += "# TYPE vgpo_http_requests_total counter\n"
        for (key, count) in requests.sorted(by: { $0.key < $1.key }) {
            text += "vgpo_http_requests_total{route=\"\(PrometheusText.label(key.route))\",method=\"\(key.method)\",status=\"\(key.status)\"} \(count)\n"
        }
        text += "# HELP vgpo_queue_waiting_jobs Synthesis jobs waiting for a batch.\n# TYPE vgpo_queue_waiting_jobs gauge\n"
        text += "vgpo_queue_waiting_jobs \(waitingJobs)\n"
        text += "# HELP vgpo_running_jobs Synthesis jobs in the batch being sampled.\n# TYPE vgpo_running_jobs gauge\n"
        text += "vgpo_running_jobs \(runningJobs)\n"
        text += batchSizes.render(name: "vgpo_batch_size", help: "Per request, the most requests it shared a token step with.")
        text += "# HELP vgpo_audio_seconds_total Seconds of audio generated.\n# TYPE vgpo_audio_seconds_total counter\n"
        text += "vgpo_audio_seconds_total \(PrometheusText.number(audioSeconds))\n"
        text += realTimeFactors.render(
            name: "vgpo_real_time_factor", help: "Synthesis seconds (batch sampling plus vocoding) per second of audio, per request.")
        return text
    }
}
