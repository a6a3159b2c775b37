// SPDX-License-Identifier: Apache-2.0
#pragma once

// TLP 2.0 (FIRST) levels and their STIX 2.1 marking-definition ids. TLP 1.0
// ids are accepted on input and mapped to their 2.0 equivalents (WHITE →
// CLEAR); output always uses TLP 2.0 ids.

#include <optional>
#include <string_view>

namespace dv {

// Ordered from least to most restrictive, so `a < b` means a shares more.
enum class Tlp { kClear, kGreen, kAmber, kAmberStrict, kRed };

// "TLP:CLEAR", "TLP:AMBER+STRICT", ...
std::string_view TlpName(Tlp tlp);
// The TLP 2.0 marking-definition id, "marking-definition--…".
std::string_view TlpMarkingId(Tlp tlp);
// Accepts TLP 2.0 and 1.0 marking-definition ids; nullopt for any other id.
std::optional<Tlp> TlpFromMarkingId(std::string_view id);
// Accepts "TLP:RED", "red", "amber+strict", "white" (TLP 1.0), any case.
std::optional<Tlp> ParseTlp(std::string_view text);

}  // namespace dv
