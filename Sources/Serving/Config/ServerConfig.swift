import NN

/// Everything `vgpo-server` is configured with, read from `configs/server.json` (snake_case keys)
/// and overridden on the command line. Every field has a default, so `{}` is a valid file; an
/// unknown field is an error, so typos do not pass silently.
public struct ServerConfig: Codable, Equatable, Sendable {
    /// Bind address. The default serves this machine only; use "0.0.0.0" or "::" to serve a network.
    public var host = "127.0.0.1"
    /// TCP port; 0 lets the kernel pick one (the listening line on stderr says which).
    public var port = 8080
    public var limits = Limits()
    /// Bearer token for `/admin/*` routes; null disables them (they answer 403).
    /// The environment variable `VGPO_ADMIN_API_KEY` overrides it, to keep secrets out of files.
    public var adminAPIKey: String?
    public var cors = CORS()
    /// Models loaded at start-up and on `POST /admin/reload`.
    public var models: [ModelSpec] = []
    /// Where voices created with `POST /v1/voices` are stored (a WAV and a JSON file each);
    /// created on the first upload.
    public var voicesDir = "data/voices"
    /// The SQLite database of listening tests (audio, presentations, ratings); created on start.
    public var listeningDatabase = "data/listening.sqlite"
    /// The read-only voices shipped with the server: `index.json` plus prompt WAVs.
    public var builtinVoicesDir = "voices/builtin"
    /// The folder served at `/` for paths no API route has: the playground (`index.html`) and
    /// `openapi.json`. A folder that does not exist serves nothing (404).
    public var publicDir = "public"

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case host, port, limits, cors, models
        case adminAPIKey = "admin_api_key"
        case voicesDir = "voices_dir"
        case listeningDatabase = "listening_database"
        case builtinVoicesDir = "builtin_voices_dir"
        case publicDir = "public_dir"
    }

    /// Bounds on what one request, and the server as a whole, may ask for.
    public struct Limits: Codable, Equatable, Sendable {
        /// Largest request body accepted (413 beyond). 25 MiB fits a minute of 48 kHz float WAV, base64.
        public var maxBodyBytes = 25 << 20
        /// Longest text to synthesise, in characters (422 beyond).
        public var maxTextChars = 2_000
        /// Synthesis requests the scheduler samples together in one batch (one batched sampler
        /// call turns matrix-vector work into matrix-matrix work; DESIGN §12).
        public var maxConcurrentJobs = 8
        /// The cap on `maxConcurrentJobs`: a batch's head rows (up to three guidance branches a
        /// job) must stay within the few-row product, whose every output element is computed the
        /// same way whatever the batch. Beyond it OpenBLAS takes over, its rounding depends on the
        /// batch, and a seed's WAV would change with the requests that share its batch.
        public static let mostConcurrentJobs = FewRowsProduct.maxRows / 3
        /// Jobs waiting beyond the running batch before requests get 503 with Retry-After.
        public var queueLength = 32
        /// Most diffusion steps a request may ask for (422 beyond).
        public var maxSteps = 64
        /// Longest audio a request may ask to generate, in seconds (422 beyond).
        public var maxAudioSeconds = 30.0
        /// Longest prompt (voice) audio accepted, in seconds (422 beyond).
        public var maxPromptSeconds = 20.0
        /// Largest K of best-of-K (422 beyond).
        public var maxBestOf = 8
        /// Longest a request may take, in seconds: a connection idle this long is closed, and a
        /// graceful shutdown waits this long for requests in flight.
        public var requestTimeoutSeconds = 120
        /// Simultaneous connections (each holds one thread); more are refused at accept.
        public var maxConnections = 64

        public init() {}

        enum CodingKeys: String, CodingKey, CaseIterable {
            case maxBodyBytes = "max_body_bytes"
            case maxTextChars = "max_text_chars"
            case maxConcurrentJobs = "max_concurrent_jobs"
            case queueLength = "queue_length"
            case maxSteps = "max_steps"
            case maxAudioSeconds = "max_audio_seconds"
            case maxPromptSeconds = "max_prompt_seconds"
            case maxBestOf = "max_best_of"
            case requestTimeoutSeconds = "request_timeout_seconds"
            case maxConnections = "max_connections"
        }
    }

    /// Cross-origin access for browser pages served from elsewhere (the playground is same-origin).
    public struct CORS: Codable, Equatable, Sendable {
        /// Exact origins such as "https://example.org", or "*" for any; empty disables CORS headers.
        public var allowedOrigins: [String] = []

        public init() {}

        enum CodingKeys: String, CodingKey, CaseIterable {
            case allowedOrigins = "allowed_origins"
        }
    }
}
