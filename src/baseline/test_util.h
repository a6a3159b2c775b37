// SPDX-License-Identifier: Apache-2.0
#pragma once

// Shared fixtures of the baseline tests.

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "baseline/catalogue.h"

namespace dv::baseline::testing {

inline std::string ReadTestFile(const std::string& name) {
  std::ifstream in(std::string(DV_SOURCE_DIR) + "/src/baseline/testdata/" + name, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// The four-requirement catalogue of testdata/tiny_catalogue.yaml.
inline const Catalogue& Tiny() {
  static const Catalogue catalogue = [] {
    auto parsed = ParseCatalogueYaml(ReadTestFile("tiny_catalogue.yaml"), "tiny_catalogue.yaml");
    if (!parsed) ADD_FAILURE() << parsed.error().message();
    return parsed.ok() ? *parsed : Catalogue{};
  }();
  return catalogue;
}

inline const Catalogue& Builtin() {
  static const Catalogue* catalogue = [] {
    auto loaded = BuiltinCatalogue();
    if (!loaded) ADD_FAILURE() << loaded.error().message();
    return loaded.ok() ? *loaded : nullptr;
  }();
  return *catalogue;
}

}  // namespace dv::baseline::testing
