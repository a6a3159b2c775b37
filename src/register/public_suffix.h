// SPDX-License-Identifier: Apache-2.0
#pragma once

// The public suffix list (https://publicsuffix.org), as Debian's libpsl reads
// it from the `publicsuffix` package (/usr/share/publicsuffix), or libpsl's
// built-in copy when that file is missing, whichever is newer. Both the ICANN
// section ("dk", "co.uk", "kommune.no") and the private one ("github.io",
// "blogspot.com") count: a name a member may own is never a suffix under
// which strangers register names.
//
// Names are normalised domains (protect::NormaliseDomain: lower case,
// A-labels). Immutable after construction; thread-safe.

#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"

struct psl_ctx_st;

namespace dv::reg {

class PublicSuffixList {
 public:
  // The system's list, loaded once per process; never null.
  static const PublicSuffixList& System();
  // A list from a file in the publicsuffix.org text format (tests).
  static Result<std::unique_ptr<PublicSuffixList>> FromFile(const std::string& path);
  ~PublicSuffixList();
  PublicSuffixList(const PublicSuffixList&) = delete;
  PublicSuffixList& operator=(const PublicSuffixList&) = delete;

  // True when `name` is itself a public suffix ("dk", "github.io", "x.ck").
  bool IsPublicSuffix(std::string_view name) const;
  // The registrable domain of `name` (the public suffix and one label more:
  // "www.aarhus.dk" -> "aarhus.dk", "a.b.github.io" -> "b.github.io"); empty
  // when `name` is a public suffix or is not a valid name.
  std::string_view RegistrableDomain(std::string_view name) const;
  // Where the list came from, for logs and docs ("/usr/share/…", "built-in").
  const std::string& source() const { return source_; }

 private:
  PublicSuffixList(const psl_ctx_st* context, bool owned, std::string source);
  const psl_ctx_st* context_;
  bool owned_;
  std::string source_;
};

}  // namespace dv::reg
