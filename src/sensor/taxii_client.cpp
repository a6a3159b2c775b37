// SPDX-License-Identifier: Apache-2.0
#include "sensor/taxii_client.h"

#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <nlohmann/json.hpp>
#include <thread>

#include "core/json_fields.h"
#include "core/json_limits.h"

namespace dv::sensor {
namespace {

using Json = nlohmann::json;
constexpr const char* kTaxiiType = "application/taxii+json;version=2.1";

std::string PercentEncode(const std::string& text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) != 0 || c == '-' || c == '_' || c == '.' || c == '~' || c == ':') {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(kHex[byte >> 4]);
      out.push_back(kHex[byte & 0xF]);
    }
  }
  return out;
}

bool Retryable(int http_status) { return http_status == 429 || http_status >= 500; }

std::optional<int> RetryAfter(const httplib::Response& res) {
  if (!res.has_header("Retry-After")) return std::nullopt;
  const std::string value = res.get_header_value("Retry-After");
  int seconds = 0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
  if (ec != std::errc() || end != value.data() + value.size() || seconds < 0) return std::nullopt;
  return seconds;
}

}  // namespace

std::chrono::milliseconds BackoffDelay(const RetryPolicy& policy, int retry, std::optional<int> retry_after_seconds) {
  std::chrono::milliseconds delay = policy.initial_delay;
  for (int step = 1; step < retry && delay < policy.max_delay; ++step) delay *= 2;
  delay = std::min(delay, policy.max_delay);
  if (retry_after_seconds) {
    delay = std::max(delay, std::chrono::milliseconds(std::int64_t{*retry_after_seconds} * 1000));
  }
  return delay;
}

Error TaxiiError(const std::string& method, const std::string& url, int http_status, const std::string& body) {
  std::string message = method + " " + url + ": HTTP " + std::to_string(http_status);
  const Json parsed = CheckJsonDepth(body).ok() ? Json::parse(body, nullptr, false) : Json();
  if (parsed.is_object() && parsed.contains("title") && parsed["title"].is_string()) {
    message += " " + parsed["title"].get<std::string>();
    if (parsed.contains("description") && parsed["description"].is_string()) {
      message += ": " + parsed["description"].get<std::string>();
    }
  } else if (!body.empty()) {
    message += ": " + body.substr(0, 200);
  }
  switch (http_status) {
    case 401:
      return Error::Unauthorized(message);
    case 403:
      return Error::Forbidden(message);
    case 404:
      return Error::NotFound(message);
    default:
      return http_status >= 400 && http_status < 500 && http_status != 429 ? Error::InvalidArgument(message)
                                                                           : Error::Io(message);
  }
}

Result<PostStatus> ParseStatus(const std::string& body, const std::string& where) {
  if (auto depth = CheckJsonDepth(body); !depth.ok()) return Error::Parse(where + ": " + depth.error().message());
  const Json parsed = Json::parse(body, nullptr, false);
  if (!parsed.is_object()) return Error::Parse(where + ": the status resource is not a JSON object");
  const std::string place = where + ": status resource";
  PostStatus status;
  auto id = StringField(parsed, "id", place);
  if (!id.ok()) return id.error();
  status.id = std::move(*id);
  auto state = StringField(parsed, "status", place);
  if (!state.ok()) return state.error();
  status.status = std::move(*state);
  for (auto [name, count] :
       {std::pair{"total_count", &status.total}, std::pair{"success_count", &status.success},
        std::pair{"failure_count", &status.failure}, std::pair{"pending_count", &status.pending}}) {
    auto value = OptionalIntField(parsed, name, place);
    if (!value.ok()) return value.error();
    *count = value->value_or(0);
  }
  if (const Json* failures = FindField(parsed, "failures"); failures != nullptr && failures->is_array()) {
    for (const auto& failure : *failures) {
      if (!failure.is_object()) return Error::Parse(place + ": failures: expected a list of objects");
      status.failures.push_back(StringFieldOr(failure, "id", "?") + ": " +
                                StringFieldOr(failure, "message", "refused"));
    }
  }
  return status;
}

