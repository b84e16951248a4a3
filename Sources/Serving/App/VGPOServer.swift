import Foundation

/// The assembled server: configuration, status, models, voices, scheduler, route table, gateway
/// and HTTP transport.
///
/// Start-up order (STYLE, "Servers"): `start()` binds the port and answers `/health` with
/// "loading"; `loadModels()` then loads voices and models, starts the scheduler and flips to
/// ready. `stop()` drains requests in flight, then stops the scheduler and closes.
public final class VGPOServer: @unchecked Sendable {
    public let config: ServerConfig
    public let status = ServerStatus()
    public let metrics = ServerMetrics()
    public let models: ModelRegistry
    public let voices: VoiceStore
    public let scheduler: SynthesisScheduler
    public let gateway: APIGateway
    private let http: HTTPServer
    private let speech: SpeechService
    private let listeningTests = ListeningTests()

    /// - Parameters:
    ///   - configPath: the file `config` came from, re-read by `POST /admin/reload`; nil to reload
    ///     the start-up model list.
    ///   - speechModelLoader: builds TTS models from `ardm` specs; the default reads model folders.
    ///     Tests inject models whose timing they control.
    public init(config: ServerConfig, configPath: String? = nil,
                speechModelLoader: ModelRegistry.SpeechModelLoader? = nil) {
        self.config = config
        let maxBatch = config.limits.maxConcurrentJobs
        models = ModelRegistry(speechLoader: speechModelLoader ?? { spec in
            try ARDMSpeechModel.load(from: spec.path, maxBatch: maxBatch)
        })
        voices = VoiceStore(builtinDirectory: config.builtinVoicesDir, userDirectory: config.voicesDir)
        scheduler = SynthesisScheduler(maxBatch: maxBatch, queueLength: config.limits.queueLength, metrics: metrics)
        let models = self.models
        let startupSpecs = config.models
        let admin = AdminRoutes(models: models, currentModelSpecs: {
            guard let configPath else { return startupSpecs }
            return try ServerConfig.load(contentsOf: configPath).models
        })
        let speech = SpeechService(models: models, voices: voices, scheduler: scheduler, metrics: metrics,
                                   limits: config.limits)
        self.speech = speech
        let router = Router.vgpo(.init(
            health: HealthRoutes(status: status, models: models), models: ModelRoutes(models: models), admin: admin,
            tts: TTSRoutes(service: speech), openAI: OpenAISpeechRoutes(service: speech),
            score: ScoreRoutes(models: models, voices: voices, limits: config.limits),
            voices: VoiceRoutes(voices: voices, limits: config.limits),
            metrics: MetricsRoutes(metrics: metrics, scheduler: scheduler),
            listening: ListeningTestRoutes(tests: listeningTests, voices: voices, speech: speech, limits: config.limits),
            files: StaticFiles(directory: config.publicDir)))
        gateway = APIGateway(router: router, status: status, config: config, metrics: metrics)
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

    /// Loads the voices and the configured models, starts the scheduler, then serves every
    /// route. Throws `VoiceStoreError`, `AudioError` (broken built-ins) or `ModelLoadError`.
    public func loadModels() throws {
        try voices.load { message in
            FileHandle.standardError.write(Data("vgpo-server: \(message)\n".utf8))
        }
        try models.load(config.models)
        scheduler.start()
        try listeningTests.open(path: config.listeningDatabase, speech: speech, limits: config.limits)
        status.enter(.ready)
    }

    /// Stops accepting, lets requests in flight finish for up to `gracePeriod` seconds (default:
    /// the request timeout), then stops the scheduler and closes all connections.
    public func stop(gracePeriod: TimeInterval? = nil) {
        status.enter(.stopping)
        listeningTests.stop()
        http.stop(gracePeriod: gracePeriod ?? TimeInterval(config.limits.requestTimeoutSeconds))
        scheduler.shutdown()
    }
}
