/// The route table of `vgpo-server`: every route, in one place (STYLE, "Servers").
///
/// Routes for synthesis, scoring and voices join here as the models they need land; each will
/// hand its work to the scheduler and wait, never touching a model on the HTTP thread.
extension Router {
    static func vgpo(health: HealthRoutes, models: ModelRoutes, admin: AdminRoutes) -> Router {
        Router(routes: [
            Route(.get, "/health", availableWhileLoading: true, handler: { health.health($0, $1) }),
            Route(.get, "/v1/models", handler: { models.list($0, $1) }),
            Route(.post, "/admin/reload", access: .admin, handler: { try admin.reload($0, $1) }),
        ])
    }
}