Result<ObjectsPage> ParseEnvelope(const std::string& body, const std::string& where) {
  // The envelope and its list add two levels above each object.
  if (auto depth = CheckJsonDepth(body, kMaxJsonDepth + 2); !depth.ok()) {
    return Error::Parse(where + ": " + depth.error().message());
  }
  const Json parsed = Json::parse(body, nullptr, false);
  if (!parsed.is_object()) return Error::Parse(where + ": the envelope is not a JSON object");
  ObjectsPage page;
  if (const auto more = parsed.find("more"); more != parsed.end()) {
    if (!more->is_boolean()) return Error::Parse(where + ": envelope property 'more' is not a boolean");
    page.more = more->get<bool>();
  }
  if (const auto next = parsed.find("next"); next != parsed.end()) {
    if (!next->is_string()) return Error::Parse(where + ": envelope property 'next' is not a string");
    page.next = next->get<std::string>();
  }
  if (page.more && page.next.empty()) return Error::Parse(where + ": the envelope says 'more' but gives no 'next'");
  if (const auto objects = parsed.find("objects"); objects != parsed.end()) {
    if (!objects->is_array()) return Error::Parse(where + ": envelope property 'objects' is not a list");
    page.objects.reserve(objects->size());
    for (const auto& object : *objects) page.objects.push_back(object.dump());
  }
  return page;
}

Result<std::vector<InactiveIndicator>> ParseIndicatorState(const std::string& body, const std::string& where) {
  if (auto depth = CheckJsonDepth(body); !depth.ok()) return Error::Parse(where + ": " + depth.error().message());
  const Json parsed = Json::parse(body, nullptr, false);
  if (!parsed.is_object()) return Error::Parse(where + ": the indicator state is not a JSON object");
  std::vector<InactiveIndicator> inactive;
  const auto list = parsed.find("inactive");
  if (list == parsed.end()) return inactive;
  if (!list->is_array()) return Error::Parse(where + ": 'inactive' is not a list");
  for (std::size_t entry_idx = 0; entry_idx < list->size(); ++entry_idx) {
    const Json& entry = (*list)[entry_idx];
    if (!entry.is_object() || !entry.contains("id") || !entry["id"].is_string()) {
      return Error::Parse(where + ": inactive[" + std::to_string(entry_idx) + "] has no string 'id'");
    }
    InactiveIndicator indicator;
    indicator.id = entry["id"].get<std::string>();
    indicator.reason = StringFieldOr(entry, "reason");
    indicator.detail = StringFieldOr(entry, "detail");
    inactive.push_back(std::move(indicator));
  }
  return inactive;
}

Result<IndicatorState> ParseIndicatorStateAnswer(const std::string& body, const std::string& where) {
  auto inactive = ParseIndicatorState(body, where);
  if (!inactive.ok()) return inactive.error();
  IndicatorState state;
  state.inactive = std::move(inactive).value();
  // ParseIndicatorState checked the depth and that it is an object.
  const Json parsed = Json::parse(body, nullptr, false);
  if (const auto complete = parsed.find("complete"); complete != parsed.end()) {
    if (!complete->is_boolean()) return Error::Parse(where + ": 'complete' is not true or false");
    state.complete = complete->get<bool>();
  }
  if (const auto cursor = parsed.find("cursor"); cursor != parsed.end()) {
    if (!cursor->is_string()) return Error::Parse(where + ": 'cursor' is not a string");
    state.cursor = cursor->get<std::string>();
  }
  if (const auto active = parsed.find("active"); active != parsed.end()) {
    if (!active->is_array()) return Error::Parse(where + ": 'active' is not a list");
    for (std::size_t entry_idx = 0; entry_idx < active->size(); ++entry_idx) {
      if (!(*active)[entry_idx].is_string()) {
        return Error::Parse(where + ": active[" + std::to_string(entry_idx) + "] is not a string");
      }
      state.active.push_back((*active)[entry_idx].get<std::string>());
    }
  }
  return state;
}

