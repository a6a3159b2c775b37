// SPDX-License-Identifier: Apache-2.0
#pragma once

// STARTTLS on one mail server (RFC 3207), as a sending server would meet it:
// connect to port 25 of an address the MX resolved to, read the greeting,
// EHLO, STARTTLS, and a TLS handshake with the MX name as SNI; then QUIT.
// Never a MAIL command: no mail is sent. The handshake accepts any version
// from TLS 1.0 and any certificate, so that what the server offers is
// recorded; the check (checks.h) judges it.
//
// Blocking, bounded by the timeout per step; thread-safe (no shared state).

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/time.h"
#include "posture/checks.h"

namespace dv::posture {

struct SmtpProbeOptions {
  int port = 25;
  std::chrono::milliseconds timeout{10'000};
  std::string ca_file;  // trust anchors; empty: the system's
  std::string helo = "posture.dannevirke.invalid";
  // No probe starts after this moment (the scanner's time budget for the
  // member): the MX hosts left are named as not probed.
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
};

// kIo when the connection, the greeting or the handshake fails (naming the
// step); a server that does not offer STARTTLS is a probe with
// starttls_offered false, not an error.
Result<SmtpTlsProbe> ProbeSmtpStarttls(std::string_view host, std::string_view address,
                                       const SmtpProbeOptions& options);

// The MX set of `domain` and one probe per MX (at most 10): its MX set
// through `mx`, each MX's first IPv4 address through `a`. An address
// `refused` names (not public, for the hub) is never connected to; that MX's
// probe is kForbidden with the reason. Only port `options.port` of addresses
// the MX names resolve to is ever connected to. The checks CheckMailTls and
// CheckDane judge the result.
struct MailServers {
  Result<std::vector<std::string>> mx = std::vector<std::string>{};
  std::vector<MxProbe> probes;
};
MailServers ProbeMailServers(std::string_view domain, const TxtLookup& mx, const TxtLookup& a,
                             const std::function<std::optional<std::string>(std::string_view address)>& refused,
                             const SmtpProbeOptions& options);

}  // namespace dv::posture
