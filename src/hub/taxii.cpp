// SPDX-License-Identifier: Apache-2.0
#include "hub/taxii.h"

#include <httplib.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>

#include "core/text.h"
#include "core/uuid.h"
#include "hub/access.h"
#include "hub/api.h"
#include "hub/auth.h"
#include "hub/rate_limiter.h"
#include "hub/refusal_audit.h"
#include "hub/router.h"
#include "hub/stix_intake.h"

namespace dv::hub {
namespace {

using Json = nlohmann::json;

constexpr const char* kTaxiiType = "application/taxii+json;version=2.1";
constexpr const char* kStixType = "application/stix+json;version=2.1";
constexpr const char* kRoot = "/taxii2/dannevirke/";

// How many new objects each organisation posted per key in the current hour:
// new sightings per indicator, and new detection content under one key
// (docs/stix.md, "Posting rules"). In memory: a restart starts the hour
// afresh. Bounded: it holds only the current hour, and at most
// kMaxIndicatorsPerOrg keys per organisation (an organisation that uses more
// distinct keys in one hour is refused the rest). Thread-safe.
class HourlyBudget {
 public:
  static constexpr std::size_t kMaxIndicatorsPerOrg = 20'000;

  explicit HourlyBudget(std::int64_t per_indicator_hour) : per_indicator_hour_(per_indicator_hour) {}

  // True, and counted, when `org` may post one more new object under `indicator` (the key) now.
  bool Take(const std::string& org, const std::string& indicator, Timestamp now) {
    const std::int64_t hour = now.unix_ms() / 3'600'000;
    std::lock_guard lock(mutex_);
    if (hour != hour_) {
      used_.clear();
      indicators_of_.clear();
      hour_ = hour;
    }
    auto [it, added] = used_.try_emplace({org, indicator}, 0);
    if (added && ++indicators_of_[org] > kMaxIndicatorsPerOrg) {
      --indicators_of_[org];
      used_.erase(it);
      return false;
    }
    if (it->second >= per_indicator_hour_) return false;
    ++it->second;
    return true;
  }

 private:
  const std::int64_t per_indicator_hour_;
  std::mutex mutex_;
  std::int64_t hour_ = -1;
  std::map<std::pair<std::string, std::string>, std::int64_t> used_;
  std::map<std::string, std::size_t> indicators_of_;
};

// An indicator whose pattern is code more than a value: a Sigma rule, or a
// STIX pattern with MATCHES or LIKE. Looks at the text first and parses only
// indicators that may be one.
bool IsDetectionContent(const NewObject& object) {
  if (object.type != "indicator") return false;
  const std::string_view text = object.json;
  if (text.find("sigma") == std::string_view::npos && text.find("MATCHES") == std::string_view::npos &&
      text.find("LIKE") == std::string_view::npos) {
    return false;
  }
  const auto parsed = Json::parse(object.json, nullptr, false);
  if (!parsed.is_object()) return false;
  const auto pattern_type = parsed.find("pattern_type");
  if (pattern_type != parsed.end() && *pattern_type == "sigma") return true;
  const auto pattern = parsed.find("pattern");
  if (pattern == parsed.end() || !pattern->is_string()) return false;
  const auto& text_of = pattern->get_ref<const std::string&>();
  return text_of.find(" MATCHES ") != std::string::npos || text_of.find(" LIKE ") != std::string::npos;
}

}  // namespace

class TaxiiService::Impl {
 public:
  Impl(ApiContext& context, TaxiiOptions options)
      : context_(context), store_(context.store()), options_(std::move(options)) {}

