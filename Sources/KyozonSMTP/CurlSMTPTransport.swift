import CCurl
import Dispatch
import KyozonDomain
import KyozonMailer

/// SMTP through libcurl: several connections at once through the multi interface, each one
/// kept open across messages (libcurl reuses an easy handle's connection).
///
/// ```swift
/// let smtp = try CurlSMTPTransport(settings: SMTPSettings(url: "smtp://relay.example.lg.jp:587"), connections: 4)
/// let results = smtp.send(messages)   // one result per message, in order
/// smtp.stream(next: { queue.popFirst() }, done: { tag, result in record(tag, result) })
/// ```
/// The only Swift type that owns a `CURLM *`; each `SMTPConnection` owns one `CURL *`. Not
/// thread-safe: one per sending thread. After any failure that connection is dropped and its
/// next message opens a new one, so no half-finished SMTP transaction carries over.
public final class CurlSMTPTransport: MailTransport {
    private let settings: SMTPSettings
    private let url: String
    private let useSSL: Int
    private let multi: UnsafeMutableRawPointer
    private let connections: [SMTPConnection]
    private var limiter: RateLimiter

    /// Checks the settings (a plain-text relay must be on loopback) and initialises libcurl.
    public init(settings: SMTPSettings, connections: Int = 1, rateLimit: RateLimit = .unlimited) throws(SMTPSetupError) {
        let (scheme, _) = try settings.validated()
        _ = CurlGlobal.initialized
        self.settings = settings
        var base = settings.url
        while base.hasSuffix("/") { base.removeLast() }
        // The URL path is the EHLO name for libcurl.
        let afterScheme = base.split(separator: "://", maxSplits: 1).last ?? ""
        self.url = afterScheme.contains("/") ? base : base + "/" + settings.heloName
        self.useSSL = scheme == "smtp" && settings.requireTLS ? kyozon_curl_usessl_all : kyozon_curl_usessl_none
        self.multi = curl_multi_init()
        self.connections = (0..<max(1, connections)).map { _ in SMTPConnection() }
        self.limiter = RateLimiter(rateLimit)
    }

    deinit {
        for connection in connections { connection.close() }
        curl_multi_cleanup(multi)
    }

    public func stream(next: () -> OutgoingMessage?, done: (Int64, TransportResult) -> Void) {
        var active = 0
        var exhausted = false
        var stopped = false
        var idle = connections

        /// Hands a message to every free connection the rate limit allows; returns how long to
        /// wait before the limit lets the next one start (0: none waiting on it).
        func startWhatCan() -> Double {
            while !stopped, !exhausted, let connection = idle.last {
                let wait = limiter.delay(at: Self.seconds())
                if wait > 0 { return wait }
                guard let message = next() else {
                    exhausted = true
                    break
                }
                idle.removeLast()
                limiter.started(at: Self.seconds())
                curl_multi_add_handle(multi, connection.start(message, configure: configure))
                active += 1
            }
            return 0
        }

        var wait = startWhatCan()
        while active > 0 || (wait > 0 && !stopped && !exhausted) {
            var running: Int32 = 0
            curl_multi_perform(multi, &running)
            var finished = false
            var left: Int32 = 0
            while let info = curl_multi_info_read(multi, &left) {
                guard info.pointee.msg == CURLMSG_DONE, let handle = info.pointee.easy_handle,
                    let connection = connections.first(where: { $0.owns(handle) })
                else { continue }
                curl_multi_remove_handle(multi, handle)
                let (tag, result) = connection.finish(code: info.pointee.data.result)
                if case .relayFailure = result { stopped = true }
                active -= 1
                idle.append(connection)
                finished = true
                done(tag, result)
            }
            // Re-add finished handles and perform again before polling: polling first would
            // stall for the whole poll timeout on every message.
            wait = startWhatCan()
            if finished && active > 0 { continue }
            if active > 0 {
                let timeout = wait > 0 ? min(1000, Int32(wait * 1000) + 1) : 1000
                curl_multi_poll(multi, nil, 0, timeout, nil)
            } else if wait > 0 {
                Self.pause(wait)
                wait = startWhatCan()
            }
        }
    }

