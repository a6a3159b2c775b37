// SPDX-License-Identifier: Apache-2.0
#pragma once

// The printable gap report for one member: a self-contained HTML page
// (inline CSS, no scripts, no external resources), Danish first with English
// beneath, laid out for A4 printing. A pure function of its inputs, so the
// CLI (`dannevirke baseline report --member 0101`) and the hub produce the
// same bytes. All text from the inputs is HTML-escaped.

#include <optional>
#include <string>
#include <vector>

#include "baseline/assessment.h"
#include "baseline/catalogue.h"
#include "baseline/national.h"
#include "baseline/scoring.h"

namespace dv::baseline {

struct ReportInput {
  const Catalogue* catalogue = nullptr;
  const Assessment* assessment = nullptr;
  const Scorecard* card = nullptr;
  std::string member_name;               // "København Kommune"
  std::optional<Comparison> comparison;  // from ComparisonFor; absent = no comparison section
  std::vector<HistoryPoint> history;     // optional score history
  int max_gaps = 25;                     // gaps listed in the table
  bool synthetic = false;                // mark the report as built from synthetic demo data
};

// The report, or kInvalidArgument when a required input is missing.
Result<std::string> RenderGapReportHtml(const ReportInput& input);

}  // namespace dv::baseline
