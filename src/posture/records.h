// SPDX-License-Identifier: Apache-2.0
#pragma once

// The records a mail and web check reads from outside, parsed strictly by
// their standards. Every parser takes untrusted text from the DNS or the web
// and returns the record or an error that names the term or line; none
// throws, none allocates more than a small multiple of its input, and every
// one has a fuzz target (fuzz/posture_records_fuzz.cpp).
//
// The checks that turn records into verdicts are in posture/checks.h.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/time.h"

namespace dv::posture {

// ---- SPF (RFC 7208) -------------------------------------------------------

// Whether a TXT string is an SPF record: "v=spf1" alone or followed by a
// space, case-insensitively (RFC 7208 §4.5). Others at the name are ignored.
bool IsSpfRecord(std::string_view txt);

struct SpfTerm {
  enum class Kind { kMechanism, kModifier };
  Kind kind = Kind::kMechanism;
  char qualifier = '+';  // + - ~ ? (mechanisms only)
  std::string name;      // lower case: all include a mx ptr ip4 ip6 exists, or the modifier's name
  std::string value;     // after ':' or '=' (may be empty), as written
};

struct SpfRecord {
  std::vector<SpfTerm> terms;

  // The mechanisms and modifiers that cost a DNS lookup when evaluated
  // (include a mx ptr exists redirect; RFC 7208 §4.6.4), in this record only.
  std::size_t LookupTerms() const;
  // The `all` mechanism's qualifier, if the record has one.
  std::optional<char> AllQualifier() const;
  // The redirect= modifier's domain, if any.
  std::optional<std::string> Redirect() const;
};

// Parses one SPF record (which IsSpfRecord accepted). Refuses an unknown
// mechanism, a mechanism without its required argument, a modifier given
// twice (redirect, exp), a malformed ip4/ip6 network and more than 200 terms.
Result<SpfRecord> ParseSpf(std::string_view txt);

// ---- DMARC (RFC 7489 §6.3; DMARCbis tags np, psd, t) -----------------------

// Whether a TXT string is a DMARC record: it starts with the tag "v=DMARC1".
bool IsDmarcRecord(std::string_view txt);

struct DmarcRecord {
  std::string p;    // none | quarantine | reject (required)
  std::string sp;   // as p, or empty when absent (then p applies)
  std::string np;   // DMARCbis: policy for non-existent subdomains, or empty
  std::string psd;  // DMARCbis: y | n | u, or empty
  std::string t;    // DMARCbis: y | n (testing), or empty
  int pct = 100;    // RFC 7489 only; DMARCbis removed it
  bool pct_given = false;
  std::string adkim = "r";       // r | s
  std::string aspf = "r";        // r | s
  std::vector<std::string> rua;  // URIs as written (mailto:…), size suffix removed
  std::vector<std::string> ruf;
};

// Parses a tag-value list ("v=DMARC1; p=reject; rua=mailto:d@example.dk").
// Refuses a missing or misplaced v, a missing or unknown p (RFC 7489 §6.6.3
// says a record without a valid p is ignored: the check reports it as absent
// policy), an unknown sp/np value, a pct outside 0–100, and a tag given twice.
// Unknown tags are ignored as the RFC says.
Result<DmarcRecord> ParseDmarc(std::string_view txt);

// The domain part of a mailto: report URI ("mailto:d@rapport.example.dk!10m"
// gives "rapport.example.dk"), lower case, or nullopt for other schemes.
std::optional<std::string> MailtoDomain(std::string_view uri);

// ---- MTA-STS (RFC 8461) and TLS-RPT (RFC 8460) ------------------------------

// "v=STSv1; id=20260101T000000;" at _mta-sts.<domain>.
struct MtaStsTxt {
  std::string id;  // 1–32 letters and digits
};
bool IsMtaStsRecord(std::string_view txt);
Result<MtaStsTxt> ParseMtaStsTxt(std::string_view txt);

// The policy file from https://mta-sts.<domain>/.well-known/mta-sts.txt.
struct MtaStsPolicy {
  std::string mode;             // enforce | testing | none
  std::vector<std::string> mx;  // patterns, lower case ("mail.example.dk", "*.example.dk")
  std::int64_t max_age = 0;     // seconds, 0–31557600
};
// Lines of "key: value" ending in CRLF or LF (§3.2). Refuses a missing or
// second version/mode/max_age, a version other than STSv1, an unknown mode,
// a max_age that is not a number or above 31557600, no mx line unless the
// mode is none, and a body over 64 KiB (the RFC's limit on the fetch).
Result<MtaStsPolicy> ParseMtaStsPolicy(std::string_view body);

// Whether an MX host name matches a policy's mx pattern (§4.1): exactly, or
// a "*." pattern matching one leftmost label. Case-insensitive; a trailing
// dot on the host is ignored.
bool MtaStsMxMatches(std::string_view pattern, std::string_view host);

// "v=TLSRPTv1; rua=mailto:tlsrpt@example.dk" at _smtp._tls.<domain>.
struct TlsRptRecord {
  std::vector<std::string> rua;  // mailto: or https: URIs
};
bool IsTlsRptRecord(std::string_view txt);
Result<TlsRptRecord> ParseTlsRpt(std::string_view txt);

// ---- DKIM key records (RFC 6376 §3.6.1, RFC 8301, RFC 8463) -----------------

// The TXT record at <selector>._domainkey.<domain>.
struct DkimKey {
  std::string key_type = "rsa";              // k=: rsa | ed25519
  std::vector<unsigned char> public_key;     // p=, base64-decoded; empty: revoked
  std::vector<std::string> hash_algorithms;  // h=, lower case; empty: any
  bool testing = false;                      // t=y
  bool revoked() const { return public_key.empty(); }
};
// Refuses a v= other than DKIM1 or not first, an unknown k=, a missing p=,
// p= that is not base64 (whitespace inside is allowed, as in the RFC), and
// a key over 8 KiB.
Result<DkimKey> ParseDkimKey(std::string_view txt);
// The key's size in bits as OpenSSL reads the SubjectPublicKeyInfo (RSA)
// or 256 (ed25519, RFC 8463: the raw 32-byte key); kParse when the key does
// not decode.
Result<int> DkimKeyBits(const DkimKey& key);
// A comma-separated list of 1 to 20 selectors ("selector1,s2._x"): DNS
// labels of letters, digits, '-' and '_' joined by dots (RFC 6376 §3.1),
// lower-cased; kInvalidArgument naming the first that is not one.
Result<std::vector<std::string>> ParseDkimSelectors(std::string_view text);

// ---- DANE TLSA (RFC 6698 §2.2, RFC 7671) ---------------------------------------

struct TlsaRecord {
  int usage = 0;     // 0 PKIX-TA, 1 PKIX-EE, 2 DANE-TA, 3 DANE-EE
  int selector = 0;  // 0 full certificate, 1 SubjectPublicKeyInfo
  int matching = 0;  // 0 exact, 1 SHA-256, 2 SHA-512
  std::vector<unsigned char> data;
};
// The presentation form "3 1 1 ab12…" (hex may hold spaces). Refuses
// numbers above 255, odd or non-hex data, and a digest of the wrong length
// (32 bytes for SHA-256, 64 for SHA-512).
Result<TlsaRecord> ParseTlsa(std::string_view presentation);

// ---- Web: HSTS (RFC 6797 §6.1) and security.txt (RFC 9116) ---------------------

struct HstsPolicy {
  std::int64_t max_age = 0;
  bool include_subdomains = false;
  bool preload = false;
};
// A Strict-Transport-Security header value. Refuses a missing or repeated
// max-age, a max-age that is not a number and a directive given twice.
Result<HstsPolicy> ParseHsts(std::string_view header);

struct SecurityTxt {
  std::vector<std::string> contact;  // required, one or more
  std::optional<Timestamp> expires;  // required, exactly once
  std::vector<std::string> encryption;
  std::vector<std::string> policy;
  std::vector<std::string> preferred_languages;
  std::vector<std::string> canonical;
  bool signed_ = false;  // an OpenPGP cleartext signature frames the fields
};
// The fields of a security.txt file: "Field: value" lines, # comments,
// an optional OpenPGP cleartext frame (the signature itself is not checked).
// Refuses a body over 32 KiB, a line that is neither, a second Expires or
// Preferred-Languages, and an Expires that is not an RFC 3339 date-time.
// A missing Contact or Expires is a result, not an error: the check says so.
Result<SecurityTxt> ParseSecurityTxt(std::string_view body);

}  // namespace dv::posture
