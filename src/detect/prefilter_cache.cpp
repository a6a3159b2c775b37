// SPDX-License-Identifier: Apache-2.0
#include "detect/prefilter_cache.h"

#include <hs/hs.h>

#include <cstdlib>
#include <memory>

#include "core/file_cache.h"

namespace dv::detect {
namespace {

std::string KeyOf(const std::vector<std::string>& literals, const std::vector<std::uint32_t>& ids) {
  KeyHasher hasher;
  hasher.Add(std::string("dannevirke prefilter 1; hyperscan ") + hs_version() + "; literal, no flags");
  for (const auto id : ids) hasher.Add(std::uint64_t{id}).Add(literals[id]);
  return hasher.Hex();
}

Result<hs_database*> Compile(const std::vector<std::string>& literals, const std::vector<std::uint32_t>& ids) {
  std::vector<const char*> expressions;
  std::vector<std::size_t> lengths;
  expressions.reserve(ids.size());
  lengths.reserve(ids.size());
  for (const auto id : ids) {
    expressions.push_back(literals[id].data());
    lengths.push_back(literals[id].size());
  }
  const std::vector<unsigned> flags(ids.size(), 0);
  const std::vector<unsigned> hs_ids(ids.begin(), ids.end());
  hs_database* db = nullptr;
  hs_compile_error_t* error = nullptr;
  if (hs_compile_lit_multi(expressions.data(), flags.data(), hs_ids.data(), lengths.data(),
                           static_cast<unsigned>(expressions.size()), HS_MODE_BLOCK, nullptr, &db,
                           &error) != HS_SUCCESS) {
    std::string message = error != nullptr ? error->message : "unknown error";
    hs_free_compile_error(error);
    return Error::Internal("building the rule prefilter failed: " + message);
  }
  return db;
}

// A compiled database of the SigmaHQ rules is a few MB; anything far larger
// is not ours.
constexpr std::uintmax_t kMaxCacheFileBytes = std::uintmax_t{256} << 20;

}  // namespace

Result<hs_database*> LiteralDatabase(const std::vector<std::string>& literals, const std::vector<std::uint32_t>& ids,
                                     const std::string& cache_dir, bool* from_cache) {
  if (from_cache != nullptr) *from_cache = false;
  if (ids.empty()) return static_cast<hs_database*>(nullptr);
  const FileCache cache(cache_dir, ".hsdb", kMaxCacheFileBytes, kKeptFiles);
  if (!cache.usable()) return Compile(literals, ids);
  const std::string key = "prefilter-" + KeyOf(literals, ids);
  if (const auto bytes = cache.Read(key); bytes && !bytes->empty()) {
    hs_database* db = nullptr;
    if (hs_deserialize_database(bytes->data(), bytes->size(), &db) == HS_SUCCESS) {
      if (from_cache != nullptr) *from_cache = true;
      return db;
    }
  }
  auto compiled = Compile(literals, ids);
  if (compiled.ok()) {
    char* bytes = nullptr;
    std::size_t size = 0;
    if (hs_serialize_database(*compiled, &bytes, &size) == HS_SUCCESS) {
      const std::unique_ptr<char, decltype(&std::free)> owned(bytes, std::free);
      cache.Write(key, std::string_view(bytes, size));
    }
  }
  return compiled;
}

}  // namespace dv::detect
