import CMicroHTTPD
import Foundation

// libmicrohttpd calls plain C functions; these trampolines recover the `HTTPServer` from the
// closure pointer and the `PendingRequest` from the per-request pointer, then stay in Swift.

/// MHD's access handler: called once when the head arrives, once per body chunk, and once more
/// with `*uploadDataSize == 0` when the body is complete.
func accessHandlerTrampoline(
    cls: UnsafeMutableRawPointer?, connection: OpaquePointer?,
    url: UnsafePointer<CChar>?, method: UnsafePointer<CChar>?, version: UnsafePointer<CChar>?,
    uploadData: UnsafePointer<CChar>?, uploadDataSize: UnsafeMutablePointer<Int>?,
    requestContext: UnsafeMutablePointer<UnsafeMutableRawPointer?>?
) -> MHD_Result {
    guard let cls, let connection, let requestContext, let uploadDataSize else { return .NO }
    let server = Unmanaged<HTTPServer>.fromOpaque(cls).takeUnretainedValue()
    guard let existing = requestContext.pointee else {
        let head = Request(
            method: HTTPMethod(method.map { String(cString: $0) } ?? ""),
            path: url.map { String(cString: $0) } ?? "/",
            query: connectionValues(connection, kind: .GET_ARGUMENT_KIND).reduce(into: [:]) { $0[$1.name] = $1.value },
            headers: HTTPHeaders(connectionValues(connection, kind: .HEADER_KIND)))
        let pending = server.admit(head, on: connection)
        requestContext.pointee = Unmanaged.passRetained(pending).toOpaque()
        return .YES
    }
    let pending = Unmanaged<PendingRequest>.fromOpaque(existing).takeUnretainedValue()
    return server.continueRequest(pending, on: connection, chunk: uploadData, size: uploadDataSize)
}

/// MHD's request-completed notification: the request is over (answered, failed or abandoned).
func requestCompletedTrampoline(
    cls: UnsafeMutableRawPointer?, connection: OpaquePointer?,
    requestContext: UnsafeMutablePointer<UnsafeMutableRawPointer?>?, reason: MHD_RequestTerminationCode
) {
    guard let cls, let requestContext, let existing = requestContext.pointee else { return }
    Unmanaged<PendingRequest>.fromOpaque(existing).release()
    requestContext.pointee = nil
    Unmanaged<HTTPServer>.fromOpaque(cls).takeUnretainedValue().inFlight.decrement()
}

extension HTTPServer {
    /// First call for a request: ask the handler about the head, answering at once on rejection
    /// or when the declared length already exceeds the allowed body.
    fileprivate func admit(_ head: Request, on connection: OpaquePointer) -> PendingRequest {
        inFlight.increment()
        let rejection: Response?
        let limit: Int
        switch handler.admit(head) {
        case let .reject(response):
            rejection = response
            limit = 0
        case let .accept(maxBodyBytes):
            limit = maxBodyBytes
            rejection = (head.contentLength ?? 0) > maxBodyBytes
                ? handler.respondToOversizedBody(head, limit: maxBodyBytes) : nil
        }
        if var rejection {
            let hasBody = head.contentLength ?? 0 > 0 || head.headers["Transfer-Encoding"] != nil
            guard hasBody else {
                return PendingRequest(head: head, maxBodyBytes: 0, answeredAtAdmission: false, deferredRejection: rejection)
            }
            // Answered now so the body is never read; the connection then cannot carry another request.
            rejection.headers.set("Connection", "close")
            queue(rejection, on: connection)
            return PendingRequest(head: head, maxBodyBytes: 0, answeredAtAdmission: true)
        }
        return PendingRequest(head: head, maxBodyBytes: limit, answeredAtAdmission: false)
    }

    /// Later calls: take a body chunk, or answer once the body is complete.
    fileprivate func continueRequest(
        _ pending: PendingRequest, on connection: OpaquePointer,
        chunk: UnsafePointer<CChar>?, size: UnsafeMutablePointer<Int>
    ) -> MHD_Result {
        if size.pointee > 0 {
            if !pending.answeredAtAdmission, let chunk {
                pending.receive(UnsafeRawBufferPointer(start: chunk, count: size.pointee))
                // A sender that keeps streaming far past the limit is cut off rather than drained forever.
                if pending.drainAllowanceExhausted { return .NO }
            }
            size.pointee = 0
            return .YES
        }
        if pending.answeredAtAdmission { return .YES }
        if let rejection = pending.deferredRejection { return queue(rejection, on: connection) }
        if pending.exceededLimit {
            var response = handler.respondToOversizedBody(pending.head, limit: pending.maxBodyBytes)
            response.headers.set("Connection", "close")
            return queue(response, on: connection)
        }
        var request = pending.head
        request.body = pending.body
        pending.body = []
        return queue(handler.respond(to: request), on: connection)
    }

    @discardableResult
    private func queue(_ response: Response, on connection: OpaquePointer) -> MHD_Result {
        let mhdResponse = response.body.withUnsafeBytes { bytes in
            MHD_create_response_from_buffer(
                bytes.count, UnsafeMutableRawPointer(mutating: bytes.baseAddress), .RESPMEM_MUST_COPY)
        }
        guard let mhdResponse else { return .NO }
        defer { MHD_destroy_response(mhdResponse) }
        var headers = response.headers
        if isDraining { headers.set("Connection", "close") }
        for field in headers {
            _ = MHD_add_response_header(mhdResponse, field.name, field.value)
        }
        return MHD_queue_response(connection, UInt32(response.status), mhdResponse)
    }
}

/// All (name, value) pairs of one kind (headers or query arguments) of a connection's request.
private func connectionValues(_ connection: OpaquePointer, kind: MHD_ValueKind) -> [(name: String, value: String)] {
    var values: [(name: String, value: String)] = []
    withUnsafeMutablePointer(to: &values) { collector in
        _ = MHD_get_connection_values(connection, kind, { cls, _, key, value in
            guard let cls, let key else { return .YES }
            let collector = cls.assumingMemoryBound(to: [(name: String, value: String)].self)
            collector.pointee.append((String(cString: key), value.map { String(cString: $0) } ?? ""))
            return .YES
        }, collector)
    }
    return values
}

extension HTTPHeaders {
    init(_ pairs: [(name: String, value: String)]) {
        self.init()
        for pair in pairs { add(pair.name, pair.value) }
    }
}
