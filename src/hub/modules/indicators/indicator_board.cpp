// SPDX-License-Identifier: Apache-2.0
#include "hub/modules/indicators/indicator_board.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <nlohmann/json.hpp>
#include <set>

#include "core/json_fields.h"
#include "stix/pattern.h"

namespace dv::hub {

using Json = nlohmann::json;

namespace {

constexpr double kDayMs = 86'400'000.0;

double LifetimeOfType(std::string_view type) {
  if (type == "ipv4-addr" || type == "ipv6-addr" || type == "network-traffic" || type == "mac-addr") return 30;
  if (type == "domain-name" || type == "url" || type == "email-addr" || type == "email-message") return 90;
  if (type == "file" || type == "artifact") return 365;
  return 180;
}

void CollectTypes(const StixComparisonExpression& expression, std::set<std::string>& types) {
  if (expression.kind == StixComparisonExpression::Kind::kComparison) {
    types.insert(expression.comparison.path.object_type);
    return;
  }
  for (const auto& operand : expression.operands) CollectTypes(operand, types);
}

void CollectTypes(const StixObservationExpression& expression, std::set<std::string>& types) {
  if (expression.kind == StixObservationExpression::Kind::kObservation) {
    CollectTypes(expression.comparison, types);
    return;
  }
  for (const auto& operand : expression.operands) CollectTypes(operand, types);
}

bool IsFalsePositiveOpinion(std::string_view opinion) {
  return opinion == "disagree" || opinion == "strongly-disagree";
}

struct OpinionEntry {
  OpinionFact fact;
  std::vector<std::string> refs;
};

struct SightingEntry {
  SightingFact fact;
  std::string ref;
};

struct Snapshot {
  std::map<std::string, Collection> collections;
  std::map<std::string, std::int64_t> cursor;  // collection → last seq read
  // (collection, indicator id) → the newest version.
  std::map<std::pair<std::string, std::string>, IndicatorFact> indicators;
  std::map<std::string, SightingEntry> sightings;  // by sighting id (the newest version)
  std::map<std::string, OpinionEntry> opinions;    // by opinion id
  std::vector<Verdict> verdicts;
  // Indicator id → (seq, organisation) of its earliest stored version: the producer.
  std::map<std::string, std::pair<std::int64_t, std::string>> first_version;
  // Audit actors ("member:<id>") of coordinators and administrators, whose verdicts count for any indicator.
  std::set<std::string> federation_actors;
};

// Newer TAXII versions sort later: they are RFC 3339 timestamps of one width.
bool IsNewer(const StoredObject& candidate, const StoredObject& current) {
  return candidate.version > current.version || (candidate.version == current.version && candidate.seq > current.seq);
}

// `sensors`: the ids of sensor-role members (PostedBySensor).
void Absorb(Snapshot& snapshot, const StoredObject& stored, const std::set<std::string>& sensors) {
  // Stored objects were depth-checked at intake.
  const Json object = Json::parse(stored.json, nullptr, false);
  if (object.is_discarded() || !object.is_object()) return;
  if (stored.type == "indicator") {
    auto [first, added] = snapshot.first_version.try_emplace(stored.id, stored.seq, stored.producer_org);
    if (!added && stored.seq < first->second.first) first->second = {stored.seq, stored.producer_org};
    auto key = std::make_pair(stored.collection_id, stored.id);
    auto it = snapshot.indicators.find(key);
    if (it != snapshot.indicators.end() && !IsNewer(stored, it->second.stored)) return;
    IndicatorFact fact;
    fact.stored = stored;
    fact.name = StringFieldOr(object, "name");
    fact.pattern = StringFieldOr(object, "pattern");
    fact.pattern_type = StringFieldOr(object, "pattern_type");
    if (const auto c = object.find("confidence"); c != object.end() && c->is_number()) {
      fact.confidence = c->get<double>();
    }
    fact.created = TimeFieldOr(object, "created").value_or(Timestamp());
    fact.modified = TimeFieldOr(object, "modified").value_or(fact.created);
    fact.valid_from = TimeFieldOr(object, "valid_from").value_or(fact.created);
    fact.valid_until = TimeFieldOr(object, "valid_until");
    fact.revoked = object.value("revoked", false);
    snapshot.indicators[key] = std::move(fact);
  } else if (stored.type == "sighting") {
    auto it = snapshot.sightings.find(stored.id);
    if (it != snapshot.sightings.end() && !IsNewer(stored, it->second.fact.stored)) return;
    SightingEntry entry;
    entry.fact.stored = stored;
    entry.fact.sighter_org = stored.producer_org;
    entry.fact.counts_only = !object.contains("where_sighted_refs") && !object.contains("created_by_ref");
    const auto block = object.find("x_dannevirke_block");
    entry.fact.block = block != object.end() && block->is_boolean() && block->get<bool>();
    entry.fact.measured = !entry.fact.block && PostedBySensor(stored, sensors);
    entry.fact.count = object.value("count", std::int64_t{1});
    entry.fact.first_seen = TimeFieldOr(object, "first_seen");
    entry.fact.last_seen = TimeFieldOr(object, "last_seen");
    if (!entry.fact.last_seen) entry.fact.last_seen = TimeFieldOr(object, "modified");
    entry.ref = StringFieldOr(object, "sighting_of_ref");
    snapshot.sightings[stored.id] = std::move(entry);
  } else if (stored.type == "opinion") {
    auto it = snapshot.opinions.find(stored.id);
    if (it != snapshot.opinions.end() && !IsNewer(stored, it->second.fact.stored)) return;
    OpinionEntry entry;
    entry.fact.stored = stored;
    entry.fact.reporter_org = stored.producer_org;
    entry.fact.opinion = StringFieldOr(object, "opinion");
    entry.fact.scope = StringFieldOr(object, "x_dannevirke_fp_scope");
    if (entry.fact.scope != "all") entry.fact.scope = "self";
    entry.fact.explanation = StringFieldOr(object, "explanation");
    entry.fact.created = TimeFieldOr(object, "created").value_or(Timestamp());
    entry.fact.revoked = object.value("revoked", false);
    if (const auto refs = object.find("object_refs"); refs != object.end() && refs->is_array()) {
      for (const auto& ref : *refs) {
        if (ref.is_string()) entry.refs.push_back(ref.get<std::string>());
      }
    }
    snapshot.opinions[stored.id] = std::move(entry);
  }
}

}  // namespace

double LifetimeDays(std::string_view pattern_type, std::string_view pattern) {
  if (pattern_type != "stix") return 180;
  auto parsed = ParseStixPattern(pattern);
  if (!parsed.ok()) return 180;
  std::set<std::string> types;
  CollectTypes(parsed->root, types);
  double lifetime = 0;
  for (const auto& type : types) lifetime = std::max(lifetime, LifetimeOfType(type));
  return lifetime > 0 ? lifetime : 180;
}

double DecayedConfidence(double base, double age_days, double lifetime_days) {
  if (lifetime_days <= 0) return 0;
  const double age = std::max(0.0, age_days);
  if (age >= lifetime_days) return 0;
  return base * (1.0 - std::pow(age / lifetime_days, 1.0 / kDecaySpeed));
}

double DaysUntilExpiry(double base, double lifetime_days) {
  if (base < kExpiryThreshold || base <= 0) return 0;
  // base × (1 − (Δ/τ)^(1/δ)) = threshold  ⇔  Δ = τ × (1 − threshold/base)^δ
  return lifetime_days * std::pow(1.0 - kExpiryThreshold / base, kDecaySpeed);
}

std::string_view IndicatorStatusName(IndicatorStatus status) {
  switch (status) {
    case IndicatorStatus::kActive:
      return "active";
    case IndicatorStatus::kExpired:
      return "expired";
    case IndicatorStatus::kRevoked:
      return "revoked";
    case IndicatorStatus::kFalsePositive:
      return "false_positive";
  }
  return "active";
}

class IndicatorBoard::Impl {
 public:
  explicit Impl(Store& store) : store_(store), snapshot_(std::make_shared<Snapshot>()) {
    // A deletion (here or at another hub instance) is not in the
    // incremental read: the next refresh reads everything again.
    watch_id_ = store_.Watch([this](const Store::Change& change) {
      if (change.kind == Store::Change::Kind::kObjectsDeleted || change.kind == Store::Change::Kind::kResync) {
        reread_ = true;
      }
    });
  }
  ~Impl() { store_.Unwatch(watch_id_); }

