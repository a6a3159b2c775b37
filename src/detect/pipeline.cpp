// SPDX-License-Identifier: Apache-2.0
#include "detect/pipeline.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <iterator>
#include <mutex>
#include <thread>

#include "detect/correlation.h"
#include "detect/event_batch.h"
#include "detect/indicators/field_table.h"
#include "detect/indicators/indicator_index.h"

namespace dv::detect {
namespace {

// Takes warning-list values out of the indicators' STIX patterns; an
// indicator with nothing left is dropped. A pattern that does not parse is
// kept as it is: the index reports it. Works in place: a million indicators
// are not copied into a second vector.
void FilterBenign(std::vector<Indicator>& indicators, const WarningLists& lists, EngineLoadReport& report) {
  std::size_t kept = 0;
  for (std::size_t indicator_idx = 0; indicator_idx < indicators.size(); ++indicator_idx) {
    Indicator& indicator = indicators[indicator_idx];
    bool keep = true;
    if (!indicator.plain && !indicator.pattern.empty()) {
      auto filtered = FilterPattern(indicator.pattern, lists);
      if (filtered.ok()) {
        for (auto& benign : filtered->dropped) {
          ++report.warning_list_values;
          report.warning_list_drops.push_back({indicator.id, std::move(benign)});
        }
        if (filtered->all_benign) {
          ++report.warning_list_indicators;
          report.warning_list_drops.push_back({indicator.id, std::nullopt});
          keep = false;
        } else if (filtered->changed) {
          indicator.pattern = filtered->pattern;
        }
      }
    }
    if (!keep) continue;
    if (kept != indicator_idx) indicators[kept] = std::move(indicator);
    ++kept;
  }
  indicators.resize(kept);
}

// A bounded queue of batches between the reader and the workers; finished
// batches come back for reuse, each keeping at most `retained_bytes` per buffer.
class BatchQueue {
 public:
  BatchQueue(std::size_t capacity, std::size_t retained_bytes) : capacity_(capacity), retained_bytes_(retained_bytes) {}
  void Push(std::unique_ptr<EventBatch> batch) {
    std::unique_lock lock(mutex_);
    not_full_.wait(lock, [&] { return queue_.size() < capacity_; });
    queue_.push_back(std::move(batch));
    not_empty_.notify_one();
  }
  // Null once the queue is closed and empty.
  std::unique_ptr<EventBatch> Pop() {
    std::unique_lock lock(mutex_);
    not_empty_.wait(lock, [&] { return !queue_.empty() || closed_; });
    if (queue_.empty()) return nullptr;
    auto batch = std::move(queue_.front());
    queue_.pop_front();
    not_full_.notify_one();
    return batch;
  }
  void Close() {
    std::lock_guard lock(mutex_);
    closed_ = true;
    not_empty_.notify_all();
  }
  void Recycle(std::unique_ptr<EventBatch> batch) {
    batch->Reset(retained_bytes_);
    std::lock_guard lock(mutex_);
    free_.push_back(std::move(batch));
  }
  std::unique_ptr<EventBatch> Fresh() {
    std::lock_guard lock(mutex_);
    if (!free_.empty()) {
      auto batch = std::move(free_.back());
      free_.pop_back();
      return batch;
    }
    return std::make_unique<EventBatch>();
  }

