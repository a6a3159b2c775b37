// SPDX-License-Identifier: Apache-2.0
#pragma once

// The mail and web checks of a domain as pure functions of what was
// measured: DNS answers come through a lookup the caller gives (libunbound in
// the scanner, a table in the golden tests), fetched documents and headers
// come as text. Each check gives one verdict with its reasons, so the same
// answers always give the same verdict.

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/time.h"

namespace dv::posture {

enum class Status { kPass, kWarn, kFail, kError };
// "pass" | "warn" | "fail" | "error".
std::string_view StatusName(Status status);

struct CheckResult {
  std::string check;   // "dnssec", "mail_tls", "spf", "dmarc", "mta_sts", "tls_rpt", "hsts", "security_txt"
  std::string domain;  // as asked, lower case
  Status status = Status::kError;
  // One line per finding, worst first; the first is the verdict's reason.
  std::vector<std::string> reasons;
  // The records or documents the verdict rests on, as read.
  std::vector<std::string> evidence;
  // A second verdict where DMARCbis differs from RFC 7489 (dmarc only).
  std::optional<Status> dmarcbis_status;
  std::vector<std::string> dmarcbis_reasons;
};

// The TXT strings at a name. NotFound means the name does not exist
// (NXDOMAIN) or holds no TXT; any other error means the lookup failed
// (SERVFAIL, timeout), which makes a check `error`, never `fail`.
using TxtLookup = std::function<Result<std::vector<std::string>>(std::string_view name)>;

// DNSSEC (RFC 4033–4035) as a validating resolver judged the domain's SOA
// answer (or the proof that it has none) from its trust anchor.
enum class DnssecState { kSecure, kInsecure, kBogus };
struct DnssecResult {
  DnssecState state = DnssecState::kInsecure;
  std::string detail;  // why it is bogus, as the validator says
};
// NotFound is not used: a lookup error (SERVFAIL, timeout) makes the check `error`.
using DnssecLookup = std::function<Result<DnssecResult>(std::string_view name)>;

// Secure passes; insecure (not signed, or no chain of trust from the anchor)
// fails, as the Danish minimum requirements ask for DNSSEC; bogus fails
// (validating resolvers refuse the domain's answers: mail to it bounces).
CheckResult CheckDnssec(std::string_view domain, const DnssecLookup& lookup);

// What a sending server meets at one MX after STARTTLS (smtp_probe.h
// measures it; here it is data).
struct SmtpTlsProbe {
  std::string host;     // the MX name
  std::string address;  // the address connected to
  bool starttls_offered = false;
  std::string tls_version;  // "TLSv1.3", "TLSv1.2", "TLSv1.1", "TLSv1"; empty without TLS
  std::string cipher;
  std::string subject;  // the certificate's subject and issuer (one line each)
  std::string issuer;
  std::optional<Timestamp> not_after;
  bool certificate_valid = false;   // chains to a trusted root and names the host
  std::string certificate_problem;  // why not, as OpenSSL says
  std::string sha256_spki;          // hex SHA-256 of the public key (DANE 3 1 1)
};

// STARTTLS on the domain's mail servers (RFC 3207), from the MX lookup and
// one probe per MX (at most 10; the probe or why it failed). A null MX
// (RFC 7505) passes: the domain takes no mail. No MX warns (mail falls back
// to the address record, unchecked). Per MX: no STARTTLS fails; TLS below
// 1.2 fails; a certificate that does not chain to a trusted root or name the
// MX warns (SMTP falls back to unauthenticated TLS, which MTA-STS and DANE
// exist to stop), as does one that expires within 14 days; an MX that cannot
// be reached is `error` for that MX. The verdict is the worst MX; `error`
// only when no MX could be judged.
struct MxProbe {
  std::string host;
  Result<SmtpTlsProbe> probe = Error::NotFound("not probed");
};
CheckResult CheckMailTls(std::string_view domain, const Result<std::vector<std::string>>& mx,
                         const std::vector<MxProbe>& probes, Timestamp now);

// SPF (RFC 7208): exactly one v=spf1 record; at most 10 DNS-querying terms
// and 2 void lookups counted through include: and redirect= (§4.6.4); -all
// passes, ~all warns, ?all / +all / no all fail; ptr warns. A record that
// does not parse fails with the term named.
CheckResult CheckSpf(std::string_view domain, const TxtLookup& lookup);

// DMARC (RFC 7489 and DMARCbis): the record at _dmarc.<domain>, else (RFC
// 7489) at the organisational domain `org_domain` or (DMARCbis) the first
// ancestor that has one. p=reject passes (the Danish requirement), quarantine
// warns, none fails; sp or np weaker than p warns; pct below 100 warns (RFC
// 7489 only); no rua warns; a rua outside the domain's organisational domain
// without the receiver's authorisation record
// (<domain>._report._dmarc.<receiver>) warns.
// `org_of` maps a domain to its organisational domain (the public suffix
// list in the scanner).
CheckResult CheckDmarc(std::string_view domain, const TxtLookup& lookup,
                       const std::function<std::string(std::string_view)>& org_of);

// MTA-STS (RFC 8461): one v=STSv1 record at _mta-sts.<domain>; the policy
// (`policy_body`, or nullopt with `fetch_error` when it could not be fetched
// over HTTPS with a valid certificate); mode enforce passes, testing warns,
// none fails; every MX host in `mx_hosts` must match a pattern, else fail;
// a max_age under one day warns.
CheckResult CheckMtaSts(std::string_view domain, const TxtLookup& lookup, const std::optional<std::string>& policy_body,
                        std::string_view fetch_error, const std::vector<std::string>& mx_hosts);

// TLS-RPT (RFC 8460): one valid v=TLSRPTv1 record at _smtp._tls.<domain>
// passes; none warns (recommended, not required); an invalid one fails.
CheckResult CheckTlsRpt(std::string_view domain, const TxtLookup& lookup);

// HSTS (RFC 6797) from the Strict-Transport-Security header of the HTTPS
// answer (nullopt: absent): max-age of at least one year passes, shorter
// warns, absent or invalid fails.
CheckResult CheckHsts(std::string_view domain, const std::optional<std::string>& header);

// security.txt (RFC 9116) from /.well-known/security.txt (nullopt: not
// served): Contact and a future Expires pass; Expires more than a year ahead
// warns (§2.5.5 recommends less); expired, missing fields, or not served
// fail.
CheckResult CheckSecurityTxt(std::string_view domain, const std::optional<std::string>& body, Timestamp now);

}  // namespace dv::posture
