// SPDX-License-Identifier: Apache-2.0
#pragma once

// What every storage backend writes the same way (private to the store
// subsystem): the audit form of an organisation and the comma-joined lists
// stored in one column (a collection's group, an object's recipients). A
// database written by one backend reads the same through another.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/organisation.h"

namespace dv {

// The organisation as the audit log's "before"/"after" shows it.
nlohmann::json OrganisationAuditJson(const Organisation& org);

// Organisation codes joined with ',' (codes never hold a comma), and back;
// an empty text is an empty list.
std::string JoinList(const std::vector<std::string>& items);
std::vector<std::string> SplitList(const std::string& text);

}  // namespace dv
