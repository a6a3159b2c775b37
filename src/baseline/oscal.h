// SPDX-License-Identifier: Apache-2.0
#pragma once

// OSCAL 1.1 JSON exchange (NIST Open Security Controls Assessment Language):
// the catalogue as an OSCAL catalog, a member's assessment as OSCAL
// assessment-results, and import of an OSCAL catalog. The field mapping is
// documented in docs/baseline.md ("OSCAL mapping"); values that OSCAL has no
// field for are props in Dannevirke's namespace (kOscalNamespace).
//
// Output is deterministic: uuids are UUIDv5 of stable names, so exporting
// the same input twice gives the same bytes. Round trip:
// ImportOscalCatalog(ExportOscalCatalog(c)) == c for every valid catalogue.
// Import never throws; errors name the JSON path ("$.catalog.groups[2]
// .controls[0].props[5]: ...").

#include <string>
#include <string_view>

#include "baseline/assessment.h"
#include "baseline/catalogue.h"
#include "baseline/scoring.h"
#include "core/result.h"

namespace dv::baseline {

inline constexpr std::string_view kOscalNamespace = "https://dannevirke.dk/ns/oscal";
inline constexpr std::string_view kOscalVersion = "1.1.2";

std::string ExportOscalCatalog(const Catalogue& catalogue);

// Reads an OSCAL catalog written by ExportOscalCatalog (or by hand in the
// same shape): groups are disciplines, controls are requirements. Controls
// nested in controls, and props in other namespaces, are ignored. The result
// is validated like a YAML catalogue.
Result<Catalogue> ImportOscalCatalog(std::string_view json, std::string_view name = "catalog.json");

// `assessment` as OSCAL assessment-results with one result: an observation
// per evidence item and a finding per assessed requirement, whose target
// status is the effective status in `card` (satisfied only when met). The
// scores are props of the result.
std::string ExportOscalAssessmentResults(const Catalogue& catalogue, const Assessment& assessment,
                                         const Scorecard& card);

}  // namespace dv::baseline