  Status Refresh(double full_every_seconds) {
    std::lock_guard refresh_lock(refresh_mutex_);
    const auto now = std::chrono::steady_clock::now();
    const bool full = reread_.exchange(false) || !last_full_ ||
                      std::chrono::duration<double>(now - *last_full_).count() >= full_every_seconds;
    auto current = Current();
    auto next = full ? std::make_shared<Snapshot>() : std::make_shared<Snapshot>(*current);
    bool changed = full;
    auto members = store_.ListMembers();
    if (!members.ok()) return members.error();
    std::set<std::string> sensors;
    std::set<std::string> federation_actors;
    for (const auto& member : *members) {
      if (member.role == MemberRole::kSensor) sensors.insert(member.id);
      if (member.role == MemberRole::kCoordinator || member.role == MemberRole::kAdmin) {
        federation_actors.insert("member:" + member.id);
      }
    }
    auto collections = store_.ListCollections();
    if (!collections.ok()) return collections.error();
    next->collections.clear();
    for (const auto& collection : *collections) {
      next->collections[collection.id] = collection;
      ObjectQuery query;
      query.collection_id = collection.id;
      query.after_seq = next->cursor[collection.id];
      query.types = {"indicator", "sighting", "opinion"};
      query.versions.mode = VersionFilter::Mode::kAll;
      query.limit = Store::kMaxPageSize;
      while (true) {
        auto page = store_.QueryObjects(query, [](const StoredObject&) { return true; });
        if (!page.ok()) return page.error().WithContext("reading collection " + collection.id);
        for (const auto& stored : page->objects) {
          Absorb(*next, stored, sensors);
          next->cursor[collection.id] = std::max(next->cursor[collection.id], stored.seq);
          changed = true;
        }
        if (!page->more) break;
        query.after_seq = page->next_seq;
      }
    }
    auto verdicts = store_.ListRecords({"indicator.verdict", std::nullopt, false});
    if (!verdicts.ok()) return verdicts.error();
    std::vector<Verdict> parsed;
    for (const auto& record : *verdicts) {
      const Json body = Json::parse(record.body, nullptr, false);
      if (body.is_discarded()) continue;
      parsed.push_back(
          {body.value("indicator", std::string()), record.org_code, record.actor, body.value("reason", ""), record.at});
    }
    if (parsed.size() != next->verdicts.size() || federation_actors != next->federation_actors) changed = true;
    next->verdicts = std::move(parsed);
    next->federation_actors = std::move(federation_actors);
    if (full) last_full_ = now;
    if (changed) {
      std::lock_guard lock(mutex_);
      snapshot_ = std::move(next);
      ++generation_;
    }
    return Ok();
  }

