// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: CPE 2.3 parsing (formatted string and URI), formatting
// round trip, name comparison, and package URL parsing on arbitrary input.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "vuln/cpe.h"
#include "vuln/purl.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto cpe = dv::vuln::ParseCpe(text);
  if (cpe.ok()) {
    // A parsed name formats to a string that parses to the same name.
    auto again = dv::vuln::ParseCpe(cpe->ToString());
    if (!again.ok() || !(*again == *cpe)) std::abort();
    const auto self = dv::vuln::CompareCpeNames(*cpe, *cpe);
    (void)self.IsEqual();
    static const auto kReference = *dv::vuln::ParseCpe("cpe:2.3:o:zyxel:atp*:5.3?:*:*:*:*:*:*:*");
    (void)dv::vuln::CompareCpeNames(kReference, *cpe).IsSuperset();
    (void)dv::vuln::CompareCpeNames(*cpe, kReference).IsDisjoint();
    for (const auto& value : cpe->attrs) (void)value.Unescaped();
  }
  auto purl = dv::vuln::ParsePurl(text);
  if (purl.ok()) {
    (void)purl->ToString();
    (void)dv::vuln::PurlMatches(*purl, *purl);
  }
  return 0;
}