Result<IndicatorState> HubClient::GetIndicatorStateSince(const std::string& /*cursor*/) {
  auto inactive = GetIndicatorState();
  if (!inactive.ok()) return inactive.error();
  IndicatorState state;
  state.inactive = std::move(inactive).value();
  return state;
}

struct TaxiiClient::Impl {
  TaxiiClientOptions options;
  std::unique_ptr<httplib::Client> client;
  std::string base;  // scheme://host:port, for messages
  std::atomic<bool> interrupted{false};

  httplib::Headers Headers() const { return {{"Accept", kTaxiiType}, {"Authorization", "Bearer " + options.token}}; }

  void Sleep(std::chrono::milliseconds delay) const {
    if (options.sleep) {
      options.sleep(delay);
    } else {
      std::this_thread::sleep_for(delay);
    }
  }

  // Runs `send` until it gives a final answer; returns the response or the error.
  Result<httplib::Response> Exchange(const std::string& method, const std::string& path,
                                     const std::function<httplib::Result()>& send) {
    const std::string url = base + path;
    std::string last_problem;
    for (int attempt = 1; attempt <= std::max(1, options.retry.attempts); ++attempt) {
      if (interrupted) return Error::Io(method + " " + url + ": interrupted");
      std::optional<int> retry_after;
      httplib::Result res = send();
      if (!res) {
        last_problem = method + " " + url + ": " + httplib::to_string(res.error());
      } else if (Retryable(res->status)) {
        retry_after = RetryAfter(*res);
        last_problem = TaxiiError(method, url, res->status, res->body).message();
      } else if (res->status >= 400) {
        return TaxiiError(method, url, res->status, res->body);
      } else {
        return *res;
      }
      if (attempt < options.retry.attempts) Sleep(BackoffDelay(options.retry, attempt, retry_after));
    }
    return Error::Io(last_problem + " (gave up after " + std::to_string(std::max(1, options.retry.attempts)) +
                     " attempts)");
  }
};

Status CheckHubTransport(std::string_view hub_url) {
  const std::string url(hub_url);
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string::npos) {
    return Error::InvalidArgument("hub URL '" + url + "' must start with http:// or https://");
  }
  std::string scheme = url.substr(0, scheme_end);
  std::transform(scheme.begin(), scheme.end(), scheme.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (scheme != "http" && scheme != "https") {
    return Error::InvalidArgument("hub URL '" + url + "' must start with http:// or https://");
  }
  const std::string authority = url.substr(scheme_end + 3, url.find_first_of("/?#", scheme_end + 3) - scheme_end - 3);
  if (authority.find('@') != std::string::npos) {
    return Error::InvalidArgument("hub URL '" + url + "' must not hold a user name or password; use --token-file");
  }
  if (scheme == "https") return Ok();
  std::string host = authority;
  if (!host.empty() && host.front() == '[') {
    host = host.substr(1, host.find(']') == std::string::npos ? std::string::npos : host.find(']') - 1);
  } else if (const auto colon = host.rfind(':'); colon != std::string::npos) {
    host.resize(colon);
  }
  std::transform(host.begin(), host.end(), host.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  in_addr v4{};
  in6_addr v6{};
  const bool loopback = host == "localhost" ||
                        (::inet_pton(AF_INET, host.c_str(), &v4) == 1 && (ntohl(v4.s_addr) >> 24) == 127) ||
                        (::inet_pton(AF_INET6, host.c_str(), &v6) == 1 && IN6_IS_ADDR_LOOPBACK(&v6));
  if (!loopback) {
    return Error::InvalidArgument("hub URL '" + url +
                                  "' uses plain http:// to a host that is not loopback; the token would cross the "
                                  "network unencrypted. Use https:// (plain http is allowed only to 127.0.0.0/8, "
                                  "[::1] and localhost)");
  }
  return Ok();
}

Result<std::unique_ptr<TaxiiClient>> TaxiiClient::Create(TaxiiClientOptions options) {
  DV_TRY(CheckHubTransport(options.hub_url));
  const std::string& url = options.hub_url;
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string::npos ||
      (url.substr(0, scheme_end) != "http" && url.substr(0, scheme_end) != "https")) {
    return Error::InvalidArgument("hub URL '" + url + "' must start with http:// or https://");
  }
  const auto path_start = url.find('/', scheme_end + 3);
  auto impl = std::make_unique<Impl>();
  impl->base = url.substr(0, path_start);
  if (impl->base.size() <= scheme_end + 3) return Error::InvalidArgument("hub URL '" + url + "' names no host");
  impl->options = std::move(options);
  impl->client = std::make_unique<httplib::Client>(impl->base);
  if (!impl->client->is_valid()) return Error::InvalidArgument("hub URL '" + url + "' cannot be used");
  impl->client->set_connection_timeout(impl->options.timeout);
  impl->client->set_read_timeout(impl->options.timeout);
  impl->client->set_write_timeout(impl->options.timeout);
  impl->client->set_keep_alive(true);
  if (!impl->options.ca_file.empty()) impl->client->set_ca_cert_path(impl->options.ca_file.c_str());
  return std::unique_ptr<TaxiiClient>(new TaxiiClient(std::move(impl)));
}

