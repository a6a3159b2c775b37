// SPDX-License-Identifier: Apache-2.0
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "cli/commands.h"
#include "cli/demo_seed.h"
#include "core/time.h"
#include "core/uuid.h"
#include "federation/federation.h"
#include "hub/auth.h"
#include "hub/hub_server.h"
#include "sensor/sensor.h"
#include "sensor/taxii_client.h"
#include "store/store.h"

namespace dv::cli {
namespace {

struct ServeOptions {
  std::string db;
  std::string bind = "127.0.0.1";
  int port = 8080;
  std::string web_root;
  std::string port_file;
  std::string token_file;
  std::string tls_cert;
  std::string tls_key;
  bool seed_demo = false;
  bool quiet = false;
  std::size_t max_connections_per_address = hub::HttpLimits{}.max_connections_per_address;
};

// The built dashboard next to the program: <repo>/web/dist for a build tree
// (build/dannevirke), <prefix>/share/dannevirke/web for an install.
std::string FindWebRoot() {
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  std::vector<std::filesystem::path> candidates;
  if (!ec) {
    const auto dir = exe.parent_path();
    candidates = {dir / "../web/dist", dir / "../../web/dist", dir / "../share/dannevirke/web"};
  }
  candidates.emplace_back("web/dist");
  for (const auto& candidate : candidates) {
    if (std::filesystem::exists(candidate / "index.html", ec)) {
      return std::filesystem::weakly_canonical(candidate, ec).string();
    }
  }
  return {};
}

void AddCommonOptions(CLI::App& cmd, ServeOptions& options) {
  cmd.add_option("--bind", options.bind, "Address to listen on")->capture_default_str();
  cmd.add_option("--max-connections-per-address", options.max_connections_per_address,
                 "Open connections one client address may hold (more are closed at once); behind a load balancer "
                 "all clients come from its address, so raise it to what the balancer may open (docs/operations.md)")
      ->check(CLI::Range(1, 20000))
      ->capture_default_str();
  cmd.add_option("--port", options.port, "Port to listen on; 0 picks a free one")
      ->check(CLI::Range(0, 65535))
      ->capture_default_str();
  cmd.add_option("--web-root", options.web_root,
                 "Directory of the built dashboard (default: found next to the program)");
  cmd.add_option("--port-file", options.port_file, "Write the port actually used to this file once listening");
  cmd.add_option("--token-file", options.token_file,
                 "With the demo data: write the fresh demo tokens as JSON {member: token} to this file (mode 0600; "
                 "default: beside the database, NAME.tokens.json). Tokens are written nowhere else");
  cmd.add_option("--tls-cert", options.tls_cert, "PEM certificate: serve HTTPS (required unless --bind is loopback)");
  cmd.add_option("--tls-key", options.tls_key, "PEM private key of --tls-cert");
  cmd.add_flag("--quiet", options.quiet, "Do not print the access log");
}

// The label of the tokens the demo gives its members at each start.
constexpr std::string_view kDemoTokenLabel = "demo start";

// Where the demo's tokens go without --token-file: beside an SQLite database
// file ("hub.db" -> "hub.tokens.json"), else in the working directory.
std::string DefaultTokenFile(const std::string& db) {
  std::filesystem::path path = "dannevirke-demo.db";
  if (db.rfind("sqlite:", 0) == 0 && db != "sqlite::memory:") path = db.substr(7);
  path.replace_extension(".tokens.json");
  return path.string();
}

// The demo's people, named by what they are, in the order a newcomer should
// open them; the sensors are not people and sign in nowhere.
struct DemoPerson {
  const char* member_id;
  const char* label;
};
constexpr DemoPerson kDemoPeople[] = {
    {"0101-soc", "Københavns Kommune — security officer (open this first)"},
    {"cfcs-analyst", "National coordinator — Center for Cybersikkerhed"},
    {"0751-soc", "Aarhus Kommune — security officer"},
    {"0461-soc", "Odense Kommune — security officer"},
};

// Where the sign-in page of the demo's people goes: beside the token file.
std::string SignInFile(const std::string& token_file) {
  constexpr std::string_view kSuffix = ".tokens.json";
  if (token_file.ends_with(kSuffix)) return token_file.substr(0, token_file.size() - kSuffix.size()) + ".signin.html";
  return token_file + ".signin.html";
}

// Writes `text` to `path` readable by its owner only: a new file is created
// with mode 0600 (never readable by others, not even for a moment), an
// existing one is narrowed to 0600 before anything is written, and a symbolic
// link is refused rather than followed.
Status WriteSecretFile(const std::string& path, const std::string& text) {
  auto failed = [&](const char* what) {
    return Error::Io("token file '" + path + "': " + what + ": " + std::strerror(errno));
  };
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) return failed("cannot open");
  if (::fchmod(fd, 0600) != 0) {
    const Error error = failed("cannot make it private");
    ::close(fd);
    return error;
  }
  std::size_t written = 0;
  while (written < text.size()) {
    const ssize_t count = ::write(fd, text.data() + written, text.size() - written);
    if (count < 0 && errno == EINTR) continue;
    if (count <= 0) {
      const Error error = failed("cannot write");
      ::close(fd);
      return error;
    }
    written += static_cast<std::size_t>(count);
  }
  if (::close(fd) != 0) return failed("cannot close");
  return Ok();
}

// The demo's sharing set-up: a national collection, one per region, one for
// utilities, members for a few organisations, and fresh tokens for five of
// them (written to the token file only). The tokens of the previous start are
// revoked, so a token copied from an old run stops working. Idempotent apart
// from the tokens. Collection ids are UUIDv5 of their names, so they are stable.
Result<std::vector<std::pair<std::string, std::string>>> SeedDemoSharing(Store& store) {
  auto collection_id = [](const std::string& name) {
    return Uuid::V5(DannevirkeNamespace(), "collection:" + name).ToString();
  };
  std::vector<Collection> collections;
  Collection national;
  national.id = collection_id("national");
  national.title = "Nationale indikatorer";
  national.description = "Indikatorer og observationer for hele den offentlige sektor / indicators for all members";
  national.default_tlp = Tlp::kGreen;
  collections.push_back(national);
  for (const auto& [code, name] : std::vector<std::pair<std::string, std::string>>{{"1081", "Nordjylland"},
                                                                                   {"1082", "Midtjylland"},
                                                                                   {"1083", "Syddanmark"},
                                                                                   {"1084", "Hovedstaden"},
                                                                                   {"1085", "Sjælland"}}) {
    Collection regional;
    regional.id = collection_id("region:" + code);
    regional.title = "Region " + name;
    regional.description = "Deling i regionen / sharing within the region";
    regional.audience = AudienceKind::kRegion;
    regional.audience_value = code;
    collections.push_back(regional);
  }
  Collection utilities;
  utilities.id = collection_id("sector:utility");
  utilities.title = "Forsyning";
  utilities.description = "Forsyningsvirksomheder / utilities";
  utilities.audience = AudienceKind::kSector;
  utilities.audience_value = "utility";
  collections.push_back(utilities);
  const std::vector<Member> members = {
      {"cfcs-analyst", "CFCS", "Analytiker, Center for Cybersikkerhed", MemberRole::kCoordinator},
      {"0101-soc", "0101", "Københavns Kommune, sikkerhed", MemberRole::kMember},
      {"0751-soc", "0751", "Aarhus Kommune, sikkerhed", MemberRole::kMember},
      {"0461-soc", "0461", "Odense Kommune, sikkerhed", MemberRole::kMember},
      {"0101-sensor", "0101", "Sensor, Københavns Kommune", MemberRole::kSensor},
      {"0751-sensor", "0751", "Sensor, Aarhus Kommune", MemberRole::kSensor},
  };
  std::vector<std::pair<std::string, std::string>> tokens;
  const Status status = store.InTransaction([&]() -> Status {
    for (const auto& collection : collections) DV_TRY(store.UpsertCollection(collection, "system:seed"));
    for (const auto& member : members) DV_TRY(store.UpsertMember(member, "system:seed"));
    for (const char* member_id : {"cfcs-analyst", "0101-soc", "0751-soc", "0101-sensor", "0461-soc"}) {
      auto previous = store.ListTokens(member_id);
      if (!previous.ok()) return previous.error();
      for (const auto& old_token : *previous) {
        if (old_token.label == kDemoTokenLabel && !old_token.revoked_at) {
          DV_TRY(store.RevokeToken(old_token.id, "system:seed"));
        }
      }
      const std::string token = hub::NewToken();
      DV_TRY(store.AddToken(hub::HashToken(token), member_id, kDemoTokenLabel, "system:seed"));
      tokens.emplace_back(member_id, token);
    }
    return Ok();
  });
  if (!status.ok()) return status.error().WithContext("seeding the demo's collections and members");
  return tokens;
}

// The bundled demo log lines with their "@timestamp"s moved by whole hours so
// that the newest is between five and 65 minutes old, order and spacing kept.
// Replayed with their fixed dates, the sightings would age with the calendar:
// the indicators would decay below every feed's minimum confidence within
// weeks and the demo would show no protection. A line without a readable
// timestamp is kept as it is.
std::string ReplayedNow(std::string_view logs, Timestamp now) {
  std::vector<nlohmann::json> lines;
  std::int64_t newest = 0;
  for (std::string_view rest = logs; !rest.empty();) {
    const auto end = rest.find('\n');
    const std::string_view line = rest.substr(0, end);
    rest.remove_prefix(end == std::string_view::npos ? rest.size() : end + 1);
    if (line.empty()) continue;
    lines.push_back(nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false));
    if (!lines.back().is_object()) lines.back() = std::string(line);
    if (lines.back().is_object() && lines.back().contains("@timestamp") && lines.back()["@timestamp"].is_string()) {
      if (auto at = Timestamp::Parse(lines.back()["@timestamp"].get<std::string>()); at.ok()) {
        newest = std::max(newest, at->unix_ms());
      }
    }
  }
  // Whole hours, so that lines keep their place within the hour (a sensor
  // counts sightings per hour) and the demo reports the same sightings each time.
  constexpr std::int64_t kHourMs = 3'600'000;
  const std::int64_t gap = now.unix_ms() - 5 * 60 * 1000 - newest;
  const std::int64_t shift = newest == 0 ? 0 : (gap >= 0 ? gap / kHourMs : -((-gap + kHourMs - 1) / kHourMs)) * kHourMs;
  std::string out;
  for (auto& line : lines) {
    if (line.is_string()) {
      out += line.get<std::string>() + "\n";
      continue;
    }
    if (line.contains("@timestamp") && line["@timestamp"].is_string()) {
      if (auto at = Timestamp::Parse(line["@timestamp"].get<std::string>()); at.ok()) {
        line["@timestamp"] = Timestamp(at->unix_ms() + shift).ToRfc3339();
      }
    }
    out += line.dump() + "\n";
  }
  return out;
}