    /// The options every transfer shares, set on a new handle.
    private func configure(_ h: UnsafeMutableRawPointer) {
        kyozon_curl_setopt_string(h, CURLOPT_URL, url)
        kyozon_curl_setopt_long(h, CURLOPT_UPLOAD, 1)
        kyozon_curl_setopt_long(h, CURLOPT_NOSIGNAL, 1)
        kyozon_curl_setopt_long(h, CURLOPT_USE_SSL, useSSL)
        kyozon_curl_setopt_long(h, CURLOPT_CONNECTTIMEOUT, settings.connectTimeout)
        kyozon_curl_setopt_long(h, CURLOPT_SERVER_RESPONSE_TIMEOUT, settings.responseTimeout)
        // A stalled upload (no byte moving for the response timeout) ends the transfer too.
        kyozon_curl_setopt_long(h, CURLOPT_LOW_SPEED_LIMIT, 1)
        kyozon_curl_setopt_long(h, CURLOPT_LOW_SPEED_TIME, settings.responseTimeout)
        kyozon_curl_setopt_callback(h, CURLOPT_READFUNCTION, curlRead)
        kyozon_curl_setopt_callback(h, CURLOPT_HEADERFUNCTION, curlHeader)
        if let user = settings.username { kyozon_curl_setopt_string(h, CURLOPT_USERNAME, user) }
        if let password = settings.password { kyozon_curl_setopt_string(h, CURLOPT_PASSWORD, password) }
        if let caFile = settings.caFile { kyozon_curl_setopt_string(h, CURLOPT_CAINFO, caFile) }
    }

    static func seconds() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    static func pause(_ seconds: Double) {
        var request = timespec(tv_sec: Int(seconds), tv_nsec: Int((seconds - seconds.rounded(.down)) * 1e9))
        nanosleep(&request, nil)
    }
}

/// One SMTP connection: an easy handle and the message it is sending.
final class SMTPConnection {
    private var handle: UnsafeMutableRawPointer?
    /// No message has gone through since the handle was made: a failure now is the relay's.
    private var fresh = true
    private var tag: Int64 = 0
    private var upload = UploadBuffer([])
    private var replies = ReplyLog()
    private var recipients: UnsafeMutablePointer<curl_slist>?
    /// libcurl's error text for the last transfer (CURLOPT_ERRORBUFFER): it names the step.
    private let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE))

    deinit { errorBuffer.deallocate() }

    func owns(_ h: UnsafeMutableRawPointer) -> Bool { handle == h }

    /// Sets up the transfer of one message and returns the handle to add to the multi.
    func start(_ message: OutgoingMessage, configure: (UnsafeMutableRawPointer) -> Void) -> UnsafeMutableRawPointer {
        if handle == nil {
            handle = curl_easy_init()
            configure(handle!)
            fresh = true
        }
        let h = handle!
        // A new handle must not pick a cached connection from the multi: after a failure that
        // connection may be closed, or in the middle of an SMTP transaction. Later messages on
        // this handle reuse its own connection.
        kyozon_curl_setopt_long(h, CURLOPT_FRESH_CONNECT, fresh ? 1 : 0)
        errorBuffer[0] = 0
        kyozon_curl_setopt_pointer(h, CURLOPT_ERRORBUFFER, UnsafeMutableRawPointer(errorBuffer))
        tag = message.tag
        upload = UploadBuffer(message.data)
        replies = ReplyLog()
        curl_slist_free_all(recipients)
        recipients = curl_slist_append(nil, "<\(message.recipient.value)>")
        kyozon_curl_setopt_string(h, CURLOPT_MAIL_FROM, "<\(message.envelopeFrom.value)>")
        kyozon_curl_setopt_slist(h, CURLOPT_MAIL_RCPT, recipients)
        kyozon_curl_setopt_off_t(h, CURLOPT_INFILESIZE_LARGE, curl_off_t(message.data.count))
        kyozon_curl_setopt_pointer(h, CURLOPT_READDATA, Unmanaged.passUnretained(upload).toOpaque())
        kyozon_curl_setopt_pointer(h, CURLOPT_HEADERDATA, Unmanaged.passUnretained(replies).toOpaque())
        return h
    }

    /// Classifies the finished transfer; drops the connection unless the message was accepted.
    func finish(code: CURLcode) -> (Int64, TransportResult) {
        var responseCode = 0
        kyozon_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &responseCode)
        let result = SMTPOutcome.classify(
            curlCode: Int(code.rawValue), curlError: String(cString: curl_easy_strerror(code)),
            responseCode: responseCode, replies: replies.replies, freshConnection: fresh,
            uploadComplete: upload.offset >= upload.bytes.count, detail: String(cString: errorBuffer))
        if case .accepted = result {
            fresh = false
        } else {
            close()
        }
        return (tag, result)
    }

    func close() {
        if let handle { curl_easy_cleanup(handle) }
        handle = nil
        curl_slist_free_all(recipients)
        recipients = nil
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
    var line = String(decoding: UnsafeRawBufferPointer(start: buffer, count: length), as: UTF8.self)
    // "\r\n" is a single Character in Swift, so test for newlines, not for "\n".
    while let last = line.last, last.isNewline { line.removeLast() }
    log.replies.append(line)
    return length
}
