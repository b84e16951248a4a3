import Foundation

/// The assembled server: configuration, status, models, route table, gateway and HTTP transport.
///
/// Start-up order (STYLE, "Servers"): `start()` binds the port and answers `/health` with
/// "loading"; `loadModels()` then loads and flips to ready. `stop()` drains and closes.
public final class VGPOServer: @unchecked Sendable {
    public let config: ServerConfig
    public let status = ServerStatus()
    public let models = ModelRegistry()
    public let gateway: APIGateway
    private let http: HTTPServer

    /// - Parameter configPath: the file `config` came from, re-read by `POST /admin/reload`;
    ///   nil to reload the start-up model list.
    public init(config: ServerConfig, configPath: String? = nil) {
        self.config = config
        let models = self.models
        let startupSpecs = config.models
        let admin = AdminRoutes(models: models, currentModelSpecs: {
            guard let configPath else { return startupSpecs }
            return try ServerConfig.load(contentsOf: configPath).models
        })
        let router = Router.vgpo(
            health: HealthRoutes(status: status, models: models), models: ModelRoutes(models: models), admin: admin)
        gateway = APIGateway(router: router, status: status, config: config)
        http = HTTPServer(
            options: .init(host: config.host, port: config.port, maxConnections: config.limits.maxConnections,
                           idleTimeoutSeconds: config.limits.requestTimeoutSeconds),
            handler: gateway)
    }

    /// Binds the port and starts answering (`/health` says "loading"). Throws `HTTPServerError`.
    public func start() throws {
        try http.start()
    }

    /// The port listened on (the kernel's pick when the config says 0).
    public var port: Int { http.port }

    /// `http://host:port`, with IPv6 literals bracketed.
    public var url: String {
        let host = config.host.contains(":") ? "[\(config.host)]" : config.host
        return "http://\(host):\(port)"
    }

    /// Loads the configured models, then serves every route. Throws `ModelLoadError`.
    public func loadModels() throws {
        try models.load(config.models)
        status.enter(.ready)
    }

    /// Stops accepting, lets requests in flight finish for up to `gracePeriod` seconds (default:
    /// the request timeout), then closes all connections.
    public func stop(gracePeriod: TimeInterval? = nil) {
        status.enter(.stopping)
        http.stop(gracePeriod: gracePeriod ?? TimeInterval(config.limits.requestTimeoutSeconds))
    }
}
