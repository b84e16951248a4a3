import Foundation
import Serving

/// Starts a `VGPOServer` on an ephemeral loopback port for one test and always stops it.
enum TestServer {
    /// A config for tests: loopback, port 0, small body limit so 413 is cheap to provoke.
    static func config(adminKey: String? = nil, origins: [String] = [], maxBodyBytes: Int = 4096) -> ServerConfig {
        var config = ServerConfig()
        config.host = "127.0.0.1"
        config.port = 0
        config.adminAPIKey = adminKey
        config.cors.allowedOrigins = origins
        config.limits.maxBodyBytes = maxBodyBytes
        return config
    }

    /// Runs `body` with a started server; `ready: false` leaves it in the loading phase.
    static func with<T>(_ config: ServerConfig = config(), ready: Bool = true, _ body: (VGPOServer) throws -> T) throws -> T {
        let server = VGPOServer(config: config)
        try server.start()
        defer { server.stop(gracePeriod: 2) }
        if ready { try server.loadModels() }
        return try body(server)
    }
}
