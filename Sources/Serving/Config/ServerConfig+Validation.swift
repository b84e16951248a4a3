/// Checks of values that decode but cannot work, each naming the field and the accepted range.
extension ServerConfig {
    public func validate() throws {
        func fail(_ field: String, _ message: String) throws -> Never {
            throw ServerConfigError.invalidValue(field: field, message: message)
        }
        if host.isEmpty { try fail("host", "must not be empty (use \"0.0.0.0\" for all interfaces)") }
        if !(0...65_535).contains(port) { try fail("port", "must be within 0...65535 (0: any free port), got \(port)") }

        let positiveLimits: [(String, Int)] = [
            ("limits.max_body_bytes", limits.maxBodyBytes),
            ("limits.max_text_chars", limits.maxTextChars),
            ("limits.max_concurrent_jobs", limits.maxConcurrentJobs),
            ("limits.request_timeout_seconds", limits.requestTimeoutSeconds),
            ("limits.max_connections", limits.maxConnections),
            ("limits.max_steps", limits.maxSteps),
            ("limits.max_best_of", limits.maxBestOf),
        ]
        for (field, value) in positiveLimits where value <= 0 {
            try fail(field, "must be positive, got \(value)")
        }
        if limits.maxConcurrentJobs > Limits.mostConcurrentJobs {
            try fail("limits.max_concurrent_jobs", "must be at most \(Limits.mostConcurrentJobs), got \(limits.maxConcurrentJobs)")
        }
        for (field, value) in [("limits.max_audio_seconds", limits.maxAudioSeconds),
                               ("limits.max_prompt_seconds", limits.maxPromptSeconds)]
        where !(value.isFinite && value > 0) {
            try fail(field, "must be a positive number of seconds, got \(value)")
        }
        if voicesDir.isEmpty { try fail("voices_dir", "must not be empty") }
        if listeningDatabase.isEmpty { try fail("listening_database", "must not be empty") }
        if publicDir.isEmpty { try fail("public_dir", "must not be empty") }
        if limits.queueLength < 0 { try fail("limits.queue_length", "must not be negative, got \(limits.queueLength)") }

        if let key = adminAPIKey, key.isEmpty {
            try fail("admin_api_key", "must not be empty; use null to disable the admin routes")
        }
        for (index, origin) in cors.allowedOrigins.enumerated()
        where origin != "*" && !(origin.hasPrefix("http://") || origin.hasPrefix("https://")) {
            try fail("cors.allowed_origins[\(index)]", "must be \"*\" or an origin like \"https://example.org\", got \"\(origin)\"")
        }
        var names = Set<String>()
        for (index, model) in models.enumerated() {
            if model.name.isEmpty { try fail("models[\(index)].name", "must not be empty") }
            if !names.insert(model.name).inserted { try fail("models[\(index)].name", "'\(model.name)' is used twice") }
            if model.path.isEmpty { try fail("models[\(index)].path", "must not be empty") }
        }
    }
}
