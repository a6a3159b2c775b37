// SPDX-License-Identifier: Apache-2.0
#include "register/public_suffix.h"

#include <libpsl.h>

#include <string>

namespace dv::reg {
namespace {

// libpsl's functions take NUL-terminated names; names are at most 253
// characters (protect::kMaxDomainLength), so a copy on the stack suffices.
struct Terminated {
  explicit Terminated(std::string_view name) : ok(name.size() < sizeof(text)) {
    if (!ok) return;
    name.copy(text, name.size());
    text[name.size()] = '\0';
  }
  char text[256];
  bool ok;
};

}  // namespace

PublicSuffixList::PublicSuffixList(const psl_ctx_st* context, bool owned, std::string source)
    : context_(context), owned_(owned), source_(std::move(source)) {}

PublicSuffixList::~PublicSuffixList() {
  if (owned_) psl_free(const_cast<psl_ctx_t*>(context_));
}

const PublicSuffixList& PublicSuffixList::System() {
  static const PublicSuffixList* const list = [] {
    // psl_latest() takes the newer of the distribution's file and the
    // built-in copy; psl_builtin() when the file cannot be read.
    if (psl_ctx_t* latest = psl_latest(nullptr)) {
      const char* file = psl_dist_filename();
      return new PublicSuffixList(latest, /*owned=*/false, file != nullptr && *file != 0 ? file : "built-in");
    }
    return new PublicSuffixList(psl_builtin(), /*owned=*/false, "built-in");
  }();
  return *list;
}

Result<std::unique_ptr<PublicSuffixList>> PublicSuffixList::FromFile(const std::string& path) {
  psl_ctx_t* context = psl_load_file(path.c_str());
  if (context == nullptr) return Error::Io(path + ": cannot read the public suffix list");
  return std::unique_ptr<PublicSuffixList>(new PublicSuffixList(context, /*owned=*/true, path));
}

bool PublicSuffixList::IsPublicSuffix(std::string_view name) const {
  const Terminated copy(name);
  if (!copy.ok || name.empty()) return false;
  return psl_is_public_suffix2(context_, copy.text, PSL_TYPE_ANY) != 0;
}

std::string_view PublicSuffixList::RegistrableDomain(std::string_view name) const {
  const Terminated copy(name);
  if (!copy.ok || name.empty()) return {};
  const char* registrable = psl_registrable_domain(context_, copy.text);
  if (registrable == nullptr) return {};
  return name.substr(static_cast<std::size_t>(registrable - copy.text));
}

}  // namespace dv::reg
