/// `GET /v1/models`: the loaded models, `{"models": [{"id", "kind", "rewards"}]}` (`rewards` for
/// reward models and for value models that record theirs; see `ModelRegistry.Entry`).
struct ModelRoutes: Sendable {
    let models: ModelRegistry

    struct ModelList: Encodable {
        let models: [ModelRegistry.Entry]
    }

    func list(_ request: Request, _ parameters: RouteParameters) -> Response {
        .json(ModelList(models: models.loaded))
    }
}
