import ArgumentParser
import Foundation
import Serving

/// `vgpo-server`: serves zero-shot TTS over HTTP (DESIGN §11).
@main
struct VGPOServerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vgpo-server",
        abstract: "Serve value-guided text-to-speech over HTTP.",
        discussion: """
            Binds the port first (GET /health answers {"status":"loading"}), then loads the \
            configured models. SIGTERM or SIGINT stops accepting connections, lets requests in \
            flight finish, and exits 0. The environment variable VGPO_ADMIN_API_KEY, when set, \
            overrides admin_api_key from the config file. Paths no API route has are served from \
            the public_dir folder (default "public"): GET / is the playground page.

            Example: vgpo-server --config configs/server.json --port 8080
            """,
        version: ServingVersion.current)

    @Option(name: .long, help: ArgumentHelp("JSON config file; without it, built-in defaults.", valueName: "path"))
    var config: String?

    @Option(name: .long, help: ArgumentHelp("Bind address, overriding the config (0.0.0.0 or :: for all interfaces).", valueName: "address"))
    var host: String?

    @Option(name: .long, help: ArgumentHelp("TCP port, overriding the config (0: any free port, printed on start).", valueName: "port"))
    var port: Int?

    /// Picks OpenBLAS's fast kernels (may re-execute once) before any work starts.
    static func main() {
        ProcessSetup.selectFastKernels()
        main(nil)
    }

    mutating func run() throws {
        let settings = try loadConfig()
        let server = VGPOServer(config: settings, configPath: config)
        do {
            try server.start()
        } catch {
            throw fail("\(error)")
        }
        log("listening on \(server.url) (loading models)")
        if StaticFiles(directory: settings.publicDir).resolve("/") != nil {
            log("playground: \(server.url)/ (files of \(settings.publicDir)/)")
        } else {
            log("warning: \(settings.publicDir)/index.html not found; no playground is served")
        }

        let shutdown = ShutdownSignals()
        DispatchQueue.global().async {
            do {
                try server.loadModels()
                log("ready: \(server.models.loaded.count) model(s), \(server.voices.all.count) voice(s) loaded")
            } catch {
                log("error: \(error)")
                shutdown.request(reason: "model loading failed", exitCode: 1)
            }
        }

        let request = shutdown.wait()
        log("\(request.reason): finishing requests in flight, then exiting")
        server.stop()
        log("stopped")
        if request.exitCode != 0 { throw ExitCode(request.exitCode) }
    }

    /// The config file (or defaults) with the environment and command-line overrides applied.
    private func loadConfig() throws -> ServerConfig {
        var settings = ServerConfig()
        do {
            if let config { settings = try ServerConfig.load(contentsOf: config) }
            if let host { settings.host = host }
            if let port { settings.port = port }
            if let key = ProcessInfo.processInfo.environment["VGPO_ADMIN_API_KEY"] {
                settings.adminAPIKey = key.isEmpty ? nil : key
            }
            try settings.validate()
        } catch {
            throw fail("\(error)")
        }
        return settings
    }

    /// Prints the error on stderr and gives the failure exit code.
    private func fail(_ message: String) -> ExitCode {
        log("error: \(message)")
        return .failure
    }
}

/// One line on stderr, prefixed with the program name (stdout stays free for data).
func log(_ message: String) {
    FileHandle.standardError.write(Data("vgpo-server: \(message)\n".utf8))
}
