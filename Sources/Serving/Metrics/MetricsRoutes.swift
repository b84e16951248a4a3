/// `GET /metrics`: Prometheus text exposition of `ServerMetrics` and the scheduler's gauges.
/// Answers while loading too, so a scraper sees the server from its first second.
struct MetricsRoutes: Sendable {
    let metrics: ServerMetrics
    let scheduler: SynthesisScheduler

    func metrics(_ request: Request, _ parameters: RouteParameters) -> Response {
        let counts = scheduler.counts
        let text = metrics.render(waitingJobs: counts.waiting, runningJobs: counts.running)
        return Response(status: 200, headers: ["Content-Type": PrometheusText.contentType], body: Array(text.utf8))
    }
}
