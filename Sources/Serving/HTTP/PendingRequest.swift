/// The state of one request between libmicrohttpd's calls to the access handler: its head, the
/// body received so far, and whether it was already answered at admission.
///
/// Lives in libmicrohttpd's per-request pointer (`con_cls`), retained there from the first call
/// until the request-completed notification releases it.
final class PendingRequest {
    var head: Request
    var body: [UInt8] = []
    /// Body bytes allowed; 0 after a rejection.
    let maxBodyBytes: Int
    /// Body bytes that arrived, kept or not.
    private(set) var bodyBytesReceived = 0
    /// A response was queued when the head arrived; later calls only drain what MHD passes.
    let answeredAtAdmission: Bool
    /// A rejection of a bodiless request, sent on the final call instead of at admission:
    /// libmicrohttpd closes connections answered before the request is complete, and a bodiless
    /// 404 or 503 has no reason to cost the client its keep-alive connection.
    let deferredRejection: Response?

    init(head: Request, maxBodyBytes: Int, answeredAtAdmission: Bool, deferredRejection: Response? = nil) {
        self.head = head
        self.maxBodyBytes = maxBodyBytes
        self.answeredAtAdmission = answeredAtAdmission
        self.deferredRejection = deferredRejection
    }

    var exceededLimit: Bool { bodyBytesReceived > maxBodyBytes }

    /// How far past the limit we keep draining (and discarding) a body of unannounced length so
    /// the client still gets a 413 rather than a reset; beyond it the connection is dropped.
    var drainAllowanceExhausted: Bool { bodyBytesReceived > maxBodyBytes &+ max(maxBodyBytes, 1 << 20) }

    /// Keeps a chunk while under the limit; past it, frees what was kept and only counts.
    func receive(_ chunk: UnsafeRawBufferPointer) {
        bodyBytesReceived += chunk.count
        if exceededLimit {
            if !body.isEmpty { body = [] }
        } else {
            body.append(contentsOf: chunk)
        }
    }
}
