// SPDX-License-Identifier: Apache-2.0
#pragma once

// The detection pipeline: the one way to compile detection content into an
// Engine (BuildEngine) and the one way to run events through it (Scanner),
// used by `dannevirke scan`, the sensor (live and retro-hunt) and the
// benchmarks. Library dv_pipeline: above dv_detect (engine, correlations) and
// dv_ingest (LogSource), below the sensor and the command line.
//
//   EngineSources ──BuildEngine──► shared_ptr<const Engine> + EngineLoadReport
//   EventReader ──► Scanner::Run ──► worker threads ──► Detection (alerts, correlations)
//   Event ────────► Scanner::Process (live, calling thread) ──► Alert
//
// Bad input never stops a stream: a reader counts a record it cannot read,
// with its place, and goes on (LogSource: IngestStats::problems, "auth.log:17:
// …"; the sensor's archive: bad lines); the scanner sees only good events. A
// rule or indicator that does not load is a problem in the report, and the
// engine holds every usable one; only an unreadable indicator file or an
// internal failure (the prefilter database) fails the build.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/event.h"
#include "core/result.h"
#include "detect/correlation.h"
#include "detect/engine.h"
#include "detect/indicators/indicator.h"
#include "detect/indicators/warning_list.h"
#include "ingest/log_source.h"
#include "sigma/rule_set.h"

namespace dv::detect {

// --- Building ----------------------------------------------------------------

// What an engine is compiled from. Every part may be empty: an engine with no
// rules and no indicators matches nothing.
struct EngineSources {
  // Sigma rules: files or folders (every *.yml/*.yaml, recursively, read
  // within rule_options.budget) and documents already parsed (rules shared
  // through the hub), compiled together into one RuleSet with rule_options
  // (field mapping, placeholders, budget).
  std::vector<std::string> rule_paths;
  sigma::LoadedDocuments rule_documents;
  // A set compiled earlier, used as it is when rule_paths and rule_documents
  // are both empty (so that a rebuild need not compile the same rules again).
  std::shared_ptr<const sigma::RuleSet> rule_set;
  sigma::RuleSetOptions rule_options;

  // Indicators: files (STIX bundles, JSON lines, lists, CSV) read with
  // indicator_options, and indicators already parsed. No index is built when
  // both are empty (Engine::indicators() is null).
  std::vector<std::string> indicator_paths;
  LoadOptions indicator_options;
  std::vector<Indicator> indicators;
  // Known-benign values, taken out of every STIX pattern before indexing
  // (FilterPattern); an indicator left with nothing leaves the set. Null: none.
  std::shared_ptr<const WarningLists> warning_lists;

