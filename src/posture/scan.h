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
  std::vector<CheckResult> checks;  // dnssec, mail_tls (when asked), spf, dmarc, tls_rpt, in that order
};

// The checks of `domain`: DNSSEC when `dnssec` is given, STARTTLS on its
// mail servers when `mail_tls` is given (smtp_probe.h: MeasureMailTls),
// then SPF, DMARC (both readings) and TLS-RPT through `lookup`; `org_of`
// gives the organisational domain (the public suffix list).
DomainScan ScanDomain(std::string_view domain, const TxtLookup& lookup,
                      const std::function<std::string(std::string_view)>& org_of, Timestamp now,
                      const DnssecLookup& dnssec = {},
                      const std::function<CheckResult(std::string_view domain)>& mail_tls = {});

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
