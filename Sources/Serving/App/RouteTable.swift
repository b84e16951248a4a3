/// The route table of `vgpo-server`: every route, in one place (STYLE, "Servers").
///
/// Synthesis routes hand their sampling to the scheduler and wait, never touching a model's
/// sampler on the HTTP thread; scoring runs the reward models on the request's thread (they
/// keep no state between calls). Paths no route has are looked up in the public folder
/// (`StaticFiles`: `/` is the playground, `/openapi.json` the API's description).
extension Router {
    struct VGPORoutes {
        let health: HealthRoutes
        let models: ModelRoutes
        let admin: AdminRoutes
        let tts: TTSRoutes
        let openAI: OpenAISpeechRoutes
        let score: ScoreRoutes
        let voices: VoiceRoutes
        let metrics: MetricsRoutes
        let listening: ListeningTestRoutes
        let files: StaticFiles
    }

    static func vgpo(_ r: VGPORoutes) -> Router {
        Router(routes: [
            Route(.get, "/health", availableWhileLoading: true, handler: { r.health.health($0, $1) }),
            Route(.get, "/metrics", availableWhileLoading: true, handler: { r.metrics.metrics($0, $1) }),
            Route(.get, "/v1/models", handler: { r.models.list($0, $1) }),
            Route(.post, "/v1/tts", handler: { try r.tts.synthesize($0, $1) }),
            Route(.post, "/v1/audio/speech", handler: { try r.openAI.speech($0, $1) }),
            Route(.post, "/v1/score", handler: { try r.score.score($0, $1) }),
            Route(.get, "/v1/voices", handler: { r.voices.list($0, $1) }),
            Route(.post, "/v1/voices", handler: { try r.voices.create($0, $1) }),
            Route(.delete, "/v1/voices/{id}", handler: { try r.voices.delete($0, $1) }),
            Route(.get, "/v1/listening-tests", handler: { try r.listening.list($0, $1) }),
            Route(.post, "/v1/listening-tests", access: .admin, handler: { try r.listening.create($0, $1) }),
            Route(.get, "/v1/listening-tests/{id}", handler: { try r.listening.show($0, $1) }),
            Route(.post, "/v1/listening-tests/{id}/next", handler: { try r.listening.next($0, $1) }),
            Route(.post, "/v1/listening-tests/{id}/ratings", handler: { try r.listening.rate($0, $1) }),
            Route(.get, "/v1/listening-tests/{id}/results", handler: { try r.listening.results($0, $1) }),
            Route(.get, "/v1/listening-tests/{id}/export", access: .admin, handler: { try r.listening.export($0, $1) }),
            Route(.get, "/v1/listening-tests/{id}/clips/{clip}", handler: { try r.listening.clip($0, $1) }),
            Route(.post, "/admin/reload", access: .admin, handler: { try r.admin.reload($0, $1) }),
        ], files: r.files)
    }
}
