import Foundation

extension ServerConfig {
    /// Reads, decodes and validates a JSON config file.
    public static func load(contentsOf path: String) throws -> ServerConfig {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            let reason = (error as NSError).localizedFailureReason ?? error.localizedDescription
            throw ServerConfigError.unreadable(path: path, reason: reason)
        }
        return try decode(data, source: path)
    }

    /// Decodes and validates config JSON; `source` names it in error messages.
    public static func decode(_ data: Data, source: String = "(inline)") throws -> ServerConfig {
        let config: ServerConfig
        do {
            config = try JSONCoding.decoder().decode(ServerConfig.self, from: data)
        } catch let error as DecodingError {
            throw ServerConfigError.malformed(path: source, detail: error.readableDescription)
        }
        try config.validate()
        return config
    }
}
