// SPDX-License-Identifier: Apache-2.0
// `dannevirke sensor`: a member's sensor. Pulls indicators from a hub over
// TAXII 2.1, matches the member's own logs, keeps a local archive for
// retro-hunts and posts sightings — never log lines. docs/sensor.md.
//
// --once: pull, scan the named logs, retro-hunt, post, print a summary, exit.
// Otherwise log files are followed like `tail -F` (FileFollower, offsets in
// the state folder; EVTX, gzip and folders are read once), stdin is read
// until it closes, and --syslog-udp/--syslog-tcp listen, each on its own
// thread, while the main thread pulls and posts every --poll seconds, until
// SIGINT or SIGTERM; then the pending sightings are posted and the program
// exits 0. The Sensor is not thread-safe, so every thread takes one mutex
// around it.
//
// Pushed indicators: a thread of its own waits on the hub's change feed
// (GET /api/v1/changes, a long poll) with the sensor's cursors and wakes the
// main thread (SIGUSR1) the moment an indicator it may see is published, so
// a new indicator is pulled within a round trip instead of at the next
// --poll. Against a hub without the feed it stops and --poll alone remains;
// --no-push turns it off.

#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <iostream>
#include <memory>
#include <mutex>
#include <thread>

#include "cli/commands.h"
#include "cli/common.h"
#include "detect/indicators/warning_list.h"
#include "ingest/line_reader.h"
#include "ingest/log_source.h"
#include "sensor/blocks.h"
#include "sensor/follow.h"
#include "sensor/sensor.h"
#include "sensor/syslog_listener.h"

