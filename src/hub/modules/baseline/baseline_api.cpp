// SPDX-License-Identifier: Apache-2.0
// /api/v1/baseline…: the minimum-requirements catalogue (public), each
// member's assessment with its scores, gaps, history and comparison (the
// member's own organisation and coordinators), edits and imports (the
// member's own people), and the national picture (groups for everyone
// signed in, member rows for coordinators). docs/baseline.md, "In the hub".

#include <httplib.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <map>
#include <mutex>

#include "baseline/assessment.h"
#include "baseline/auto_evidence.h"
#include "baseline/catalogue.h"
#include "baseline/demo.h"
#include "baseline/national.h"
#include "baseline/oscal.h"
#include "baseline/report.h"
#include "baseline/scoring.h"
#include "baseline/stored.h"
#include "baseline/xccdf_import.h"
#include "hub/api.h"
#include "hub/module.h"
#include "hub/modules/duty/duty_records.h"
#include "hub/modules/vulnerabilities/vuln_service.h"
#include "hub/router.h"
#include "posture/stored.h"
#include "register/register_store.h"

namespace dv::hub {

namespace {

namespace bl = dv::baseline;

constexpr std::size_t kMaxText = 2000;
constexpr std::size_t kMaxCacheEntries = 50'000;

double Round2(double value) { return std::round(value * 100.0) / 100.0; }
Json Opt(const std::optional<double>& value) { return value ? Json(Round2(*value)) : Json(); }
// The median of discipline `idx`, null when there is none (a suppressed or absent group).
Json Median(const std::vector<std::optional<double>>& medians, std::size_t idx) {
  return idx < medians.size() ? Opt(medians[idx]) : Json();
}
Json Text(const bl::LocalText& text) { return {{"da", text.da}, {"en", text.en}}; }
Json OptDate(const std::optional<Timestamp>& at) { return at ? Json(bl::DateOnly(*at)) : Json(); }

Json CountsJson(const bl::StatusCounts& counts) {
  return {{"met", counts.met},
          {"partly", counts.partly},
          {"not_met", counts.not_met},
          {"not_applicable", counts.not_applicable},
          {"not_assessed", counts.not_assessed}};
}

Json OptVector(const std::vector<std::optional<double>>& values) {
  Json out = Json::array();
  for (const auto& value : values) out.push_back(Opt(value));
  return out;
}

Json CatalogueJson(const bl::Catalogue& catalogue) {
  Json disciplines = Json::array();
  std::vector<int> per_discipline(catalogue.disciplines.size(), 0);
  std::map<char, int> per_letter;
  std::map<char, int> per_letter_strong;
  Json requirements = Json::array();
  for (std::size_t req_idx = 0; req_idx < catalogue.requirements.size(); ++req_idx) {
    const bl::Requirement& requirement = catalogue.requirements[req_idx];
    ++per_discipline[catalogue.RequirementDiscipline()[req_idx]];
    Json mappings = Json::array();
    for (const auto& mapping : requirement.mappings) {
      Json entry = {{"framework", bl::FrameworkName(mapping.framework)},
                    {"ref", mapping.ref},
                    {"relation", bl::MappingRelationName(mapping.relation)}};
      if (mapping.ig != 0) entry["ig"] = mapping.ig;
      if (mapping.uncertain) entry["uncertain"] = true;
      mappings.push_back(std::move(entry));
      if (mapping.framework == bl::Framework::kNis2 && mapping.ref.size() == 1) {
        ++per_letter[mapping.ref[0]];
        if (mapping.relation != bl::MappingRelation::kIntersects) ++per_letter_strong[mapping.ref[0]];
      }
    }
    requirements.push_back({{"id", requirement.id},
                            {"discipline", requirement.discipline},
                            {"title", Text(requirement.title)},
                            {"statement", Text(requirement.statement)},
                            {"guidance", Text(requirement.guidance)},
                            {"evidence", Text(requirement.evidence)},
                            {"facts", requirement.facts},
                            {"weight", requirement.weight},
                            {"effort", requirement.effort},
                            {"risk_reduction", requirement.risk_reduction},
                            {"mappings", std::move(mappings)}});
  }
  for (std::size_t idx = 0; idx < catalogue.disciplines.size(); ++idx) {
    disciplines.push_back({{"id", catalogue.disciplines[idx].id},
                           {"title", Text(catalogue.disciplines[idx].title)},
                           {"requirements", per_discipline[idx]}});
  }
  Json nis2 = Json::array();
  for (char letter : bl::kNis2Letters) {
    nis2.push_back({{"letter", std::string(1, letter)},
                    {"summary", bl::Nis2LetterSummary(letter)},
                    {"requirements", per_letter[letter]},
                    {"equal_subset_superset", per_letter_strong[letter]}});
  }
  return {{"id", catalogue.id},
          {"version", catalogue.version},
          {"date", catalogue.date},
          {"title", Text(catalogue.title)},
          {"disciplines", std::move(disciplines)},
          {"nis2", std::move(nis2)},
          {"requirements", std::move(requirements)}};
}

// The version a write expects to replace: the If-Match header ("14", "\"14\""
// or W/"14") or the body's expected_version; nullopt when neither is given.
Result<std::optional<std::int64_t>> ExpectedVersion(const httplib::Request& req, const Json* body) {
  std::optional<std::int64_t> expected;
  if (req.has_header("If-Match")) {
    std::string text = req.get_header_value("If-Match");
    if (text.rfind("W/", 0) == 0) text = text.substr(2);
    if (text.size() >= 2 && text.front() == '"' && text.back() == '"') text = text.substr(1, text.size() - 2);
    std::int64_t value = -1;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value < 0) {
      return Error::InvalidArgument("header If-Match: '" + req.get_header_value("If-Match") +
                                    "' is not a record version (a whole number >= 0)");
    }
    expected = value;
  }
  if (body != nullptr && body->contains("expected_version")) {
    const Json& value = (*body)["expected_version"];
    if (!value.is_number_integer() || value.get<std::int64_t>() < 0) {
      return Error::InvalidArgument("request body: field 'expected_version' must be a whole number >= 0");
    }
    if (expected && *expected != value.get<std::int64_t>()) {
      return Error::InvalidArgument("request body: field 'expected_version' (" + value.dump() +
                                    ") disagrees with the If-Match header (" + std::to_string(*expected) + ")");
    }
    expected = value.get<std::int64_t>();
  }
  return expected;
}

// Evidence sources starting with "hub:" are the hub's own live measurements;
// a member cannot store evidence that claims to be one.
Status CheckReservedSources(const bl::Assessment& assessment, std::string_view place) {
  for (const auto& item : assessment.items) {
    for (std::size_t idx = 0; idx < item.evidence.size(); ++idx) {
      if (item.evidence[idx].source.rfind("hub:", 0) == 0) {
        return Error::InvalidArgument(std::string(place) + ": " + item.requirement_id + ".evidence[" +
                                      std::to_string(idx) + "].source: '" + item.evidence[idx].source +
                                      "': sources starting with 'hub:' are reserved for the hub's own measurements");
      }
    }
  }
  return Ok();
}

// What the hub itself knows about members, for measured evidence.
struct HubFacts {
  std::map<std::string, int> sensors;                                   // sensor members per organisation
  std::map<std::string, std::int64_t> sightings;                        // sighting objects produced per organisation
  std::map<std::string, std::int64_t> last_sighting_us;                 // newest sighting added, per organisation
  std::map<std::string, bl::MemberFacts::RegisterPresence> registers;   // the register, per organisation
  std::map<std::string, bl::MemberFacts::KevFix> kev;                   // the KEV-to-fix clock, per organisation
  std::map<std::string, duty_records::AckFigures> acks;                 // duty notifications answered, per organisation
  std::map<std::string, std::vector<bl::MemberFacts::MailCheck>> mail;  // outside measurements of proven domains
};

// The newest outside measurement of each proven domain, per check.
std::vector<bl::MemberFacts::MailCheck> MailChecks(const std::vector<posture::DomainScan>& scans) {
  constexpr std::size_t kFailingNamed = 3;
  std::map<std::string, bl::MemberFacts::MailCheck> by_check;
  for (const auto& scan : scans) {
    for (const auto& result : scan.checks) {
      auto [it, added] = by_check.try_emplace(result.check);
      auto& check = it->second;
      if (added) {
        check.check = result.check;
        check.oldest_measured = scan.measured_at;
      }
      check.oldest_measured = std::min(check.oldest_measured, scan.measured_at);
      switch (result.status) {
        case posture::Status::kPass:
          ++check.pass;
          break;
        case posture::Status::kWarn:
          ++check.warn;
          break;
        case posture::Status::kFail:
          ++check.fail;
          if (check.failing.size() < kFailingNamed) {
            check.failing.push_back(scan.domain + ": " + (result.reasons.empty() ? "fail" : result.reasons.front()));
          }
          break;
        case posture::Status::kError:
          ++check.error;
          break;
      }
    }
  }
  std::vector<bl::MemberFacts::MailCheck> out;
  for (auto& [name, check] : by_check) out.push_back(std::move(check));
  return out;
}

// Duty notifications count for the last 90 days, each judged against an hour.
constexpr std::int64_t kAckPeriodMs = 90LL * 86'400'000;
constexpr std::int64_t kAckWindowMs = 60LL * 60'000;

class BaselineApi {
 public:
  BaselineApi(ApiContext& context, const bl::Catalogue& catalogue)
      : context_(context),
        catalogue_(catalogue),
        vulns_(context.Shared<VulnService>(std::string(kVulnServiceName),
                                           [&context] { return std::make_shared<VulnService>(context.store()); })) {}

