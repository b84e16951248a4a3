import Foundation

/// The one place where every request is checked before it reaches a route (the `HTTPHandler` of
/// the API): route lookup (404/405), CORS preflight, admin key (401/403), start-up and shutdown
/// (503 with Retry-After), body size (413); then the route's handler, with any thrown error
/// turned into the JSON error response. All responses get their CORS headers here, and each
/// is counted once in the metrics, by route pattern.
public final class APIGateway: HTTPHandler, Sendable {
    let router: Router
    let status: ServerStatus
    let maxBodyBytes: Int
    let cors: CORSPolicy
    let adminKey: AdminKeyCheck
    let metrics: ServerMetrics

    /// What a client is told to wait before retrying during start-up or shutdown.
    static let retryAfterSeconds = 1

    public init(router: Router, status: ServerStatus, config: ServerConfig, metrics: ServerMetrics = ServerMetrics()) {
        self.metrics = metrics
        self.router = router
        self.status = status
        self.maxBodyBytes = config.limits.maxBodyBytes
        self.cors = CORSPolicy(allowedOrigins: config.cors.allowedOrigins)
        self.adminKey = AdminKeyCheck(key: config.adminAPIKey)
    }

    // MARK: HTTPHandler

    public func admit(_ head: Request) -> Admission {
        switch check(head) {
        case .run: return .accept(maxBodyBytes: maxBodyBytes)
        case let .reject(response): return .reject(finish(response, for: head))
        }
    }

    public func respond(to request: Request) -> Response {
        // Checked again, so the route runs under the rules of now (the phase may have changed).
        switch check(request) {
        case let .reject(response):
            return finish(response, for: request)
        case let .run(route, parameters):
            do {
                return finish(try route.handler(request, parameters), for: request)
            } catch let error as APIError {
                return finish(error.response, for: request)
            } catch {
                // A handler let a non-API error escape: a bug of ours, reported as such.
                FileHandle.standardError.write(Data("vgpo-server: \(request.method) \(request.path): unexpected error: \(error)\n".utf8))
                return finish(APIError.internal("unexpected error while handling \(request.method) \(request.path)").response, for: request)
            }
        }
    }

    public func respondToOversizedBody(_ head: Request, limit: Int) -> Response {
        finish(APIError.bodyTooLarge(limit: limit).response, for: head)
    }

    /// Answers a request in process, exactly as over HTTP (admission, body limit, route): the
    /// router-level test harness.
    public func handle(_ request: Request) -> Response {
        switch admit(request) {
        case let .reject(response):
            return response
        case let .accept(limit):
            if request.body.count > limit || (request.contentLength ?? 0) > limit {
                return respondToOversizedBody(request, limit: limit)
            }
            return respond(to: request)
        }
    }

    // MARK: The checks, in order

    private enum Decision {
        case run(Route, RouteParameters)
        case reject(Response)
    }

    private func check(_ request: Request) -> Decision {
        switch router.match(method: request.method, path: request.path) {
        case .notFound:
            return .reject(APIError.notFound("no route for \(request.path)").response)
        case let .methodNotAllowed(allowed):
            if request.method == .options { return .reject(cors.preflight(request, allowed: allowed)) }
            return .reject(APIError.methodNotAllowed(request.method, path: request.path, allowed: allowed).response)
        case let .found(route, parameters):
            do {
                if route.access == .admin { try adminKey.check(request) }
                try checkPhase(allowsLoading: route.availableWhileLoading)
            } catch {
                return .reject((error as? APIError ?? .internal("\(error)")).response)
            }
            return .run(route, parameters)
        }
    }

    private func checkPhase(allowsLoading: Bool) throws {
        switch status.phase {
        case .ready:
            return
        case .loading:
            if allowsLoading { return }
            throw APIError.unavailable("the server is loading its models; retry shortly", code: "loading",
                                       retryAfterSeconds: Self.retryAfterSeconds)
        case .stopping:
            if allowsLoading { return }
            throw APIError.unavailable("the server is shutting down", code: "shutting_down",
                                       retryAfterSeconds: Self.retryAfterSeconds)
        }
    }

    /// Every response leaves through here, so CORS headers are never forgotten.
    private func finish(_ response: Response, for request: Request) -> Response {
        var response = response
        cors.decorate(&response, for: request)
        metrics.recordRequest(route: routeLabel(request), method: request.method, status: response.status)
        return response
    }

    /// The matched route's pattern (bounded label values), or "unmatched".
    private func routeLabel(_ request: Request) -> String {
        switch router.match(method: request.method, path: request.path) {
        case let .found(route, _): return route.pattern.description
        case .methodNotAllowed:
            return (router.routes.first { $0.pattern.match(request.path) != nil } ?? router.files?.route)?
                .pattern.description ?? "unmatched"
        case .notFound:
            return "unmatched"
        }
    }
}
