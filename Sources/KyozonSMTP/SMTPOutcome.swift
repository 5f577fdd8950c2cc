import KyozonMailer

/// Turns what libcurl reports about one transfer into a `TransportResult`.
///
/// The CURLcode alone misleads: a 4xx/5xx after the final dot comes back as
/// CURLE_WEIRD_SERVER_REPLY. The last reply code, and whether the server had
/// already said 354 (so the body went out), decide.
enum SMTPOutcome {
    // CURLcode values (curl/curl.h), kept as plain numbers so this logic is testable without libcurl.
    static let ok = 0
    static let couldntResolveHost = 6
    static let couldntConnect = 7
    static let operationTimedOut = 28
    static let sslConnectError = 35
    static let peerFailedVerification = 60
    static let useSSLFailed = 64
    static let loginDenied = 67

    /// `uploadComplete`: libcurl read the whole message. A drop before that is mid-DATA and
    /// the server cannot have accepted the message; a drop after it may follow the final dot.
    /// `detail` is libcurl's own error text (CURLOPT_ERRORBUFFER), which names the step that
    /// failed: "RCPT failed: 550" is about the recipient, "MAIL failed: 553" about us.
    static func classify(
        curlCode: Int, curlError: String, responseCode: Int, replies: [String], freshConnection: Bool,
        uploadComplete: Bool = true, detail: String = ""
    ) -> TransportResult {
        let reply = SMTPReply(code: responseCode, lines: lines(of: responseCode, in: replies))
        if curlCode == ok {
            return .accepted(reply)
        }
        let bodySent = uploadComplete && replies.contains { $0.hasPrefix("354") }
        if curlCode == useSSLFailed {
            return .relayFailure("the relay does not offer STARTTLS, and smtp.tls = \"required\" forbids sending in clear")
        }
        if [couldntResolveHost, couldntConnect, sslConnectError, peerFailedVerification, loginDenied].contains(curlCode) {
            return .relayFailure(describe(curlError, reply))
        }
        if (400..<600).contains(responseCode) {
            // Only a refusal of the recipient (RCPT) or of this message (after the final dot)
            // is about them; a refused greeting, EHLO, AUTH or MAIL FROM is the relay's, and
            // would be the same for everyone.
            let atRecipient = detail.hasPrefix("RCPT failed")
            let afterData = replies.contains { $0.hasPrefix("354") }
            if !(atRecipient || afterData) || [530, 534, 535, 538].contains(responseCode) {
                return .relayFailure(describe(curlError, reply))
            }
            return responseCode < 500 ? .temporaryFailure(reply) : .permanentFailure(reply)
        }
        if bodySent {
            return .outcomeUnknown("connection lost after the message was sent, before the server answered: \(curlError)")
        }
        if replies.isEmpty || (freshConnection && replies.count <= 1) {
            // No answer at all (or a connection lost at the greeting): the relay's trouble.
            return .relayFailure(describe(curlError, reply))
        }
        return .notSent(describe(curlError, reply))
    }

    /// The lines of the last reply that carried `code` (a multi-line reply has several).
    static func lines(of code: Int, in replies: [String]) -> [String] {
        guard code > 0 else { return [] }
        let prefix = String(code)
        var result: [String] = []
        for line in replies.reversed() {
            if line.hasPrefix(prefix) {
                result.insert(line, at: 0)
            } else if !result.isEmpty {
                break
            }
        }
        return result
    }

    private static func describe(_ curlError: String, _ reply: SMTPReply) -> String {
        reply.code > 0 ? "\(curlError); last reply: \(reply)" : curlError
    }
}