  void Register(Router& server) {
    server.Get("/api/v1/baseline/catalogue", [this](const httplib::Request& req, httplib::Response& res) {
      if (auto status = CheckParams(req, {}); !status.ok()) return SendError(res, status.error());
      SendJson(res, 200, CatalogueJson(catalogue_));
    });
    server.Get("/api/v1/baseline/catalogue/oscal", [this](const httplib::Request& req, httplib::Response& res) {
      if (auto status = CheckParams(req, {}); !status.ok()) return SendError(res, status.error());
      res.status = 200;
      res.set_content(bl::ExportOscalCatalog(catalogue_), "application/json");
    });
    server.Post("/api/v1/baseline/catalogue/oscal", [this](const httplib::Request& req, httplib::Response& res) {
      context_.Authed(req, res, [&](const Principal&) { CheckCatalogue(req, res); });
    });
    server.Get("/api/v1/baseline/national", context_.Route(this, &BaselineApi::National));
    const std::string member = R"(/api/v1/baseline/members/([A-Za-z0-9_.-]{1,64}))";
    server.Get(member, context_.Route(this, &BaselineApi::Member));
    server.Get(member + "/oscal", context_.Route(this, &BaselineApi::Oscal));
    server.Get(member + "/report", context_.Route(this, &BaselineApi::Report));
    server.Put(member + R"(/requirements/([A-Za-z0-9_.-]{1,64}))", context_.Route(this, &BaselineApi::PutRequirement));
    server.Post(member + "/import", context_.Route(this, &BaselineApi::Import));
    server.Post(member + "/xccdf", context_.Route(this, &BaselineApi::Xccdf));
  }

 private:
  // ---- loading ----

  // A stored version, parsed once and kept while the server runs.
  Result<std::shared_ptr<const baseline::StoredAssessment>> Parsed(const Record& record) {
    const std::string key = record.id + "@" + std::to_string(record.version);
    {
      std::lock_guard lock(cache_mutex_);
      if (auto it = cache_.find(key); it != cache_.end()) return it->second;
    }
    auto stored = baseline::ParseStoredAssessment(record, catalogue_);
    if (!stored.ok()) return stored.error();
    auto shared = std::make_shared<const baseline::StoredAssessment>(std::move(stored).value());
    std::lock_guard lock(cache_mutex_);
    if (cache_.size() >= kMaxCacheEntries) cache_.clear();
    cache_.emplace(key, shared);
    return shared;
  }

  // Every version of a member's assessment, oldest first; empty when none.
  Result<std::vector<std::shared_ptr<const baseline::StoredAssessment>>> History(const std::string& code) {
    std::vector<std::shared_ptr<const baseline::StoredAssessment>> out;
    auto records = context_.store().RecordHistory(baseline::kAssessmentRecordKind, code);
    if (!records.ok()) {
      if (records.error().kind() == ErrorKind::kNotFound) return out;
      return records.error();
    }
    for (const auto& record : *records) {
      if (record.deleted) {
        out.clear();  // a deletion starts the history afresh
        continue;
      }
      auto parsed = Parsed(record);
      if (!parsed.ok()) return parsed.error();
      out.push_back(std::move(parsed).value());
    }
    return out;
  }

