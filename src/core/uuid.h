// SPDX-License-Identifier: Apache-2.0
#pragma once

// RFC 9562 UUIDs: random (v4) for new objects, name-based SHA-1 (v5) for
// deterministic ids such as STIX observables and the demo federation's
// identities. Values are immutable and cheap to copy. Thread-safe.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace dv {

class Uuid {
 public:
  Uuid() = default;  // the nil UUID
  explicit Uuid(const std::array<std::uint8_t, 16>& bytes) : bytes_(bytes) {}

  // Parses the canonical 8-4-4-4-12 hex form (either case).
  static Result<Uuid> Parse(std::string_view text);
  // A version 4 UUID from the operating system's CSPRNG.
  static Uuid V4();
  // A version 5 UUID of `name` in `ns`.
  static Uuid V5(const Uuid& ns, std::string_view name);

  // Lower-case canonical form.
  std::string ToString() const;
  int version() const { return bytes_[6] >> 4; }
  const std::array<std::uint8_t, 16>& bytes() const { return bytes_; }
  bool IsNil() const;

  friend bool operator==(const Uuid&, const Uuid&) = default;

 private:
  std::array<std::uint8_t, 16> bytes_{};
};

// The STIX 2.1 namespace for deterministic SCO ids (STIX 2.1 §2.9).
extern const Uuid kStixObservableNamespace;
// The namespace of Dannevirke's own deterministic ids (organisations, demo
// objects): UUIDv5(DNS namespace, "dannevirke.dk").
const Uuid& DannevirkeNamespace();

}  // namespace dv
