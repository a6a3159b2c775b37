// SPDX-License-Identifier: Apache-2.0
#pragma once

// Member records: versioned JSON documents that belong to one organisation —
// a baseline assessment, an asset inventory, an incident, a competence
// register entry, a decision on a vulnerability finding. The subsystem that
// owns a kind defines and validates its JSON; the store keeps every version
// (nothing is overwritten), stamps who wrote it and when, and audits each
// write as "record.<kind>.put" / "record.<kind>.delete".
//
// Keys: (kind, id). kind is a short lowercase name ("baseline.assessment");
// id is chosen by the owner (often the organisation code or a UUID).
// Versions count from 1. A write may name the version it expects to replace
// (optimistic concurrency): a mismatch is kConflict and nothing is written.

#include <cstdint>
#include <optional>
#include <string>

#include "core/time.h"

namespace dv {

struct Record {
  std::string kind;
  std::string id;
  std::string org_code;  // the organisation the record belongs to
  std::int64_t version = 0;
  Timestamp at;       // when this version was written
  std::string actor;  // who wrote it
  std::string body;   // JSON text; empty for a deletion marker
  bool deleted = false;
};

struct RecordWrite {
  std::string kind;
  std::string id;
  std::string org_code;
  std::string body;  // must be a JSON object
  // The version this write replaces (0 = the record must not exist yet);
  // nullopt writes regardless.
  std::optional<std::int64_t> expected_version;
};

struct RecordQuery {
  std::string kind;
  std::optional<std::string> org_code;  // nullopt = every organisation
  bool include_deleted = false;
};

}  // namespace dv