TaxiiClient::TaxiiClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
TaxiiClient::~TaxiiClient() = default;

Result<ObjectsPage> TaxiiClient::GetObjects(const ObjectsQuery& query) {
  std::string path = impl_->options.api_root + "collections/" + PercentEncode(query.collection_id) + "/objects/";
  std::vector<std::string> params;
  if (!query.added_after.empty()) params.push_back("added_after=" + PercentEncode(query.added_after));
  if (!query.next.empty()) params.push_back("next=" + PercentEncode(query.next));
  if (query.limit > 0) params.push_back("limit=" + std::to_string(query.limit));
  if (!query.types.empty()) {
    std::string types;
    for (const auto& type : query.types) types += (types.empty() ? "" : ",") + type;
    params.push_back("match%5Btype%5D=" + PercentEncode(types));
  }
  for (std::size_t param_idx = 0; param_idx < params.size(); ++param_idx) {
    path += (param_idx == 0 ? "?" : "&") + params[param_idx];
  }
  auto res = impl_->Exchange("GET", path, [&] { return impl_->client->Get(path, impl_->Headers()); });
  if (!res.ok()) return res.error();
  auto page = ParseEnvelope(res->body, "GET " + impl_->base + path);
  if (!page.ok()) return page.error();
  page->date_added_first = res->get_header_value("X-TAXII-Date-Added-First");
  page->date_added_last = res->get_header_value("X-TAXII-Date-Added-Last");
  return page;
}

Result<PostStatus> TaxiiClient::PostObjects(const std::string& collection_id, const std::vector<std::string>& objects) {
  const std::string path = impl_->options.api_root + "collections/" + PercentEncode(collection_id) + "/objects/";
  std::string body = "{\"objects\":[";
  for (std::size_t object_idx = 0; object_idx < objects.size(); ++object_idx) {
    if (object_idx > 0) body += ',';
    body += objects[object_idx];
  }
  body += "]}";
  auto res =
      impl_->Exchange("POST", path, [&] { return impl_->client->Post(path, impl_->Headers(), body, kTaxiiType); });
  if (!res.ok()) return res.error();
  return ParseStatus(res->body, "POST " + impl_->base + path);
}

Result<PostStatus> TaxiiClient::GetStatus(const std::string& status_id) {
  const std::string path = impl_->options.api_root + "status/" + PercentEncode(status_id) + "/";
  auto res = impl_->Exchange("GET", path, [&] { return impl_->client->Get(path, impl_->Headers()); });
  if (!res.ok()) return res.error();
  return ParseStatus(res->body, "GET " + impl_->base + path);
}

