// SPDX-License-Identifier: Apache-2.0
#pragma once

// Parsed Sigma documents in a compact binary form, so that a rule tree read
// again by the same program need not be parsed as YAML again: yaml-cpp takes
// about 1.5 s of CPU for the 2,407 SigmaHQ Windows rules, decoding their
// encoded form a few tens of milliseconds. LoadRuleTree (loader.h) keeps one
// file per rule tree in a core FileCache, keyed by the program's build id,
// the budget and every file's path and content.
//
// The encoding holds everything LoadedDocuments holds (rules and problems);
// Decode(Encode(d)) equals d. Decode checks every length and count against
// the bytes left, bounds the condition trees' depth, and returns nullopt for
// anything it cannot read whole: the caller then parses the YAML afresh.

#include <optional>
#include <string>
#include <string_view>

#include "sigma/loader.h"

namespace dv::sigma {

std::string EncodeDocuments(const LoadedDocuments& documents);
// `max_condition_depth`: deeper condition trees make the file unreadable.
std::optional<LoadedDocuments> DecodeDocuments(std::string_view bytes, int max_condition_depth);

}  // namespace dv::sigma