 private:
  std::size_t capacity_;
  std::size_t retained_bytes_;
  std::mutex mutex_;
  std::condition_variable not_full_;
  std::condition_variable not_empty_;
  std::deque<std::unique_ptr<EventBatch>> queue_;
  std::vector<std::unique_ptr<EventBatch>> free_;
  bool closed_ = false;
};

struct FoundBase {
  std::uint64_t seq = 0;
  BaseMatch match;
};

}  // namespace

Result<std::shared_ptr<const Engine>> BuildEngine(EngineSources sources, EngineLoadReport& report) {
  std::shared_ptr<const sigma::RuleSet> rules;
  if (!sources.rule_paths.empty() || !sources.rule_documents.rules.empty() ||
      !sources.rule_documents.problems.empty() || sources.rule_set == nullptr) {
    sigma::LoadedDocuments all =
        sigma::LoadRuleTrees(sources.rule_paths, sources.rule_options.budget, sources.rule_options.cache_dir);
    sigma::AppendDocuments(std::move(sources.rule_documents), all);
    rules = sigma::RuleSet::Build(std::move(all), sources.rule_options, report.rules);
  } else {
    rules = std::move(sources.rule_set);
  }

  std::shared_ptr<const IndicatorIndex> index;
  if (!sources.indicator_paths.empty() || !sources.indicators.empty()) {
    // Indicators are moved into one vector sized once: the first file's
    // vector is taken as it is, the others are appended after one reserve.
    std::vector<Indicator> all;
    auto append = [&all](std::vector<Indicator>&& more) {
      if (all.empty()) {
        all = std::move(more);
        return;
      }
      all.reserve(std::max(all.size() + more.size(), 2 * all.capacity()));
      std::move(more.begin(), more.end(), std::back_inserter(all));
    };
    for (const auto& path : sources.indicator_paths) {
      auto loaded = LoadIndicatorFile(path, sources.indicator_options, &report.indicators);
      if (!loaded.ok()) return loaded.error();
      append(std::move(loaded).value());
    }
    append(std::move(sources.indicators));
    if (sources.warning_lists != nullptr) FilterBenign(all, *sources.warning_lists, report);
    auto fields = FieldTable::Default();
    if (!fields.ok()) return fields.error();
    auto built = IndicatorIndex::Build(std::move(all), *fields, &report.indicators);
    if (!built.ok()) return built.error();
    index = std::make_shared<const IndicatorIndex>(std::move(built).value());
  }
  return Engine::Build(std::move(rules), std::move(index), sources.engine_options);
}

EventReader ReadLogs(LogSource& source, std::vector<std::string> paths) {
  return [&source, paths = std::move(paths)](const EventSink& sink) { return source.Read(paths, sink); };
}

Scanner::Scanner(std::shared_ptr<const Engine> engine) : engine_(std::move(engine)) {}

Scanner::~Scanner() = default;

ScanSummary Scanner::Run(const EventReader& reader, const ScanOptions& options, const DetectionSink& on_alert) const {
  ScanSummary summary;
  summary.workers =
      options.threads > 0 ? options.threads : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  const std::size_t batch_events = std::max<std::size_t>(1, options.batch_events);
  const std::size_t batch_bytes = std::max<std::size_t>(1, options.batch_bytes);
  // A batch is handed over at batch_bytes, so it ends below twice that unless
  // its last event is larger than the rest (then its buffers are released).
  BatchQueue queue(
      static_cast<std::size_t>(summary.workers) * std::max<std::size_t>(1, options.queued_batches_per_worker),
      2 * batch_bytes);
  const bool timeline = options.order == AlertOrder::kTimeline;
  std::mutex results_mutex;
  std::vector<Detection> alerts;  // kTimeline: everything, until the end
  std::vector<FoundBase> bases;
  std::vector<std::thread> workers;
  for (int worker_idx = 0; worker_idx < summary.workers; ++worker_idx) {
    workers.emplace_back([&] {
      EngineStream stream(engine_);
      Event work;
      std::vector<Detection> local_alerts;
      std::vector<FoundBase> local_bases;
      std::uint64_t found = 0;
      while (auto batch = queue.Pop()) {
        for (std::size_t event_idx = 0; event_idx < batch->count(); ++event_idx) {
          const std::uint64_t seq = batch->first_seq + event_idx;
          batch->Unpack(event_idx, work);
          stream.Process(
              work,
              [&](const Alert& alert) {
                ++found;
                if (timeline) {
                  local_alerts.push_back({seq, alert});
                } else if (on_alert) {
                  std::lock_guard lock(results_mutex);
                  on_alert(Detection{seq, alert});
                }
              },
              [&](BaseMatch&& match) {
                local_bases.push_back({seq, std::move(match)});
              });
        }
        queue.Recycle(std::move(batch));
      }
      std::lock_guard lock(results_mutex);
      summary.alerts += found;
      std::move(local_alerts.begin(), local_alerts.end(), std::back_inserter(alerts));
      std::move(local_bases.begin(), local_bases.end(), std::back_inserter(bases));
    });
  }

  std::unique_ptr<EventBatch> batch = queue.Fresh();
  std::uint64_t seq = 0;
  summary.read = reader([&](const Event& event) {
    if (batch->count() == 0) batch->first_seq = seq;
    batch->Add(event);
    ++seq;
    if (batch->count() == batch_events || batch->bytes() >= batch_bytes) {
      queue.Push(std::move(batch));
      batch = queue.Fresh();
    }
  });
  if (batch->count() > 0) queue.Push(std::move(batch));
  queue.Close();
  for (auto& worker : workers) worker.join();
  summary.events = seq;

  // Correlations over the time-ordered base matches.
  std::sort(bases.begin(), bases.end(), [](const FoundBase& a, const FoundBase& b) {
    return a.match.time != b.match.time ? a.match.time < b.match.time : a.seq < b.seq;
  });
  CorrelationEngine correlations(engine_);
  for (const auto& base : bases) {
    correlations.Add(base.match, [&](const Alert& alert) {
      ++summary.alerts;
      ++summary.correlation_alerts;
      if (timeline) {
        alerts.push_back({base.seq, alert});
      } else if (on_alert) {
        on_alert(Detection{base.seq, alert});
      }
    });
  }
  summary.correlations = correlations.stats();
  if (!timeline) return summary;

  std::stable_sort(alerts.begin(), alerts.end(), [](const Detection& a, const Detection& b) {
    if (a.alert.time.has_value() != b.alert.time.has_value()) return a.alert.time.has_value();
    if (a.alert.time && *a.alert.time != *b.alert.time) return *a.alert.time < *b.alert.time;
    return a.seq < b.seq;
  });
  if (on_alert) {
    for (const auto& detection : alerts) on_alert(detection);
  }
  return summary;
}

void Scanner::Process(Event& event, const EngineStream::AlertSink& on_alert) {
  if (stream_ == nullptr) {
    stream_ = std::make_unique<EngineStream>(engine_);
    correlations_ = std::make_unique<CorrelationEngine>(engine_);
  }
  stream_->Process(event, on_alert, [&](BaseMatch&& match) {
    if (!event.time) match.time = Timestamp::Now();
    correlations_->Add(match, on_alert);
  });
}

std::vector<CorrelationStats> Scanner::correlation_stats() const {
  return correlations_ == nullptr ? std::vector<CorrelationStats>{} : correlations_->stats();
}

std::uint64_t Scanner::correlation_overflows() const {
  return correlations_ == nullptr ? 0 : correlations_->overflows();
}

const std::vector<std::uint32_t>& Scanner::last_matches() const {
  static const std::vector<std::uint32_t> kNone;
  return stream_ == nullptr ? kNone : stream_->last_matches();
}

}  // namespace dv::detect