  // The newest version, or an empty assessment (version 0) when none is stored.
  Result<baseline::StoredAssessment> Latest(const std::string& code) {
    auto record = context_.store().GetRecord(baseline::kAssessmentRecordKind, code);
    if (!record.ok()) {
      if (record.error().kind() != ErrorKind::kNotFound) return record.error();
      baseline::StoredAssessment empty;
      empty.assessment.member = code;
      empty.assessment.catalogue_version = catalogue_.version;
      return empty;
    }
    auto parsed = Parsed(*record);
    if (!parsed.ok()) return parsed.error();
    return **parsed;
  }

  Result<std::vector<Organisation>> Organisations() {
    std::vector<Organisation> orgs;
    OrganisationQuery query;
    query.limit = Store::kMaxPageSize;
    for (;;) {
      auto page = context_.store().ListOrganisations(query);
      if (!page.ok()) return page.error();
      for (auto& org : page->items) orgs.push_back(std::move(org));
      query.offset += static_cast<int>(page->items.size());
      if (page->items.empty() || query.offset >= page->total) break;
    }
    return orgs;
  }

  Result<HubFacts> Facts() {
    HubFacts facts;
    auto members = context_.store().ListMembers();
    if (!members.ok()) return members.error();
    std::set<std::string> sensor_ids;
    for (const auto& member : *members) {
      if (member.role == MemberRole::kSensor) {
        ++facts.sensors[member.org_code];
        sensor_ids.insert(member.id);
      }
    }
    auto registers = reg::LoadMembers(context_.store());
    if (!registers.ok()) return registers.error();
    for (const auto& member : *registers) {
      auto& presence = facts.registers[member.org_code];
      presence.domains = static_cast<int>(member.registration.domains.size());
      presence.prefixes = static_cast<int>(member.registration.prefixes.size());
      presence.asns = static_cast<int>(member.registration.asns.size());
      for (const auto& domain : member.registration.domains) presence.proven_domains += member.Proof(domain).counts();
    }
    auto conflicts = reg::OpenConflicts(context_.store());
    if (!conflicts.ok()) return conflicts.error();
    for (const auto& conflict : *conflicts) {
      for (const auto& claimant : conflict.claimants) ++facts.registers[claimant].open_conflicts;
    }
    // Every collection's sightings in one read (the latest version of each
    // in its collection), not a read per collection.
    ObjectQuery query;
    query.all_collections = true;
    query.types = {"sighting"};
    query.limit = Store::kMaxPageSize;
    for (;;) {
      auto page = context_.store().QueryObjects(query, [](const StoredObject&) { return true; });
      if (!page.ok()) return page.error();
      for (const auto& object : page->objects) {
        ++facts.sightings[object.producer_org];
        // Only a sensor's sighting proves sensor contact; a person's is counted as published only.
        if (!PostedBySensor(object, sensor_ids)) continue;
        auto& last = facts.last_sighting_us[object.producer_org];
        last = std::max(last, object.added_us);
      }
      if (!page->more) break;
      query.after_seq = page->next_seq;
    }
    // The KEV-to-fix clock and the duty chain (docs/duty.md), as the duty module keeps them.
    const Timestamp now = Timestamp::Now();
    auto entries = duty_records::LoadKevClock(context_.store(), *vulns_, "");
    if (!entries.ok()) return entries.error();
    std::map<std::string, std::vector<vuln::KevClockEntry>> by_member;
    for (auto& entry : *entries) by_member[entry.member].push_back(std::move(entry));
    for (const auto& [code, list] : by_member) {
      const auto figures = vuln::Figures(list, now);
      auto& kev = facts.kev[code];
      kev.open = static_cast<int>(figures.open);
      kev.open_overdue = static_cast<int>(figures.open_overdue);
      kev.fixed = static_cast<int>(figures.fixed);
      kev.median_days_to_fix = figures.median_days_to_fix;
      kev.p90_days_to_fix = figures.p90_days_to_fix;
      for (const auto& entry : list) {
        if (!entry.decision.empty() || !entry.due || !(*entry.due < now)) continue;
        kev.longest_overdue_days =
            std::max(kev.longest_overdue_days, static_cast<int>((now.unix_ms() - entry.due->unix_ms()) / 86'400'000));
      }
    }
    auto acks =
        duty_records::LoadAckFigures(context_.store(), Timestamp(now.unix_ms() - kAckPeriodMs), now, kAckWindowMs);
    if (!acks.ok()) return acks.error();
    facts.acks = std::move(acks).value();
    // Outside measurements count only for domains still proven, and only
    // while they are younger than the evidence's validity.
    auto proven = reg::LoadProvenPresence(context_.store());
    if (!proven.ok()) return proven.error();
    auto scans = posture::AllLatestScans(context_.store());
    if (!scans.ok()) return scans.error();
    const std::int64_t valid_ms = bl::AutoEvidenceOptions{}.valid_days * 86'400'000;
    for (const auto& member : *proven) {
      const auto found = scans->find(member.org_code);
      if (found == scans->end()) continue;
      std::vector<posture::DomainScan> current;
      for (const auto& scan : found->second) {
        const bool still_proven =
            std::find(member.domains.begin(), member.domains.end(), scan.domain) != member.domains.end();
        if (still_proven && now.unix_ms() - scan.measured_at.unix_ms() < valid_ms) current.push_back(scan);
      }
      if (!current.empty()) facts.mail[member.org_code] = MailChecks(current);
    }
    return facts;
  }

