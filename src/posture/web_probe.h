// SPDX-License-Identifier: Apache-2.0
#pragma once

// A member's web server as a browser meets it (RFC 9110, RFC 9112): one
// GET of one path at one address, over plain HTTP or HTTPS with the host as
// SNI, and a TLS handshake that offers at most TLS 1.1 to learn whether the
// server still accepts it. An identifying User-Agent; HTTP/1.0 with
// `Connection: close`, so the answer is never chunked; a redirect is
// recorded, never followed; the body is read up to a cap; every step is
// bounded by the timeout. Blocking; thread-safe (no shared state).

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "core/time.h"
#include "posture/checks.h"

namespace dv::posture {

struct WebProbeOptions {
  int http_port = 80;
  int https_port = 443;
  std::chrono::milliseconds timeout{10'000};
  std::string ca_file;  // trust anchors; empty: the system's
  std::string user_agent = "Dannevirke-posture/1 (security posture measurement; docs/posture.md)";
  std::size_t max_body_bytes = 64 * 1024;  // RFC 8461 §3.3's limit for an MTA-STS policy
  // No fetch starts after this moment (the scanner's time budget for the
  // member): what is left is `error`, naming the budget.
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
};

// GET `path` from `host` at `address`. kNotFound when the port refused the
// connection (nothing is served there); kIo for a timeout, a failed
// handshake or an answer that is not HTTP. The status line and headers may
// take at most 32 KiB.
Result<HttpAnswer> FetchHttp(std::string_view host, std::string_view address, std::string_view path, bool https,
                             const WebProbeOptions& options);

// The status line, headers and body of an HTTP/1.x answer as read from the
// wire (`truncated`: the read stopped at the cap or the deadline). Header
// names lower case, at most 200 headers, folded or malformed header lines
// skipped; the body cut at `max_body`. kIo naming what is wrong: no end of
// headers, headers over 32 KiB, a status line that is not HTTP/1.x NNN.
Result<HttpAnswer> ParseHttpAnswer(std::string_view text, bool truncated, std::size_t max_body);

// A TLS handshake limited to TLS 1.1 with the HTTPS port: the version the
// server accepted ("TLSv1", "TLSv1.1"), nullopt when it refused the
// handshake; kIo when the port could not be reached.
Result<std::optional<std::string>> ProbeLegacyTls(std::string_view host, std::string_view address,
                                                  const WebProbeOptions& options);

// Refuses an address the scanner must not connect to (a reason) or accepts it (nullopt).
using AddressPolicy = std::function<std::optional<std::string>(std::string_view address)>;

// The web checks of `domain` (web_tls, https_redirect, hsts, security_txt)
// at the first IPv4 address `a` gives for it. Empty when the domain has no
// address (no web site at the name: nothing to judge). An address `refused`
// names is never connected to: each check is `error` with the reason.
std::vector<CheckResult> MeasureWeb(std::string_view domain, const TxtLookup& a, const AddressPolicy& refused,
                                    const WebProbeOptions& options, Timestamp now);

// The MTA-STS check of `domain` (CheckMtaSts): the policy is fetched from
// https://mta-sts.<domain>/.well-known/mta-sts.txt only when the TXT record
// exists; it counts only when served 200 with a certificate valid for that
// host (RFC 8461 §3.3), without following a redirect.
CheckResult MeasureMtaSts(std::string_view domain, const TxtLookup& txt, const TxtLookup& a,
                          const AddressPolicy& refused, const std::vector<std::string>& mx_hosts,
                          const WebProbeOptions& options);

}  // namespace dv::posture