  EngineOptions engine_options;
};

// One thing a warning list took out.
struct WarningListDrop {
  std::string indicator_id;
  // The comparison value dropped; empty: every value of the indicator was
  // benign, and it left the set.
  std::optional<BenignValue> value;
};

// What was loaded and what was not, with places (file:line, indicator ids).
struct EngineLoadReport {
  sigma::RuleSetReport rules;
  LoadReport indicators;                            // reading the files and building the index
  std::vector<WarningListDrop> warning_list_drops;  // in indicator order
  std::size_t warning_list_values = 0;
  std::size_t warning_list_indicators = 0;
};

// Compiles `sources` into an immutable Engine shared by every thread. The
// report is filled as far as building got, also when it fails: rules are
// loaded first, then indicators. Errors: an indicator file that cannot be
// read or parsed (kIo/kParse naming it), the indicator field table or the
// prefilter database failing (kInternal).
Result<std::shared_ptr<const Engine>> BuildEngine(EngineSources sources, EngineLoadReport& report);

// --- Scanning ------------------------------------------------------------------

using EventSink = std::function<void(const Event&)>;
// A source of events: calls the sink for every event, in reading order, on
// the thread that called it, and returns when its input is exhausted. It
// counts bad records itself and goes on; an error means a source could not
// be read at all (reported after the others were read).
using EventReader = std::function<Status(const EventSink&)>;

// The reader for log files, folders and "-" (stdin) through `source` (its
// IngestStats count events, bytes and bad records with their places).
// `source` must outlive the reader.
EventReader ReadLogs(LogSource& source, std::vector<std::string> paths);

enum class AlertOrder {
  // Every alert is held until the input is exhausted, then delivered sorted
  // by event time (events without a time last), ties in reading order.
  kTimeline,
  // Alerts are delivered as they are found, one at a time (the sink is
  // called under the scanner's lock, from worker threads), in no particular
  // order; correlation alerts follow at the end. Nothing is held but the
  // base matches correlations need.
  kAsFound,
};

struct ScanOptions {
  int threads = 0;                                 // worker threads; 0: one per hardware thread
  std::size_t batch_events = 512;                  // events handed to a worker at once, at most
  std::size_t batch_bytes = std::size_t{1} << 20;  // or fewer, once their names and values hold this many bytes
  std::size_t queued_batches_per_worker = 4;       // the reader waits when this many are queued
  AlertOrder order = AlertOrder::kTimeline;
};

// An alert and the position in reading order (0, 1, …) of the event that
// made it (for a correlation: the event that completed it).
struct Detection {
  std::uint64_t seq = 0;
  Alert alert;
};
using DetectionSink = std::function<void(const Detection&)>;

struct ScanSummary {
  std::uint64_t events = 0;              // events read and matched
  std::uint64_t alerts = 0;              // delivered, correlation alerts included
  std::uint64_t correlation_alerts = 0;  // of those
  int workers = 0;
  Status read;  // what the reader returned
  // Each correlation rule's state at the end, with what its limits dropped
  // (EngineOptions::correlation_limits).
  std::vector<CorrelationStats> correlations;
};

// Runs events through an Engine, correlation rules included.
//
// Batch (Run): the calling thread runs the reader; batches of events go
// through a bounded queue to `threads` worker threads, one EngineStream each
// (the reader waits while the queue is full). After the reader returns and
// the workers finish, the base matches of correlated rules are sorted by
// event time (ties in reading order) and fed to one CorrelationEngine, so
// correlations see a time-ordered stream whatever the order of the input.
// With kTimeline the sink is called on the calling thread, after reading;
// with kAsFound from the workers, one call at a time. Run returns when every
// event read has been matched and every alert delivered; a reader's error
// does not stop the others' events and comes back in ScanSummary::read.
// Limits: the queue holds at most threads × queued_batches_per_worker
// batches, each of at most batch_events events and batch_bytes bytes (plus
// one event); a batch is packed into one buffer and holds what its events
// hold, and recycled batches and each worker's Event keep bounded memory,
// so memory does not grow with the input (dv_scan_memory_bench). Base
// matches and, with kTimeline, alerts are held until the end without a
// bound (they grow with what matches, not with the input). Run is const and
// may be called from several threads at once.
//
// Live (Process): one event at a time on the calling thread; its alerts and
// the correlation alerts it completes (each right after the match that
// completed it) are delivered before Process returns. Correlation state
// (open windows) lives as long as the Scanner and sees events in the order
// they are given: a late event counts in the windows that are open when it
// arrives. An event without a time is correlated at the time it is
// processed. The windows are bounded by each rule's timespan and by
// EngineOptions::correlation_limits (correlation_stats() counts what the
// limits dropped). Process is not thread-safe: one Scanner per live stream.
class Scanner {
 public:
  explicit Scanner(std::shared_ptr<const Engine> engine);
  ~Scanner();
  Scanner(const Scanner&) = delete;
  Scanner& operator=(const Scanner&) = delete;

  ScanSummary Run(const EventReader& reader, const ScanOptions& options, const DetectionSink& on_alert) const;

  // Normalises `event` (adds taxonomy aliases, as EngineStream::Process).
  void Process(Event& event, const EngineStream::AlertSink& on_alert);
  // Sigma rules whose conditions held on the last event given to Process.
  const std::vector<std::uint32_t>& last_matches() const;
  // The live correlation state: one per correlation rule (none before the
  // first Process).
  std::vector<CorrelationStats> correlation_stats() const;
  // Their overflows() summed, without copying them.
  std::uint64_t correlation_overflows() const;

  const std::shared_ptr<const Engine>& engine() const { return engine_; }

 private:
  std::shared_ptr<const Engine> engine_;
  std::unique_ptr<EngineStream> stream_;
  std::unique_ptr<CorrelationEngine> correlations_;
};

}  // namespace dv::detect
