// SPDX-License-Identifier: Apache-2.0
// Fuzzes the Sigma YAML loader and the rule compiler: any bytes must give
// rules or problems, never a crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sigma/rule_set.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto documents = dv::sigma::ParseRuleDocuments(text, "fuzz.yml");
  dv::sigma::RuleSetReport report;
  auto set = dv::sigma::RuleSet::Build(std::move(documents), {}, report);
  dv::Event event;
  event.Add("Channel", "Microsoft-Windows-Sysmon/Operational");
  event.Add("EventID", "1");
  event.Add("CommandLine", text.substr(0, 64));
  std::vector<std::uint32_t> defs;
  set->mapping().Normalize(event, defs);
  const dv::sigma::DirectFieldSource source(event);
  for (const auto& rule : set->rules()) (void)rule->Matches(source);
  return 0;
}