  void Register(Router& server) {
    server.Get("/taxii2/", [this](const httplib::Request& req, httplib::Response& res) { Discovery(req, res); });
    server.Get("/taxii2", [this](const httplib::Request& req, httplib::Response& res) { Discovery(req, res); });
    server.Get(R"(/taxii2/dannevirke/?)", [this](const httplib::Request& req, httplib::Response& res) {
      Handle(req, res, [&](const Principal&) { ApiRoot(res); });
    });
    server.Get(R"(/taxii2/dannevirke/collections/?)", [this](const httplib::Request& req, httplib::Response& res) {
      Handle(req, res, [&](const Principal& principal) { Collections(principal, res); });
    });
    server.Get(R"(/taxii2/dannevirke/collections/([^/]+)/?)",
               [this](const httplib::Request& req, httplib::Response& res) {
                 Handle(req, res, [&](const Principal& principal) { OneCollection(principal, req.matches[1], res); });
               });
    server.Get(R"(/taxii2/dannevirke/collections/([^/]+)/objects/?)", [this](const httplib::Request& req,
                                                                             httplib::Response& res) {
      Handle(req, res, [&](const Principal& principal) { GetObjects(principal, req, req.matches[1], "", res); });
    });
    server.Post(R"(/taxii2/dannevirke/collections/([^/]+)/objects/?)", [this](const httplib::Request& req,
                                                                              httplib::Response& res) {
      Handle(req, res, [&](const Principal& principal) { PostObjects(principal, req, req.matches[1], res); });
    });
    server.Get(R"(/taxii2/dannevirke/collections/([^/]+)/objects/([^/]+)/?)",
               [this](const httplib::Request& req, httplib::Response& res) {
                 Handle(req, res, [&](const Principal& principal) {
                   GetObjects(principal, req, req.matches[1], req.matches[2], res);
                 });
               });
    server.Delete(R"(/taxii2/dannevirke/collections/([^/]+)/objects/([^/]+)/?)",
                  [this](const httplib::Request& req, httplib::Response& res) {
                    Handle(req, res, [&](const Principal& principal) {
                      DeleteObject(principal, req, req.matches[1], req.matches[2], res);
                    });
                  });
    server.Get(R"(/taxii2/dannevirke/collections/([^/]+)/objects/([^/]+)/versions/?)",
               [this](const httplib::Request& req, httplib::Response& res) {
                 Handle(req, res, [&](const Principal& principal) {
                   Versions(principal, req, req.matches[1], req.matches[2], res);
                 });
               });
    server.Get(R"(/taxii2/dannevirke/collections/([^/]+)/manifest/?)",
               [this](const httplib::Request& req, httplib::Response& res) {
                 Handle(req, res, [&](const Principal& principal) { Manifest(principal, req, req.matches[1], res); });
               });
    server.Get(R"(/taxii2/dannevirke/status/([^/]+)/?)", [this](const httplib::Request& req, httplib::Response& res) {
      Handle(req, res, [&](const Principal& principal) { GetStatus(principal, req.matches[1], res); });
    });
  }

 private:
  static void Send(httplib::Response& res, int status, const Json& body) {
    res.status = status;
    // Replaces invalid UTF-8 (e.g. from a request path) instead of throwing.
    res.set_content(body.dump(-1, ' ', false, Json::error_handler_t::replace), kTaxiiType);
  }

  static void SendError(httplib::Response& res, int status, const std::string& title, const std::string& description) {
    std::string body;
    std::string type;
    SetTaxiiError(status, title, description, body, type);
    res.status = status;
    res.set_content(body, type);
  }

  // A failure of the store: 503 with Retry-After and a fixed message when
  // the database cannot be reached (its error names the host), else 500.
  static void SendStoreError(httplib::Response& res, const Error& error) {
    if (error.kind() == ErrorKind::kUnavailable) {
      res.set_header("Retry-After", std::to_string(kUnavailableRetrySeconds));
      return SendError(res, 503, "Service unavailable", std::string(kUnavailableMessage));
    }
    SendError(res, 500, "Server error", error.message());
  }

  // The Accept header must allow TAXII 2.1 JSON.
  static bool AcceptsTaxii(const httplib::Request& req) {
    if (!req.has_header("Accept")) return true;
    const std::string accept = req.get_header_value("Accept");
    if (accept.find("*/*") != std::string::npos) return true;
    std::size_t pos = 0;
    while ((pos = accept.find("application/taxii+json", pos)) != std::string::npos) {
      const auto end = accept.find(',', pos);
      const std::string item = accept.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
      if (item.find("version=") == std::string::npos || item.find("version=2.1") != std::string::npos) return true;
      pos += 1;
    }
    return false;
  }

