// SPDX-License-Identifier: Apache-2.0
#pragma once

// Sigma rules travel between members as STIX 2.1 indicators with
// pattern_type "sigma" and the rule's YAML as the pattern — the way STIX 2.1
// (§ pattern-type-ov) carries Sigma. `dannevirke sigma publish` posts them to
// the hub; sensors pull and compile them like local rules.
//
//   id            "indicator--<the rule's id>" when that is a UUID, else
//                 UUIDv5(Dannevirke namespace, "sigma:" + title)
//   name          the rule's title
//   description   the rule's description
//   pattern       the YAML of the one rule, as written
//   created       the rule's `date` (00:00 UTC), else `now`
//   modified      the rule's `modified` when given and not earlier, else created
//                 (so republishing an unchanged rule adds nothing at the hub;
//                 bump `modified` in the rule to publish a change, as Sigma asks)
//   valid_from    created
//   labels        the rule's tags; `x_sigma_level` and `x_sigma_status` as written
//   object_marking_refs  the TLP 2.0 marking given

#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "core/time.h"
#include "core/tlp.h"

namespace dv::sigma {

struct SigmaIndicatorOptions {
  std::optional<Tlp> tlp = Tlp::kGreen;
  std::string created_by_ref;  // the publishing organisation's identity; empty: omitted
  Timestamp now;
};

// Turns the text of a file holding exactly one Sigma detection rule into a
// STIX indicator (compact JSON). Errors name `file`, and the line where the
// rule's own loader found the problem.
Result<std::string> SigmaRuleToIndicator(std::string_view yaml, const std::string& file,
                                         const SigmaIndicatorOptions& options);

}  // namespace dv::sigma