  std::shared_ptr<const Snapshot> Current() {
    std::lock_guard lock(mutex_);
    return snapshot_;
  }

  std::uint64_t Generation() {
    std::lock_guard lock(mutex_);
    return generation_;
  }

  Result<std::vector<IndicatorView>> Views(const Principal& principal, Timestamp now, std::string_view only_id) {
    DV_TRY(Refresh(30));
    const auto snapshot = Current();
    // Sightings and opinions by the indicator they refer to.
    std::map<std::string, std::vector<const SightingFact*>> sightings_of;
    for (const auto& [id, entry] : snapshot->sightings) {
      if (only_id.empty() || entry.ref == only_id) sightings_of[entry.ref].push_back(&entry.fact);
    }
    std::map<std::string, std::vector<const OpinionFact*>> opinions_of;
    for (const auto& [id, entry] : snapshot->opinions) {
      if (entry.fact.revoked || !IsFalsePositiveOpinion(entry.fact.opinion)) continue;
      for (const auto& ref : entry.refs) {
        if (only_id.empty() || ref == only_id) opinions_of[ref].push_back(&entry.fact);
      }
    }
    std::map<std::string, IndicatorView> by_id;
    for (const auto& [key, fact] : snapshot->indicators) {
      if (!only_id.empty() && key.second != only_id) continue;
      const auto collection = snapshot->collections.find(key.first);
      if (collection == snapshot->collections.end()) continue;
      if (!CanSeeObject(principal, collection->second, fact.stored)) continue;
      auto existing = by_id.find(key.second);
      if (existing != by_id.end() && existing->second.fact->modified >= fact.modified) continue;
      IndicatorView view;
      view.keep_alive = snapshot;
      view.fact = &fact;
      view.collection = collection->second;
      const auto first = snapshot->first_version.find(key.second);
      view.producer_org = first != snapshot->first_version.end() ? first->second.second : fact.stored.producer_org;
      by_id[key.second] = std::move(view);
    }
    std::vector<IndicatorView> views;
    views.reserve(by_id.size());
    for (auto& [id, view] : by_id) {
      Complete(view, principal, now, *snapshot, sightings_of[id], opinions_of[id]);
      views.push_back(std::move(view));
    }
    std::sort(views.begin(), views.end(), [](const IndicatorView& a, const IndicatorView& b) {
      const Timestamp a_at = std::max(a.fact->modified, a.last_seen.value_or(Timestamp()));
      const Timestamp b_at = std::max(b.fact->modified, b.last_seen.value_or(Timestamp()));
      return a_at != b_at ? a_at > b_at : a.fact->stored.id < b.fact->stored.id;
    });
    return views;
  }