  void Discovery(const httplib::Request& req, httplib::Response& res) {
    Handle(req, res, [&](const Principal&) {
      Send(res, 200,
           {{"title", options_.title + " TAXII 2.1"},
            {"description", "Indikatorer, observationer og sårbarheder delt i det fælles cyberforsvar."},
            {"default", kRoot},
            {"api_roots", {kRoot}}});
    });
  }

  void ApiRoot(httplib::Response& res) {
    Send(res, 200,
         {{"title", options_.title},
          {"description", "Dannevirke hub API root"},
          {"versions", {kTaxiiType}},
          {"max_content_length", options_.max_content_length}});
  }

  // Authenticates, rate-limits and checks media types, then runs `body`.
  void Handle(const httplib::Request& req, httplib::Response& res, const std::function<void(const Principal&)>& body) {
    if (!AcceptsTaxii(req)) {
      return SendError(res, 406, "Not acceptable",
                       "this server answers with application/taxii+json;version=2.1 (Accept: " +
                           req.get_header_value("Accept") + ")");
    }
    auto principal = context_.Authenticate(req);
    if (!principal.ok() && principal.error().kind() != ErrorKind::kUnauthorized) {
      return SendStoreError(res, principal.error());
    }
    if (!principal.ok()) {
      res.set_header("WWW-Authenticate", R"(Basic realm="dannevirke", Bearer realm="dannevirke")");
      context_.AuditUnauthenticated(req, principal.error().message());
      return SendError(res, 401, "Authentication required", principal.error().message());
    }
    // One budget per member for TAXII and the REST API alike.
    if (!context_.AllowRequest(principal->member.id)) {
      res.set_header("Retry-After", "1");
      return SendError(res, 429, "Too many requests",
                       "the rate limit for member '" + principal->member.id + "' is exceeded; retry after a second");
    }
    try {
      body(*principal);
    } catch (const Json::exception& error) {
      SendError(res, 400, "Bad request", std::string("JSON: ") + error.what());
    }
  }

  // The code of the federation organisation whose STIX identity `id` is, or
  // nullopt. A member may not squat another organisation's identity object
  // (its first version would make the squatter its owner).
  Result<std::optional<std::string>> FederationIdentity(const std::string& id) {
    OrganisationQuery query;
    query.limit = Store::kMaxPageSize;
    for (;;) {
      auto page = store_.ListOrganisations(query);
      if (!page.ok()) return page.error();
      for (const auto& org : page->items) {
        if (org.StixId() == id) return std::optional<std::string>(org.code);
      }
      query.offset += static_cast<int>(page->items.size());
      if (page->items.empty() || query.offset >= page->total) return std::optional<std::string>();
    }
  }

  // The collection if the principal may read it; otherwise an error response is sent.
  std::optional<Collection> ReadableCollection(const Principal& principal, const std::string& id,
                                               httplib::Response& res) {
    auto collection = store_.GetCollection(id);
    if (!collection.ok()) {
      if (collection.error().kind() != ErrorKind::kNotFound) {
        SendStoreError(res, collection.error());
      } else {
        SendError(res, 404, "Not found", "no collection '" + id + "'");
      }
      return std::nullopt;
    }
    if (!CanReadCollection(principal, *collection)) {
      (void)store_.Audit(principal.member.id, "read.refused", "collection " + id, "not in the collection's audience");
      SendError(res, 403, "Forbidden", "member '" + principal.member.id + "' may not read collection '" + id + "'");
      return std::nullopt;
    }
    return std::move(collection).value();
  }

  Json CollectionJson(const Principal& principal, const Collection& collection) {
    return {{"id", collection.id},
            {"title", collection.title},
            {"description", collection.description},
            {"can_read", CanReadCollection(principal, collection)},
            {"can_write", CanWriteCollection(principal, collection)},
            {"media_types", {kStixType}}};
  }

  void Collections(const Principal& principal, httplib::Response& res) {
    auto collections = store_.ListCollections();
    if (!collections.ok()) return SendStoreError(res, collections.error());
    Json list = Json::array();
    for (const auto& collection : *collections) {
      if (CanReadCollection(principal, collection) || CanWriteCollection(principal, collection)) {
        list.push_back(CollectionJson(principal, collection));
      }
    }
    Json body = Json::object();
    if (!list.empty()) body["collections"] = list;
    Send(res, 200, body);
  }

