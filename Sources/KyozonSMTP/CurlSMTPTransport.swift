import CCurl
import KyozonDomain
import KyozonMailer

/// SMTP through libcurl: one easy handle, so one connection kept open across messages.
///
/// ```swift
/// let smtp = try CurlSMTPTransport(settings: SMTPSettings(url: "smtp://relay.example.lg.jp:587"))
/// let result = smtp.send(OutgoingMessage(envelopeFrom: from, recipient: to, data: bytes))
/// ```
/// The only Swift type that owns a `CURL *`. Not thread-safe: use one per sending thread.
/// After any failure the connection is dropped and the next message opens a new one, so
/// no half-finished SMTP transaction carries over.
public final class CurlSMTPTransport: MailTransport {
    private let settings: SMTPSettings
    private let url: String
    private let useSSL: Int
    private var handle: UnsafeMutableRawPointer?

    /// Checks the settings (a plain-text relay must be on loopback) and initialises libcurl.
    public init(settings: SMTPSettings) throws(SMTPSetupError) {
        let (scheme, _) = try settings.validated()
        self.settings = settings
        var base = settings.url
        while base.hasSuffix("/") { base.removeLast() }
        // The URL path is the EHLO name for libcurl.
        let afterScheme = base.split(separator: "://", maxSplits: 1).last ?? ""
        self.url = afterScheme.contains("/") ? base : base + "/" + settings.heloName
        self.useSSL = scheme == "smtp" && settings.requireTLS ? kyozon_curl_usessl_all : kyozon_curl_usessl_none
        _ = CurlGlobal.initialized
    }

    deinit {
        if let handle { curl_easy_cleanup(handle) }
    }

    public func send(_ message: OutgoingMessage) -> TransportResult {
        let fresh = handle == nil
        guard let handle = handle ?? makeHandle() else {
            return .relayFailure("libcurl could not create a handle")
        }
        self.handle = handle
        let upload = UploadBuffer(message.data)
        let replies = ReplyLog()
        var recipients: UnsafeMutablePointer<curl_slist>? = nil
        recipients = curl_slist_append(recipients, "<\(message.recipient.value)>")
        defer { curl_slist_free_all(recipients) }

        kyozon_curl_setopt_string(handle, CURLOPT_MAIL_FROM, "<\(message.envelopeFrom.value)>")
        kyozon_curl_setopt_slist(handle, CURLOPT_MAIL_RCPT, recipients)
        kyozon_curl_setopt_off_t(handle, CURLOPT_INFILESIZE_LARGE, curl_off_t(message.data.count))
        kyozon_curl_setopt_pointer(handle, CURLOPT_READDATA, Unmanaged.passUnretained(upload).toOpaque())
        kyozon_curl_setopt_pointer(handle, CURLOPT_HEADERDATA, Unmanaged.passUnretained(replies).toOpaque())
        let code = withExtendedLifetime((upload, replies)) { curl_easy_perform(handle) }

        var responseCode = 0
        kyozon_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &responseCode)
        let result = SMTPOutcome.classify(
            curlCode: Int(code.rawValue), curlError: String(cString: curl_easy_strerror(code)),
            responseCode: responseCode, replies: replies.replies, freshConnection: fresh)
        if case .accepted = result {} else { reset() }
        return result
    }

    /// Drops the connection; the next message opens a new one.
    public func reset() {
        if let handle { curl_easy_cleanup(handle) }
        handle = nil
    }

    private func makeHandle() -> UnsafeMutableRawPointer? {
        guard let h = curl_easy_init() else { return nil }
        kyozon_curl_setopt_string(h, CURLOPT_URL, url)
        kyozon_curl_setopt_long(h, CURLOPT_UPLOAD, 1)
        kyozon_curl_setopt_long(h, CURLOPT_NOSIGNAL, 1)
        kyozon_curl_setopt_long(h, CURLOPT_USE_SSL, useSSL)
        kyozon_curl_setopt_long(h, CURLOPT_CONNECTTIMEOUT, settings.connectTimeout)
        kyozon_curl_setopt_long(h, CURLOPT_SERVER_RESPONSE_TIMEOUT, settings.responseTimeout)
        kyozon_curl_setopt_callback(h, CURLOPT_READFUNCTION, curlRead)
        kyozon_curl_setopt_callback(h, CURLOPT_HEADERFUNCTION, curlHeader)
        if let user = settings.username { kyozon_curl_setopt_string(h, CURLOPT_USERNAME, user) }
        if let password = settings.password { kyozon_curl_setopt_string(h, CURLOPT_PASSWORD, password) }
        if let caFile = settings.caFile { kyozon_curl_setopt_string(h, CURLOPT_CAINFO, caFile) }
        return h
    }
}

/// libcurl's global state, initialised once before the first handle.
enum CurlGlobal {
    static let initialized: Bool = kyozon_curl_global_init() == CURLE_OK
}

/// The message bytes libcurl reads from, in chunks, through `CURLOPT_READFUNCTION`.
final class UploadBuffer {
    let bytes: [UInt8]
    var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    func copy(into buffer: UnsafeMutablePointer<CChar>, capacity: Int) -> Int {
        let n = min(capacity, bytes.count - offset)
        guard n > 0 else { return 0 }
        bytes.withUnsafeBufferPointer { source in
            UnsafeMutableRawPointer(buffer).copyMemory(from: source.baseAddress! + offset, byteCount: n)
        }
        offset += n
        return n
    }
}

/// Every reply line the server sent, as libcurl hands them to `CURLOPT_HEADERFUNCTION`.
final class ReplyLog {
    var replies: [String] = []
}

private let curlRead: kyozon_curl_data_callback = { buffer, size, count, userdata in
    guard let buffer, let userdata else { return 0 }
    let upload = Unmanaged<UploadBuffer>.fromOpaque(userdata).takeUnretainedValue()
    return upload.copy(into: buffer, capacity: size * count)
}

private let curlHeader: kyozon_curl_data_callback = { buffer, size, count, userdata in
    let length = size * count
    guard let buffer, let userdata else { return length }
    let log = Unmanaged<ReplyLog>.fromOpaque(userdata).takeUnretainedValue()
    let bytes = UnsafeRawBufferPointer(start: buffer, count: length)
    var line = String(decoding: bytes, as: UTF8.self)
    // "\r\n" is a single Character in Swift, so test for newlines, not for "\n".
    while let last = line.last, last.isNewline { line.removeLast() }
    log.replies.append(line)
    return length
}
