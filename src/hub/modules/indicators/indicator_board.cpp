// SPDX-License-Identifier: Apache-2.0
#include "hub/modules/indicators/indicator_board.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <nlohmann/json.hpp>
#include <set>
#include <shared_mutex>
#include <unordered_map>

#include "core/json_fields.h"
#include "hub/api.h"
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

// Newer TAXII versions sort later: they are RFC 3339 timestamps of one width.
bool IsNewer(const StoredObject& candidate, const StoredObject& current) {
  return candidate.version > current.version || (candidate.version == current.version && candidate.seq > current.seq);
}

// The stored text is needed again only to find the TLP of a legacy row
// without one (hub/access.h EffectiveTlp).
void DropText(StoredObject& stored) {
  if (stored.tlp) {
    stored.json.clear();
    stored.json.shrink_to_fit();
  }
}

std::int64_t ExpiryMs(Timestamp decay_from, double base, double lifetime_days) {
  return decay_from.unix_ms() + static_cast<std::int64_t>(DaysUntilExpiry(base, lifetime_days) * kDayMs);
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

namespace {

// Everything known about one indicator id.
struct Entry {
  std::map<std::string, std::shared_ptr<const IndicatorFact>> versions;  // by collection id: the newest there
  std::int64_t first_seq = 0;  // the earliest stored version anywhere: its poster is the producer
  std::string producer;
  std::map<std::string, std::shared_ptr<const SightingFact>> sightings;  // by sighting id
  std::map<std::string, std::shared_ptr<const OpinionFact>> opinions;    // false-positive reports, by opinion id
  std::vector<Verdict> verdicts;
  std::int64_t changed_seq = 0;      // the newest object, of any visibility, that touched it
  std::vector<std::int64_t> points;  // its entries in Index::points
};

struct ParsedOpinion {
  std::shared_ptr<const OpinionFact> fact;
  std::vector<std::string> refs;
};

// One stored object, parsed off the lock.
struct Parsed {
  std::string type;
  std::shared_ptr<const IndicatorFact> indicator;
  std::shared_ptr<const SightingFact> sighting;
  std::string sighting_ref;
  ParsedOpinion opinion;
};

using TimedId = std::pair<std::int64_t, const std::string*>;
struct TimedIdLess {
  bool operator()(const TimedId& a, const TimedId& b) const {
    if (a.first != b.first) return a.first < b.first;
    if (a.second == nullptr || b.second == nullptr) return a.second == nullptr && b.second != nullptr;
    return *a.second < *b.second;
  }
};

struct Index {
  std::int64_t cursor = 0;  // every indicator, sighting and opinion with seq ≤ cursor has been read
  std::map<std::string, std::shared_ptr<const Collection>> collections;
  std::unordered_map<std::string, Entry> entries;  // by indicator id
  std::unordered_map<std::string, std::pair<std::string, std::shared_ptr<const SightingFact>>> sightings;  // by id
  std::unordered_map<std::string, ParsedOpinion> opinions;  // by id, every opinion (not only reports)
  std::vector<Verdict> verdicts;
  std::set<std::string> sensors;            // member ids with the sensor role (PostedBySensor)
  std::set<std::string> federation_actors;  // "member:<id>" of coordinators and administrators
  // For State since a cursor. Indicator ids point at the keys of `entries`,
  // which stay put: an index never removes an entry (a full re-read builds
  // a new index).
  std::set<TimedId, TimedIdLess> by_changed;  // (changed_seq, indicator id)
  // Every time at which an indicator's status can change by the clock alone,
  // for some reader: each version's valid_until, and its decay expiry counted
  // from its valid_from and from each measured sighting's last_seen after
  // that (a reader's expiry is one of these, whichever sightings it sees).
  std::set<TimedId, TimedIdLess> points;
};

Parsed Parse(StoredObject stored, const std::set<std::string>& sensors) {
  Parsed parsed;
  // Stored objects were depth-checked at intake.
  const Json object = Json::parse(stored.json, nullptr, false);
  if (object.is_discarded() || !object.is_object()) return parsed;
  parsed.type = stored.type;
  if (stored.type == "indicator") {
    auto fact = std::make_shared<IndicatorFact>();
    fact->name = StringFieldOr(object, "name");
    fact->pattern = StringFieldOr(object, "pattern");
    fact->pattern_type = StringFieldOr(object, "pattern_type");
    if (const auto c = object.find("confidence"); c != object.end() && c->is_number()) {
      fact->confidence = c->get<double>();
    }
    fact->created = TimeFieldOr(object, "created").value_or(Timestamp());
    fact->modified = TimeFieldOr(object, "modified").value_or(fact->created);
    fact->valid_from = TimeFieldOr(object, "valid_from").value_or(fact->created);
    fact->valid_until = TimeFieldOr(object, "valid_until");
    fact->revoked = object.value("revoked", false);
    fact->lifetime_days = LifetimeDays(fact->pattern_type, fact->pattern);
    DropText(stored);
    fact->stored = std::move(stored);
    parsed.indicator = std::move(fact);
  } else if (stored.type == "sighting") {
    auto fact = std::make_shared<SightingFact>();
    fact->sighter_org = stored.producer_org;
    fact->counts_only = !object.contains("where_sighted_refs") && !object.contains("created_by_ref");
    const auto block = object.find("x_dannevirke_block");
    fact->block = block != object.end() && block->is_boolean() && block->get<bool>();
    fact->measured = !fact->block && PostedBySensor(stored, sensors);
    fact->count = object.value("count", std::int64_t{1});
    fact->first_seen = TimeFieldOr(object, "first_seen");
    fact->last_seen = TimeFieldOr(object, "last_seen");
    if (!fact->last_seen) fact->last_seen = TimeFieldOr(object, "modified");
    parsed.sighting_ref = StringFieldOr(object, "sighting_of_ref");
    DropText(stored);
    fact->stored = std::move(stored);
    parsed.sighting = std::move(fact);
  } else if (stored.type == "opinion") {
    auto fact = std::make_shared<OpinionFact>();
    fact->reporter_org = stored.producer_org;
    fact->opinion = StringFieldOr(object, "opinion");
    fact->scope = StringFieldOr(object, "x_dannevirke_fp_scope");
    if (fact->scope != "all") fact->scope = "self";
    fact->explanation = StringFieldOr(object, "explanation");
    fact->created = TimeFieldOr(object, "created").value_or(Timestamp());
    fact->revoked = object.value("revoked", false);
    if (const auto refs = object.find("object_refs"); refs != object.end() && refs->is_array()) {
      for (const auto& ref : *refs) {
        if (ref.is_string()) parsed.opinion.refs.push_back(ref.get<std::string>());
      }
    }
    DropText(stored);
    fact->stored = std::move(stored);
    parsed.opinion.fact = std::move(fact);
  }
  return parsed;
}

struct PointeeLess {
  bool operator()(const std::string* a, const std::string* b) const { return *a < *b; }
};

bool IsReport(const OpinionFact& opinion) { return !opinion.revoked && IsFalsePositiveOpinion(opinion.opinion); }

void Touch(Index& index, const std::string& id, std::int64_t seq, std::set<std::string>& touched) {
  auto& [key, entry] = *index.entries.try_emplace(id).first;
  if (seq > entry.changed_seq) {
    index.by_changed.erase({entry.changed_seq, &key});
    entry.changed_seq = seq;
    index.by_changed.insert({seq, &key});
  }
  touched.insert(id);
}

// Applies one parsed object; records the indicators it touched.
void Apply(Index& index, Parsed parsed, std::set<std::string>& touched) {
  if (parsed.indicator) {
    const StoredObject& stored = parsed.indicator->stored;
    const std::string id = stored.id;
    const std::int64_t seq = stored.seq;
    Entry& entry = index.entries[id];
    if (entry.producer.empty() || seq < entry.first_seq) {
      entry.first_seq = seq;
      entry.producer = stored.producer_org;
    }
    auto& slot = entry.versions[stored.collection_id];
    if (!slot || IsNewer(stored, slot->stored)) slot = std::move(parsed.indicator);
    Touch(index, id, seq, touched);
  } else if (parsed.sighting) {
    const StoredObject& stored = parsed.sighting->stored;
    auto& known = index.sightings[stored.id];
    if (known.second && !IsNewer(stored, known.second->stored)) return;
    const std::int64_t seq = stored.seq;
    if (known.second) {
      index.entries[known.first].sightings.erase(stored.id);
      Touch(index, known.first, seq, touched);
    }
    known = {parsed.sighting_ref, parsed.sighting};
    index.entries[parsed.sighting_ref].sightings[stored.id] = std::move(parsed.sighting);
    Touch(index, known.first, seq, touched);
  } else if (parsed.opinion.fact) {
    const StoredObject& stored = parsed.opinion.fact->stored;
    auto& known = index.opinions[stored.id];
    if (known.fact && !IsNewer(stored, known.fact->stored)) return;
    const std::int64_t seq = stored.seq;
    if (known.fact) {
      for (const auto& ref : known.refs) {
        index.entries[ref].opinions.erase(stored.id);
        Touch(index, ref, seq, touched);
      }
    }
    known = parsed.opinion;
    for (const auto& ref : known.refs) {
      if (IsReport(*known.fact)) index.entries[ref].opinions[stored.id] = known.fact;
      Touch(index, ref, seq, touched);
    }
  }
}

// Files an indicator's times under Index::points again.
void Reclassify(Index& index, const std::string& id) {
  const auto found = index.entries.find(id);
  if (found == index.entries.end()) return;
  const std::string* key = &found->first;
  Entry& entry = found->second;
  for (const auto point : entry.points) index.points.erase({point, key});
  entry.points.clear();
  for (const auto& [collection, fact] : entry.versions) {
    if (fact->valid_until) entry.points.push_back(fact->valid_until->unix_ms());
    const double base = fact->confidence.value_or(kDefaultBase);
    entry.points.push_back(ExpiryMs(fact->valid_from, base, fact->lifetime_days));
    for (const auto& [sighting_id, sighting] : entry.sightings) {
      if (sighting->measured && sighting->last_seen && *sighting->last_seen > fact->valid_from) {
        entry.points.push_back(ExpiryMs(*sighting->last_seen, base, fact->lifetime_days));
      }
    }
  }
  std::sort(entry.points.begin(), entry.points.end());
  entry.points.erase(std::unique(entry.points.begin(), entry.points.end()), entry.points.end());
  for (const auto point : entry.points) index.points.insert({point, key});
}

void SetVerdicts(Index& index, std::vector<Verdict> verdicts) {
  for (const auto& verdict : index.verdicts) {
    if (auto found = index.entries.find(verdict.indicator_id); found != index.entries.end()) {
      found->second.verdicts.clear();
    }
  }
  index.verdicts = std::move(verdicts);
  for (const auto& verdict : index.verdicts) index.entries[verdict.indicator_id].verdicts.push_back(verdict);
}

}  // namespace

class IndicatorBoard::Impl {
 public:
  explicit Impl(Store& store) : store_(store), index_(std::make_unique<Index>()) {
    watch_id_ = store_.Watch([this](const Store::Change& change) {
      switch (change.kind) {
        case Store::Change::Kind::kObjectsAdded:
          dirty_ = true;
          break;
        case Store::Change::Kind::kObjectsDeleted:
        case Store::Change::Kind::kResync:
          // A deletion (here or at another hub instance) is not in the
          // incremental read: the next refresh reads everything again.
          reread_ = true;
          dirty_ = true;
          break;
        case Store::Change::Kind::kRecordChanged:
          if (change.key == "indicator.verdict") {
            verdicts_dirty_ = true;
            dirty_ = true;
          }
          break;
      }
    });
  }
  ~Impl() { store_.Unwatch(watch_id_); }

  // `wait`: block while another thread refreshes and read even without a
  // notice; otherwise a reader proceeds with the index as it stands.
  Status Refresh(bool wait) {
    std::unique_lock refresh_lock(refresh_mutex_, std::defer_lock);
    if (wait || !ready_) {
      refresh_lock.lock();
    } else if (!refresh_lock.try_lock()) {
      return Ok();
    }
    const auto now = std::chrono::steady_clock::now();
    const auto since = [&](std::chrono::steady_clock::time_point then) {
      return std::chrono::duration<double>(now - then).count();
    };
    bool reread = reread_.exchange(false) || !ready_ || since(last_full_) >= kFullRereadSeconds;
    const bool noticed = dirty_.exchange(false);
    bool read_verdicts = verdicts_dirty_.exchange(false) || since(last_verdicts_) >= 60;
    if (!wait && !reread && !noticed && !read_verdicts && since(last_poll_) < kPollSeconds) return Ok();
    last_poll_ = now;
    // A refresh that fails (the database away) leaves what it was asked to
    // do for the next one: a deletion must not stay unread.
    struct KeepAsked {
      Impl& impl;
      bool reread;
      bool verdicts;
      bool done = false;
      ~KeepAsked() {
        if (done) return;
        if (reread) impl.reread_ = true;
        if (verdicts) impl.verdicts_dirty_ = true;
        impl.dirty_ = true;
      }
    } keep_asked{*this, reread, read_verdicts};

    auto members = store_.ListMembers();
    if (!members.ok()) return Fail(members.error());
    std::set<std::string> sensors;
    std::set<std::string> federation_actors;
    for (const auto& member : *members) {
      if (member.role == MemberRole::kSensor) sensors.insert(member.id);
      if (member.role == MemberRole::kCoordinator || member.role == MemberRole::kAdmin) {
        federation_actors.insert("member:" + member.id);
      }
    }
    auto listed = store_.ListCollections();
    if (!listed.ok()) return Fail(listed.error());
    std::map<std::string, std::shared_ptr<const Collection>> collections;
    for (auto& collection : *listed) {
      std::string id = collection.id;  // the right side of `=` is evaluated first
      collections[std::move(id)] = std::make_shared<const Collection>(std::move(collection));
    }
    // Only this thread (holding refresh_mutex_) changes the index, so it
    // may read it without the index lock.
    if (sensors != index_->sensors) reread = true;

    if (reread) {
      auto fresh = std::make_unique<Index>();
      fresh->sensors = std::move(sensors);
      fresh->federation_actors = std::move(federation_actors);
      fresh->collections = std::move(collections);
      std::vector<Parsed> parsed;
      std::set<std::string> touched;
      std::int64_t cursor = 0;
      // Page by page, so that only one page of text is held at a time.
      for (bool more = true; more;) {
        if (auto read = ReadSince(cursor, fresh->sensors, parsed, more); !read.ok()) return Fail(read.error());
        for (auto& object : parsed) Apply(*fresh, std::move(object), touched);
        parsed.clear();
      }
      fresh->cursor = cursor;
      for (const auto& id : touched) Reclassify(*fresh, id);
      auto verdicts = ReadVerdicts();
      if (!verdicts.ok()) return Fail(verdicts.error());
      SetVerdicts(*fresh, std::move(verdicts).value());
      {
        std::unique_lock lock(index_mutex_);
        index_ = std::move(fresh);
        ++generation_;
      }
      ready_ = true;
      last_full_ = now;
      last_verdicts_ = now;
      keep_asked.done = true;
      return Ok();
    }

    std::vector<Parsed> parsed;
    std::int64_t cursor = index_->cursor;
    for (bool more = true; more;) {
      if (auto read = ReadSince(cursor, index_->sensors, parsed, more); !read.ok()) return Fail(read.error());
    }
    std::optional<std::vector<Verdict>> verdicts;
    if (read_verdicts) {
      auto read = ReadVerdicts();
      if (!read.ok()) return Fail(read.error());
      verdicts = std::move(read).value();
      last_verdicts_ = now;
    }
    std::unique_lock lock(index_mutex_);
    Index& index = *index_;
    bool changed = !parsed.empty();
    if (!SameCollections(collections, index.collections)) {
      index.collections = std::move(collections);
      changed = true;
    }
    if (federation_actors != index.federation_actors) {
      index.federation_actors = std::move(federation_actors);
      changed = true;
    }
    std::set<std::string> touched;
    for (auto& object : parsed) Apply(index, std::move(object), touched);
    for (const auto& id : touched) Reclassify(index, id);
    index.cursor = cursor;
    if (verdicts && !SameVerdicts(*verdicts, index.verdicts)) {
      SetVerdicts(index, std::move(*verdicts));
      changed = true;
    }
    if (changed) ++generation_;
    keep_asked.done = true;
    return Ok();
  }

  std::uint64_t Generation() {
    std::shared_lock lock(index_mutex_);
    return generation_;
  }

  Result<std::vector<IndicatorView>> Views(const Principal& principal, Timestamp now) {
    DV_TRY(Refresh(false));
    std::shared_lock lock(index_mutex_);
    const Index& index = *index_;
    std::vector<IndicatorView> views;
    for (const auto& [id, entry] : index.entries) {
      IndicatorView view;
      if (BuildView(index, entry, principal, now, view)) views.push_back(std::move(view));
    }
    std::sort(views.begin(), views.end(), [](const IndicatorView& a, const IndicatorView& b) {
      const Timestamp a_at = std::max(a.fact->modified, a.last_seen.value_or(Timestamp()));
      const Timestamp b_at = std::max(b.fact->modified, b.last_seen.value_or(Timestamp()));
      return a_at != b_at ? a_at > b_at : a.fact->stored.id < b.fact->stored.id;
    });
    return views;
  }

  Result<IndicatorView> View(const Principal& principal, std::string_view indicator_id, Timestamp now) {
    DV_TRY(Refresh(false));
    std::shared_lock lock(index_mutex_);
    const Index& index = *index_;
    IndicatorView view;
    const auto found = index.entries.find(std::string(indicator_id));
    if (found == index.entries.end() || !BuildView(index, found->second, principal, now, view)) {
      return Error::NotFound("no indicator '" + std::string(indicator_id) + "' that you may see");
    }
    return view;
  }

  bool Known(std::string_view indicator_id) {
    std::shared_lock lock(index_mutex_);
    const auto found = index_->entries.find(std::string(indicator_id));
    return found != index_->entries.end() && !found->second.versions.empty();
  }

  Result<StateAnswer> State(const Principal& principal, Timestamp now, std::optional<StateCursor> since) {
    DV_TRY(Refresh(false));
    std::shared_lock lock(index_mutex_);
    const Index& index = *index_;
    StateAnswer answer;
    answer.cursor = {index.cursor, now.unix_ms()};
    answer.complete = !since.has_value();
    const auto add = [&](const std::string& id, const Entry& entry, bool inactive_only) {
      IndicatorView view;
      if (!BuildView(index, entry, principal, now, view)) return;
      if (inactive_only && view.status == IndicatorStatus::kActive) return;
      answer.entries.push_back({id, view.status, view.status_detail});
    };
    if (!since) {
      for (const auto& [id, entry] : index.entries) add(id, entry, true);
    } else {
      // Each kind of candidate is judged by what the principal may see, so
      // that nothing it may not see (a sighting, a verdict by someone else)
      // shows as an indicator named without a reason.
      std::set<const std::string*, PointeeLess> named;
      for (auto it = index.by_changed.lower_bound({since->seq + 1, nullptr}); it != index.by_changed.end(); ++it) {
        if (VisibleChangedSeq(index, index.entries.at(*it->second), principal) > since->seq) named.insert(it->second);
      }
      const std::int64_t now_ms = now.unix_ms();
      const auto in_window = [&](std::int64_t at) { return at > since->at_ms && at <= now_ms; };
      for (auto it = index.points.lower_bound({since->at_ms + 1, nullptr});
           it != index.points.end() && it->first <= now_ms; ++it) {
        if (named.count(it->second) > 0) continue;
        IndicatorView view;
        if (!BuildView(index, index.entries.at(*it->second), principal, now, view)) continue;
        if (in_window(view.expires_at.unix_ms()) ||
            (view.fact->valid_until && in_window(view.fact->valid_until->unix_ms()))) {
          named.insert(it->second);
        }
      }
      constexpr std::int64_t kVerdictOverlapMs = 5 * 60 * 1000;
      for (const auto& verdict : index.verdicts) {
        if (verdict.at.unix_ms() <= since->at_ms - kVerdictOverlapMs) continue;
        const auto found = index.entries.find(verdict.indicator_id);
        if (found == index.entries.end() || named.count(&found->first) > 0) continue;
        IndicatorView view;
        if (!BuildView(index, found->second, principal, now, view)) continue;
        for (const auto& counted : view.verdicts) {
          if (counted.at.unix_ms() > since->at_ms - kVerdictOverlapMs) named.insert(&found->first);
        }
      }
      for (const std::string* id : named) add(*id, index.entries.at(*id), false);
    }
    std::sort(answer.entries.begin(), answer.entries.end(),
              [](const StateEntry& a, const StateEntry& b) { return a.id < b.id; });
    return answer;
  }

 private:
  Status Fail(const Error& error) { return error.WithContext("refreshing the indicator board"); }

  // Reads the next page of indicators, sightings and opinions after
  // `cursor` across all collections, parsed, and moves `cursor` on.
  Status ReadSince(std::int64_t& cursor, const std::set<std::string>& sensors, std::vector<Parsed>& out, bool& more) {
    ObjectQuery query;
    query.all_collections = true;
    query.after_seq = cursor;
    query.types = {"indicator", "sighting", "opinion"};
    query.versions.mode = VersionFilter::Mode::kAll;
    query.limit = Store::kMaxPageSize;
    auto page = store_.QueryObjects(query, [](const StoredObject&) { return true; });
    if (!page.ok()) return page.error();
    for (auto& stored : page->objects) {
      cursor = std::max(cursor, stored.seq);
      out.push_back(Parse(std::move(stored), sensors));
    }
    more = page->more;
    return Ok();
  }

  Result<std::vector<Verdict>> ReadVerdicts() {
    auto records = store_.ListRecords({"indicator.verdict", std::nullopt, false});
    if (!records.ok()) return records.error();
    std::vector<Verdict> verdicts;
    for (const auto& record : *records) {
      const Json body = Json::parse(record.body, nullptr, false);
      if (body.is_discarded() || !body.is_object()) continue;
      verdicts.push_back(
          {body.value("indicator", std::string()), record.org_code, record.actor, body.value("reason", ""), record.at});
    }
    return verdicts;
  }

  static bool SameCollections(const std::map<std::string, std::shared_ptr<const Collection>>& a,
                              const std::map<std::string, std::shared_ptr<const Collection>>& b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                      [](const auto& x, const auto& y) { return x.first == y.first && *x.second == *y.second; });
  }

  static bool SameVerdicts(const std::vector<Verdict>& a, const std::vector<Verdict>& b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const Verdict& x, const Verdict& y) {
      return x.indicator_id == y.indicator_id && x.org_code == y.org_code && x.actor == y.actor &&
             x.reason == y.reason && x.at == y.at;
    });
  }

  static bool Visible(const Index& index, const Principal& principal, const StoredObject& stored) {
    const auto collection = index.collections.find(stored.collection_id);
    return collection != index.collections.end() && CanSeeObject(principal, *collection->second, stored);
  }

  // The newest object touching the indicator that the principal may see
  // (its own false-positive reports included): what a change since a cursor
  // is judged by, so that an object the principal may not see never shows.
  static std::int64_t VisibleChangedSeq(const Index& index, const Entry& entry, const Principal& principal) {
    std::int64_t seq = 0;
    for (const auto& [collection, fact] : entry.versions) {
      if (Visible(index, principal, fact->stored)) seq = std::max(seq, fact->stored.seq);
    }
    for (const auto& [id, sighting] : entry.sightings) {
      if (Visible(index, principal, sighting->stored)) seq = std::max(seq, sighting->stored.seq);
    }
    for (const auto& [id, opinion] : entry.opinions) {
      if (opinion->reporter_org == principal.organisation.code || Visible(index, principal, opinion->stored)) {
        seq = std::max(seq, opinion->stored.seq);
      }
    }
    return seq;
  }

  // The principal's view of one indicator: the newest version it may see
  // across collections; false when it may see none.
  static bool BuildView(const Index& index, const Entry& entry, const Principal& principal, Timestamp now,
                        IndicatorView& view) {
    for (const auto& [collection_id, fact] : entry.versions) {
      const auto collection = index.collections.find(collection_id);
      if (collection == index.collections.end()) continue;
      if (!CanSeeObject(principal, *collection->second, fact->stored)) continue;
      if (view.fact && view.fact->modified >= fact->modified) continue;
      view.fact = fact;
      view.collection = collection->second;
    }
    if (!view.fact) return false;
    view.producer_org = entry.producer.empty() ? view.fact->stored.producer_org : entry.producer;
    Complete(index, entry, view, principal, now);
    return true;
  }

  static void Complete(const Index& index, const Entry& entry, IndicatorView& view, const Principal& principal,
                       Timestamp now) {
    const IndicatorFact& fact = *view.fact;
    std::set<std::string> orgs;
    std::optional<Timestamp> last_measured;
    // Only what the principal may see counts (CanSeeObject): a sighting or a
    // report it may not read adds nothing to any figure, confidence included.
    std::set<std::string> blocking_orgs;
    for (const auto& [id, sighting] : entry.sightings) {
      if (!Visible(index, principal, sighting->stored)) continue;
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
    for (const auto& [id, opinion] : entry.opinions) {
      if (opinion->scope == "self" && opinion->reporter_org == principal.organisation.code) view.fp_self = true;
      if (!Visible(index, principal, opinion->stored)) continue;
      ++view.fp_reports;
      view.visible_opinions.push_back(opinion);
    }
    // A verdict counts when the producer or a coordinator gave it (a record
    // written by anyone else, before ownership was enforced, does not).
    for (const auto& verdict : entry.verdicts) {
      if (verdict.org_code == view.producer_org || index.federation_actors.count(verdict.actor) > 0) {
        view.verdicts.push_back(verdict);
      }
    }
    view.base = fact.confidence.value_or(kDefaultBase);
    view.lifetime_days = fact.lifetime_days;
    // Only a sensor's sighting is evidence, and never from the future.
    view.decay_from = std::max(fact.valid_from, std::min(last_measured.value_or(Timestamp()), now));
    const double age_days = static_cast<double>(now.unix_ms() - view.decay_from.unix_ms()) / kDayMs;
    view.confidence = DecayedConfidence(view.base, age_days, view.lifetime_days);
    view.expires_at = Timestamp(ExpiryMs(view.decay_from, view.base, view.lifetime_days));
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
  std::mutex refresh_mutex_;       // one refresh at a time; only the refreshing thread changes index_
  std::shared_mutex index_mutex_;  // readers share the index; a refresh applies its changes alone
  std::unique_ptr<Index> index_;   // guarded by index_mutex_
  std::uint64_t generation_ = 0;   // guarded by index_mutex_
  std::atomic<bool> ready_{false};
  std::chrono::steady_clock::time_point last_full_{};
  std::chrono::steady_clock::time_point last_poll_{};
  std::chrono::steady_clock::time_point last_verdicts_{};
  std::uint64_t watch_id_ = 0;
  std::atomic<bool> dirty_{false};
  std::atomic<bool> reread_{false};
  std::atomic<bool> verdicts_dirty_{false};
};

std::string StateCursor::ToString() const { return std::to_string(seq) + "-" + std::to_string(at_ms); }

Result<StateCursor> StateCursor::Parse(std::string_view text, std::string_view what) {
  const auto refuse = [&] {
    return Error::InvalidArgument(std::string(what) + " must be a cursor from an earlier answer (\"<seq>-<time>\")");
  };
  const auto dash = text.find('-');
  if (dash == std::string_view::npos) return refuse();
  const auto number = [](std::string_view digits) -> std::optional<std::int64_t> {
    if (digits.empty() || digits.size() > 18) return std::nullopt;
    std::int64_t value = 0;
    for (const char c : digits) {
      if (c < '0' || c > '9') return std::nullopt;
      value = value * 10 + (c - '0');
    }
    return value;
  };
  const auto seq = number(text.substr(0, dash));
  const auto at = number(text.substr(dash + 1));
  if (!seq || !at) return refuse();
  return StateCursor{*seq, *at};
}

IndicatorBoard::IndicatorBoard(Store& store) : impl_(std::make_unique<Impl>(store)) {}
IndicatorBoard::~IndicatorBoard() = default;

Status IndicatorBoard::Refresh() { return impl_->Refresh(true); }

std::uint64_t IndicatorBoard::Generation() { return impl_->Generation(); }

Result<std::vector<IndicatorView>> IndicatorBoard::Views(const Principal& principal, Timestamp now) {
  return impl_->Views(principal, now);
}

bool IndicatorBoard::Known(std::string_view indicator_id) { return impl_->Known(indicator_id); }

Result<IndicatorView> IndicatorBoard::View(const Principal& principal, std::string_view indicator_id, Timestamp now) {
  return impl_->View(principal, indicator_id, now);
}

Result<StateAnswer> IndicatorBoard::State(const Principal& principal, Timestamp now, std::optional<StateCursor> since) {
  return impl_->State(principal, now, since);
}

std::shared_ptr<IndicatorBoard> SharedBoard(ApiContext& context) {
  return context.Shared<IndicatorBoard>("indicators.board",
                                        [&context] { return std::make_shared<IndicatorBoard>(context.store()); });
}

}  // namespace dv::hub
