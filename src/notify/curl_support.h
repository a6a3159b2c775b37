// SPDX-License-Identifier: Apache-2.0
#pragma once

// What the e-mail and HTTP senders share about libcurl (internal to
// notify): one global initialisation, owning handles, and error messages.
// An error message never holds a URL path or query, a header value, a
// credential or a message body: libcurl's error buffer names hosts, ports,
// TLS and socket errors only.

#include <curl/curl.h>

#include <memory>
#include <string>
#include <string_view>

namespace dv::notify::internal {

// curl_global_init, once per process, from any thread.
void EnsureCurlInitialised();

struct CurlEasyDeleter {
  void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};
struct CurlSlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
struct CurlUrlDeleter {
  void operator()(CURLU* url) const { curl_url_cleanup(url); }
};
using CurlEasy = std::unique_ptr<CURL, CurlEasyDeleter>;
using CurlSlist = std::unique_ptr<curl_slist, CurlSlistDeleter>;
using CurlUrl = std::unique_ptr<CURLU, CurlUrlDeleter>;

// A new easy handle (nullptr when out of memory), after EnsureCurlInitialised.
CurlEasy NewCurlEasy();
// Appends `line` to `list` (nullptr: a new list). False when out of memory.
bool AppendSlist(CurlSlist& list, const std::string& line);

// One part of a parsed URL (curl_url_get); empty when absent.
std::string UrlPart(CURLU* url, CURLUPart part, unsigned int flags = 0);

// "<curl_easy_strerror>: <error buffer>" without a trailing full stop.
std::string DescribeCurlCode(CURLcode code, const char* error_buffer);

// True for the codes that mean the TLS handshake or the certificate failed.
bool IsTlsFailure(CURLcode code);

}  // namespace dv::notify::internal
