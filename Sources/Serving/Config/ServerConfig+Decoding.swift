// Decoding with defaults: a field that is absent keeps its default, one that is present must
// have the right type, and an unknown one is an error (see `Decoder.rejectUnknownKeys`).

extension ServerConfig {
    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = ServerConfig()
        host = try container.decodeIfPresent(String.self, forKey: .host) ?? defaults.host
        port = try container.decodeIfPresent(Int.self, forKey: .port) ?? defaults.port
        limits = try container.decodeIfPresent(Limits.self, forKey: .limits) ?? defaults.limits
        adminAPIKey = try container.decodeIfPresent(String.self, forKey: .adminAPIKey)
        cors = try container.decodeIfPresent(CORS.self, forKey: .cors) ?? defaults.cors
        models = try container.decodeIfPresent([ModelSpec].self, forKey: .models) ?? defaults.models
        voicesDir = try container.decodeIfPresent(String.self, forKey: .voicesDir) ?? defaults.voicesDir
        listeningDatabase = try container.decodeIfPresent(String.self, forKey: .listeningDatabase) ?? defaults.listeningDatabase
        builtinVoicesDir = try container.decodeIfPresent(String.self, forKey: .builtinVoicesDir) ?? defaults.builtinVoicesDir
        publicDir = try container.decodeIfPresent(String.self, forKey: .publicDir) ?? defaults.publicDir
    }
}

extension ServerConfig.Limits {
    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = Self()
        maxBodyBytes = try container.decodeIfPresent(Int.self, forKey: .maxBodyBytes) ?? defaults.maxBodyBytes
        maxTextChars = try container.decodeIfPresent(Int.self, forKey: .maxTextChars) ?? defaults.maxTextChars
        maxConcurrentJobs = try container.decodeIfPresent(Int.self, forKey: .maxConcurrentJobs) ?? defaults.maxConcurrentJobs
        queueLength = try container.decodeIfPresent(Int.self, forKey: .queueLength) ?? defaults.queueLength
        requestTimeoutSeconds = try container.decodeIfPresent(Int.self, forKey: .requestTimeoutSeconds)
            ?? defaults.requestTimeoutSeconds
        maxConnections = try container.decodeIfPresent(Int.self, forKey: .maxConnections) ?? defaults.maxConnections
        maxSteps = try container.decodeIfPresent(Int.self, forKey: .maxSteps) ?? defaults.maxSteps
        maxAudioSeconds = try container.decodeIfPresent(Double.self, forKey: .maxAudioSeconds) ?? defaults.maxAudioSeconds
        maxPromptSeconds = try container.decodeIfPresent(Double.self, forKey: .maxPromptSeconds) ?? defaults.maxPromptSeconds
        maxBestOf = try container.decodeIfPresent(Int.self, forKey: .maxBestOf) ?? defaults.maxBestOf
    }
}

extension ServerConfig.CORS {
    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        allowedOrigins = try container.decodeIfPresent([String].self, forKey: .allowedOrigins) ?? []
    }
}
