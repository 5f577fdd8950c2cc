import Foundation
import Hummingbird

/// A request context that knows the client's address, for rate limits, consent records and
/// the audit log.
public protocol ClientAddressContext: RequestContext {
    /// The peer's address at first; the forwarded client's once `ClientAddressMiddleware` ran.
    var client: String { get set }
}

/// Behind the office's reverse proxy every request comes from the proxy: the client is then
/// the rightmost `X-Forwarded-For` entry that is not a trusted proxy. A peer that is not a
/// trusted proxy is the client itself, whatever it claims.
struct ClientAddressMiddleware<Context: ClientAddressContext>: RouterMiddleware {
    let trusted: Set<String>

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.client = Self.client(peer: context.client, forwardedFor: request.headers[values: .init("X-Forwarded-For")!], trusted: trusted)
        return try await next(request, context)
    }

    static func client(peer: String, forwardedFor: [String], trusted: Set<String>) -> String {
        guard trusted.contains(peer) else { return peer }
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return hops.last { !trusted.contains($0) } ?? peer
    }
}