  bool Known(std::string_view indicator_id) { return Current()->first_version.count(std::string(indicator_id)) > 0; }

 private:
  static void Complete(IndicatorView& view, const Principal& principal, Timestamp now, const Snapshot& snapshot,
                       const std::vector<const SightingFact*>& sightings,
                       const std::vector<const OpinionFact*>& opinions) {
    const IndicatorFact& fact = *view.fact;
    std::set<std::string> orgs;
    std::optional<Timestamp> last_measured;
    // Only what the principal may see counts (CanSeeObject): a sighting or a
    // report it may not read adds nothing to any figure, confidence included.
    auto visible = [&](const StoredObject& stored) {
      const auto collection = snapshot.collections.find(stored.collection_id);
      return collection != snapshot.collections.end() && CanSeeObject(principal, collection->second, stored);
    };
    std::set<std::string> blocking_orgs;
    for (const SightingFact* sighting : sightings) {
      if (!visible(sighting->stored)) continue;
      if (sighting->block) {
        view.visible_blocks.push_back(sighting);
        view.blocks += sighting->count;
        blocking_orgs.insert(sighting->sighter_org);
        continue;
      }
      view.visible_sightings.push_back(sighting);
      ++view.sightings;
      view.sighting_count += sighting->count;
      orgs.insert(sighting->sighter_org);
      const auto first = sighting->first_seen.value_or(sighting->last_seen.value_or(Timestamp()));
      const auto last = sighting->last_seen.value_or(first);
      if (!view.first_seen || first < *view.first_seen) view.first_seen = first;
      if (!view.last_seen || last > *view.last_seen) view.last_seen = last;
      if (sighting->measured && (!last_measured || last > *last_measured)) last_measured = last;
    }
    view.sighting_orgs = static_cast<std::int64_t>(orgs.size());
    view.blocked_members = static_cast<std::int64_t>(blocking_orgs.size());
    for (const OpinionFact* opinion : opinions) {
      if (opinion->scope == "self" && opinion->reporter_org == principal.organisation.code) view.fp_self = true;
      if (!visible(opinion->stored)) continue;
      ++view.fp_reports;
      view.visible_opinions.push_back(opinion);
    }
    // A verdict counts when the producer or a coordinator gave it (a record
    // written by anyone else, before ownership was enforced, does not).
    for (const auto& verdict : snapshot.verdicts) {
      if (verdict.indicator_id != fact.stored.id) continue;
      if (verdict.org_code == view.producer_org || snapshot.federation_actors.count(verdict.actor) > 0) {
        view.verdicts.push_back(verdict);
      }
    }
    view.base = fact.confidence.value_or(kDefaultBase);
    view.lifetime_days = LifetimeDays(fact.pattern_type, fact.pattern);
    // Only a sensor's sighting is evidence, and never from the future.
    view.decay_from = std::max(fact.valid_from, std::min(last_measured.value_or(Timestamp()), now));
    const double age_days = static_cast<double>(now.unix_ms() - view.decay_from.unix_ms()) / kDayMs;
    view.confidence = DecayedConfidence(view.base, age_days, view.lifetime_days);
    view.expires_at = Timestamp(view.decay_from.unix_ms() +
                                static_cast<std::int64_t>(DaysUntilExpiry(view.base, view.lifetime_days) * kDayMs));
    if (fact.revoked) {
      view.status = IndicatorStatus::kRevoked;
      view.status_detail = "revoked by its producer";
    } else if (!view.verdicts.empty()) {
      view.status = IndicatorStatus::kFalsePositive;
      view.status_detail = "accepted as a false positive for all by " + view.verdicts.front().org_code;
    } else if (view.fp_self) {
      view.status = IndicatorStatus::kFalsePositive;
      view.status_detail = "reported as a false positive by your organisation";
    } else if (fact.valid_until && *fact.valid_until <= now) {
      view.status = IndicatorStatus::kExpired;
      view.status_detail = "valid_until " + fact.valid_until->ToRfc3339() + " has passed";
    } else if (view.confidence < kExpiryThreshold) {
      view.status = IndicatorStatus::kExpired;
      view.status_detail = "confidence decayed below " + std::to_string(static_cast<int>(kExpiryThreshold)) +
                           " (no sighting since " + view.decay_from.ToRfc3339() + ")";
    }
  }

