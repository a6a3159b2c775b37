// SPDX-License-Identifier: Apache-2.0
#include "cli/demo_seed.h"

#include <cctype>
#include <cstdio>
#include <ctime>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "baseline/stored.h"
#include "contacts/contact.h"
#include "contacts/contacts_store.h"
#include "hub/modules/duty/duty_records.h"
#include "hub/modules/vulnerabilities/vuln_service.h"
#include "incident/demo_seed.h"
#include "notices/notices.h"
#include "posture/stored.h"
#include "protect/value.h"
#include "register/register_store.h"

namespace dv::cli {

namespace {

// Copenhagen's protection profile (the record the protection module's
// PUT /api/v1/protection/members/0101/profile stores; docs/protect.md): it
// enforces, and trusts Aarhus (0751) besides the national coordinator, still
// wanting a second source. So when the demo's Aarhus SOC shares
// login-mitid-support.example and Copenhagen's own sensor sights it, the
// domain is in Copenhagen's blocking zone: one member's detection protects
// another. Written only when Copenhagen has no profile, so a change made in
// the dashboard survives a restart.
Status SeedDemoProtection(Store& store) {
  const nlohmann::json profile = {
      {"monitor_only", false},         {"trusted_producers", nlohmann::json::array({"CFCS", "0751"})},
      {"require_corroboration", true}, {"min_confidence", 70},
      {"action", "nxdomain"},
  };
  RecordWrite write{"protection.profile", "0101", "0101", profile.dump(), std::int64_t{0}};
  auto stored = store.PutRecord(write, "system:seed");
  if (!stored.ok() && stored.error().kind() != ErrorKind::kConflict) {
    return stored.error().WithContext("seeding Copenhagen's demo protection profile");
  }
  return Ok();
}

// "København" -> "koebenhavn", "Region Hovedstaden" -> "region-hovedstaden".
std::string Slug(const std::string& name) {
  static const std::map<std::string, std::string> kLetters = {{"æ", "ae"}, {"ø", "oe"}, {"å", "aa"}, {"Æ", "ae"},
                                                              {"Ø", "oe"}, {"Å", "aa"}, {"é", "e"},  {"ü", "u"}};
  std::string out;
  for (std::size_t index = 0; index < name.size(); ++index) {
    const auto byte = static_cast<unsigned char>(name[index]);
    if (byte >= 0x80 && index + 1 < name.size()) {
      const auto found = kLetters.find(name.substr(index, 2));
      if (found != kLetters.end()) out += found->second;
      ++index;
      continue;
    }
    if (std::isalnum(byte)) {
      out.push_back(static_cast<char>(std::tolower(byte)));
    } else if (!out.empty() && out.back() != '-') {
      out.push_back('-');
    }
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out.substr(0, 50);
}

// "YYYY-MM-DD HH:MM:SS" as Shadowserver writes its timestamps (UTC).
std::string ReportTime(std::int64_t unix_seconds) {
  const std::time_t time = unix_seconds;
  std::tm utc{};
  gmtime_r(&time, &utc);
  char text[32];
  std::strftime(text, sizeof(text), "%Y-%m-%d %H:%M:%S", &utc);
  return text;
}

// Every demo organisation's internet presence, illustrative only: a domain
// `<name>.example` (RFC 2606; approved by the coordinator at seeding), an
// IPv6 /48 from the documentation prefix 2001:db8::/32 (RFC 3849), IPv4
// blocks from the documentation ranges (RFC 5737) — a /27 of 192.0.2.0/24 per
// region, a /30 of 198.51.100.0/24 or 203.0.113.0/24 per municipality, and
// Copenhagen's own /28 nested inside its region's /27 (approved, as a
// coordinator would) — and documentation AS numbers (RFC 5398) for the
// regions and the national coordinator. 192.0.2.160/27 and above stay
// unregistered. Then one illustrative outside report (Shadowserver's
// scan_rdp layout) is routed: rows reach several members, and one address
// nobody registered becomes the coordinator's blind spot. Seeded only when
// nobody has registered anything, so changes made in the dashboard survive
// a restart.
Status SeedDemoRegister(Store& store) {
  auto coverage = reg::LoadCoverage(store);
  if (!coverage.ok()) return coverage.error();
  if (coverage->registered > 0) return Ok();
  OrganisationQuery query;
  query.limit = Store::kMaxPageSize;
  std::vector<Organisation> organisations;
  for (;;) {
    auto page = store.ListOrganisations(query);
    if (!page.ok()) return page.error();
    organisations.insert(organisations.end(), page->items.begin(), page->items.end());
    if (page->items.empty() || static_cast<std::int64_t>(organisations.size()) >= page->total) break;
    query.offset += query.limit;
  }
  constexpr std::string_view kActor = "system:seed";
  constexpr std::string_view kCoordinator = "CFCS";
  int region_index = 0;
  int municipality_index = 0;
  int other_index = 0;
  std::set<std::string> slugs;
  std::map<std::string, std::string> region_block;            // region code -> its /27
  std::map<std::string, std::vector<std::string>> addresses;  // org -> a few addresses for the report
  std::map<std::string, std::string> domains;
  for (const Organisation& org : organisations) {
    std::string slug = Slug(org.name);
    if (slug.empty() || !slugs.insert(slug).second) slug += "-" + Slug(org.code);
    slugs.insert(slug);
    nlohmann::json lists = {{"domains", {slug + ".example"}}, {"urls", {"https://www." + slug + ".example/"}}};
    nlohmann::json prefixes = nlohmann::json::array();
    char v6[64];
    if (org.kind == OrgKind::kRegion && region_index < 5) {
      const std::string block = "192.0.2." + std::to_string(32 * region_index) + "/27";
      region_block[org.code] = block;
      prefixes.push_back(block);
      lists["asns"] = {64496 + region_index};
      std::snprintf(v6, sizeof(v6), "2001:db8:%x::/48", 0x100 + region_index);
      addresses[org.code].push_back("192.0.2." + std::to_string(32 * region_index + 5));
      ++region_index;
    } else if (org.kind == OrgKind::kMunicipality && municipality_index < 128) {
      const int index = municipality_index++;
      const std::string range = index < 64 ? "198.51.100." : "203.0.113.";
      const int base = 4 * (index % 64);
      prefixes.push_back(range + std::to_string(base) + "/30");
      std::snprintf(v6, sizeof(v6), "2001:db8:%x::/48", 0x1000 + index);
      addresses[org.code].push_back(range + std::to_string(base + 1));
    } else {
      std::snprintf(v6, sizeof(v6), "2001:db8:%x::/48", 0x2000 + other_index++);
      if (org.code == kCoordinator) lists["asns"] = {64511};
    }
    prefixes.push_back(v6);
    lists["prefixes"] = std::move(prefixes);
    domains[org.code] = slug + ".example";
    auto registration = reg::RegistrationFromJson(lists);
    if (!registration.ok()) return registration.error().WithContext("demo register of " + org.code);
    auto saved = reg::SaveRegistration(store, org.code, *registration, kActor, std::nullopt);
    if (!saved.ok()) return saved.error().WithContext("demo register of " + org.code);
  }
  for (const auto& [code, domain] : domains) {
    auto approved = reg::ApproveDomain(store, code, domain, "Demo: illustrative domain, approved at seeding", kActor);
    if (!approved.ok()) return approved.error().WithContext("demo register of " + code);
  }
  // Copenhagen's own block inside Region Hovedstaden's.
  if (const auto region = region_block.find("1084"); region != region_block.end() && domains.count("0101")) {
    auto network = protect::ParseNetwork(region->second);
    if (!network.ok()) return network.error();
    const std::string base = region->second.substr(0, region->second.rfind('.') + 1);
    const int first = std::stoi(region->second.substr(region->second.rfind('.') + 1));
    const std::string inner = base + std::to_string(first + 16) + "/28";
    auto member = reg::LoadMember(store, "0101");
    if (!member.ok()) return member.error();
    nlohmann::json lists = reg::RegistrationJson(member->registration);
    lists["prefixes"].push_back(inner);
    auto registration = reg::RegistrationFromJson(lists);
    if (!registration.ok()) return registration.error().WithContext("demo register of 0101");
    auto saved = reg::SaveRegistration(store, "0101", *registration, kActor, std::nullopt);
    if (!saved.ok()) return saved.error();
    auto approved = reg::ApproveNesting(store, inner, "0101", "Demo: Copenhagen's own block inside the region's",
                                        kActor, kCoordinator);
    if (!approved.ok()) return approved.error();
    addresses["0101"].insert(addresses["0101"].begin(), base + std::to_string(first + 17));
  }

  // The illustrative report: open RDP found yesterday at a handful of members,
  // and at one address nobody registered.
  const std::int64_t yesterday = Timestamp::Now().unix_ms() / 1000 - 86'400;
  std::string csv =
      "\"timestamp\",\"ip\",\"protocol\",\"port\",\"hostname\",\"tag\",\"asn\",\"geo\",\"severity\","
      "\"rdp_protocol\"\n";
  int minute = 0;
  const auto row = [&](const std::string& address, const std::string& hostname, const std::string& severity) {
    csv += "\"" + ReportTime(yesterday + 60 * minute++) + "\",\"" + address + "\",\"tcp\",\"3389\",\"" + hostname +
           "\",\"rdp\",\"64510\",\"DK\",\"" + severity + "\",\"CredSSP\"\n";
  };
  for (const auto* code : {"0101", "0751", "0461", "0851", "1084", "1082"}) {
    const auto found = addresses.find(code);
    if (found == addresses.end()) continue;
    for (const auto& address : found->second) row(address, "", std::string(code) == "0101" ? "high" : "medium");
  }
  row("192.0.2.200", "", "high");  // nobody registered it: a blind spot
  auto table = reg::LoadRoutingTable(store);
  if (!table.ok()) return table.error();
  notices::IngestRequest request;
  request.format = "shadowserver:scan_rdp";
  request.origin = "demo-scan_rdp.csv";
  request.source = "Shadowserver (illustrativ demo)";
  request.ingester_org = std::string(kCoordinator);
  request.actor = std::string(kActor);
  request.now = Timestamp::Now();
  auto ingested = notices::Ingest(store, *table, csv, request);
  if (!ingested.ok()) return ingested.error().WithContext("demo outside report");
  return Ok();
}

// Copenhagen's duty chain (docs/duty.md): two role contacts and an
// out-of-band phone, a rota with the SOC on duty around the clock, a policy
// that wakes the SOC and, 15 minutes later without an acknowledgement, the
// security manager, and routes for every kind of event. The demo has no
// mail server, so each delivery is recorded as not delivered — honestly.
// Seeded only when Copenhagen has neither a duty config nor contacts.
Status SeedDemoDuty(Store& store) {
  constexpr std::string_view kCode = "0101";
  constexpr std::string_view kActor = "system:seed";
  if (store.GetRecord(hub::duty_records::kConfigKind, kCode).ok()) return Ok();
  auto existing = contacts::ContactsOf(store, kCode, {std::string(kActor), "demo seed"});
  if (existing.ok() && !existing->contacts.empty()) return Ok();
  const nlohmann::json list = {{"contacts",
                                {{{"id", "soc"},
                                  {"kind", "role"},
                                  {"name", "SOC-vagt"},
                                  {"channels", {{"email", "soc@koebenhavn.example"}}},
                                  {"priority", 1}},
                                 {{"id", "sikkerhedschef"},
                                  {"kind", "role"},
                                  {"name", "Informationssikkerhedschef"},
                                  {"channels", {{"email", "it-sikkerhed@koebenhavn.example"}}},
                                  {"priority", 2}},
                                 {{"id", "noedtelefon"},
                                  {"kind", "role"},
                                  {"name", "Nødtelefon"},
                                  {"channels", {{"phone", "+4570000101"}}},
                                  {"priority", 3},
                                  {"out_of_band", true}}}}};
  auto contacts = contacts::ParseContactList(list, nullptr);
  if (!contacts.ok()) return contacts.error().WithContext("demo contacts of 0101");
  auto stored = contacts::PutContacts(store, kCode, *contacts, std::nullopt, kActor);
  if (!stored.ok()) return stored.error();
  nlohmann::json routes = nlohmann::json::array();
  for (const auto* kind : {"outside_report", "kev_exposure", "kev_overdue", "sighting", "nis2_deadline"}) {
    routes.push_back({{"event", kind}, {"policy", "soc-first"}});
  }
  const nlohmann::json config = {
      {"rotas",
       {{"soc",
         {{"name", "SOC-vagt"},
          {"layers",
           {{{"participants", {"soc"}}, {"rotation_days", 7}, {"handoff", "08:00"}, {"start", "2026-01-05"}}}}}}}},
      {"policies",
       {{"soc-first",
         {{"steps",
           {{{"targets", {{{"kind", "rota"}, {"ref", "soc"}}}}},
            {{"delay_minutes", 15}, {"targets", {{{"kind", "contact"}, {"ref", "sikkerhedschef"}}}}}}},
          {"final_wait_minutes", 60}}}}},
      {"routes", {{"routes", routes}}}};
  auto put = store.PutRecord(
      {std::string(hub::duty_records::kConfigKind), std::string(kCode), std::string(kCode), config.dump(), 0}, kActor);
  return put.ok() ? Ok() : Status(put.error());
}

// Outside measurements of every member's demo domain, as the hub's scanner
// would have stored them (docs/posture.md): most pass, a spread of typical
// faults (p=none, quarantine, ~all, no TLS-RPT, not signed), and for
// Copenhagen two days, the second with DMARC fallen to p=none, which is a
// regression the duty chain raises. The domains are illustrative (.example),
// so the hub's scanner never looks them up. Seeded only when no member has
// a measurement.
Status SeedDemoPosture(Store& store) {
  auto existing = store.ListRecords({std::string(posture::kResultKind), std::nullopt, false});
  if (!existing.ok()) return existing.error();
  if (!existing->empty()) return Ok();
  auto presence = reg::LoadProvenPresence(store);
  if (!presence.ok()) return presence.error();
  const Timestamp now = Timestamp::Now();
  const auto check = [](std::string check_name, const std::string& domain, posture::Status status, std::string reason,
                        std::string evidence) {
    posture::CheckResult result;
    result.check = std::move(check_name);
    result.domain = domain;
    result.status = status;
    result.reasons = {std::move(reason)};
    if (!evidence.empty()) result.evidence = {domain + ": " + evidence};
    return result;
  };
  using posture::Status;
  int index = 0;
  for (const auto& member : *presence) {
    for (const auto& domain : member.domains) {
      const int kind = index++ % 10;  // 0-5 good, then one fault each
      posture::DomainScan scan;
      scan.domain = domain;
      scan.measured_at = Timestamp(now.unix_ms() - (3 + index % 20) * 3'600'000LL);
      const bool signed_zone = kind != 9;
      scan.checks.push_back(check("dnssec", domain, signed_zone ? Status::kPass : Status::kFail,
                                  signed_zone ? "secure: the answers validate from the trust anchor"
                                              : "insecure: the domain is not signed, or no chain of trust leads to it",
                                  signed_zone ? "secure" : "insecure"));
      scan.checks.push_back(check("spf", domain, kind == 8 ? Status::kWarn : Status::kPass,
                                  kind == 8 ? "~all: mail from other servers is marked, not refused" : "-all",
                                  kind == 8 ? "v=spf1 mx ~all" : "v=spf1 mx -all"));
      const std::string policy = kind == 6 ? "none" : kind == 7 ? "quarantine" : "reject";
      scan.checks.push_back(check("dmarc", "_dmarc." + domain,
                                  kind == 6   ? Status::kFail
                                  : kind == 7 ? Status::kWarn
                                              : Status::kPass,
                                  "policy " + policy, "v=DMARC1; p=" + policy + "; rua=mailto:dmarc@" + domain));
      scan.checks.back().domain = domain;
      scan.checks.push_back(
          check("tls_rpt", domain, kind % 3 == 0 ? Status::kWarn : Status::kPass,
                kind % 3 == 0 ? "no TLS-RPT record: recommended, not required" : "one valid TLS-RPT record",
                kind % 3 == 0 ? "" : "v=TLSRPTv1; rua=mailto:tls@" + domain));
      // The web site: HTTPS everywhere; one in ten without HSTS for a year,
      // one in five without a security.txt.
      scan.checks.push_back(check("web_tls", domain, Status::kPass,
                                  "TLSv1.3 with a valid certificate, 61 days until it expires",
                                  "TLSv1.3 TLS_AES_256_GCM_SHA384"));
      scan.checks.push_back(check("https_redirect", domain, Status::kPass, "redirects to https://www." + domain + "/",
                                  "HTTP 301 Location: https://www." + domain + "/"));
      scan.checks.push_back(check("hsts", domain, kind == 5 ? Status::kWarn : Status::kPass,
                                  kind == 5 ? "max-age 86400 s is under one year (31536000)" : "max-age 31536000 s",
                                  kind == 5 ? "max-age=86400" : "max-age=31536000"));
      scan.checks.push_back(check("security_txt", domain, kind % 5 == 4 ? Status::kFail : Status::kPass,
                                  kind % 5 == 4 ? "no /.well-known/security.txt" : "Contact and a future Expires", ""));
      if (member.org_code == "0101") {
        // Yesterday all passed; today DMARC fell to p=none.
        posture::DomainScan before = scan;
        before.measured_at = Timestamp(now.unix_ms() - 27 * 3'600'000LL);
        for (auto& result : before.checks) {
          result.status = Status::kPass;
          if (result.check == "dmarc") {
            result.reasons = {"policy reject"};
            result.evidence = {domain + ": v=DMARC1; p=reject; rua=mailto:dmarc@" + domain};
          }
        }
        auto stored = posture::StoreScan(store, member.org_code, before, "system:seed");
        if (!stored.ok()) return stored.error();
        for (auto& result : scan.checks) {
          if (result.check != "dmarc") continue;
          result.status = Status::kFail;
          result.reasons = {"policy none: mail that fails DMARC is delivered; the requirement is reject"};
          result.evidence = {domain + ": v=DMARC1; p=none; rua=mailto:dmarc@" + domain};
        }
        scan.measured_at = Timestamp(now.unix_ms() - 3 * 3'600'000LL);
      }
      auto stored = posture::StoreScan(store, member.org_code, scan, "system:seed");
      if (!stored.ok()) return stored.error();
    }
  }
  return Ok();
}

}  // namespace

Status SeedDemoModules(Store& store) {
  // Each subsystem's demo seed runs here, in dependency order.
  if (auto seeded = baseline::SeedDemoBaseline(store); !seeded.ok()) return seeded.error();
  if (auto seeded = hub::SeedVulnDemo(store); !seeded.ok()) return seeded.error();
  if (auto seeded = incident::SeedDemoIncidents(store); !seeded.ok()) return seeded.error();
  if (auto seeded = SeedDemoProtection(store); !seeded.ok()) return seeded.error();
  if (auto seeded = SeedDemoRegister(store); !seeded.ok()) return seeded.error();
  if (auto seeded = SeedDemoDuty(store); !seeded.ok()) return seeded.error();
  if (auto seeded = SeedDemoPosture(store); !seeded.ok()) return seeded.error();
  return Ok();
}

}  // namespace dv::cli
