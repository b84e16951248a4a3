/// `POST /admin/reload`: reloads the models named by the configuration (re-read from its file
/// when there is one), answering `{"reloaded": [names]}`. The admin key is checked by the gateway.
/// A model that fails to load is the server's configuration at fault, not the client's: 500
/// `model_load_failed` naming the model, and the models loaded before stay in service.
struct AdminRoutes: Sendable {
    let models: ModelRegistry
    /// The model list to load now: the config file's current one, or the start-up list.
    let currentModelSpecs: @Sendable () throws -> [ModelSpec]

    struct Reloaded: Encodable {
        let reloaded: [String]
    }

    func reload(_ request: Request, _ parameters: RouteParameters) throws -> Response {
        let specs: [ModelSpec]
        do {
            specs = try currentModelSpecs()
        } catch {
            // The server's own file is broken: not the client's fault, so 5xx, with the reason.
            throw APIError(status: 500, code: "config_error", message: "\(error)")
        }
        do {
            let loaded = try models.load(specs)
            return .json(Reloaded(reloaded: loaded.map(\.id)))
        } catch {
            throw APIError(status: 500, code: "model_load_failed", message: "\(error)")
        }
    }
}
