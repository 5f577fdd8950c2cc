#ifndef KYOZON_CCURL_SHIM_H
#define KYOZON_CCURL_SHIM_H

/*
 * Typed, non-variadic wrappers around libcurl's variadic setopt/getinfo,
 * so Swift never calls a C variadic or touches a macro. `static inline`
 * because a system library target compiles no .c file.
 */

#include <curl/curl.h>
#include <stddef.h>

/// Signature shared by CURLOPT_READFUNCTION and CURLOPT_HEADERFUNCTION.
typedef size_t (*kyozon_curl_data_callback)(char *buffer, size_t size, size_t count, void *userdata);

static inline CURLcode kyozon_curl_global_init(void) {
    return curl_global_init(CURL_GLOBAL_DEFAULT);
}

static inline const char *kyozon_curl_version(void) {
    return curl_version();
}

static inline CURLcode kyozon_curl_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode kyozon_curl_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode kyozon_curl_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode kyozon_curl_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode kyozon_curl_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode kyozon_curl_setopt_callback(CURL *handle, CURLoption option, kyozon_curl_data_callback value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode kyozon_curl_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode kyozon_curl_getinfo_string(CURL *handle, CURLINFO info, char **value) {
    return curl_easy_getinfo(handle, info, value);
}

/* The option and value constants Swift needs, as plain values (some are macros). */
static const long kyozon_curl_usessl_none = CURLUSESSL_NONE;
static const long kyozon_curl_usessl_all = CURLUSESSL_ALL;

#endif
