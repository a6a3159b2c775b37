// SPDX-License-Identifier: Apache-2.0
#pragma once

// DNS look-ups through libunbound: TXT records for the proof of a domain
// (docs/register.md, "Proof") and the mail checks (docs/posture.md), and
// DNSSEC validation, behind interfaces so tests can answer without a network. The real one
// uses libunbound: either the system's resolvers (/etc/resolv.conf, or full
// recursion from the root when that file names none) or one forwarder.
//
// Thread-safe: each Lookup uses its own resolver context.

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace dv::reg {

class TxtResolver {
 public:
  virtual ~TxtResolver() = default;
  // The strings of every TXT record at `name` (each record's character
  // strings joined, as RFC 7208 §3.3 joins them). An empty list when the
  // name exists without TXT records or does not exist (NXDOMAIN);
  // kIo when the resolver fails or does not answer within the timeout.
  virtual Result<std::vector<std::string>> Lookup(std::string_view name) = 0;
  // The MX exchanges of `name`, lowest preference first, lower case without
  // the final dot; empty when there is none; {"."} for a null MX (RFC 7505).
  // kUnsupported unless the resolver implements it.
  virtual Result<std::vector<std::string>> LookupMx(std::string_view name);
  // The IPv4 addresses of `name` ("192.0.2.1"); empty when none.
  virtual Result<std::vector<std::string>> LookupA(std::string_view name);
};

// `forwarder`: "" for the system's resolvers, or "ADDRESS" / "ADDRESS@PORT"
// ("127.0.0.1@5353") to send every query to that server. The environment
// variable DV_REGISTER_RESOLVER sets it for the hub (ResolverFromEnvironment).
std::unique_ptr<TxtResolver> MakeUnboundResolver(std::string forwarder,
                                                 std::chrono::milliseconds timeout = std::chrono::seconds(5));
// The forwarder named by DV_REGISTER_RESOLVER, or the system's resolvers.
std::unique_ptr<TxtResolver> ResolverFromEnvironment();

// Whether a name's answers validate under DNSSEC (RFC 4033), as libunbound's
// validator judges them from a trust anchor: the root's (Debian's
// dns-root-data, /usr/share/dns/root.key) or a test zone's.
struct DnssecAnswer {
  bool secure = false;    // validated from the trust anchor
  bool bogus = false;     // signed, but the signatures do not validate
  std::string why_bogus;  // libunbound's reason when bogus
};

class DnssecValidator {
 public:
  virtual ~DnssecValidator() = default;
  // The validation state of `name`'s SOA answer (an answer or a proof that
  // there is none); kIo when the resolver fails or does not answer in time.
  virtual Result<DnssecAnswer> Validate(std::string_view name) = 0;
  // The TLSA records at `name` ("_25._tcp.mx.example.dk") in presentation
  // form ("3 1 1 <hex>"), with the validation state of that answer (or of
  // the proof that there is none); kIo as for Validate.
  struct TlsaRecords {
    DnssecAnswer state;
    std::vector<std::string> records;
  };
  virtual Result<TlsaRecords> LookupTlsa(std::string_view name) = 0;
};

// `forwarder` as for MakeUnboundResolver; `trust_anchor_file` holds DS or
// DNSKEY records in zone-file format. kIo when the file cannot be read.
Result<std::unique_ptr<DnssecValidator>> MakeUnboundValidator(
    std::string forwarder, std::string trust_anchor_file, std::chrono::milliseconds timeout = std::chrono::seconds(5));

}  // namespace dv::reg
