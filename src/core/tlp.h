// SPDX-License-Identifier: Apache-2.0
#pragma once

// TLP 2.0 (FIRST) levels and their STIX 2.1 marking-definition ids. TLP 1.0
// ids are accepted on input and mapped to their 2.0 equivalents (WHITE →
// CLEAR); output always uses TLP 2.0 ids.

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace dv {

// Ordered from least to most restrictive, so `a < b` means a shares more.
enum class Tlp { kClear, kGreen, kAmber, kAmberStrict, kRed };

// "TLP:CLEAR", "TLP:AMBER+STRICT", ...
std::string_view TlpName(Tlp tlp);
// The TLP 2.0 marking-definition id, "marking-definition--…".
std::string_view TlpMarkingId(Tlp tlp);
// Accepts TLP 2.0 and 1.0 marking-definition ids in any letter case (the
// UUID of a STIX id is case-insensitive, so "…E828B379-…" is TLP:RED too);
// nullopt for any other id.
std::optional<Tlp> TlpFromMarkingId(std::string_view id);
// The TLP that governs an object, from all the marking-definition ids it
// references (object_marking_refs and every granular marking_ref): the most
// restrictive of them, where an id that is not a TLP marking counts as
// TLP:RED — a marking nobody here can enforce fails closed, never open.
// nullopt when `marking_refs` is empty (the object is unmarked).
std::optional<Tlp> GoverningTlp(const std::vector<std::string>& marking_refs);

// The marking-definition ids a STIX object references: every entry of its
// object_marking_refs, then the marking_ref of each of its granular_markings
// (a granular marking with `lang` instead has none), in order, duplicates
// kept. kInvalidArgument naming the property when `object` is not a JSON
// object, object_marking_refs or granular_markings is not a list, a granular
// marking is not an object, or a ref is not a string. Pure, thread-safe.
Result<std::vector<std::string>> MarkingRefsOf(const nlohmann::json& object);

// The one TLP derivation for a STIX object, used by the hub (intake, access to
// rows stored without a TLP) and by the sensor's indicator loader alike:
// GoverningTlp(MarkingRefsOf(object)), where markings that cannot be read
// (MarkingRefsOf fails) count as TLP:RED. nullopt only for an unmarked object.
std::optional<Tlp> ObjectTlp(const nlohmann::json& object);
// Accepts "TLP:RED", "red", "amber+strict", "white" (TLP 1.0), any case.
std::optional<Tlp> ParseTlp(std::string_view text);

}  // namespace dv
