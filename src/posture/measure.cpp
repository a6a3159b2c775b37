// SPDX-License-Identifier: Apache-2.0
#include "posture/measure.h"

#include <utility>

#include "notify/address_policy.h"
#include "register/public_suffix.h"

namespace dv::posture {
namespace {

DnssecState StateOf(const reg::DnssecAnswer& answer) {
  return answer.secure ? DnssecState::kSecure : answer.bogus ? DnssecState::kBogus : DnssecState::kInsecure;
}

}  // namespace

std::optional<std::string> RefusedAddress(std::string_view address, bool allow_private) {
  auto parsed = notify::ParseIpAddress(address);
  if (!parsed.ok()) return std::string("not an address");
  const auto kind = notify::ClassifyAddress(*parsed);
  if (kind == notify::AddressClass::kPublic || allow_private) return std::nullopt;
  return "a " + std::string(notify::AddressClassName(kind)) + " address";
}

Measurer::Measurer(std::unique_ptr<reg::TxtResolver> resolver, std::unique_ptr<reg::DnssecValidator> validator,
                   MeasureOptions options)
    : resolver_(std::move(resolver)), validator_(std::move(validator)), options_(std::move(options)) {}

DomainScan Measurer::Measure(std::string_view domain, Timestamp now, const std::vector<std::string>& dkim_selectors,
                             std::chrono::steady_clock::time_point deadline) const {
  reg::TxtResolver& resolver = *resolver_;
  const TxtLookup txt = [&resolver](std::string_view name) { return resolver.Lookup(name); };
  const TxtLookup mx = [&resolver](std::string_view name) { return resolver.LookupMx(name); };
  const TxtLookup a = [&resolver](std::string_view name) { return resolver.LookupA(name); };
  const bool allow_private = options_.allow_private;
  const AddressPolicy refused = [allow_private](std::string_view address) {
    return RefusedAddress(address, allow_private);
  };
  const reg::PublicSuffixList& suffixes = reg::PublicSuffixList::System();
  const auto org_of = [&suffixes](std::string_view name) {
    const std::string_view registrable = suffixes.RegistrableDomain(name);
    return std::string(registrable.empty() ? name : registrable);
  };

  SmtpProbeOptions smtp = options_.smtp;
  smtp.deadline = deadline;
  WebProbeOptions web = options_.web_options;
  web.deadline = deadline;
  ScanProbes probes;
  probes.dkim_selectors = dkim_selectors;
  reg::DnssecValidator* validator = validator_.get();
  TlsaLookup tlsa;
  if (validator != nullptr) {
    probes.dnssec = [validator](std::string_view name) -> Result<DnssecResult> {
      auto answer = validator->Validate(name);
      if (!answer.ok()) return answer.error();
      return DnssecResult{StateOf(*answer), answer->why_bogus};
    };
    tlsa = [validator](std::string_view name) -> Result<TlsaAnswer> {
      auto answer = validator->LookupTlsa(name);
      if (!answer.ok()) return answer.error();
      return TlsaAnswer{StateOf(answer->state), answer->state.why_bogus, answer->records};
    };
  }
  // The MX set, read once for STARTTLS, DANE and MTA-STS.
  std::optional<MailServers> servers;
  if (options_.mail_servers) {
    probes.mail_servers = [&](std::string_view name) {
      servers = ProbeMailServers(name, mx, a, refused, smtp);
      std::vector<CheckResult> out{CheckMailTls(name, servers->mx, servers->probes, now)};
      if (tlsa) out.push_back(CheckDane(name, servers->mx, servers->probes, tlsa));
      return out;
    };
  }
  if (options_.web) {
    probes.mta_sts = [&](std::string_view name) {
      std::vector<std::string> hosts;
      const Result<std::vector<std::string>> set = servers ? servers->mx : mx(name);
      if (set.ok() && !(set->size() == 1 && set->front() == ".")) hosts = *set;
      return MeasureMtaSts(name, txt, a, refused, hosts, web);
    };
    probes.web = [&](std::string_view name) { return MeasureWeb(name, a, refused, web, now); };
  }
  return ScanDomain(domain, txt, org_of, now, probes);
}

}  // namespace dv::posture
