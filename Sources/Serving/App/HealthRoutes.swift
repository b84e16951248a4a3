/// `GET /health`: answers from the moment the port is bound, so orchestrators can tell
/// "starting" from "down". 503 while loading or stopping (readiness probes wait), 200 when ready.
struct HealthRoutes: Sendable {
    let status: ServerStatus
    let models: ModelRegistry

    struct Health: Encodable {
        let status: String
        let version: String?
        let uptimeSeconds: Double?
        let modelsLoaded: Int?

        enum CodingKeys: String, CodingKey {
            case status, version
            case uptimeSeconds = "uptime_seconds"
            case modelsLoaded = "models_loaded"
        }
    }

    func health(_ request: Request, _ parameters: RouteParameters) -> Response {
        let phase = status.phase
        guard phase == .ready else {
            // Not an error body: the status is the answer, the 503 tells probes to wait.
            return .json(Health(status: phase.rawValue, version: nil, uptimeSeconds: nil, modelsLoaded: nil),
                         status: 503, headers: ["Retry-After": String(APIGateway.retryAfterSeconds)])
        }
        let uptime = (status.uptimeSeconds * 1000).rounded() / 1000
        return .json(Health(status: "ok", version: ServingVersion.current, uptimeSeconds: uptime,
                            modelsLoaded: models.loaded.count))
    }
}
