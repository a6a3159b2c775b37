// SPDX-License-Identifier: Apache-2.0
#include "detect/engine.h"

#include <hs/hs.h>

#include <algorithm>
#include <map>
#include <set>

#include "detect/prefilter_cache.h"

namespace dv::detect {
namespace {

constexpr std::size_t kMaxReportedValue = 256;

std::string Cut(std::string_view value) {
  if (value.size() <= kMaxReportedValue) return std::string(value);
  return std::string(value.substr(0, kMaxReportedValue)) + "…";
}

std::string HostOf(const Event& event, const EventFieldIndex& index) {
  for (const char* name : {"Computer", "host.name", "hostname", "host", "dvchost", "shost"}) {
    if (const EventField* field = index.Find(event, name); field != nullptr && !field->value.empty()) {
      return field->value;
    }
  }
  return {};
}

}  // namespace

std::string_view AlertKindName(AlertKind kind) {
  switch (kind) {
    case AlertKind::kSigma:
      return "sigma";
    case AlertKind::kIndicator:
      return "indicator";
    case AlertKind::kCorrelation:
      return "correlation";
  }
  return "sigma";
}

Engine::~Engine() {
  hs_free_database(literal_db_);
  hs_free_database(anywhere_db_);
}

std::size_t Engine::unfiltered_rules() const {
  return static_cast<std::size_t>(std::count(always_.begin(), always_.end(), true));
}

Result<std::shared_ptr<const Engine>> Engine::Build(std::shared_ptr<const sigma::RuleSet> rules,
                                                    std::shared_ptr<const IndicatorIndex> indicators,
                                                    EngineOptions options) {
  std::shared_ptr<Engine> engine(new Engine());
  engine->rules_ = std::move(rules);
  engine->indicators_ = std::move(indicators);
  engine->options_ = options;
  const auto& compiled = engine->rules_->rules();
  const std::size_t rule_count = compiled.size();
  engine->always_.assign(rule_count, true);
  engine->correlated_.assign(rule_count, false);
  engine->suppressed_.assign(rule_count, false);
  engine->correlation_fields_.resize(rule_count);
  engine->report_fields_.resize(rule_count);

  // Prefilter literals: every literal the dictionary gates (so one scan
  // both finds the candidate rules and closes the view's literal gate),
  // then any required literal of a rule that the dictionary lacks.
  const sigma::FieldDictionary& dictionary = engine->rules_->dictionary();
  std::vector<std::string> literals;
  std::map<std::string, std::uint32_t, std::less<>> extra_ids;
  if (options.prefilter) {
    literals.reserve(dictionary.literal_count());
    for (std::uint32_t id = 0; id < dictionary.literal_count(); ++id) literals.push_back(dictionary.literal(id));
    engine->gated_literals_ = static_cast<std::uint32_t>(dictionary.literal_count());
  }
  for (std::size_t rule_idx = 0; rule_idx < rule_count; ++rule_idx) {
    engine->report_fields_[rule_idx] = compiled[rule_idx]->FieldNames(dictionary);
    if (!options.prefilter) continue;
    const auto required = compiled[rule_idx]->RequiredLiterals();
    if (required.empty()) continue;
    engine->always_[rule_idx] = false;
    for (const auto& literal : required) {
      std::uint32_t id = dictionary.FindLiteral(literal);
      if (id == sigma::FieldDictionary::kNone) {
        const auto [it, added] = extra_ids.emplace(literal, static_cast<std::uint32_t>(literals.size()));
        if (added) literals.push_back(literal);
        id = it->second;
      }
      if (engine->literal_rules_.size() <= id) engine->literal_rules_.resize(literals.size());
      engine->literal_rules_[id].push_back(static_cast<std::uint32_t>(rule_idx));
    }
  }
  engine->literal_rules_.resize(literals.size());
  // The second scan, over the fields no rule names: the literals keywords
  // require (and, to be safe, any literal the dictionary lacks).
  std::vector<std::uint32_t> anywhere;
  for (std::uint32_t id = 0; id < literals.size(); ++id) {
    if (id >= engine->gated_literals_ || dictionary.literal_anywhere(id)) anywhere.push_back(id);
  }
  std::vector<std::uint32_t> all(literals.size());
  for (std::uint32_t id = 0; id < literals.size(); ++id) all[id] = id;
  bool named_cached = false;
  bool unnamed_cached = false;
  auto named = LiteralDatabase(literals, all, options.prefilter_cache_dir, &named_cached);
  if (!named.ok()) return named.error();
  engine->literal_db_ = *named;
  auto unnamed = LiteralDatabase(literals, anywhere, options.prefilter_cache_dir, &unnamed_cached);
  if (!unnamed.ok()) return unnamed.error();
  engine->anywhere_db_ = *unnamed;
  engine->prefilter_from_cache_ = named_cached && (unnamed_cached || anywhere.empty());

  // Correlations: which rules they use, which fields they need, what they
  // suppress (a referenced rule reports on its own only if some correlation
  // that refers to it says `generate: true`).
  std::vector<bool> generated(rule_count, false);
  for (const auto& correlation_rule : engine->rules_->correlations()) {
    const auto& correlation = *correlation_rule->correlation;
    for (const auto& target : correlation.rules) {
      for (const auto rule_idx : engine->rules_->FindRuleIndexes(target)) {
        engine->correlated_[rule_idx] = true;
        if (correlation.generate) generated[rule_idx] = true;
        auto& fields = engine->correlation_fields_[rule_idx];
        const sigma::Rule& base = compiled[rule_idx]->rule();
        auto add = [&](const std::string& name) {
          // An alias names a different field per rule.
          std::string field = name;
          if (const auto alias = correlation.aliases.find(name); alias != correlation.aliases.end()) {
            for (const auto& [rule_ref, rule_field] : alias->second) {
              if (rule_ref == base.id || rule_ref == base.name) field = rule_field;
            }
          }
          if (std::find(fields.begin(), fields.end(), field) == fields.end()) fields.push_back(field);
        };
        for (const auto& group : correlation.group_by) add(group);
        if (!correlation.condition.field.empty()) add(correlation.condition.field);
      }
    }
  }
  for (std::size_t rule_idx = 0; rule_idx < rule_count; ++rule_idx) {
    engine->suppressed_[rule_idx] = engine->correlated_[rule_idx] && !generated[rule_idx];
  }
  return std::shared_ptr<const Engine>(std::move(engine));
}

EngineStream::EngineStream(std::shared_ptr<const Engine> engine) : engine_(std::move(engine)) {
  // One scratch serves both databases; a failed allocation leaves the
  // stream unfiltered (every candidate rule evaluated, nothing gated).
  if (engine_->literal_db_ != nullptr && hs_alloc_scratch(engine_->literal_db_, &scratch_) != HS_SUCCESS) {
    scratch_ = nullptr;
  }
  if (scratch_ != nullptr && engine_->anywhere_db_ != nullptr &&
      hs_alloc_scratch(engine_->anywhere_db_, &scratch_) != HS_SUCCESS) {
    hs_free_scratch(scratch_);
    scratch_ = nullptr;
  }
  candidate_stamp_.assign(engine_->rules_->rules().size(), 0);
  evaluated_stamp_.assign(engine_->rules_->rules().size(), 0);
}

EngineStream::~EngineStream() { hs_free_scratch(scratch_); }

std::size_t EngineStream::Process(Event& event, const AlertSink& on_alert, const BaseMatchSink& on_base_match) {
  const Engine& engine = *engine_;
  const sigma::RuleSet& rules = *engine.rules_;
  rules.mapping().Normalize(event, defs_, field_index_);

  if (++generation_ == 0) {
    std::fill(candidate_stamp_.begin(), candidate_stamp_.end(), 0);
    std::fill(evaluated_stamp_.begin(), evaluated_stamp_.end(), 0);
    generation_ = 1;
  }
  last_matches_.clear();
  std::size_t evaluated = 0;
  const std::string host = HostOf(event, field_index_);

  if (!defs_.empty()) {
    view_.Reset(event, rules.dictionary());
    // One scan of the folded text finds the candidate rules and every
    // gated literal that occurs. If it fails, no rule is skipped and no
    // matcher is gated (fail open to evaluation, never to silence).
    bool scanned = false;
    if (scratch_ != nullptr) {
      struct Context {
        const Engine* engine;
        std::vector<std::uint32_t>* stamps;
        sigma::EventView* view;
        std::uint32_t generation;
      } context{&engine, &candidate_stamp_, &view_, generation_};
      const auto on_literal = [](unsigned int id, unsigned long long, unsigned long long, unsigned int,
                                 void* ctx) -> int {
        auto* c = static_cast<Context*>(ctx);
        // A literal found again (the databases report every occurrence) has
        // stamped its rules already.
        if (id < c->engine->gated_literals_ && !c->view->NoteLiteral(id)) return 0;
        for (const auto rule_idx : c->engine->literal_rules_[id]) (*c->stamps)[rule_idx] = c->generation;
        return 0;
      };
      const auto scan = [&](const hs_database* db, std::string_view text) {
        return db == nullptr || text.empty() ||
               (text.size() <= UINT32_MAX && hs_scan(db, text.data(), static_cast<unsigned>(text.size()), 0, scratch_,
                                                     on_literal, &context) == HS_SUCCESS);
      };
      scanned = scan(engine.literal_db_, view_.folded_text()) && scan(engine.anywhere_db_, view_.unread_text());
      if (scanned) view_.CloseGate();
    }
    const bool filtered = scratch_ != nullptr && scanned;
    for (const auto def_idx : defs_) {
      for (const auto rule_idx : rules.RulesFor(def_idx)) {
        if (evaluated_stamp_[rule_idx] == generation_) continue;
        evaluated_stamp_[rule_idx] = generation_;
        if (filtered && !engine.always_[rule_idx] && candidate_stamp_[rule_idx] != generation_) continue;
        ++evaluated;
        const sigma::CompiledRule& rule = *rules.rules()[rule_idx];
        if (!rule.Matches(view_)) continue;
        last_matches_.push_back(rule_idx);
        if (!engine.suppressed_[rule_idx] && on_alert) {
          Alert alert;
          alert.kind = AlertKind::kSigma;
          alert.rule_id = rule.rule().id.empty() ? rule.rule().title : rule.rule().id;
          alert.title = rule.rule().title;
          alert.level = rule.rule().level;
          alert.time = event.time;
          alert.origin = event.origin;
          alert.host = host;
          alert.tags = rule.rule().tags;
          for (const auto& field_name : engine.report_fields_[rule_idx]) {
            if (const EventField* field = field_index_.Find(event, field_name); field != nullptr && !field->is_null) {
              alert.fields.emplace_back(field_name, Cut(field->value));
            }
          }
          on_alert(alert);
        }
        if (engine.correlated_[rule_idx] && on_base_match) {
          BaseMatch match;
          match.rule_idx = rule_idx;
          match.time = event.time.value_or(Timestamp());
          match.origin = event.origin;
          match.host = host;
          for (const auto& field_name : engine.correlation_fields_[rule_idx]) {
            if (const EventField* field = field_index_.Find(event, field_name); field != nullptr) {
              match.values.emplace_back(field_name, field->value);
            }
          }
          on_base_match(std::move(match));
        }
      }
    }
  }

  if (engine.indicators_ != nullptr && on_alert) {
    engine.indicators_->Match(event, indicator_scratch_, hits_);
    for (const auto& hit : hits_) {
      const Indicator& indicator = engine.indicators_->indicator(hit.indicator_idx);
      Alert alert;
      alert.kind = AlertKind::kIndicator;
      alert.rule_id = IndicatorId(indicator);
      alert.title = indicator.name.empty() ? "Indicator " + IndicatorPattern(indicator) : indicator.name;
      alert.level = sigma::Level::kHigh;
      alert.time = event.time;
      alert.origin = event.origin;
      alert.host = host;
      alert.fields.emplace_back(std::string(hit.field), Cut(hit.value));
      on_alert(alert);
    }
  }
  return evaluated;
}

std::vector<std::uint32_t> EvaluateNaively(const sigma::RuleSet& rules, Event& event) {
  std::vector<std::uint32_t> defs;
  rules.mapping().Normalize(event, defs);
  std::vector<std::uint32_t> matches;
  const sigma::DirectFieldSource source(event);
  const auto& logsources = rules.mapping().logsources();
  for (std::size_t rule_idx = 0; rule_idx < rules.rules().size(); ++rule_idx) {
    const sigma::CompiledRule& rule = *rules.rules()[rule_idx];
    const bool applies = std::any_of(defs.begin(), defs.end(), [&](std::uint32_t def_idx) {
      return sigma::FieldMapping::Applies(rule.rule().logsource, logsources[def_idx].logsource);
    });
    if (applies && rule.Matches(source)) matches.push_back(static_cast<std::uint32_t>(rule_idx));
  }
  return matches;
}

}  // namespace dv::detect
