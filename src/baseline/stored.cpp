// SPDX-License-Identifier: Apache-2.0
#include "baseline/stored.h"

#include <set>

#include "baseline/demo.h"

namespace dv::baseline {

Result<StoredAssessment> ParseStoredAssessment(const Record& record, const baseline::Catalogue& catalogue) {
  const std::string name = record.kind + "/" + record.id + " version " + std::to_string(record.version);
  auto assessment = baseline::ParseAssessmentJson(record.body, catalogue, name);
  if (!assessment.ok()) return assessment.error();
  StoredAssessment stored;
  stored.assessment = std::move(assessment).value();
  stored.version = record.version;
  stored.written = record.at;
  stored.actor = record.actor;
  return stored;
}

Result<Record> PutAssessment(Store& store, const baseline::Assessment& assessment, std::int64_t expected_version,
                             std::string_view actor) {
  RecordWrite write;
  write.kind = std::string(baseline::kAssessmentRecordKind);
  write.id = assessment.member;
  write.org_code = assessment.member;
  write.body = baseline::AssessmentToJson(assessment, -1);  // compact: stored many times
  write.expected_version = expected_version;
  return store.PutRecord(write, actor);
}

Result<int> SeedDemoBaseline(Store& store, const DemoBaselineOptions& options) {
  auto catalogue = baseline::BuiltinCatalogue();
  if (!catalogue.ok()) return catalogue.error();
  std::vector<Organisation> orgs;
  OrganisationQuery query;
  query.limit = Store::kMaxPageSize;
  for (;;) {
    auto page = store.ListOrganisations(query);
    if (!page.ok()) return page.error();
    for (auto& org : page->items) {
      if (org.kind == OrgKind::kMunicipality || org.kind == OrgKind::kRegion) orgs.push_back(std::move(org));
    }
    query.offset += static_cast<int>(page->items.size());
    if (page->items.empty() || query.offset >= page->total) break;
  }
  RecordQuery existing_query;
  existing_query.kind = std::string(baseline::kAssessmentRecordKind);
  existing_query.include_deleted = true;
  auto existing = store.ListRecords(existing_query);
  if (!existing.ok()) return existing.error();
  std::set<std::string> seeded;
  for (const auto& record : *existing) seeded.insert(record.id);
  std::erase_if(orgs, [&](const Organisation& org) { return seeded.count(org.code) > 0; });
  if (orgs.empty()) return 0;

  baseline::DemoOptions demo;
  const std::string today = options.end.ToRfc3339();
  demo.end =
      Timestamp::FromCivil(std::stoi(today.substr(0, 4)), std::stoi(today.substr(5, 2)), std::stoi(today.substr(8, 2)));
  demo.years = options.years;
  demo.snapshots_per_year = options.snapshots_per_year;
  // Ordered by member, then date: each member's versions go in oldest first.
  const std::vector<baseline::Assessment> snapshots = baseline::GenerateDemoAssessments(**catalogue, orgs, demo);
  int written = 0;
  const Status status = store.InTransaction([&]() -> Status {
    std::string member;
    std::int64_t version = 0;
    for (const auto& snapshot : snapshots) {
      if (snapshot.member != member) {
        member = snapshot.member;
        version = 0;
      }
      auto record = PutAssessment(store, snapshot, version, "system:seed");
      if (!record.ok()) return record.error();
      version = record->version;
      ++written;
    }
    return Ok();
  });
  if (!status.ok()) return status.error().WithContext("seeding the demo baseline assessments");
  return written;
}

}  // namespace dv::baseline
