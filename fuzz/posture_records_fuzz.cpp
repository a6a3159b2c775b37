// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: every record parser of the mail and web checks (SPF,
// DMARC, MTA-STS record and policy, TLS-RPT, DKIM key and selectors, TLSA, HSTS,
// security.txt) on
// arbitrary input, and the SPF and DMARC checks against a DNS that answers
// the input at every name (include and redirect loops, deep trees).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "posture/checks.h"
#include "posture/records.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  using namespace dv::posture;
  auto spf = ParseSpf(text);
  if (spf.ok() && spf->LookupTerms() > spf->terms.size()) std::abort();
  auto dmarc = ParseDmarc(text);
  if (dmarc.ok() && (dmarc->pct < 0 || dmarc->pct > 100 || dmarc->p.empty())) std::abort();
  (void)ParseMtaStsTxt(text);
  auto policy = ParseMtaStsPolicy(text);
  if (policy.ok()) {
    for (const std::string& pattern : policy->mx) (void)MtaStsMxMatches(pattern, "mx1.kolding.dk");
  }
  (void)ParseTlsRpt(text);
  auto tlsa = ParseTlsa(text);
  if (tlsa.ok() && tlsa->data.empty()) std::abort();
  if (auto key = ParseDkimKey(text); key.ok()) (void)DkimKeyBits(*key);
  (void)ParseDkimSelectors(text);
  (void)ParseHsts(text);
  (void)ParseSecurityTxt(text);
  (void)MailtoDomain(text);

  const std::string answer(text);
  const TxtLookup everywhere = [&answer](std::string_view) -> dv::Result<std::vector<std::string>> {
    return std::vector<std::string>{answer};
  };
  const CheckResult spf_check = CheckSpf("kolding.dk", everywhere);
  if (spf_check.reasons.empty()) std::abort();
  const CheckResult dmarc_check =
      CheckDmarc("post.kolding.dk", everywhere, [](std::string_view domain) { return std::string(domain); });
  if (dmarc_check.reasons.empty()) std::abort();
  return 0;
}