  // The member's facts as the library's input. Only what the hub knows is
  // given: a sighting posted by one of the member's sensors proves the sensor
  // reported then (a sighting posted with a person's token proves nothing). A quiet sensor posts nothing, so an old or
  // missing sighting proves nothing and gives no evidence (no "fail").
  bl::MemberFacts FactsOf(const HubFacts& facts, const std::string& code, Timestamp now) const {
    bl::MemberFacts member;
    member.observed = now;
    auto sensors = facts.sensors.find(code);
    auto last = facts.last_sighting_us.find(code);
    if (sensors != facts.sensors.end() && last != facts.last_sighting_us.end()) {
      const Timestamp at(last->second / 1000);
      if (at <= now && now.unix_ms() - at.unix_ms() <= bl::AutoEvidenceOptions{}.max_contact_age_hours * 3'600'000) {
        member.last_sensor_contact = at;
      }
    }
    const auto registered = facts.registers.find(code);
    member.register_presence =
        registered != facts.registers.end() ? registered->second : bl::MemberFacts::RegisterPresence{};
    if (const auto kev = facts.kev.find(code); kev != facts.kev.end()) member.kev_fix = kev->second;
    if (const auto ack = facts.acks.find(code); ack != facts.acks.end()) {
      member.duty_acknowledge =
          bl::MemberFacts::DutyAcknowledge{ack->second.routed, ack->second.acknowledged_in_time,
                                           static_cast<int>(kAckWindowMs / 60'000), ack->second.median_minutes};
    }
    if (const auto mail = facts.mail.find(code); mail != facts.mail.end()) member.mail_posture = mail->second;
    return member;
  }

  // `assessment` with the hub's live measurements added (not stored).
  bl::Assessment WithLive(const bl::Assessment& assessment, const HubFacts& facts, Timestamp now) const {
    bl::Assessment live = assessment;
    auto evidence = bl::EvidenceFromFacts(catalogue_, FactsOf(facts, assessment.member, now));
    // Live evidence is the hub's measurement whoever supplied the fact: "hub:<fact>".
    for (auto& item : evidence) {
      const auto colon = item.evidence.source.find(':');
      item.evidence.source = "hub:" + item.evidence.source.substr(colon == std::string::npos ? 0 : colon + 1);
    }
    (void)bl::AddEvidence(live, catalogue_, evidence);  // ids come from the catalogue itself
    return live;
  }

  struct NationalState {
    std::vector<Organisation> orgs;
    std::map<std::string, const Organisation*> by_code;
    std::vector<bl::Scorecard> cards;
    bl::NationalPicture picture;  // everything; pass through ForAudience before showing
    HubFacts facts;
  };

  // Every member's newest assessment with live evidence, scored at `now`.
  Result<std::unique_ptr<NationalState>> BuildNational(Timestamp now) {
    auto state = std::make_unique<NationalState>();
    auto orgs = Organisations();
    if (!orgs.ok()) return orgs.error();
    state->orgs = std::move(orgs).value();
    for (const auto& org : state->orgs) state->by_code[org.code] = &org;
    auto facts = Facts();
    if (!facts.ok()) return facts.error();
    state->facts = std::move(facts).value();
    RecordQuery query;
    query.kind = std::string(baseline::kAssessmentRecordKind);
    auto records = context_.store().ListRecords(query);
    if (!records.ok()) return records.error();
    std::vector<const Organisation*> scored_orgs;
    state->cards.reserve(records->size());
    for (const auto& record : *records) {
      auto org = state->by_code.find(record.id);
      if (org == state->by_code.end()) continue;
      auto parsed = Parsed(record);
      if (!parsed.ok()) return parsed.error();
      state->cards.push_back(bl::Score(catalogue_, WithLive((*parsed)->assessment, state->facts, now), now));
      scored_orgs.push_back(org->second);
    }
    std::vector<bl::MemberCard> members;
    for (std::size_t idx = 0; idx < state->cards.size(); ++idx)
      members.push_back({scored_orgs[idx], &state->cards[idx]});
    state->picture = bl::BuildNationalPicture(catalogue_, members, now);
    return state;
  }

  // ---- JSON ----

  Json EvidenceJson(const bl::Evidence& evidence, Timestamp now, bool live) const {
    return {{"kind", bl::EvidenceKindName(evidence.kind)},
            {"source", evidence.source},
            {"collected", bl::DateOnly(evidence.collected)},
            {"valid_until", OptDate(evidence.valid_until)},
            {"current", evidence.IsCurrent(now)},
            {"note", evidence.note},
            {"result",
             evidence.result == bl::EvidenceResult::kNone ? Json() : Json(bl::EvidenceResultName(evidence.result))},
            {"live", live}};
  }

  // "measured": a current measured result checks the status (it agreed
  // with the declaration, lowered it or stood in for it); "declared": the
  // rest of the assessed requirements, which rest on the member's word.
  Json ScoreJson(const bl::Scorecard& card) const {
    int declared = 0;
    int measured = 0;
    for (const auto& requirement : card.requirements) {
      if (requirement.has_current_measurement) {
        ++measured;
      } else if (requirement.effective.basis != bl::StatusBasis::kNone) {
        ++declared;
      }
    }
    return {{"overall", Opt(card.overall)},
            {"assessed_share", Round2(card.assessed_share)},
            {"mean_maturity", Opt(card.mean_maturity)},
            {"counts", CountsJson(card.counts)},
            {"basis", {{"measured", measured}, {"declared", declared}}},
            {"with_current_measurement", card.measured_requirements}};
  }

  const bl::GroupStats* Group(const bl::NationalPicture& picture, std::string_view dimension,
                              std::string_view key) const {
    for (const auto& group : picture.groups) {
      if (group.dimension == dimension && group.key == key) return &group;
    }
    return nullptr;
  }

  Json MemberJson(const Organisation& org,
                  const std::vector<std::shared_ptr<const baseline::StoredAssessment>>& history,
                  const baseline::StoredAssessment& latest, const NationalState& national, Timestamp now) const {
    const std::map<std::string, std::size_t> stored_sizes = [&] {
      std::map<std::string, std::size_t> sizes;
      for (const auto& item : latest.assessment.items) sizes[item.requirement_id] = item.evidence.size();
      return sizes;
    }();
    const bl::Assessment live = WithLive(latest.assessment, national.facts, now);
    const bl::Scorecard card = bl::Score(catalogue_, live, now);

    Json disciplines = Json::array();
    const bl::Comparison comparison = bl::ComparisonFor(national.picture, org);
    const bl::GroupStats* region = org.region_code ? Group(national.picture, "region", *org.region_code) : nullptr;
    const bl::GroupStats* band = Group(national.picture, "size_band", comparison.size_band);
    for (std::size_t idx = 0; idx < card.disciplines.size(); ++idx) {
      const bl::DisciplineScore& score = card.disciplines[idx];
      disciplines.push_back({{"id", score.discipline},
                             {"title", Text(catalogue_.disciplines[idx].title)},
                             {"score", Opt(score.score)},
                             {"assessed_share", Round2(score.assessed_share)},
                             {"counts", CountsJson(score.counts)},
                             {"national_median", Median(comparison.national_discipline_median, idx)},
                             {"region_median", region != nullptr ? Median(region->discipline_median, idx) : Json()},
                             {"size_band_median", band != nullptr ? Median(band->discipline_median, idx) : Json()}});
    }
    Json nis2 = Json::array();
    for (const auto& letter : card.nis2) {
      nis2.push_back({{"letter", std::string(1, letter.letter)},
                      {"summary", bl::Nis2LetterSummary(letter.letter)},
                      {"coverage", Opt(letter.coverage)},
                      {"requirements", letter.requirements},
                      {"met", letter.met}});
    }
    Json requirements = Json::array();
    for (const auto& score : card.requirements) {
      const bl::Requirement& requirement = catalogue_.requirements[score.requirement_idx];
      const bl::RequirementAssessment* item = live.Find(requirement.id);
      Json evidence = Json::array();
      if (item != nullptr) {
        auto stored = stored_sizes.find(requirement.id);
        const std::size_t stored_count = stored == stored_sizes.end() ? 0 : stored->second;
        for (std::size_t idx = 0; idx < item->evidence.size(); ++idx) {
          evidence.push_back(EvidenceJson(item->evidence[idx], now, idx >= stored_count));
        }
      }
      requirements.push_back({{"id", requirement.id},
                              {"discipline", requirement.discipline},
                              {"title", Text(requirement.title)},
                              {"statement", Text(requirement.statement)},
                              {"weight", requirement.weight},
                              {"effort", requirement.effort},
                              {"risk_reduction", requirement.risk_reduction},
                              {"facts", requirement.facts},
                              {"status", bl::ReqStatusName(score.declared)},
                              {"effective_status", bl::ReqStatusName(score.effective.status)},
                              {"basis", bl::StatusBasisName(score.effective.basis)},
                              {"maturity", score.maturity == 0 ? Json() : Json(score.maturity)},
                              {"owner", item != nullptr ? item->owner : ""},
                              {"due", item != nullptr ? OptDate(item->due) : Json()},
                              {"note", item != nullptr ? item->note : ""},
                              {"has_measured", score.has_measured},
                              {"has_current_measurement", score.has_current_measurement},
                              {"has_expired_evidence", score.has_expired_evidence},
                              {"evidence", std::move(evidence)}});
    }
    Json gaps = Json::array();
    for (const auto& gap : bl::Gaps(catalogue_, live, card)) {
      const bl::Requirement& requirement = catalogue_.requirements[gap.requirement_idx];
      gaps.push_back({{"id", requirement.id},
                      {"title", Text(requirement.title)},
                      {"status", bl::ReqStatusName(gap.effective.status)},
                      {"basis", bl::StatusBasisName(gap.effective.basis)},
                      {"priority", Round2(gap.priority)},
                      {"weight", requirement.weight},
                      {"risk_reduction", requirement.risk_reduction},
                      {"effort", requirement.effort},
                      {"owner", gap.owner},
                      {"due", OptDate(gap.due)}});
    }
    Json points = Json::array();
    for (const auto& version : history) {
      const bl::Scorecard past = bl::Score(catalogue_, version->assessment);
      std::vector<std::optional<double>> per_discipline;
      for (const auto& discipline : past.disciplines) per_discipline.push_back(discipline.score);
      points.push_back({{"version", version->version},
                        {"at", bl::DateOnly(version->assessment.assessed_at)},
                        {"written", version->written.ToRfc3339()},
                        {"actor", version->actor},
                        {"overall", Opt(past.overall)},
                        {"assessed_share", Round2(past.assessed_share)},
                        {"disciplines", OptVector(per_discipline)}});
    }
    const auto sightings = national.facts.sightings.find(org.code);
    const auto last = national.facts.last_sighting_us.find(org.code);
    const auto sensors = national.facts.sensors.find(org.code);
    Json measured_ids = Json::array();
    for (const auto& score : card.requirements) {
      if (score.has_current_measurement) measured_ids.push_back(catalogue_.requirements[score.requirement_idx].id);
    }
    return {
        {"member",
         {{"code", org.code},
          {"name", org.name},
          {"kind", OrgKindName(org.kind)},
          {"region_code", org.region_code ? Json(*org.region_code) : Json()},
          {"population", org.population ? Json(*org.population) : Json()},
          {"size_band", comparison.size_band}}},
        {"version", latest.version},
        {"catalogue_version", catalogue_.version},
        {"assessed_at", latest.version == 0 ? Json() : Json(bl::DateOnly(latest.assessment.assessed_at))},
        {"assessor", latest.assessment.assessor},
        {"synthetic", latest.assessment.assessor == bl::kDemoAssessor},
        {"updated", latest.version == 0 ? Json() : Json(latest.written.ToRfc3339())},
        {"updated_by", latest.actor},
        {"scored_at", now.ToRfc3339()},
        {"score", ScoreJson(card)},
        {"disciplines", std::move(disciplines)},
        {"nis2", std::move(nis2)},
        {"requirements", std::move(requirements)},
        {"gaps", std::move(gaps)},
        {"history", std::move(points)},
        {"comparison",
         {{"own", Opt(card.overall)},
          {"national_median", Opt(comparison.national_median)},
          {"region_median", Opt(comparison.region_median)},
          {"size_band_median", Opt(comparison.size_band_median)},
          {"region_code", comparison.region_code},
          {"size_band", comparison.size_band},
          {"min_group_size", bl::kMinGroupSize}}},
        {"facts",
         {{"sensors", sensors == national.facts.sensors.end() ? 0 : sensors->second},
          {"sightings_published", sightings == national.facts.sightings.end() ? 0 : sightings->second},
          {"last_sighting",
           last == national.facts.last_sighting_us.end() ? Json() : Json(Timestamp(last->second / 1000).ToRfc3339())},
          {"measured_requirements", std::move(measured_ids)}}}};
  }

  Json DistributionJson(const bl::Distribution& distribution, bool coordinator) const {
    Json histogram = Json::array();
    for (int count : distribution.histogram) {
      // A count of 1–4 members is not shown outside the coordinator.
      histogram.push_back(coordinator || bl::MayShowCount(count) ? Json(count) : Json());
    }
    Json json = {{"mean", Round2(distribution.mean)},
                 {"p25", Round2(distribution.p25)},
                 {"median", Round2(distribution.median)},
                 {"p75", Round2(distribution.p75)},
                 {"histogram", std::move(histogram)}};
    if (coordinator) {  // the extremes are single members' scores
      json["min"] = Round2(distribution.min);
      json["max"] = Round2(distribution.max);
    }
    return json;
  }

  Json RowJson(const bl::MemberRow& row, std::optional<std::size_t> discipline) const {
    return {{"code", row.code},
            {"name", row.name},
            {"region_code", row.region_code},
            {"overall", Opt(row.overall)},
            {"assessed_share", Round2(row.assessed_share)},
            {"disciplines", OptVector(row.disciplines)},
            {"score", Opt(discipline ? row.disciplines[*discipline] : row.overall)}};
  }

  // ---- handlers ----

  void CheckCatalogue(const httplib::Request& req, httplib::Response& res) {
    if (auto status = CheckParams(req, {}); !status.ok()) return SendError(res, status.error());
    auto imported = bl::ImportOscalCatalog(req.body, "request body");
    if (!imported.ok()) return SendError(res, imported.error());
    Json added = Json::array();
    Json changed = Json::array();
    Json removed = Json::array();
    for (const auto& requirement : imported->requirements) {
      auto idx = catalogue_.RequirementIndex(requirement.id);
      if (!idx) {
        added.push_back(requirement.id);
      } else if (!(catalogue_.requirements[*idx] == requirement)) {
        changed.push_back(requirement.id);
      }
    }
    for (const auto& requirement : catalogue_.requirements) {
      if (!imported->RequirementIndex(requirement.id)) removed.push_back(requirement.id);
    }
    SendJson(res, 200,
             {{"valid", true},
              {"id", imported->id},
              {"version", imported->version},
              {"disciplines", imported->disciplines.size()},
              {"requirements", imported->requirements.size()},
              {"same_as_active", *imported == catalogue_},
              {"active_version", catalogue_.version},
              {"added", std::move(added)},
              {"changed", std::move(changed)},
              {"removed", std::move(removed)},
              {"stored", false}});
  }

  void National(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    if (auto status = CheckParams(req, {"discipline"}); !status.ok()) return SendError(res, status.error());
    std::optional<std::size_t> discipline;
    if (req.has_param("discipline")) {
      const std::string id = req.get_param_value("discipline");
      discipline = catalogue_.DisciplineIndex(id);
      if (!discipline) {
        return SendError(res, Error::InvalidArgument("query parameter 'discipline': unknown discipline '" + id + "'"));
      }
    }
    const Timestamp now = Timestamp::Now();
    auto state = BuildNational(now);
    if (!state.ok()) return SendError(res, state.error());
    const bool coordinator = IsCoordinator(principal);
    bl::Audience audience;
    audience.role = coordinator ? bl::Audience::Role::kCoordinator : bl::Audience::Role::kMember;
    audience.member = principal.organisation.code;
    const bl::NationalPicture picture = bl::ForAudience((*state)->picture, audience);

    Json groups = Json::array();
    for (const auto& group : picture.groups) {
      Json name;
      if (group.dimension == "region") {
        auto org = (*state)->by_code.find(group.key);
        if (org != (*state)->by_code.end()) name = org->second->name;
      }
      Json entry = {{"dimension", group.dimension},
                    {"key", group.key},
                    {"name", name},
                    {"members", group.members},
                    {"suppressed", group.suppressed},
                    {"overall", group.overall ? DistributionJson(*group.overall, coordinator) : Json()},
                    {"discipline_mean", OptVector(group.discipline_mean)},
                    {"discipline_median", OptVector(group.discipline_median)}};
      Json letters = Json::object();
      for (std::size_t idx = 0; idx < 10; ++idx)
        letters[std::string(1, bl::kNis2Letters[idx])] = Opt(group.nis2_mean[idx]);
      entry["nis2_mean"] = std::move(letters);
      if (discipline) {
        entry["selected_mean"] = Opt(group.discipline_mean[*discipline]);
        entry["selected_median"] = Opt(group.discipline_median[*discipline]);
      }
      groups.push_back(std::move(entry));
    }
    Json unmet = Json::array();
    for (const auto& requirement : picture.most_unmet) {
      auto idx = catalogue_.RequirementIndex(requirement.requirement_id);
      unmet.push_back({{"id", requirement.requirement_id},
                       {"discipline", idx ? catalogue_.requirements[*idx].discipline : ""},
                       {"title", idx ? Text(catalogue_.requirements[*idx].title) : Json()},
                       {"not_met", requirement.not_met ? Json(*requirement.not_met) : Json()},
                       {"partly", requirement.partly ? Json(*requirement.partly) : Json()},
                       {"share_not_met", Round2(requirement.share_not_met)}});
    }
    Json rows = Json::array();
    for (const auto& row : picture.rows) rows.push_back(RowJson(row, discipline));
    Json weakest = Json::array();
    for (const auto& row : picture.weakest) weakest.push_back(RowJson(row, discipline));
    Json disciplines = Json::array();
    for (const auto& entry : catalogue_.disciplines)
      disciplines.push_back({{"id", entry.id}, {"title", Text(entry.title)}});
    Json body = {{"at", now.ToRfc3339()},
                 {"catalogue_version", catalogue_.version},
                 {"audience", coordinator ? "coordinator" : "member"},
                 {"organisation", principal.organisation.code},
                 {"members", picture.members},
                 {"discipline", discipline ? Json(catalogue_.disciplines[*discipline].id) : Json()},
                 {"disciplines", std::move(disciplines)},
                 {"groups", std::move(groups)},
                 {"most_unmet", std::move(unmet)},
                 {"weakest", std::move(weakest)},
                 {"rows", std::move(rows)},
                 {"privacy",
                  {{"min_group_size", bl::kMinGroupSize},
                   {"rule",
                    "groups of fewer than 5 members show their size only; counts of 1-4 members are not shown; "
                    "member rows and the weakest members are for coordinators, a member sees its own row"}}}};
    SendJson(res, 200, body);
  }

  // Access to a member's details: reading is for its own organisation or a
  // coordinator, writing for its own people (api.h). Sends 403 (audited) and
  // returns nullopt otherwise; 404 for an unknown code.
  enum class Access { kRead, kWrite };
  std::optional<Organisation> MemberFor(Access access, const httplib::Request& req, httplib::Response& res,
                                        const Principal& principal, const std::string& code) {
    const bool allowed =
        access == Access::kRead ? CanReadOrgRecords(principal, code) : CanWriteOrgRecords(principal, code);
    if (!allowed) {
      context_.Forbid(principal, req, res, "baseline assessment of " + code);
      return std::nullopt;
    }
    auto org = context_.store().GetOrganisation(code);
    if (!org.ok()) {
      SendError(res, org.error());
      return std::nullopt;
    }
    return std::move(org).value();
  }

  // Sends the member view (200) with the record version as ETag.
  void SendMember(httplib::Response& res, const Organisation& org, int status, const Json& extra = Json::object()) {
    const Timestamp now = Timestamp::Now();
    auto history = History(org.code);
    if (!history.ok()) return SendError(res, history.error());
    auto latest = Latest(org.code);
    if (!latest.ok()) return SendError(res, latest.error());
    auto national = BuildNational(now);
    if (!national.ok()) return SendError(res, national.error());
    res.set_header("ETag", "\"" + std::to_string(latest->version) + "\"");
    Json body = MemberJson(org, *history, *latest, **national, now);
    for (const auto& [key, value] : extra.items()) body[key] = value;
    SendJson(res, status, body);
  }

  void Member(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    if (auto status = CheckParams(req, {}); !status.ok()) return SendError(res, status.error());
    auto org = MemberFor(Access::kRead, req, res, principal, req.matches[1].str());
    if (!org) return;
    SendMember(res, *org, 200);
  }

  void Oscal(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    if (auto status = CheckParams(req, {}); !status.ok()) return SendError(res, status.error());
    auto org = MemberFor(Access::kRead, req, res, principal, req.matches[1].str());
    if (!org) return;
    const Timestamp now = Timestamp::Now();
    auto latest = Latest(org->code);
    if (!latest.ok()) return SendError(res, latest.error());
    auto facts = Facts();
    if (!facts.ok()) return SendError(res, facts.error());
    bl::Assessment live = WithLive(latest->assessment, *facts, now);
    if (latest->version == 0) live.assessed_at = now;
    const bl::Scorecard card = bl::Score(catalogue_, live, now);
    res.status = 200;
    res.set_content(bl::ExportOscalAssessmentResults(catalogue_, live, card), "application/json");
  }

  void Report(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    if (auto status = CheckParams(req, {}); !status.ok()) return SendError(res, status.error());
    auto org = MemberFor(Access::kRead, req, res, principal, req.matches[1].str());
    if (!org) return;
    const Timestamp now = Timestamp::Now();
    auto history = History(org->code);
    if (!history.ok()) return SendError(res, history.error());
    auto latest = Latest(org->code);
    if (!latest.ok()) return SendError(res, latest.error());
    auto national = BuildNational(now);
    if (!national.ok()) return SendError(res, national.error());
    bl::Assessment live = WithLive(latest->assessment, (*national)->facts, now);
    live.assessed_at = now;
    const bl::Scorecard card = bl::Score(catalogue_, live, now);
    std::vector<bl::Assessment> snapshots;
    for (const auto& version : *history) snapshots.push_back(version->assessment);
    bl::ReportInput input;
    input.catalogue = &catalogue_;
    input.assessment = &live;
    input.card = &card;
    input.member_name = org->name;
    input.comparison = bl::ComparisonFor((*national)->picture, *org);
    input.history = bl::ScoreHistory(catalogue_, snapshots, org->code);
    input.synthetic = latest->assessment.assessor == bl::kDemoAssessor;
    auto html = bl::RenderGapReportHtml(input);
    if (!html.ok()) return SendError(res, html.error());
    res.status = 200;
    res.set_content(*html, "text/html; charset=utf-8");
  }

  // Stores `next` over `latest` (or over the version the client expects);
  // sends the error (409 when another write came first) and returns false
  // when nothing was stored.
  bool Save(httplib::Response& res, const Principal& principal, const Organisation& org,
            const baseline::StoredAssessment& latest, std::optional<std::int64_t> expected, bl::Assessment next) {
    if (expected && *expected != latest.version) {
      SendError(res, Error::Conflict("baseline assessment of " + org.code + " is at version " +
                                     std::to_string(latest.version) + ", not " + std::to_string(*expected) +
                                     ": reload and apply the change again"));
      return false;
    }
    next.member = org.code;
    next.catalogue_version = catalogue_.version;
    std::stable_sort(next.items.begin(), next.items.end(), [&](const auto& a, const auto& b) {
      return catalogue_.RequirementIndex(a.requirement_id).value_or(0) <
             catalogue_.RequirementIndex(b.requirement_id).value_or(0);
    });
    auto written = baseline::PutAssessment(context_.store(), next, latest.version, ApiContext::Actor(principal));
    if (!written.ok()) {
      SendError(res, written.error());
      return false;
    }
    return true;
  }

  void PutRequirement(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    if (auto status = CheckParams(req, {}); !status.ok()) return SendError(res, status.error());
    auto org = MemberFor(Access::kWrite, req, res, principal, req.matches[1].str());
    if (!org) return;
    const std::string requirement_id = req.matches[2].str();
    if (!catalogue_.RequirementIndex(requirement_id)) {
      return SendError(res, Error::InvalidArgument("requirement '" + requirement_id + "' is not in catalogue " +
                                                   catalogue_.version));
    }
    auto body = JsonBody(req);
    if (!body.ok()) return SendError(res, body.error());
    for (const auto& [key, unused] : body->items()) {
      if (key != "status" && key != "maturity" && key != "owner" && key != "due" && key != "note" &&
          key != "evidence" && key != "expected_version") {
        return SendError(res, Error::InvalidArgument("request body: unknown field '" + key +
                                                     "' (known: status, maturity, owner, due, note, evidence, "
                                                     "expected_version)"));
      }
    }
    for (const char* key : {"owner", "note"}) {
      if (body->contains(key) && (*body)[key].is_string() && (*body)[key].get<std::string>().size() > kMaxText) {
        return SendError(res, Error::InvalidArgument("request body: field '" + std::string(key) + "' is longer than " +
                                                     std::to_string(kMaxText) + " characters"));
      }
    }
    auto expected = ExpectedVersion(req, &*body);
    if (!expected.ok()) return SendError(res, expected.error());
    auto latest = Latest(org->code);
    if (!latest.ok()) return SendError(res, latest.error());

    // The item as it is, with the request's fields over it (null clears a
    // field), validated by the import parser so that the rules are the same.
    bl::Assessment current_item;
    current_item.member = org->code;
    current_item.catalogue_version = catalogue_.version;
    current_item.assessed_at = Timestamp::Now();
    if (const bl::RequirementAssessment* item = latest->assessment.Find(requirement_id)) {
      current_item.items.push_back(*item);
    } else {
      current_item.items.push_back({requirement_id, bl::ReqStatus::kNotAssessed, 0, "", std::nullopt, "", {}});
    }
    Json document = Json::parse(bl::AssessmentToJson(current_item));
    Json& entry = document["requirements"][0];
    for (const auto& [key, value] : body->items()) {
      if (key == "expected_version") continue;
      if (value.is_null() || (value.is_string() && value.get<std::string>().empty() && key != "status")) {
        entry.erase(key);
      } else {
        entry[key] = value;
      }
    }
    const std::string place = "request body (" + requirement_id + ")";
    auto parsed = bl::ParseAssessmentJson(document.dump(), catalogue_, place);
    if (!parsed.ok()) {
      std::string message = parsed.error().message();
      const std::string inner = "$.requirements[0] (" + requirement_id + ").";
      if (auto at = message.find(inner); at != std::string::npos) message.replace(at, inner.size(), "");
      return SendError(res, Error::InvalidArgument(message));
    }
    if (auto reserved = CheckReservedSources(*parsed, "request body"); !reserved.ok()) {
      return SendError(res, reserved.error());
    }
    bl::Assessment next = latest->assessment;
    next.assessed_at = Timestamp::Now();
    next.assessor = principal.member.id;
    if (bl::RequirementAssessment* item = next.Find(requirement_id)) {
      *item = parsed->items.front();
    } else {
      next.items.push_back(parsed->items.front());
    }
    if (!Save(res, principal, *org, *latest, *expected, std::move(next))) return;
    Json change = entry;
    change.erase("evidence");
    (void)context_.store().Audit(ApiContext::Actor(principal), "baseline.requirement.put",
                                 org->code + "/" + requirement_id, change.dump());
    SendMember(res, *org, 200);
  }

  void Import(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    if (auto status = CheckParams(req, {}); !status.ok()) return SendError(res, status.error());
    auto org = MemberFor(Access::kWrite, req, res, principal, req.matches[1].str());
    if (!org) return;
    auto expected = ExpectedVersion(req, nullptr);
    if (!expected.ok()) return SendError(res, expected.error());
    auto parsed = bl::ParseAssessmentJson(req.body, catalogue_, "request body");
    if (!parsed.ok()) return SendError(res, parsed.error());
    if (parsed->member != org->code) {
      return SendError(res, Error::InvalidArgument("request body: $.member: the assessment of '" + parsed->member +
                                                   "' cannot be imported as " + org->code + "'s"));
    }
    if (auto reserved = CheckReservedSources(*parsed, "request body"); !reserved.ok()) {
      return SendError(res, reserved.error());
    }
    if (parsed->assessor.empty()) parsed->assessor = principal.member.id;
    auto latest = Latest(org->code);
    if (!latest.ok()) return SendError(res, latest.error());
    const std::size_t items = parsed->items.size();
    if (!Save(res, principal, *org, *latest, *expected, std::move(parsed).value())) return;
    (void)context_.store().Audit(ApiContext::Actor(principal), "baseline.assessment.import", org->code,
                                 Json({{"requirements", items}}).dump());
    SendMember(res, *org, 200);
  }

  void Xccdf(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    if (auto status = CheckParams(req, {"valid_days"}); !status.ok()) return SendError(res, status.error());
    auto org = MemberFor(Access::kWrite, req, res, principal, req.matches[1].str());
    if (!org) return;
    auto expected = ExpectedVersion(req, nullptr);
    if (!expected.ok()) return SendError(res, expected.error());
    auto valid_days = IntParam(req, "valid_days", 30);
    if (!valid_days.ok()) return SendError(res, valid_days.error());
    if (*valid_days < 1 || *valid_days > 366) {
      return SendError(res, Error::InvalidArgument("query parameter 'valid_days' must be 1-366"));
    }
    const Timestamp now = Timestamp::Now();
    bl::XccdfImportOptions options;
    options.valid_days = *valid_days;
    options.fallback_time = now;
    auto imported = bl::ImportXccdfResults(req.body, catalogue_, options, "request body");
    if (!imported.ok()) return SendError(res, imported.error());
    if (imported->evidence.empty()) {
      return SendError(
          res, Error::InvalidArgument("request body: none of the " + std::to_string(imported->rule_results) +
                                      " rule results maps to a requirement with a pass or fail verdict (" +
                                      std::to_string(imported->unmapped) + " unmapped, " +
                                      std::to_string(imported->ignored) + " without a verdict); nothing was stored"));
    }
    auto latest = Latest(org->code);
    if (!latest.ok()) return SendError(res, latest.error());
    bl::Assessment next = latest->assessment;
    if (auto added = bl::AddEvidence(next, catalogue_, imported->evidence); !added.ok()) {
      return SendError(res, added.error());
    }
    next.assessed_at = now;
    next.assessor = principal.member.id;
    if (!Save(res, principal, *org, *latest, *expected, std::move(next))) return;
    Json requirements = Json::array();
    for (const auto& item : imported->evidence) {
      requirements.push_back({{"id", item.requirement_id}, {"result", bl::EvidenceResultName(item.evidence.result)}});
    }
    Json summary = {{"test_result", imported->test_result_id},
                    {"target", imported->target},
                    {"collected", imported->collected.ToRfc3339()},
                    {"rule_results", imported->rule_results},
                    {"mapped", imported->mapped},
                    {"unmapped", imported->unmapped},
                    {"ignored", imported->ignored},
                    {"requirements", requirements}};
    (void)context_.store().Audit(ApiContext::Actor(principal), "baseline.xccdf.import", org->code, summary.dump());
    SendMember(res, *org, 200, {{"import", summary}});
  }

  ApiContext& context_;
  const bl::Catalogue& catalogue_;
  std::shared_ptr<VulnService> vulns_;  // the hub's one, shared with the vulnerabilities and duty modules
  std::mutex cache_mutex_;
  std::map<std::string, std::shared_ptr<const baseline::StoredAssessment>> cache_;
};

}  // namespace

void RegisterBaselineApi(Router& server, ApiContext& context) {
  auto catalogue = bl::BuiltinCatalogue();
  if (!catalogue.ok()) {
    // A build defect: the embedded catalogue does not load. Every route says so.
    const std::string message = catalogue.error().ToString();
    server.Get(R"(/api/v1/baseline(/.*)?)", [message](const httplib::Request&, httplib::Response& res) {
      SendError(res, Error::Internal("baseline catalogue: " + message));
    });
    return;
  }
  auto api = std::make_shared<BaselineApi>(context, **catalogue);
  api->Register(server);
  context.Keep(api);
}

namespace {
constexpr std::array<std::string_view, 1> kBaselinePathPrefixes = {"/api/v1/baseline"};
constexpr std::array<std::string_view, 1> kBaselineRecordKinds = {"baseline.assessment"};
constexpr std::array<std::string_view, 3> kBaselineAuditActions = {"baseline.assessment.import",
                                                                   "baseline.requirement.put", "baseline.xccdf.import"};
}  // namespace

extern const Module kBaselineModule;
constinit const Module kBaselineModule{
    .name = "baseline",
    .register_routes = &RegisterBaselineApi,
    .openapi_fragment = "baseline.openapi.json",
    .path_prefixes = kBaselinePathPrefixes,
    .record_kinds = kBaselineRecordKinds,
    .audit_actions = kBaselineAuditActions,
    .dashboard_route = "#/baseline",
};

}  // namespace dv::hub