Result<std::vector<InactiveIndicator>> TaxiiClient::GetIndicatorState() {
  const std::string path = "/api/v1/indicators/state";
  const httplib::Headers headers = {{"Accept", "application/json"},
                                    {"Authorization", "Bearer " + impl_->options.token}};
  auto res = impl_->Exchange("GET", path, [&] { return impl_->client->Get(path, headers); });
  if (!res.ok()) {
    // A hub without the endpoint: nothing is inactive.
    if (res.error().kind() == ErrorKind::kNotFound) return std::vector<InactiveIndicator>{};
    return res.error();
  }
  return ParseIndicatorState(res->body, "GET " + impl_->base + path);
}

Result<IndicatorState> TaxiiClient::GetIndicatorStateSince(const std::string& cursor) {
  const std::string path = "/api/v1/indicators/state" + (cursor.empty() ? "" : "?since=" + PercentEncode(cursor));
  const httplib::Headers headers = {{"Accept", "application/json"},
                                    {"Authorization", "Bearer " + impl_->options.token}};
  auto res = impl_->Exchange("GET", path, [&] { return impl_->client->Get(path, headers); });
  if (!res.ok()) {
    // A hub without the endpoint: nothing is inactive.
    if (res.error().kind() == ErrorKind::kNotFound) return IndicatorState{};
    return res.error();
  }
  return ParseIndicatorStateAnswer(res->body, "GET " + impl_->base + path);
}

Result<std::vector<std::string>> HubClient::WaitForChanges(
    const std::vector<std::pair<std::string, std::string>>& /*cursors*/, std::chrono::seconds /*wait*/) {
  return Error::NotFound("this hub client has no change feed");
}

Result<std::vector<std::string>> TaxiiClient::WaitForChanges(
    const std::vector<std::pair<std::string, std::string>>& cursors, std::chrono::seconds wait) {
  std::string path = "/api/v1/changes?type=indicator&wait=" + std::to_string(wait.count());
  for (const auto& [collection, added_after] : cursors) {
    path += "&collection=" + PercentEncode(collection + (added_after.empty() ? "" : "@" + added_after));
  }
  const httplib::Headers headers = {{"Accept", "application/json"},
                                    {"Authorization", "Bearer " + impl_->options.token}};
  auto res = impl_->Exchange("GET", path, [&] { return impl_->client->Get(path, headers); });
  if (!res.ok()) return res.error();
  const std::string where = "GET " + impl_->base + "/api/v1/changes";
  if (auto depth = CheckJsonDepth(res->body); !depth.ok()) return Error::Parse(where + ": " + depth.error().message());
  const Json parsed = Json::parse(res->body, nullptr, false);
  if (!parsed.is_object() || !parsed.contains("collections") || !parsed["collections"].is_array()) {
    return Error::Parse(where + ": the answer has no 'collections' list");
  }
  std::vector<std::string> news;
  for (const auto& collection : parsed["collections"]) {
    if (collection.is_string()) news.push_back(collection.get<std::string>());
  }
  return news;
}

void TaxiiClient::Interrupt() {
  impl_->interrupted = true;
  impl_->client->stop();
}

Result<std::string> HubClient::GetRpzMapping(const std::string& org_code) {
  return Error::NotFound("this hub client does not fetch the RPZ mapping of '" + org_code + "'");
}

Result<std::string> TaxiiClient::GetRpzMapping(const std::string& org_code) {
  const std::string path = "/api/v1/protection/members/" + org_code + "/rpz/mapping";
  const httplib::Headers headers = {{"Accept", "application/json"},
                                    {"Authorization", "Bearer " + impl_->options.token}};
  auto res = impl_->Exchange("GET", path, [&] { return impl_->client->Get(path, headers); });
  if (!res.ok()) return res.error();
  return std::move(res->body);
}

}  // namespace dv::sensor