namespace dv::cli {
namespace {

struct SensorCommandOptions {
  std::string hub;
  std::string token;
  std::string token_file;
  std::vector<std::string> collections;
  std::string sightings_collection;
  std::string org;
  std::vector<std::string> rules;
  std::string archive = "dannevirke-sensor";
  bool no_archive = false;
  std::uint64_t archive_max_mb = 1024;
  int archive_days = 30;
  std::size_t correlation_groups = detect::CorrelationLimits{}.max_groups;
  std::size_t correlation_events = detect::CorrelationLimits{}.max_entries;
  bool once = false;
  int poll = 2;
  bool no_push = false;
  bool from_start = false;
  std::string syslog_udp;
  std::string syslog_tcp;
  std::vector<std::string> own_networks;
  std::vector<std::string> own_domains;
  std::string own_infrastructure;
  bool no_warning_lists = false;
  bool counts_only = false;
  std::string tlp = "amber";
  std::string coordinator = "CFCS";
  std::vector<std::string> trust_publishers;
  std::string ca_file;
  bool quiet = false;
  std::vector<std::string> logs;
  std::vector<std::string> rpz_logs;       // Unbound rpz-log
  std::vector<std::string> bind_rpz_logs;  // BIND's rpz category
  std::vector<std::string> firewall_logs;  // kernel lines with the log prefix
  std::string firewall_log_prefix = "dv-block";
  std::string suricata_rules;  // where shared Suricata rules are written
};

// The block logs (sensor/blocks.h), by format.
std::vector<std::pair<sensor::BlockLogFormat, std::vector<std::string>>> BlockLogs(
    const SensorCommandOptions& options) {
  return {{sensor::BlockLogFormat::kUnbound, options.rpz_logs},
          {sensor::BlockLogFormat::kBind, options.bind_rpz_logs},
          {sensor::BlockLogFormat::kFirewall, options.firewall_logs}};
}

int Fail(const Error& error) {
  std::cerr << "dannevirke: " << error.ToString() << "\n";
  return 1;
}

void PrintAlert(const detect::Alert& alert, bool retro) {
  std::string line = (alert.time ? alert.time->ToRfc3339() : std::string(24, '-')) + "  ";
  line += retro ? "retro-hunt  " : "live        ";
  line += std::string(detect::AlertKindName(alert.kind)) + "  " + alert.rule_id;
  if (alert.title != alert.rule_id) line += "  " + alert.title;
  if (!alert.origin.empty()) line += "  (" + alert.origin + ")";
  std::cout << line << "\n";
}

void PrintSensorSummary(const sensor::SensorStats& stats, const std::string& identity) {
  if (stats.block_mappings > 0 || stats.blocks.lines > 0) {
    std::cerr << "Blocks: " << stats.blocks.lines << " lines of block logs, " << stats.blocks.blocks
              << " blocks counted, " << stats.blocks.monitored << " monitored hits, " << stats.blocks.unmapped
              << " not in the RPZ mapping, " << stats.blocks.malformed << " malformed; " << stats.block_mappings
              << " mappings fetched.\n";
  }
  std::cerr << "Sensor summary: " << stats.pulls << " pulls, " << stats.objects_received << " objects received; "
            << stats.indicators << " indicators (" << stats.indicators_matchable << " matchable); " << stats.events
            << " events, " << stats.bad_records << " bad records; " << stats.indicator_hits << " live hits, "
            << stats.sigma_alerts << " Sigma alerts; " << stats.correlation_alerts << " correlation alerts"
            << (stats.correlation_overflows > 0
                    ? " (" + std::to_string(stats.correlation_overflows) + " groups and events dropped at their limits)"
                    : std::string())
            << "; " << stats.retro_hunts << " retro-hunts over " << stats.retro_events_searched << " archived events, "
            << stats.retro_hits << " hits; " << stats.sightings_posted << " sightings posted"
            << (stats.sightings_refused > 0 ? ", " + std::to_string(stats.sightings_refused) + " refused" : "")
            << (identity.empty() ? "" : " as " + identity) << ".\n";
  std::cerr << "Active set: " << stats.sigma_indicators << " Sigma rules from the hub (" << stats.sigma_indicator_hits
            << " live hits, " << stats.sigma_indicators_failed << " skipped), " << stats.untrusted_skipped
            << " held out as content of untrusted publishers, " << stats.inactive_indicators
            << " held out by the hub's indicator state, " << stats.warning_list_indicators << " held out and "
            << stats.warning_list_values << " values dropped by warning lists.\n";
}

// Shared with the reader thread, which may outlive the Sensor while blocked on stdin.
struct ReaderShared {
  std::mutex mutex;
  bool stopping = false;
  bool done = false;
  sensor::Sensor* sensor = nullptr;
  std::uint64_t bad_records = 0;
  std::string failure;
};

// How often followed files are looked at (FileFollower: a stat() and a read per file).
constexpr std::chrono::milliseconds kFollowInterval{250};
// How long one wait on the hub's change feed lasts (the hub allows 55 s).
constexpr std::chrono::seconds kPushWait{25};

// A named log that is followed: a regular text file, or one that does not exist yet.
// EVTX, gzip and UTF-16 files, folders and stdin are read once.
bool Followable(const std::string& path) {
  if (path == "-") return false;
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return true;
  if (!std::filesystem::is_regular_file(path, ec)) return false;
  auto source = FdSource::Open(path);
  if (!source.ok()) return true;
  auto head = ReadHead(**source, 8);
  return head.ok() && DetectFileFormat(*head) == FileFormat::kText;
}

Result<std::shared_ptr<const WarningLists>> BuildWarningLists(const SensorCommandOptions& options) {
  WarningLists lists = options.no_warning_lists ? WarningLists() : WarningLists::BuiltIn();
  std::vector<std::string> own = options.own_networks;
  own.insert(own.end(), options.own_domains.begin(), options.own_domains.end());
  if (!own.empty()) {
    auto list = WarningListFromValues(own, "own-infrastructure", "the member's own infrastructure");
    if (!list.ok()) return list.error().WithContext("--own-networks/--own-domains");
    lists.Add(std::move(*list));
  }
  if (!options.own_infrastructure.empty()) {
    std::ifstream in(options.own_infrastructure, std::ios::binary);
    if (!in) return Error::Io("--own-infrastructure '" + options.own_infrastructure + "' cannot be read");
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto list = ParseWarningList(text, "own-infrastructure", options.own_infrastructure);
    if (!list.ok()) return list.error();
    if (list->description.empty()) list->description = "the member's own infrastructure";
    lists.Add(std::move(*list));
  }
  return std::make_shared<const WarningLists>(std::move(lists));
}

int RunSensor(const SensorCommandOptions& options) {
  // Refused before the token is read: a token sent in clear over a network is a token given away.
  if (auto transport = sensor::CheckHubTransport(options.hub); !transport.ok()) {
    std::cerr << "dannevirke: " << transport.error().ToString() << "\n";
    return 2;
  }
  auto token = ReadToken(options.token, options.token_file);
  if (!token.ok()) return Fail(token.error());
  const auto tlp = ParseTlp(options.tlp);
  if (!tlp) return Fail(Error::InvalidArgument("--tlp must be clear, green, amber, amber+strict or red"));

  // Stop signals go to sigtimedwait below, never to a random thread.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGUSR1);  // "pull now", from the change feed's thread
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  sensor::TaxiiClientOptions client_options;
  client_options.hub_url = options.hub;
  client_options.token = *token;
  client_options.ca_file = options.ca_file;
  auto client = sensor::TaxiiClient::Create(client_options);
  if (!client.ok()) return Fail(client.error());

  sensor::SensorOptions sensor_options;
  sensor_options.collections = options.collections;
  sensor_options.sightings_collection = options.sightings_collection;
  sensor_options.org_code = options.org;
  sensor_options.counts_only = options.counts_only;
  sensor_options.tlp = *tlp;
  sensor_options.coordinator_org = options.coordinator;
  sensor_options.trusted_publishers = options.trust_publishers;
  sensor_options.rule_paths = options.rules;
  sensor_options.state_dir = options.archive;
  sensor_options.archive = !options.no_archive;
  sensor_options.archive_options.max_bytes = options.archive_max_mb << 20;
  sensor_options.archive_options.max_age = std::chrono::hours(24 * options.archive_days);
  sensor_options.correlation_limits.max_groups = options.correlation_groups;
  sensor_options.correlation_limits.max_entries = options.correlation_events;
  if (!options.quiet) sensor_options.on_alert = PrintAlert;
  sensor_options.on_notice = [](const std::string& notice) { std::cerr << "Notice: " << notice << "\n"; };
  auto warning_lists = BuildWarningLists(options);
  if (!warning_lists.ok()) return Fail(warning_lists.error());
  sensor_options.warning_lists = *warning_lists;
  sensor_options.count_blocks =
      !options.rpz_logs.empty() || !options.bind_rpz_logs.empty() || !options.firewall_logs.empty();
  sensor_options.firewall_log_prefix = options.firewall_log_prefix;
  sensor_options.suricata_rules_file = options.suricata_rules;
  if (options.once && (!options.syslog_udp.empty() || !options.syslog_tcp.empty())) {
    return Fail(Error::InvalidArgument("--once reads the named logs and exits; it cannot listen for syslog"));
  }
  auto created = sensor::Sensor::Create(**client, sensor_options);
  if (!created.ok()) return Fail(created.error());
  sensor::Sensor& sensor = **created;

  int exit_code = 0;
  auto pull = [&] {
    auto pulled = sensor.Pull();
    if (!pulled.ok()) {
      std::cerr << "dannevirke: " << pulled.error().ToString() << "\n";
      exit_code = 1;
    } else if (!options.quiet && (pulled->added > 0 || pulled->removed > 0)) {
      std::cerr << "Indicators: " << pulled->added << " new or changed, " << pulled->removed << " revoked; "
                << sensor.stats().indicators_matchable << " matchable"
                << (pulled->retro_hits > 0 ? "; retro-hunt: " + std::to_string(pulled->retro_hits) + " past hits" : "")
                << ".\n";
    }
  };
  auto publish = [&] {
    auto posted = sensor.Publish();
    if (!posted.ok()) {
      std::cerr << "dannevirke: " << posted.error().ToString() << "\n";
      exit_code = 1;
    } else if (!options.quiet && *posted > 0) {
      std::cerr << "Posted " << *posted << " sightings.\n";
    }
    if (auto maintained = sensor.Maintain(); !maintained.ok()) {
      std::cerr << "dannevirke: " << maintained.error().ToString() << "\n";
    }
  };

  if (options.once) {
    pull();
    if (!options.logs.empty()) {
      if (auto scanned = sensor.ScanLogs(options.logs); !scanned.ok()) {
        std::cerr << "dannevirke: " << scanned.error().ToString() << "\n";
        exit_code = 1;
      }
    }
    for (const auto& [format, paths] : BlockLogs(options)) {
      for (const auto& path : paths) {
        std::ifstream in(path, std::ios::binary);
        if (!in) {
          std::cerr << "dannevirke: block log '" << path << "' cannot be read\n";
          exit_code = 1;
          continue;
        }
        for (std::string line; std::getline(in, line);) sensor.ProcessBlockLine(format, line);
      }
    }
    publish();
    PrintSensorSummary(sensor.stats(), options.counts_only ? std::string() : sensor.identity_id());
    return exit_code;
  }

  std::vector<std::string> followed;
  std::vector<std::string> read_once;
  for (const auto& log : options.logs) (Followable(log) ? followed : read_once).push_back(log);
  std::unique_ptr<sensor::FileFollower> follower;
  if (!followed.empty()) {
    sensor::FollowOptions follow_options;
    follow_options.from_start = options.from_start;
    follow_options.state_file = std::filesystem::path(options.archive) / "follow.json";
    auto created_follower = sensor::FileFollower::Create(followed, follow_options);
    if (!created_follower.ok()) return Fail(created_follower.error());
    follower = std::move(created_follower).value();
  }
  // Block logs are always followed, each format with its own offsets.
  std::vector<std::pair<sensor::BlockLogFormat, std::unique_ptr<sensor::FileFollower>>> block_followers;
  for (const auto& [format, paths] : BlockLogs(options)) {
    if (paths.empty()) continue;
    sensor::FollowOptions follow_options;
    follow_options.from_start = options.from_start;
    follow_options.max_line_bytes = sensor::kMaxBlockLineBytes;
    follow_options.state_file = std::filesystem::path(options.archive) /
                                ("follow-blocks-" + std::string(sensor::BlockLogFormatName(format)) + ".json");
    auto created_follower = sensor::FileFollower::Create(paths, follow_options);
    if (!created_follower.ok()) return Fail(created_follower.error());
    block_followers.emplace_back(format, std::move(created_follower).value());
  }
  std::unique_ptr<sensor::SyslogListener> listener;
  if (!options.syslog_udp.empty() || !options.syslog_tcp.empty()) {
    sensor::SyslogListenerOptions listen_options;
    listen_options.udp = options.syslog_udp;
    listen_options.tcp = options.syslog_tcp;
    auto started = sensor::SyslogListener::Start(listen_options);
    if (!started.ok()) return Fail(started.error());
    listener = std::move(started).value();
    if (!options.quiet) {
      std::cerr << "Listening for syslog"
                << (listener->udp_port() != 0 ? " on UDP port " + std::to_string(listener->udp_port()) : "")
                << (listener->tcp_port() != 0 ? " on TCP port " + std::to_string(listener->tcp_port()) : "") << ".\n";
    }
  }

  auto shared = std::make_shared<ReaderShared>();
  shared->sensor = &sensor;
  std::atomic<bool> stop_workers{false};
  std::uint64_t syslog_bad = 0;  // guarded by shared->mutex
  std::thread follow_thread;
  if (follower || !block_followers.empty()) {
    follow_thread = std::thread([&] {
      while (!stop_workers) {
        if (follower) {
          follower->Poll([&](const Event& event) {
            std::lock_guard lock(shared->mutex);
            if (!shared->stopping) shared->sensor->ProcessEvent(event);
          });
          if (auto saved = follower->SaveState(); !saved.ok()) {
            std::cerr << "dannevirke: " << saved.error().ToString() << "\n";
          }
        }
        for (auto& [format, block_follower] : block_followers) {
          block_follower->PollLines([&, format = format](const std::string&, std::string_view line, std::uint64_t) {
            std::lock_guard lock(shared->mutex);
            if (!shared->stopping) shared->sensor->ProcessBlockLine(format, line);
          });
          if (auto saved = block_follower->SaveState(); !saved.ok()) {
            std::cerr << "dannevirke: " << saved.error().ToString() << "\n";
          }
        }
        std::this_thread::sleep_for(kFollowInterval);
      }
    });
  }
  std::thread syslog_thread;
  if (listener) {
    syslog_thread = std::thread([&] {
      LineParser parser;
      Event event;
      std::vector<sensor::SyslogMessage> batch;
      while (!stop_workers) {
        if (!listener->Take(batch, 1024, std::chrono::milliseconds(200))) break;
        if (batch.empty()) continue;
        parser.set_reference_time(Timestamp::Now());
        std::lock_guard lock(shared->mutex);
        if (shared->stopping) break;
        for (const auto& message : batch) {
          // One bad message is counted and skipped; the stream goes on.
          if (sensor::DecodeSyslog(message, parser, event).ok()) {
            shared->sensor->ProcessEvent(event);
          } else {
            ++syslog_bad;
          }
        }
      }
    });
  }
  if (!read_once.empty()) {
    std::thread reader([shared, logs = read_once] {
      LogSource source;
      const Status read = source.Read(logs, [&](const Event& event) {
        std::lock_guard lock(shared->mutex);
        if (!shared->stopping) shared->sensor->ProcessEvent(event);
      });
      std::lock_guard lock(shared->mutex);
      shared->done = true;
      shared->bad_records = source.stats().bad_records();
      if (!read.ok()) shared->failure = read.error().ToString();
    });
    // A reader blocked on stdin cannot be interrupted; it never touches the
    // Sensor once `stopping` is set.
    reader.detach();
  }
  // The change feed's thread: waits at the hub, wakes the main thread.
  std::mutex push_mutex;
  std::condition_variable push_cv;
  std::uint64_t cycles = 0;  // main-thread cycles done (guarded by push_mutex)
  std::unique_ptr<sensor::TaxiiClient> push_client;
  std::thread push_thread;
  if (!options.no_push) {
    sensor::TaxiiClientOptions push_options = client_options;
    push_options.timeout = kPushWait + std::chrono::seconds(20);
    auto created_push = sensor::TaxiiClient::Create(push_options);
    if (!created_push.ok()) return Fail(created_push.error());
    push_client = std::move(created_push).value();
    const pthread_t main_thread = pthread_self();
    push_thread = std::thread([&, main_thread] {
      std::uint64_t seen_cycles = 0;
      bool announced = true;  // before the first pull, as after news: wait for a cycle
      while (!stop_workers) {
        std::vector<std::pair<std::string, std::string>> cursors;
        if (announced) {
          std::unique_lock lock(push_mutex);
          // Waits for the cycle that pulled what the last answer announced.
          push_cv.wait_for(lock, std::chrono::seconds(10), [&] { return cycles > seen_cycles || stop_workers; });
          seen_cycles = cycles;
        }
        {
          std::lock_guard lock(shared->mutex);
          if (shared->stopping) break;
          cursors = sensor.ChangeCursors();
        }
        auto news = push_client->WaitForChanges(cursors, kPushWait);
        if (stop_workers) break;
        if (!news.ok()) {
          if (news.error().kind() == ErrorKind::kNotFound) {
            if (!options.quiet) std::cerr << "The hub has no change feed; pulling every " << options.poll << " s.\n";
            break;
          }
          std::cerr << "dannevirke: change feed: " << news.error().ToString() << "\n";
          for (int waited = 0; waited < 50 && !stop_workers; ++waited) {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
          }
          continue;
        }
        announced = !news->empty();
        if (announced) pthread_kill(main_thread, SIGUSR1);
      }
    });
  }
  bool reported_reader = false;
  for (;;) {
    {
      std::lock_guard lock(shared->mutex);
      pull();
      publish();
      {
        std::lock_guard push_lock(push_mutex);
        ++cycles;
      }
      push_cv.notify_all();
      if (shared->done && !reported_reader) {
        reported_reader = true;
        if (!shared->failure.empty()) std::cerr << "dannevirke: " << shared->failure << "\n";
        if (!options.quiet && !follower && !listener) {
          std::cerr << "The logs have been read; still pulling indicators for retro-hunts.\n";
        }
      }
    }
    timespec wait{options.poll, 0};
    const int signal = sigtimedwait(&stop_signals, nullptr, &wait);
    if (signal == SIGINT || signal == SIGTERM) break;
    if (signal < 0 && errno != EAGAIN && errno != EINTR) break;
  }
  stop_workers = true;
  push_cv.notify_all();
  if (push_client) push_client->Interrupt();
  if (push_thread.joinable()) push_thread.join();
  if (listener) listener->Stop();
  if (syslog_thread.joinable()) syslog_thread.join();
  if (follow_thread.joinable()) follow_thread.join();
  if (follower) (void)follower->SaveState();
  for (auto& [format, block_follower] : block_followers) (void)block_follower->SaveState();
  std::lock_guard lock(shared->mutex);
  shared->stopping = true;
  exit_code = 0;
  publish();
  sensor::SensorStats stats = sensor.stats();
  stats.bad_records += shared->bad_records + syslog_bad + (follower ? follower->stats().bad_records : 0);
  PrintSensorSummary(stats, options.counts_only ? std::string() : sensor.identity_id());
  if (follower) {
    const auto& follow = follower->stats();
    std::cerr << "Followed files: " << follow.lines << " lines, " << follow.rotations << " rotations, "
              << follow.truncations << " truncations.\n";
  }
  if (listener) {
    const auto syslog = listener->stats();
    std::cerr << "Syslog: " << syslog.udp_messages << " UDP and " << syslog.tcp_messages << " TCP messages, "
              << syslog_bad << " unparsable, " << syslog.dropped_queue_full << " dropped (queue full), "
              << syslog.framing_errors << " framing errors.\n";
  }
  return exit_code;
}

}  // namespace

void AddSensorCommand(CLI::App& app, int* exit_code) {
  auto options = std::make_shared<SensorCommandOptions>();
  auto* cmd = app.add_subcommand(
      "sensor",
      "Run a member's sensor: pull indicators from a hub (TAXII 2.1), match your own logs, keep a local archive for "
      "retro-hunts and post sightings. Log lines never leave this machine.");
  cmd->add_option("logs", options->logs,
                  "Log files to follow (like tail -F, across rotation), EVTX/gzip files or folders to read once; - "
                  "reads stdin");
  cmd->add_option("--hub", options->hub,
                  "The hub's URL, e.g. https://hub.example:8443 (plain http:// only to a loopback address)")
      ->required();
  cmd->add_option("--token", options->token, "API token (visible to other users in ps; prefer --token-file)");
  cmd->add_option("--token-file", options->token_file, "File whose first line is the API token");
  cmd->add_option("--collection", options->collections, "Collection to pull indicators from (repeatable)")->required();
  cmd->add_option("--sightings-collection", options->sightings_collection,
                  "Collection to post sightings to (default: the first --collection)");
  cmd->add_option("--org", options->org, "Your organisation's code (e.g. 0101); names your identity in sightings");
  cmd->add_option("--rules", options->rules, "Local Sigma rule files or folders (repeatable); their alerts stay local")
      ->allow_extra_args(false);
  cmd->add_option("--archive", options->archive, "State folder: indicator cache, pull state and the event archive")
      ->capture_default_str();
  cmd->add_flag("--no-archive", options->no_archive, "Keep no event archive (no retro-hunts)");
  cmd->add_option("--archive-max-mb", options->archive_max_mb, "Bound of the event archive in MiB")
      ->capture_default_str();
  cmd->add_option("--correlation-groups", options->correlation_groups,
                  "Open groups (group-by values) each correlation rule keeps; beyond it the least recently seen go")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--correlation-events", options->correlation_events,
                  "Matches each correlation rule holds in its windows; beyond it the least recently seen groups go")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--archive-days", options->archive_days, "Days of events the archive keeps")
      ->check(CLI::Range(1, 3650))
      ->capture_default_str();
  cmd->add_flag("--once", options->once, "Pull, scan the logs, post and exit");
  cmd->add_option("--poll", options->poll,
                  "Seconds between cycles (indicator pull, indicator state, sightings); an idle cycle is two small "
                  "requests")
      ->check(CLI::Range(1, 86400))
      ->capture_default_str();
  cmd->add_flag("--no-push", options->no_push, "Do not wait on the hub's change feed; pull every --poll seconds only");
  cmd->add_flag("--from-start", options->from_start,
                "Read followed files from their first byte when no offset is remembered (default: from their end)");
  cmd->add_option("--syslog-udp", options->syslog_udp,
                  "Listen for syslog (RFC 5424/3164, CEF) over UDP on ADDR:PORT; PORT alone binds 127.0.0.1");
  cmd->add_option("--syslog-tcp", options->syslog_tcp,
                  "Listen for syslog over TCP (octet counting or newline framing) on ADDR:PORT; PORT alone binds "
                  "127.0.0.1");
  cmd->add_option("--own-networks", options->own_networks,
                  "Your own address ranges (CIDR, comma-separated): indicator values there never alert")
      ->delimiter(',')
      ->allow_extra_args(false);
  cmd->add_option("--own-domains", options->own_domains,
                  "Your own domains (comma-separated, subdomains included): indicator values there never alert")
      ->delimiter(',')
      ->allow_extra_args(false);
  cmd->add_option("--own-infrastructure", options->own_infrastructure,
                  "File of your own ranges and domains, one a line ('#' comments)");
  cmd->add_flag("--no-warning-lists", options->no_warning_lists,
                "Do not use the built-in warning lists (private ranges, vendor and public-sector domains)");
  cmd->add_flag("--counts-only", options->counts_only, "Sightings carry only the indicator, count and first/last seen");
  cmd->add_option("--tlp", options->tlp, "TLP marking of sightings")->capture_default_str();
  cmd->add_option("--coordinator", options->coordinator,
                  "The national coordinator's organisation code: its Sigma rules and pattern indicators run")
      ->envname("DANNEVIRKE_COORDINATOR")
      ->capture_default_str();
  cmd->add_option("--trust-publisher", options->trust_publishers,
                  "Also run Sigma rules and pattern (non-exact) indicators published by this organisation "
                  "(repeatable; default: only the coordinator's and your own)")
      ->envname("DANNEVIRKE_TRUST_PUBLISHERS")
      ->delimiter(',');
  cmd->add_option("--rpz-log", options->rpz_logs,
                  "Unbound log with rpz-log: yes, followed: each block is counted back per indicator per hour "
                  "(repeatable; needs --org)")
      ->allow_extra_args(false);
  cmd->add_option("--bind-rpz-log", options->bind_rpz_logs,
                  "BIND log of the rpz category, followed and counted like --rpz-log (repeatable)")
      ->allow_extra_args(false);
  cmd->add_option("--firewall-log", options->firewall_logs,
                  "Kernel log with the firewall's block lines (log prefix \"dv-block \"), followed and counted "
                  "(repeatable)")
      ->allow_extra_args(false);
  cmd->add_option("--firewall-log-prefix", options->firewall_log_prefix,
                  "The log prefix of the firewall's block rules, without its trailing space")
      ->capture_default_str();
  cmd->add_option("--suricata-rules", options->suricata_rules,
                  "Write the shared Suricata rules (indicators with pattern_type suricata, from trusted publishers, "
                  "validated) to this file for the member's Suricata to load; replaced atomically on every change");
  cmd->add_option("--ca-file", options->ca_file, "PEM certificates to verify the hub with");
  cmd->add_flag("--quiet,-q", options->quiet, "Print only the summary and errors");
  cmd->callback([options, exit_code] { *exit_code = RunSensor(*options); });
}

}  // namespace dv::cli
