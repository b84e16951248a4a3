import Foundation
import Serving

/// Starts a `VGPOServer` on an ephemeral loopback port for one test and always stops it.
enum TestServer {
    /// The package root, for the shipped config and built-in voices.
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// A config for tests: loopback, port 0, small body limit so 413 is cheap to provoke, the
    /// shipped built-in voices, and a fresh temporary folder for uploaded voices.
    static func config(adminKey: String? = nil, origins: [String] = [], maxBodyBytes: Int = 4096) -> ServerConfig {
        var config = ServerConfig()
        config.host = "127.0.0.1"
        config.port = 0
        config.adminAPIKey = adminKey
        config.cors.allowedOrigins = origins
        config.limits.maxBodyBytes = maxBodyBytes
        config.builtinVoicesDir = packageRoot.appendingPathComponent("voices/builtin").path
        config.voicesDir = temporaryDirectory("voices").path
        config.listeningDatabase = temporaryDirectory("listening").appendingPathComponent("tests.sqlite").path
        config.publicDir = packageRoot.appendingPathComponent("public").path
        return config
    }

    /// A config that loads the tiny random-weight model as "tiny", with room for audio uploads.
    static func synthesisConfig(maxBodyBytes: Int = 1 << 20) throws -> ServerConfig {
        var config = config(maxBodyBytes: maxBodyBytes)
        config.models = [ModelSpec(name: "tiny", kind: .ardm, path: try TinyModel.folder.path)]
        config.limits.maxAudioSeconds = 2
        config.limits.maxSteps = 8
        return config
    }

    /// One folder per test process for everything tests write; removed when the process exits.
    static let scratchRoot: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("vgpo-serving-tests-\(getpid())")
        try? FileManager.default.removeItem(at: url)
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(at: TestServer.scratchRoot) }
        return url
    }()

    /// A unique empty folder inside `scratchRoot`.
    static func temporaryDirectory(_ label: String) -> URL {
        let url = scratchRoot.appendingPathComponent("\(label)-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Runs `body` with a started server; `ready: false` leaves it in the loading phase.
    static func with<T>(_ config: ServerConfig = config(), ready: Bool = true,
                        speechModelLoader: ModelRegistry.SpeechModelLoader? = nil,
                        _ body: (VGPOServer) throws -> T) throws -> T {
        let server = VGPOServer(config: config, speechModelLoader: speechModelLoader)
        try server.start()
        defer { server.stop(gracePeriod: 2) }
        if ready { try server.loadModels() }
        return try body(server)
    }
}
