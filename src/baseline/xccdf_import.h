// SPDX-License-Identifier: Apache-2.0
#pragma once

// Import of XCCDF 1.2 results (OpenSCAP `oscap xccdf eval --results FILE`,
// also ARF reports, which embed the same TestResult element) as dated,
// measured evidence. Each rule-result's idref is matched against the
// catalogue's xccdf_map; per requirement the matching results become one
// evidence item: result pass when every mapped rule passed, fail when every
// one failed, partial otherwise. Results that say nothing about the rule
// (notapplicable, notchecked, notselected, informational, unknown) are
// counted but not used; error counts as fail.
//
// The parser is expat (no DTDs or external entities are loaded). It accepts
// any namespace prefix and reads every TestResult in the document; a
// document without one is refused. Malformed XML is refused with its line.

#include <string>
#include <string_view>
#include <vector>

#include "baseline/assessment.h"
#include "baseline/catalogue.h"
#include "core/result.h"

namespace dv::baseline {

struct XccdfImportOptions {
  // How long scan results count as current evidence.
  std::int64_t valid_days = 30;
  // Collected time when the TestResult has neither end-time nor start-time.
  Timestamp fallback_time;
};

struct XccdfImport {
  std::string test_result_id;                 // the first TestResult's id
  std::string target;                         // the scanned host
  Timestamp collected;                        // end-time (or start-time) of the first TestResult
  int rule_results = 0;                       // rule-result elements read
  int mapped = 0;                             // pass/fail results whose rule maps to a requirement
  int unmapped = 0;                           // pass/fail results whose rule maps to nothing
  int ignored = 0;                            // results that carry no verdict (notapplicable, ...)
  std::vector<RequirementEvidence> evidence;  // catalogue order
};

Result<XccdfImport> ImportXccdfResults(std::string_view xml, const Catalogue& catalogue,
                                       const XccdfImportOptions& options = {}, std::string_view name = "results.xml");

}  // namespace dv::baseline
