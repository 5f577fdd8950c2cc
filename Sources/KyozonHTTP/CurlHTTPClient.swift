import CCurl

/// The answer to a GET.
public struct HTTPResponse: Sendable {
    /// 200, 304, 404, …
    public let status: Int
    /// Header names in lower case; the last value wins.
    public let headers: [String: String]
    public let body: [UInt8]
}

/// A GET that failed before any HTTP status came back.
public struct HTTPFailure: Error, CustomStringConvertible, Sendable {
    public let description: String
}

/// HTTP(S) GET through libcurl, with the validators of a conditional request.
///
/// ```swift
/// let response = try CurlHTTPClient().get("https://example.jp/feed.xml", etag: lastETag)
/// if response.status == 304 { /* unchanged */ }
/// ```
/// Redirects are followed (at most 5, http and https only), certificates verified, and the
/// body limited in size, so a misbehaving site cannot hang or flood a collect run.
public final class CurlHTTPClient {
    public let timeoutSeconds: Int
    public let maxBytes: Int

    public init(timeoutSeconds: Int = 30, maxBytes: Int = 10 << 20) {
        self.timeoutSeconds = timeoutSeconds
        self.maxBytes = maxBytes
        _ = HTTPCurlGlobal.initialized
    }

    public func get(_ url: String, etag: String? = nil, lastModified: String? = nil) throws(HTTPFailure) -> HTTPResponse {
        guard let handle = curl_easy_init() else { throw HTTPFailure(description: "libcurl could not create a handle") }
        defer { curl_easy_cleanup(handle) }
        var requestHeaders: UnsafeMutablePointer<curl_slist>? = nil
        if let etag { requestHeaders = curl_slist_append(requestHeaders, "If-None-Match: \(etag)") }
        if let lastModified { requestHeaders = curl_slist_append(requestHeaders, "If-Modified-Since: \(lastModified)") }
        defer { curl_slist_free_all(requestHeaders) }

        let sink = ResponseSink(limit: maxBytes)
        kyozon_curl_setopt_string(handle, CURLOPT_URL, url)
        kyozon_curl_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "http,https")
        kyozon_curl_setopt_string(handle, CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
        kyozon_curl_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 1)
        kyozon_curl_setopt_long(handle, CURLOPT_MAXREDIRS, 5)
        kyozon_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        kyozon_curl_setopt_long(handle, CURLOPT_TIMEOUT, timeoutSeconds)
        kyozon_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT, min(timeoutSeconds, 30))
        kyozon_curl_setopt_string(handle, CURLOPT_USERAGENT, "kyozon (KYOZON KYOEI newsletter collector)")
        kyozon_curl_setopt_string(handle, CURLOPT_ACCEPT_ENCODING, "")
        kyozon_curl_setopt_slist(handle, CURLOPT_HTTPHEADER, requestHeaders)
        kyozon_curl_setopt_callback(handle, CURLOPT_WRITEFUNCTION, httpWrite)
        kyozon_curl_setopt_callback(handle, CURLOPT_HEADERFUNCTION, httpHeader)
        kyozon_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, Unmanaged.passUnretained(sink).toOpaque())
        kyozon_curl_setopt_pointer(handle, CURLOPT_HEADERDATA, Unmanaged.passUnretained(sink).toOpaque())
        let code = withExtendedLifetime(sink) { curl_easy_perform(handle) }
        if sink.overflowed {
            throw HTTPFailure(description: "the response is larger than \(maxBytes) bytes")
        }
        guard code == CURLE_OK else {
            throw HTTPFailure(description: String(cString: curl_easy_strerror(code)))
        }
        var status = 0
        kyozon_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        return HTTPResponse(status: status, headers: sink.headers, body: sink.body)
    }
}

enum HTTPCurlGlobal {
    static let initialized: Bool = kyozon_curl_global_init() == CURLE_OK
}

/// Collects the body and the headers of the final response (a redirect's headers are reset).
final class ResponseSink {
    let limit: Int
    var body: [UInt8] = []
    var headers: [String: String] = [:]
    var overflowed = false

    init(limit: Int) { self.limit = limit }

    func header(_ line: String) {
        if line.hasPrefix("HTTP/") {
            headers = [:]
            body = []
            return
        }
        guard let colon = line.firstIndex(of: ":") else { return }
        let name = line[..<colon].lowercased()
        let value = line[line.index(after: colon)...].drop { $0 == " " || $0 == "\t" }
        headers[name] = String(value)
    }
}

private let httpWrite: kyozon_curl_data_callback = { buffer, size, count, userdata in
    let length = size * count
    guard let buffer, let userdata else { return length }
    let sink = Unmanaged<ResponseSink>.fromOpaque(userdata).takeUnretainedValue()
    guard sink.body.count + length <= sink.limit else {
        sink.overflowed = true
        return 0  // makes libcurl stop with CURLE_WRITE_ERROR
    }
    sink.body.append(contentsOf: UnsafeRawBufferPointer(start: buffer, count: length))
    return length
}

private let httpHeader: kyozon_curl_data_callback = { buffer, size, count, userdata in
    let length = size * count
    guard let buffer, let userdata else { return length }
    let sink = Unmanaged<ResponseSink>.fromOpaque(userdata).takeUnretainedValue()
    var line = String(decoding: UnsafeRawBufferPointer(start: buffer, count: length), as: UTF8.self)
    while let last = line.last, last.isNewline { line.removeLast() }
    sink.header(line)
    return length
}
