// SPDX-License-Identifier: Apache-2.0
#pragma once

// Shared by the dv_duty tests: instants written as text, rotas from JSON
// text, and an in-memory Directory.

#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>

#include "duty/policy.h"
#include "duty/rota.h"

namespace dv::duty::testing {

// An RFC 3339 instant; fails the test when malformed.
inline Timestamp At(std::string_view text) {
  auto at = Timestamp::Parse(text);
  EXPECT_TRUE(at.ok()) << text;
  return at.ok() ? *at : Timestamp();
}

inline std::int64_t Hours(const Shift& shift) { return (shift.end.unix_ms() - shift.start.unix_ms()) / kHourMs; }

// A rota from JSON text, checked for coverage from `check_from` (or not).
inline Result<Rota> ParseRota(std::string_view json, std::optional<Timestamp> check_from = std::nullopt) {
  return RotaFromJson(nlohmann::json::parse(json), RotaCheck{check_from, kDefaultHorizonMs});
}

inline Rota MustParseRota(std::string_view json) {
  auto rota = ParseRota(json);
  // gtest reports an exception escaping a test as that test's failure.
  if (!rota.ok()) throw std::runtime_error("rota refused: " + rota.error().message());
  return *rota;
}

class FakeDirectory : public Directory {
 public:
  std::set<std::string, std::less<>> contacts;
  std::map<std::string, Rota, std::less<>> rotas;
  std::map<std::string, Pool, std::less<>> pools;
  std::map<std::string, Policy, std::less<>> policies;
  std::map<std::string, Rota, std::less<>> coordinators;  // "" = this hub's coordinator

  bool HasContact(std::string_view id) const override { return contacts.find(id) != contacts.end(); }
  const Rota* FindRota(std::string_view id) const override { return Find(rotas, id); }
  const Pool* FindPool(std::string_view id) const override { return Find(pools, id); }
  const Policy* FindPolicy(std::string_view id) const override { return Find(policies, id); }
  const Rota* CoordinatorRota(std::string_view org) const override { return Find(coordinators, org); }

 private:
  template <typename T>
  static const T* Find(const std::map<std::string, T, std::less<>>& map, std::string_view id) {
    const auto found = map.find(id);
    return found == map.end() ? nullptr : &found->second;
  }
};

}  // namespace dv::duty::testing
