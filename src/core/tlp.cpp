// SPDX-License-Identifier: Apache-2.0
#include "core/tlp.h"

#include <array>
#include <cctype>
#include <nlohmann/json.hpp>
#include <string>

namespace dv {
namespace {

struct TlpInfo {
  Tlp tlp;
  std::string_view name;
  std::string_view marking_id;
};

constexpr std::array<TlpInfo, 5> kTlp2 = {{
    {Tlp::kClear, "TLP:CLEAR", "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487"},
    {Tlp::kGreen, "TLP:GREEN", "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"},
    {Tlp::kAmber, "TLP:AMBER", "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421"},
    {Tlp::kAmberStrict, "TLP:AMBER+STRICT", "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003"},
    {Tlp::kRed, "TLP:RED", "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1"},
}};

constexpr std::array<TlpInfo, 4> kTlp1 = {{
    {Tlp::kClear, "TLP:WHITE", "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9"},
    {Tlp::kGreen, "TLP:GREEN", "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da"},
    {Tlp::kAmber, "TLP:AMBER", "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82"},
    {Tlp::kRed, "TLP:RED", "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed"},
}};

}  // namespace

std::string_view TlpName(Tlp tlp) { return kTlp2[static_cast<std::size_t>(tlp)].name; }

std::string_view TlpMarkingId(Tlp tlp) { return kTlp2[static_cast<std::size_t>(tlp)].marking_id; }

std::optional<Tlp> TlpFromMarkingId(std::string_view id) {
  // The known ids are lower case ASCII: compare case-insensitively.
  auto same = [id](std::string_view known) {
    if (known.size() != id.size()) return false;
    for (std::size_t pos = 0; pos < id.size(); ++pos) {
      if (std::tolower(static_cast<unsigned char>(id[pos])) != known[pos]) return false;
    }
    return true;
  };
  for (const auto& info : kTlp2) {
    if (same(info.marking_id)) return info.tlp;
  }
  for (const auto& info : kTlp1) {
    if (same(info.marking_id)) return info.tlp;
  }
  return std::nullopt;
}

std::optional<Tlp> GoverningTlp(const std::vector<std::string>& marking_refs) {
  std::optional<Tlp> governing;
  for (const auto& ref : marking_refs) {
    const Tlp tlp = TlpFromMarkingId(ref).value_or(Tlp::kRed);
    if (!governing || tlp > *governing) governing = tlp;
  }
  return governing;
}

Result<std::vector<std::string>> MarkingRefsOf(const nlohmann::json& object) {
  if (!object.is_object()) return Error::InvalidArgument("a STIX object must be a JSON object");
  std::vector<std::string> refs;
  if (const auto list = object.find("object_marking_refs"); list != object.end()) {
    if (!list->is_array()) return Error::InvalidArgument("object_marking_refs must be a list");
    for (const auto& ref : *list) {
      if (!ref.is_string()) return Error::InvalidArgument("object_marking_refs must hold identifiers");
      refs.push_back(ref.get<std::string>());
    }
  }
  if (const auto granular = object.find("granular_markings"); granular != object.end()) {
    if (!granular->is_array()) return Error::InvalidArgument("granular_markings must be a list");
    for (const auto& marking : *granular) {
      if (!marking.is_object()) return Error::InvalidArgument("granular_markings must hold objects");
      const auto ref = marking.find("marking_ref");
      if (ref == marking.end()) continue;
      if (!ref->is_string()) return Error::InvalidArgument("granular_markings[].marking_ref must be an identifier");
      refs.push_back(ref->get<std::string>());
    }
  }
  return refs;
}

std::optional<Tlp> ObjectTlp(const nlohmann::json& object) {
  const auto refs = MarkingRefsOf(object);
  if (!refs.ok()) return Tlp::kRed;
  return GoverningTlp(*refs);
}

std::optional<Tlp> ParseTlp(std::string_view text) {
  std::string upper;
  for (char c : text) upper.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  if (upper.rfind("TLP:", 0) != 0) upper = "TLP:" + upper;
  if (upper == "TLP:WHITE") return Tlp::kClear;
  for (const auto& info : kTlp2) {
    if (info.name == upper) return info.tlp;
  }
  return std::nullopt;
}

}  // namespace dv