  Store& store_;
  std::mutex mutex_;          // guards snapshot_
  std::mutex refresh_mutex_;  // one refresh at a time
  std::shared_ptr<const Snapshot> snapshot_;
  std::uint64_t generation_ = 0;  // guarded by mutex_
  std::optional<std::chrono::steady_clock::time_point> last_full_;
  std::uint64_t watch_id_ = 0;
  std::atomic<bool> reread_{false};
};

IndicatorBoard::IndicatorBoard(Store& store) : impl_(std::make_unique<Impl>(store)) {}
IndicatorBoard::~IndicatorBoard() = default;

Status IndicatorBoard::Refresh(double full_every_seconds) { return impl_->Refresh(full_every_seconds); }

std::uint64_t IndicatorBoard::Generation() { return impl_->Generation(); }

Result<std::vector<IndicatorView>> IndicatorBoard::Views(const Principal& principal, Timestamp now) {
  return impl_->Views(principal, now, "");
}

bool IndicatorBoard::Known(std::string_view indicator_id) { return impl_->Known(indicator_id); }

Result<IndicatorView> IndicatorBoard::View(const Principal& principal, std::string_view indicator_id, Timestamp now) {
  auto views = impl_->Views(principal, now, indicator_id);
  if (!views.ok()) return views.error();
  if (views->empty()) return Error::NotFound("no indicator '" + std::string(indicator_id) + "' that you may see");
  return std::move(views->front());
}

}  // namespace dv::hub
