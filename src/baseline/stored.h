// SPDX-License-Identifier: Apache-2.0
#pragma once

// Baseline assessments in the hub's store (docs/baseline.md, "In the hub").
// A member's assessment is a member record (store/record.h) of kind
// baseline::kAssessmentRecordKind whose id is the organisation code and whose body is
// baseline::AssessmentToJson. The store keeps every version and audits each
// write, so the record's versions are the member's history of snapshots.
//
// Thread-safe as far as the Store is.

#include <cstdint>
#include <string>
#include <string_view>

#include "baseline/assessment.h"
#include "baseline/catalogue.h"
#include "core/result.h"
#include "store/store.h"

namespace dv::baseline {

struct StoredAssessment {
  baseline::Assessment assessment;
  std::int64_t version = 0;  // the record version; 0 when nothing is stored yet
  Timestamp written;         // when this version was written
  std::string actor;         // who wrote it
};

// Parses one stored version against `catalogue`. An error names the record
// ("baseline.assessment/0101 version 3: …").
Result<StoredAssessment> ParseStoredAssessment(const Record& record, const baseline::Catalogue& catalogue);

// Writes `assessment` as a new version of its member's record, replacing
// `expected_version` (0 = must not exist yet); kConflict when another write
// came first, and then nothing is written.
Result<Record> PutAssessment(Store& store, const baseline::Assessment& assessment, std::int64_t expected_version,
                             std::string_view actor);

struct DemoBaselineOptions {
  // Date of the newest snapshot (midnight UTC of the day is used), so that
  // the demo's measured evidence is current when the demo starts.
  Timestamp end = Timestamp::Now();
  int years = 3;
  int snapshots_per_year = 1;  // 4 snapshots per member over 3 years (fast enough to seed at start)
};

// Stores the synthetic demo assessments (baseline/demo.h) of every
// municipality and region in the store, oldest snapshot first, as versions
// of each member's record, in one transaction, written by "system:seed".
// Idempotent: a member that already has a record is left alone. Returns the
// number of versions written.
Result<int> SeedDemoBaseline(Store& store, const DemoBaselineOptions& options = {});

}  // namespace dv::baseline
