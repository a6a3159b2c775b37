// SPDX-License-Identifier: Apache-2.0
#pragma once

// Byte spans of the elements of a TAXII envelope's or STIX bundle's
// top-level "objects" list, so that each object can be stored and served
// exactly as it was sent.

#include <optional>
#include <string_view>
#include <vector>

namespace dv::stix {

// `json` must already have been accepted by a JSON parser: this only scans
// it. The spans are in list order; an empty list when there is no "objects"
// key (a later "objects" wins, as in the parsers). nullopt when the text is
// not an object or a key is written with escapes (read it the slow way then).
std::optional<std::vector<std::string_view>> TopLevelObjectSpans(std::string_view json);

}  // namespace dv::stix
