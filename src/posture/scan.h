// SPDX-License-Identifier: Apache-2.0
#pragma once

// One domain's checks as a dated measurement, as the command line prints it
// and the hub stores it (docs/posture.md), and what changed between two
// measurements of the same domain.

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/time.h"
#include "posture/checks.h"

namespace dv::posture {

struct DomainScan {
  std::string domain;
  Timestamp measured_at;
  std::vector<CheckResult> checks;  // in ScanDomain's order
};

// What a scan measures beyond the checks that need only TXT answers; each
// probe left empty is not measured (measure.h fills them from a resolver,
// a validator and the connections allowed).
struct ScanProbes {
  DnssecLookup dnssec;
  // The DKIM selectors the member lists for this domain; none: no dkim check.
  std::vector<std::string> dkim_selectors;
  // mail_tls and dane, which share the MX set and the probes of the MX hosts.
  std::function<std::vector<CheckResult>(std::string_view domain)> mail_servers;
  std::function<CheckResult(std::string_view domain)> mta_sts;
  // web_tls, https_redirect, hsts, security_txt (none for a name without an address).
  std::function<std::vector<CheckResult>(std::string_view domain)> web;
};

// The checks of `domain` in the order dnssec, mail_tls, dane, spf, dkim, dmarc
// (both readings), mta_sts, tls_rpt, web_tls, https_redirect, hsts,
// security_txt: SPF, DMARC and TLS-RPT through `lookup`, the others through
// `probes` when given. `org_of` gives the organisational domain (the public
// suffix list).
DomainScan ScanDomain(std::string_view domain, const TxtLookup& lookup,
                      const std::function<std::string(std::string_view)>& org_of, Timestamp now,
                      const ScanProbes& probes = {});

// "pass" | "warn" | "fail" | "error"; nullopt otherwise.
std::optional<Status> ParseStatus(std::string_view name);

// {"domain", "measured_at", "checks": [{"check", "status", "reasons",
// "evidence", "dmarcbis"?: {"status", "reasons"}}]}.
nlohmann::json CheckJson(const CheckResult& result);
nlohmann::json ScanJson(const DomainScan& scan);
// The reverse; kInvalidArgument naming the field.
Result<DomainScan> ScanFromJson(const nlohmann::json& json);

// A check that got worse: pass or warn before, fail now. An `error` (the
// lookup failed) is neither a regression nor a recovery.
struct Regression {
  std::string check;
  Status from = Status::kPass;
  Status to = Status::kFail;
  std::string reason;  // the new verdict's first reason
};
std::vector<Regression> Regressions(const DomainScan& before, const DomainScan& after);

}  // namespace dv::posture