// What Copenhagen's resolver feed now blocks, fetched as its resolver would
// (the owner mapping of the zone: a feed fetch, so the national view counts
// Copenhagen as connected): the domains of the enforce zone.
std::string DemoBlockingZone(sensor::TaxiiClient& client) {
  auto mapping = client.GetRpzMapping("0101");
  if (!mapping.ok()) return "København's resolver feed: " + mapping.error().ToString();
  const nlohmann::json body = nlohmann::json::parse(*mapping, nullptr, /*allow_exceptions=*/false);
  if (!body.is_object() || !body.contains("owners") || !body["owners"].is_object()) {
    return "København's resolver feed: the mapping is not a JSON object with owners";
  }
  std::string domains;
  for (const auto& [owner, entry] : body["owners"].items()) {
    if (owner.starts_with("*.") || owner.ends_with(".rpz-ip") || !entry.is_object()) continue;
    if (entry.value("zone", std::string()) != "enforce") continue;
    domains += (domains.empty() ? "" : ", ") + owner;
  }
  return "København's resolver feed (serial " + std::to_string(body.value("serial", std::int64_t{0})) + ") blocks " +
         (domains.empty() ? std::string("no domain yet") : domains) + " (dashboard: #/protection)";
}

// The demo's moving parts, over TAXII as real members would do it: Aarhus's
// SOC publishes the demo indicators to the national collection, and
// Copenhagen's sensor reads the bundled demo logs, finds them and reports
// sightings; then it pulls and reports every 10 s until `stop`.
void RunDemoFeed(const std::string& hub_url, const std::string& publisher_token, const std::string& sensor_token,
                 const std::string& collection_id, const std::atomic<bool>& stop) {
  auto say = [](const std::string& line) { std::cout << "  [demo feed] " << line << "\n" << std::flush; };
  sensor::TaxiiClientOptions publisher_options;
  publisher_options.hub_url = hub_url;
  publisher_options.token = publisher_token;
  auto publisher = sensor::TaxiiClient::Create(publisher_options);
  if (!publisher.ok()) return say(publisher.error().ToString());
  std::vector<std::string> indicators;
  std::string_view feed = DemoDataFile("indicators.jsonl");
  while (!feed.empty()) {
    const auto end = feed.find('\n');
    if (end != 0) indicators.emplace_back(feed.substr(0, end));
    feed.remove_prefix(end == std::string_view::npos ? feed.size() : end + 1);
  }
  auto posted = (*publisher)->PostObjects(collection_id, indicators);
  if (!posted.ok()) return say("publishing the demo indicators: " + posted.error().ToString());
  say("0751-soc (Aarhus) published " + std::to_string(indicators.size()) + " indicators to the national collection");

  const auto dir = std::filesystem::temp_directory_path() / ("dannevirke-demo-sensor-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string logs = (dir / "copenhagen.jsonl").string();
  std::ofstream(logs, std::ios::binary) << ReplayedNow(DemoDataFile("copenhagen.jsonl"), Timestamp::Now());
  sensor::TaxiiClientOptions sensor_options;
  sensor_options.hub_url = hub_url;
  sensor_options.token = sensor_token;
  auto client = sensor::TaxiiClient::Create(sensor_options);
  if (!client.ok()) return say(client.error().ToString());
  sensor::SensorOptions options;
  options.collections = {collection_id};
  options.org_code = "0101";
  options.state_dir = dir / "state";
  auto sensor = sensor::Sensor::Create(**client, options);
  if (!sensor.ok()) return say(sensor.error().ToString());
  bool scanned = false;
  while (!stop.load()) {
    if (auto pulled = (*sensor)->Pull(); !pulled.ok()) say("pull: " + pulled.error().ToString());
    if (!scanned) {
      const std::vector<std::string> paths = {logs};
      if (auto status = (*sensor)->ScanLogs(paths); !status.ok()) say("logs: " + status.error().ToString());
      scanned = true;
    }
    auto published = (*sensor)->Publish();
    if (!published.ok()) {
      say("sightings: " + published.error().ToString());
    } else if (*published > 0) {
      say("0101-sensor (København) read " + std::to_string((*sensor)->stats().events) + " log events and reported " +
          std::to_string(*published) + " sightings; the log lines stayed with the sensor");
      say(DemoBlockingZone(**client));
    }
    for (int tick = 0; tick < 100 && !stop.load(); ++tick) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
}

int Serve(const ServeOptions& options, bool demo) {
  // Block the stop signals before any thread starts, so that only this
  // thread receives them (through sigwait below) and shutdown is orderly.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  const auto started = std::chrono::steady_clock::now();
  auto store = Store::Open(options.db);
  if (!store.ok()) {
    std::cerr << "dannevirke: " << store.error().ToString() << "\n";
    return 1;
  }
  if (options.seed_demo) {
    auto data = LoadDemoFederation();
    if (!data.ok()) {
      std::cerr << "dannevirke: demo federation: " << data.error().ToString() << "\n";
      return 1;
    }
    auto report = SeedFederation(**store, *data);
    if (!report.ok()) {
      std::cerr << "dannevirke: " << report.error().ToString() << "\n";
      return 1;
    }
    std::cerr << "Demo federation loaded: " << report->organisations << " organisations, " << report->dependencies
              << " dependencies.\n";
  }
  std::vector<std::pair<std::string, std::string>> demo_tokens;
  if (options.seed_demo) {
    auto tokens = SeedDemoSharing(**store);
    if (!tokens.ok()) {
      std::cerr << "dannevirke: " << tokens.error().ToString() << "\n";
      return 1;
    }
    demo_tokens = std::move(tokens).value();
    if (auto seeded = SeedDemoModules(**store); !seeded.ok()) {
      std::cerr << "dannevirke: " << seeded.error().ToString() << "\n";
      return 1;
    }
  }
  // The demo's tokens are written to the token file and nowhere else: stdout
  // and the access log are often captured by shared logs.
  std::string token_file;
  if (!demo_tokens.empty()) {
    token_file = options.token_file.empty() ? DefaultTokenFile(options.db) : options.token_file;
    nlohmann::json tokens = nlohmann::json::object();
    for (const auto& [member_id, token] : demo_tokens) tokens[member_id] = token;
    if (auto written = WriteSecretFile(token_file, tokens.dump(2) + "\n"); !written.ok()) {
      std::cerr << "dannevirke: " << written.error().ToString() << "\n";
      return 1;
    }
    std::error_code ec;
    const auto absolute = std::filesystem::absolute(token_file, ec);
    if (!ec) token_file = absolute.string();
  }
  auto demo_token_of = [&](std::string_view member_id) -> std::string {
    for (const auto& [id, token] : demo_tokens) {
      if (id == member_id) return token;
    }
    return {};
  };

  HubOptions hub_options;
  hub_options.bind_address = options.bind;
  hub_options.port = options.port;
  hub_options.web_root = options.web_root.empty() ? FindWebRoot() : options.web_root;
  hub_options.tls_cert = options.tls_cert;
  hub_options.tls_key = options.tls_key;
  hub_options.http.max_connections_per_address = options.max_connections_per_address;
  hub_options.version = Version();
  if (!options.quiet) {
    auto log_mutex = std::make_shared<std::mutex>();
    hub_options.access_log = [log_mutex](const std::string& line) {
      std::lock_guard lock(*log_mutex);
      std::cerr << line << "\n";
    };
  }
  HubServer server(**store, hub_options);
  auto port = server.Bind();
  if (!port.ok()) {
    std::cerr << "dannevirke: " << port.error().ToString() << "\n";
    return 1;
  }
  if (!options.port_file.empty()) {
    std::ofstream(options.port_file) << *port << "\n";
  }
  Status served;
  std::thread serve_thread([&] { served = server.Serve(); });

  const auto startup_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
  const std::string url = std::string(options.tls_cert.empty() ? "http" : "https") + "://" + options.bind + ":" +
                          std::to_string(*port) + "/";
  std::cout << (demo ? "Dannevirke demo is running" : "Dannevirke hub is running") << " (started in " << startup_ms
            << " ms).\n"
            << "  Dashboard:  " << url
            << (hub_options.web_root.empty() ? "  (not built: run `npm run build` in web/)" : "") << "\n"
            << "  API:        " << url << "api/v1/organisations\n"
            << "  OpenAPI:    " << url << "api/v1/openapi.json\n"
            << "  TAXII 2.1:  " << url << "taxii2/\n"
            << "  Database:   " << Store::DisplayUrl(options.db) << "\n"
            << std::flush;
  if (!token_file.empty()) {
    std::cout << "  Tokens:     " << token_file << "  (mode 0600: the demo members' API tokens)\n";
    std::cout << "  Try: curl -H \"Authorization: Bearer $(sed -n 's/.*\"0101-soc\": \"\\(dvt_[0-9a-f]*\\)\".*/\\1/p' '"
              << token_file << "')\" -H 'Accept: application/taxii+json;version=2.1' " << url
              << "taxii2/dannevirke/collections/\n";
    if (demo) {
      std::cout
          << "  Copenhagen's blocking zone (Aarhus's shared domain, confirmed by Copenhagen's sensor):\n"
          << "       curl -H \"Authorization: Bearer $(sed -n 's/.*\"0101-soc\": \"\\(dvt_[0-9a-f]*\\)\".*/\\1/p' '"
          << token_file << "')\" " << url << "api/v1/protection/members/0101/rpz\n";
    }
  }
  // The sign-in links, named by who signs in. Only Copenhagen's is printed:
  // stdout is often captured by shared logs, and the coordinator's token
  // reaches every member's data. Every role's link is in a page readable by
  // its owner only (mode 0600), beside the token file.
  std::string sign_in_file;
  const std::string member_token = demo_token_of("0101-soc");
  if (!token_file.empty()) {
    std::string page =
        "<!doctype html>\n<html lang=\"da\"><meta charset=\"utf-8\"><title>Dannevirke demo: log ind</title>\n"
        "<h1>Dannevirke demo — log ind / sign in</h1>\n<p>Hver henvisning logger ind som en af demoens personer. "
        "Each link signs in as one of the demo's people.</p>\n<ul>\n";
    for (const DemoPerson& person : kDemoPeople) {
      const std::string token = demo_token_of(person.member_id);
      if (token.empty()) continue;
      page += "<li><a href=\"" + url + "#/login/" + token + "\">" + person.label + "</a></li>\n";
    }
    page += "</ul>\n</html>\n";
    sign_in_file = SignInFile(token_file);
    if (auto written = WriteSecretFile(sign_in_file, page); !written.ok()) {
      std::cerr << "dannevirke: " << written.error().ToString() << "\n";
      sign_in_file.clear();
    }
  }
  const auto print_sign_in = [&] {
    if (member_token.empty()) return;
    std::cout << "  Sign in as " << kDemoPeople[0].label << ":\n      " << url << "#/login/" << member_token << "\n";
    if (!sign_in_file.empty()) {
      std::cout << "  Every demo role (national coordinator, Aarhus, Odense): file://" << sign_in_file << "\n";
    }
    std::cout << std::flush;
  };
  print_sign_in();
  std::cout << "Press Ctrl-C to stop"
            << (demo && ::isatty(STDIN_FILENO) ? ", Enter to show the sign-in links again" : "") << ".\n"
            << std::flush;
  // The access log scrolls the links away: the demo shows them again every
  // five minutes, and at once when Enter is pressed in its terminal.
  std::atomic<bool> stop_reminder{false};
  std::thread reminder;
  if (demo && !member_token.empty()) {
    reminder = std::thread([&] {
      const bool terminal = ::isatty(STDIN_FILENO) != 0;
      auto next = std::chrono::steady_clock::now() + std::chrono::minutes(5);
      while (!stop_reminder) {
        bool asked = false;
        if (terminal) {
          pollfd input{STDIN_FILENO, POLLIN, 0};
          if (::poll(&input, 1, 500) > 0 && (input.revents & POLLIN) != 0) {
            char buffer[256];
            asked = ::read(STDIN_FILENO, buffer, sizeof buffer) > 0;
          }
        } else {
          std::this_thread::sleep_for(std::chrono::milliseconds(500));
        }
        if (asked || std::chrono::steady_clock::now() >= next) {
          print_sign_in();
          next = std::chrono::steady_clock::now() + std::chrono::minutes(5);
        }
      }
    });
  }

  std::atomic<bool> stop_feed{false};
  std::thread feed;
  if (demo && !demo_tokens.empty() && options.tls_cert.empty()) {
    const std::string national = Uuid::V5(DannevirkeNamespace(), "collection:national").ToString();
    feed = std::thread(RunDemoFeed, "http://127.0.0.1:" + std::to_string(*port), demo_token_of("0751-soc"),
                       demo_token_of("0101-sensor"), national, std::cref(stop_feed));
  }

  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  stop_feed = true;
  stop_reminder = true;
  if (feed.joinable()) feed.join();
  if (reminder.joinable()) reminder.join();
  std::cout << "\nStopping (" << (signal_number == SIGINT ? "SIGINT" : "SIGTERM") << ")…\n" << std::flush;
  server.Stop();
  serve_thread.join();
  if (!served.ok()) {
    std::cerr << "dannevirke: " << served.error().ToString() << "\n";
    return 1;
  }
  std::cout << "Stopped cleanly.\n";
  return 0;
}

}  // namespace

const char* Version() { return DV_VERSION; }

void AddServeCommands(CLI::App& app, int* exit_code) {
  auto demo_options = std::make_shared<ServeOptions>();
  demo_options->db = "sqlite:dannevirke-demo.db";
  demo_options->seed_demo = true;
  CLI::App* demo = app.add_subcommand(
      "demo",
      "Start a hub on an embedded SQLite database seeded with the demo federation (98 municipalities, 5 regions, "
      "state bodies, shared national systems, suppliers) and serve the dashboard. Seeding is idempotent: an existing "
      "database keeps its data.");
  demo->add_option("--db", demo_options->db, "Database URL (sqlite:PATH)")->capture_default_str();
  AddCommonOptions(*demo, *demo_options);
  demo->callback([demo_options, exit_code] { *exit_code = Serve(*demo_options, true); });

  auto hub_options = std::make_shared<ServeOptions>();
  CLI::App* hub = app.add_subcommand("hub", "Run the hub server: REST API and dashboard over a database.");
  hub->add_option("--db", hub_options->db,
                  "Database URL: sqlite:PATH, or postgresql://USER@HOST:PORT/DATABASE (docs/storage.md)")
      ->required();
  hub->add_flag("--seed-demo", hub_options->seed_demo, "Load the demo federation into the database first (idempotent)");
  AddCommonOptions(*hub, *hub_options);
  hub->callback([hub_options, exit_code] { *exit_code = Serve(*hub_options, false); });
}

}  // namespace dv::cli
