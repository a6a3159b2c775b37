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
#include <utility>
#include <vector>

#include "core/result.h"
#include "core/time.h"

namespace dv::posture {

enum class Status { kPass, kWarn, kFail, kError };
// "pass" | "warn" | "fail" | "error".
std::string_view StatusName(Status status);

// Every check, in the order a scan gives them (scan.h).
inline constexpr std::string_view kCheckNames[] = {"dnssec",         "mail_tls", "dane",        "spf",
                                                   "dmarc",          "mta_sts",  "tls_rpt",     "web_tls",
                                                   "https_redirect", "hsts",     "security_txt"};
bool IsCheckName(std::string_view name);

struct CheckResult {
  std::string check;   // "dnssec", "mail_tls", "dane", "spf", "dmarc", "mta_sts", "tls_rpt", "web_tls",
                       // "https_redirect", "hsts", "security_txt"
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

// One certificate of a presented chain as DANE matches it (RFC 6698 §2.1):
// the certificate and its SubjectPublicKeyInfo, in DER, as hex, and their
// SHA-256 and SHA-512 digests (lower-case hex).
struct CertificateKeys {
  std::string certificate_der;
  std::string certificate_sha256;
  std::string certificate_sha512;
  std::string spki_der;
  std::string spki_sha256;
  std::string spki_sha512;
};

// What a client met in one TLS handshake (the probes measure it; here it is data).
struct TlsSession {
  std::string version;  // "TLSv1.3", "TLSv1.2", "TLSv1.1", "TLSv1"
  std::string cipher;
  std::string subject;  // the server certificate's subject and issuer (one line each)
  std::string issuer;
  std::optional<Timestamp> not_after;
  bool certificate_valid = false;      // chains to a trusted root and names the host
  std::string certificate_problem;     // why not, as OpenSSL says
  std::vector<CertificateKeys> chain;  // as presented; [0] is the server's own certificate
};

// What a sending server meets at one MX after STARTTLS (smtp_probe.h).
struct SmtpTlsProbe {
  std::string host;     // the MX name
  std::string address;  // the address connected to
  bool starttls_offered = false;
  TlsSession tls;  // empty without STARTTLS
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

// DANE for SMTP (RFC 7672, RFC 6698) on each MX of `mx` (at most 10):
// the TLSA records at _25._tcp.<mx> as the validating resolver answered
// them, matched against the chain the MX presented in `probes`
// (CheckMailTls's probes). No TLSA at any MX warns (DANE is recommended,
// not required); TLSA in an insecure or bogus answer fails (senders ignore
// it, or cannot deliver); a TLSA set none of whose usable records (DANE-EE
// 3 against the server's certificate, DANE-TA 2 against a certificate of the
// chain above it) matches fails; PKIX usages 0 and 1 only warns (RFC 7672
// §3.1.3: unusable for SMTP); some MX with matching TLSA and others without
// warns. An MX whose TLSA lookup failed or that could not be probed is
// `error` for that MX. A null MX passes.
struct TlsaAnswer {
  DnssecState state = DnssecState::kInsecure;
  std::string detail;                // why bogus
  std::vector<std::string> records;  // presentation form "3 1 1 ab12…"; empty: none
};
using TlsaLookup = std::function<Result<TlsaAnswer>(std::string_view name)>;
CheckResult CheckDane(std::string_view domain, const Result<std::vector<std::string>>& mx,
                      const std::vector<MxProbe>& probes, const TlsaLookup& tlsa);

// What a web client met at one URL (web_probe.h measures it).
struct HttpAnswer {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // names lower case, in order
  std::string body;                                          // at most the probe's cap
  bool truncated = false;                                    // the server sent more than was read
  std::optional<TlsSession> tls;                             // over HTTPS
  // The first header of this (lower-case) name.
  std::optional<std::string> Header(std::string_view name) const;
};

// TLS on the domain's web server (https://<domain>/ on port 443): no HTTPS
// answer fails (`https` is NotFound when the port refused the connection;
// any other error is `error`); a handshake below TLS 1.2 fails; a server
// that still completes a TLS 1.0 or 1.1 handshake (`legacy`: the version it
// accepted, nullopt when it refused; an error leaves it unjudged) fails; a
// certificate that does not chain to a trusted root or name the domain
// fails (browsers refuse it), one that has expired fails, one that expires
// within 14 days warns. The evidence says the days until it expires.
CheckResult CheckWebTls(std::string_view domain, const Result<HttpAnswer>& https,
                        const Result<std::optional<std::string>>& legacy, Timestamp now);

// The plain-HTTP answer of http://<domain>/ (port 80): a redirect (301, 302,
// 303, 307, 308) to an https:// URL passes; no plain HTTP at all (NotFound:
// the port refused) passes; a redirect to another http:// URL, or content
// served over plain HTTP, fails; other answers warn.
CheckResult CheckHttpsRedirect(std::string_view domain, const Result<HttpAnswer>& http);

// SPF (RFC 7208): exactly one v=spf1 record; at most 10 DNS-querying terms
// and 2 void lookups counted through include: and redirect= (§4.6.4); -all
// passes, ~all warns, ?all / +all / no all fail; ptr warns. A record that
// does not parse fails with the term named.
CheckResult CheckSpf(std::string_view domain, const TxtLookup& lookup);

// DKIM (RFC 6376) for the selectors the member lists: the key record at
// <selector>._domainkey.<domain> for each (at most 20). An RSA key of 2048
// bits or more, or an ed25519 key (RFC 8463), passes; 1024–2047 bits warns
// (RFC 8301 requires 1024 and recommends 2048); t=y (testing) warns; a key
// under 1024 bits, h= allowing only sha1 (RFC 8301), a revoked key (empty
// p=), no record, several records, or one that does not parse fails.
CheckResult CheckDkim(std::string_view domain, const std::vector<std::string>& selectors, const TxtLookup& lookup);

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
