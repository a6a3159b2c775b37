// SPDX-License-Identifier: Apache-2.0
#pragma once

// The one outgoing HTTP request of notify, shared by webhooks (webhook.h)
// and SMS gateways (sms.h), with the protections of docs/notify.md
// ("Server-side request forgery"):
//   - https only; http only with `allow_loopback_and_private` (tests, dev);
//     no credentials in the URL;
//   - the host is resolved once (ResolvePublic) and every address must be
//     public; libcurl is then pinned to exactly those addresses
//     (CURLOPT_RESOLVE) and a socket callback refuses any other, so DNS
//     rebinding between the check and the connection changes nothing;
//   - redirects are not followed; proxies from the environment are ignored;
//     only the http/https protocols are enabled;
//   - connect and total timeouts; the response body is read up to a cap.
//
// Errors name the purpose and the host (never the URL's path or query,
// which may hold a token, nor header values or the body): kInvalidArgument
// for a URL or header the rules refuse, kForbidden for an address the policy
// refuses, kIo for DNS, connection, TLS and timeout failures.
//
// Thread-safe: each call uses its own libcurl handle.

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"

namespace dv::notify {

struct HttpPolicy {
  // Tests and development only: permits loopback, private and other
  // non-public addresses, and plain http. Never set in production.
  bool allow_loopback_and_private = false;
  std::string ca_file;  // PEM trust anchors; empty: the system's store
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds total_timeout{15000};
  std::size_t max_response_bytes = std::size_t{64} * 1024;  // the rest is not read
};

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method = "POST";  // POST, PUT or GET
  std::string url;
  HttpHeaders headers;  // names are tokens; values without CR, LF or NUL
  std::string body;     // sent with POST and PUT
};

struct HttpResponse {
  long status = 0;
  std::string body;        // at most max_response_bytes
  bool truncated = false;  // the server sent more than was read
};

// The parts of a URL the policy looks at.
struct HttpTarget {
  std::string scheme;  // "https" or "http"
  std::string host;    // a name or an address literal, IPv6 without brackets
  long port = 0;
};

// Checks `url` without any network access: it parses, its scheme is https
// (or http when the policy allows), it has a host and no user name or
// password. `purpose` ("webhook") starts the error message.
Result<HttpTarget> CheckHttpUrl(std::string_view url, const HttpPolicy& policy, std::string_view purpose);

// Checks header names (RFC 9110 tokens) and values (no CR, LF, NUL or other
// control characters but tab). Errors name the header's position and name,
// never its value.
Status CheckHttpHeaders(const HttpHeaders& headers, std::string_view purpose);

// Checks the request (method, URL, headers), resolves and checks the host,
// and sends it. Success is a 2xx answer; any other status is kIo naming the
// host and the status (a 3xx is not followed).
Result<HttpResponse> SendHttp(const HttpRequest& request, const HttpPolicy& policy, std::string_view purpose);

}  // namespace dv::notify