  void OneCollection(const Principal& principal, const std::string& id, httplib::Response& res) {
    auto collection = store_.GetCollection(id);
    if (!collection.ok() && collection.error().kind() != ErrorKind::kNotFound) {
      return SendStoreError(res, collection.error());
    }
    if (!collection.ok() ||
        !(CanReadCollection(principal, *collection) || CanWriteCollection(principal, *collection))) {
      return SendError(res, 404, "Not found", "no collection '" + id + "' for member '" + principal.member.id + "'");
    }
    Send(res, 200, CollectionJson(principal, *collection));
  }

  static std::vector<std::string> SplitCommas(const std::string& text) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= text.size()) {
      const auto comma = text.find(',', start);
      std::string item = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      if (!item.empty()) out.push_back(std::move(item));
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    return out;
  }

  // Reads added_after, limit, next and match[...]; sends 400 and returns nullopt on bad input.
  std::optional<ObjectQuery> ReadQuery(const httplib::Request& req, const std::string& collection_id,
                                       const std::string& object_id, httplib::Response& res) {
    ObjectQuery query;
    query.collection_id = collection_id;
    query.limit = options_.default_page;
    for (const auto& [name, value] : req.params) {
      if (name == "added_after") {
        const auto micros = ParseMicros(value);
        if (!micros) {
          SendError(res, 400, "Bad request", "added_after '" + value + "' is not an RFC 3339 timestamp");
          return std::nullopt;
        }
        query.added_after_us = *micros;
      } else if (name == "limit") {
        int limit = 0;
        const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), limit);
        if (ec != std::errc() || end != value.data() + value.size() || limit < 1) {
          SendError(res, 400, "Bad request", "limit '" + value + "' must be a positive whole number");
          return std::nullopt;
        }
        query.limit = std::min(limit, options_.max_page);
      } else if (name == "next") {
        std::int64_t seq = 0;
        const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seq);
        if (ec != std::errc() || end != value.data() + value.size() || seq < 0) {
          SendError(res, 400, "Bad request", "next '" + value + "' is not a value this server gave out");
          return std::nullopt;
        }
        query.after_seq = seq;
      } else if (name == "match[id]") {
        for (auto& id : SplitCommas(value)) query.ids.push_back(std::move(id));
      } else if (name == "match[type]") {
        for (auto& type : SplitCommas(value)) query.types.push_back(std::move(type));
      } else if (name == "match[spec_version]") {
        for (auto& version : SplitCommas(value)) query.spec_versions.push_back(std::move(version));
      } else if (name == "match[version]") {
        const auto versions = SplitCommas(value);
        query.versions.mode = VersionFilter::Mode::kGiven;
        for (const auto& version : versions) {
          if (version == "all") {
            query.versions.mode = VersionFilter::Mode::kAll;
          } else if (version == "last" || version == "first") {
            if (query.versions.mode == VersionFilter::Mode::kGiven && query.versions.versions.empty()) {
              query.versions.mode = version == "last" ? VersionFilter::Mode::kLast : VersionFilter::Mode::kFirst;
            }
          } else if (ParseMicros(version)) {
            query.versions.versions.push_back(version);
          } else {
            SendError(res, 400, "Bad request",
                      "match[version] '" + version + "' is not last, first, all or a timestamp");
            return std::nullopt;
          }
        }
      } else {
        SendError(res, 400, "Bad request", "unknown query parameter '" + name + "'");
        return std::nullopt;
      }
    }
    if (!object_id.empty()) query.ids = {object_id};
    return query;
  }

  static void SetDateHeaders(httplib::Response& res, const std::vector<StoredObject>& objects) {
    if (objects.empty()) return;
    std::int64_t first = objects.front().added_us;
    std::int64_t last = objects.front().added_us;
    for (const auto& object : objects) {
      first = std::min(first, object.added_us);
      last = std::max(last, object.added_us);
    }
    res.set_header("X-TAXII-Date-Added-First", FormatMicros(first));
    res.set_header("X-TAXII-Date-Added-Last", FormatMicros(last));
  }

  // Runs a query with the TLP filter for this principal.
  Result<ObjectPage> VisiblePage(const Principal& principal, const Collection& collection, const ObjectQuery& query) {
    return store_.QueryObjects(query,
                               [&](const StoredObject& object) { return CanSeeObject(principal, collection, object); });
  }

  void GetObjects(const Principal& principal, const httplib::Request& req, const std::string& collection_id,
                  const std::string& object_id, httplib::Response& res) {
    auto collection = ReadableCollection(principal, collection_id, res);
    if (!collection) return;
    auto query = ReadQuery(req, collection_id, object_id, res);
    if (!query) return;
    auto page = VisiblePage(principal, *collection, *query);
    if (!page.ok()) return SendStoreError(res, page.error());
    if (!object_id.empty() && page->objects.empty()) {
      AuditIfHidden(principal, *collection, object_id, "GET");
      return SendError(res, 404, "Not found",
                       "no object '" + object_id + "' visible in collection '" + collection_id + "'");
    }
    SetDateHeaders(res, page->objects);
    if (page->objects.empty()) return Send(res, 200, Json::object());
    // The stored text is served exactly as it was posted: splice, do not re-serialise.
    std::string text = std::string("{\"more\":") + (page->more ? "true" : "false");
    if (page->more) text += ",\"next\":\"" + std::to_string(page->next_seq) + "\"";
    text += ",\"objects\":[";
    for (std::size_t object_idx = 0; object_idx < page->objects.size(); ++object_idx) {
      if (object_idx > 0) text += ',';
      text += page->objects[object_idx].json;
    }
    text += "]}";
    res.status = 200;
    res.set_content(text, kTaxiiType);
  }

  void Versions(const Principal& principal, const httplib::Request& req, const std::string& collection_id,
                const std::string& object_id, httplib::Response& res) {
    auto collection = ReadableCollection(principal, collection_id, res);
    if (!collection) return;
    auto query = ReadQuery(req, collection_id, object_id, res);
    if (!query) return;
    if (req.has_param("match[version]")) {
      return SendError(res, 400, "Bad request", "the versions endpoint takes no match[version]");
    }
    query->versions.mode = VersionFilter::Mode::kAll;
    auto page = VisiblePage(principal, *collection, *query);
    if (!page.ok()) return SendStoreError(res, page.error());
    if (page->objects.empty()) {
      AuditIfHidden(principal, *collection, object_id, "GET versions");
      return SendError(res, 404, "Not found", "no object '" + object_id + "'");
    }
    Json versions = Json::array();
    for (const auto& object : page->objects) versions.push_back(object.version);
    Json body = {{"more", page->more}, {"versions", versions}};
    if (page->more) body["next"] = std::to_string(page->next_seq);
    SetDateHeaders(res, page->objects);
    Send(res, 200, body);
  }

  void Manifest(const Principal& principal, const httplib::Request& req, const std::string& collection_id,
                httplib::Response& res) {
    auto collection = ReadableCollection(principal, collection_id, res);
    if (!collection) return;
    auto query = ReadQuery(req, collection_id, "", res);
    if (!query) return;
    auto page = VisiblePage(principal, *collection, *query);
    if (!page.ok()) return SendStoreError(res, page.error());
    Json body = Json::object();
    if (!page->objects.empty()) {
      Json objects = Json::array();
      for (const auto& object : page->objects) {
        objects.push_back({{"id", object.id},
                           {"date_added", FormatMicros(object.added_us)},
                           {"version", object.version},
                           {"media_type", kStixType}});
      }
      body["more"] = page->more;
      if (page->more) body["next"] = std::to_string(page->next_seq);
      body["objects"] = objects;
    }
    SetDateHeaders(res, page->objects);
    Send(res, 200, body);
  }

  void PostObjects(const Principal& principal, const httplib::Request& req, const std::string& collection_id,
                   httplib::Response& res) {
    const std::string content_type = req.get_header_value("Content-Type");
    std::string normalised;
    for (char c : content_type) {
      if (c != ' ') normalised.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
    if (normalised != "application/taxii+json;version=2.1" && normalised != "application/taxii+json") {
      return SendError(res, 415, "Unsupported media type",
                       "POST bodies must be application/taxii+json;version=2.1, not '" + content_type + "'");
    }
    if (req.body.size() > options_.max_content_length) {
      return SendError(res, 413, "Payload too large",
                       "the body has " + std::to_string(req.body.size()) + " bytes; max_content_length is " +
                           std::to_string(options_.max_content_length));
    }
    auto collection = store_.GetCollection(collection_id);
    if (!collection.ok() && collection.error().kind() != ErrorKind::kNotFound) {
      return SendStoreError(res, collection.error());
    }
    if (!collection.ok()) return SendError(res, 404, "Not found", "no collection '" + collection_id + "'");
    if (!CanWriteCollection(principal, *collection)) {
      (void)store_.Audit(principal.member.id, "write.refused", "collection " + collection_id, "not in the audience");
      return SendError(res, 403, "Forbidden",
                       "member '" + principal.member.id + "' may not write to collection '" + collection_id + "'");
    }
    auto intake = IntakeEnvelope(req.body);
    if (!intake.ok()) return SendError(res, 400, "Bad request", intake.error().message());

    PostingRules rules;
    rules.identity = principal.organisation.StixId();
    rules.for_federation = ActsForFederation(principal);
    rules.now = Timestamp::Now();
    rules.clock_skew_ms = options_.clock_skew_seconds * 1000;
    rules.max_sighting_count = options_.max_sighting_count;

    TaxiiStatus status;
    status.id = Uuid::V4().ToString();
    status.member_id = principal.member.id;
    status.request_timestamp = rules.now;
    std::string failures = "[";
    auto add_failure = [&failures](const IntakeFailure& failure) {
      if (failures.size() > 1) failures += ',';
      Json entry = {{"id", failure.id}, {"message", failure.message}};
      if (!failure.version.empty()) entry["version"] = failure.version;
      failures += entry.dump(-1, ' ', false, Json::error_handler_t::replace);
    };
    for (const auto& failure : intake->failures) add_failure(failure);
    std::string successes = "[";
    std::int64_t success_count = 0;
    std::int64_t refused_count = 0;
    // Versions added for another organisation, audited after the commit.
    std::vector<std::pair<std::string, std::string>> for_federation;  // object id, what was done
    // The objects and their status land in one transaction: a 202 means both
    // are committed, and a crash before the commit leaves neither. Ownership
    // is decided inside it, so two first posts of one id cannot both win.
    const Status stored = store_.InTransaction([&]() -> Status {
      std::vector<NewObject> allowed;
      allowed.reserve(intake->accepted.size());
      // Every producer in one read (a round trip per object costs on a database server).
      std::vector<std::string> ids;
      ids.reserve(intake->accepted.size());
      for (const auto& object : intake->accepted) ids.push_back(object.id);
      auto owners = store_.ObjectOwners(ids);
      if (!owners.ok()) return owners.error();
      for (std::size_t object_idx = 0; object_idx < intake->accepted.size(); ++object_idx) {
        NewObject& object = intake->accepted[object_idx];
        const PostedFacts& facts = intake->facts[object_idx];
        auto refuse = [&](const std::string& message) {
          add_failure({object.id, object.version, "objects[" + std::to_string(facts.index) + "]: " + message});
          ++refused_count;
        };
        if (auto rule = CheckPosting(object, facts, rules); !rule.ok()) {
          refuse(rule.error().message());
          continue;
        }
        if (object.type == "identity" && object.id != rules.identity && !rules.for_federation) {
          auto claimed = FederationIdentity(object.id);
          if (!claimed.ok()) return claimed.error();
          if (*claimed) {
            refuse(object.id + ": this is the identity of organisation '" + **claimed +
                   "'; only that organisation or a coordinator may publish it");
            continue;
          }
        }
        std::optional<std::string> owner_found;
        if (const auto found = owners->find(object.id); found != owners->end()) owner_found = found->second;
        const std::optional<std::string>* owner = &owner_found;
        if (!CanVersionObject(principal, *owner)) {
          refuse(object.id +
                 ": another organisation posted the first version of this id; only that organisation or a "
                 "coordinator may add versions of it, revoke it or delete it");
          continue;
        }
        if (object.type == "sighting" && !*owner &&
            !sighting_budget_.Take(principal.organisation.code, facts.sighting_of_ref, rules.now)) {
          refuse(object.id + ": organisation '" + principal.organisation.code + "' has posted " +
                 std::to_string(options_.max_new_sightings_per_indicator_hour) + " new sightings of '" +
                 facts.sighting_of_ref + "' this hour, the most the hub accepts; retry next hour");
          continue;
        }
        if (!*owner && !rules.for_federation && IsDetectionContent(object) &&
            !content_budget_.Take(principal.organisation.code, "detection-content", rules.now)) {
          refuse(object.id + ": organisation '" + principal.organisation.code + "' has published " +
                 std::to_string(options_.max_new_detection_content_per_hour) +
                 " new Sigma rules or regex/substring patterns this hour, the most the hub accepts; retry next hour");
          continue;
        }
        if (*owner && **owner != principal.organisation.code) {
          for_federation.emplace_back(object.id, "version " + object.version + " of an object produced by " + **owner);
        } else if (!facts.created_by_ref.empty() && facts.created_by_ref != rules.identity) {
          for_federation.emplace_back(object.id, "posted as " + facts.created_by_ref);
        }
        allowed.push_back(std::move(object));
      }
      if (!allowed.empty()) {
        auto outcomes = store_.AddObjects(collection_id, allowed, principal.organisation.code, principal.member.id);
        if (!outcomes.ok()) return outcomes.error();
        for (const auto& outcome : *outcomes) {
          if (successes.size() > 1) successes += ',';
          successes += "{\"id\":";
          AppendJsonString(successes, outcome.id);
          if (!outcome.added) successes += ",\"message\":\"already stored\"";
          successes += ",\"version\":";
          AppendJsonString(successes, outcome.version);
          successes += '}';
          ++success_count;
        }
      }
      successes += ']';
      failures += ']';
      status.total = static_cast<std::int64_t>(intake->total);
      status.success = success_count;
      status.failure = static_cast<std::int64_t>(intake->failures.size()) + refused_count;
      status.details_json = "{\"failures\":" + failures + ",\"successes\":" + successes + "}";
      return store_.PutStatus(status);
    });
    if (!stored.ok()) return SendStoreError(res, stored.error());
    for (const auto& [object_id, what] : for_federation) {
      (void)store_.Audit(principal.member.id, "object.for_federation", object_id, what);
    }
    res.status = 202;
    res.set_content(StatusText(status, successes, failures), kTaxiiType);
  }

  // The status resource as text, properties in the order nlohmann::json
  // writes them; `successes` and `failures` are JSON lists, left out when empty.
  static std::string StatusText(const TaxiiStatus& status, std::string_view successes, std::string_view failures) {
    std::string text = "{\"failure_count\":" + std::to_string(status.failure);
    if (failures.size() > 2) {
      text += ",\"failures\":";
      text += failures;
    }
    text += ",\"id\":";
    AppendJsonString(text, status.id);
    text += ",\"pending_count\":" + std::to_string(status.pending) + ",\"request_timestamp\":";
    AppendJsonString(text, status.request_timestamp.ToRfc3339());
    text += ",\"status\":";
    AppendJsonString(text, status.status);
    text += ",\"success_count\":" + std::to_string(status.success);
    if (successes.size() > 2) {
      text += ",\"successes\":";
      text += successes;
    }
    text += ",\"total_count\":" + std::to_string(status.total) + "}";
    return text;
  }

  static std::string StatusText(const TaxiiStatus& status) {
    const Json details = Json::parse(status.details_json, nullptr, false);
    std::string successes = "[]";
    std::string failures = "[]";
    if (details.is_object()) {
      if (details.contains("successes") && details["successes"].is_array()) successes = details["successes"].dump();
      if (details.contains("failures") && details["failures"].is_array()) failures = details["failures"].dump();
    }
    return StatusText(status, successes, failures);
  }

  void GetStatus(const Principal& principal, const std::string& id, httplib::Response& res) {
    auto status = store_.GetStatus(id);
    if (!status.ok() || (status->member_id != principal.member.id && principal.member.role != MemberRole::kAdmin)) {
      return SendError(res, 404, "Not found", "no status '" + id + "'");
    }
    res.status = 200;
    res.set_content(StatusText(*status), kTaxiiType);
  }

  // A DELETE removes the selected versions the caller may delete
  // (CanDeleteObject): its own organisation's, or any when it acts for the
  // federation. Versions it cannot see are neither deleted nor revealed.
  void DeleteObject(const Principal& principal, const httplib::Request& req, const std::string& collection_id,
                    const std::string& object_id, httplib::Response& res) {
    auto collection = ReadableCollection(principal, collection_id, res);
    if (!collection) return;
    auto query = ReadQuery(req, collection_id, object_id, res);
    if (!query) return;
    if (!req.has_param("match[version]")) query->versions.mode = VersionFilter::Mode::kAll;
    query->limit = Store::kMaxPageSize;
    VersionFilter deletable{VersionFilter::Mode::kGiven, {}};
    bool visible = false;
    std::set<std::string> other_producers;
    while (true) {
      auto page = VisiblePage(principal, *collection, *query);
      if (!page.ok()) return SendStoreError(res, page.error());
      for (const auto& object : page->objects) {
        visible = true;
        if (!CanDeleteObject(principal, object)) continue;
        deletable.versions.push_back(object.version);
        if (object.producer_org != principal.organisation.code) other_producers.insert(object.producer_org);
      }
      if (!page->more) break;
      query->after_seq = page->next_seq;
    }
    if (!visible) {
      AuditIfHidden(principal, *collection, object_id, "DELETE");
      return SendError(res, 404, "Not found", "no object '" + object_id + "'");
    }
    if (deletable.versions.empty()) {
      (void)store_.Audit(principal.member.id, "delete.refused", object_id, "not the producer");
      return SendError(res, 403, "Forbidden", "only the producer's organisation may delete '" + object_id + "'");
    }
    auto deleted = store_.DeleteObject(collection_id, object_id, deletable, principal.member.id);
    if (!deleted.ok()) return SendStoreError(res, deleted.error());
    for (const auto& producer : other_producers) {
      (void)store_.Audit(principal.member.id, "object.for_federation", object_id,
                         "deleted versions produced by " + producer);
    }
    res.status = 200;
    res.set_content("", kTaxiiType);
  }

  // A read that found nothing visible: when the collection holds a version
  // of the object that the principal may not see, the refusal is audited
  // (bounded, hub/refusal_audit.h). The answer stays 404 either way.
  void AuditIfHidden(const Principal& principal, const Collection& collection, const std::string& object_id,
                     std::string_view method) {
    ObjectQuery query;
    query.collection_id = collection.id;
    query.ids = {object_id};
    query.versions.mode = VersionFilter::Mode::kAll;
    query.limit = 1;
    auto hidden = store_.QueryObjects(
        query, [&](const StoredObject& object) { return !CanSeeObject(principal, collection, object); });
    if (!hidden.ok() || hidden->objects.empty()) return;
    refusals_.Refused(principal.member.id, object_id,
                      std::string(method) + " in collection " + collection.id + ": not visible under its TLP");
  }

  ApiContext& context_;
  Store& store_;
  TaxiiOptions options_;
  HourlyBudget sighting_budget_{options_.max_new_sightings_per_indicator_hour};
  HourlyBudget content_budget_{options_.max_new_detection_content_per_hour};
  RefusalAudit refusals_{store_};
};

bool IsTaxiiPath(const std::string& path) { return path.rfind("/taxii2", 0) == 0; }

void SetTaxiiError(int http_status, const std::string& title, const std::string& description, std::string& body,
                   std::string& content_type) {
  // Descriptions may quote request paths: invalid UTF-8 is replaced, never thrown.
  body = Json{{"title", title}, {"description", description}, {"http_status", std::to_string(http_status)}}.dump(
      -1, ' ', false, Json::error_handler_t::replace);
  content_type = kTaxiiType;
}

TaxiiService::TaxiiService(ApiContext& context, TaxiiOptions options)
    : impl_(std::make_unique<Impl>(context, std::move(options))) {}
TaxiiService::~TaxiiService() = default;
void TaxiiService::Register(Router& server) { impl_->Register(server); }

}  // namespace dv::hub
