// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: the version comparators of every scheme, vendor version
// splitting and free-text range parsing. Checks that each comparator is
// antisymmetric and reflexive on the input split in two.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "vuln/version.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto split = text.find('\n');
  const std::string_view a = text.substr(0, split);
  const std::string_view b = split == std::string_view::npos ? std::string_view("1.0") : text.substr(split + 1);
  for (auto scheme : {dv::vuln::VersionScheme::kGeneric, dv::vuln::VersionScheme::kSemver,
                      dv::vuln::VersionScheme::kRpm, dv::vuln::VersionScheme::kDebian}) {
    const int ab = dv::vuln::CompareVersions(a, b, scheme);
    const int ba = dv::vuln::CompareVersions(b, a, scheme);
    if ((ab < 0) != (ba > 0) || (ab == 0) != (ba == 0)) std::abort();
    if (dv::vuln::CompareVersions(a, a, scheme) != 0) std::abort();
    if (auto range = dv::vuln::ParseFreeTextRange(a, scheme)) {
      (void)range->Contains(b);
      (void)range->ToString();
    }
  }
  (void)dv::vuln::SplitVendorVersion(text);
  (void)dv::vuln::LooksLikeVersion(text);
  return 0;
}
