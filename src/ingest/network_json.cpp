// SPDX-License-Identifier: Apache-2.0
#include "ingest/network_json.h"

#include <string>

#include "ingest/log_time.h"

namespace dv {
namespace {

// A copy of the first value of `name`, or empty; copies, because adding a
// field may move the Event's storage.
std::string ValueOf(const Event& event, std::string_view name) {
  const EventField* field = event.Find(name);
  return field == nullptr || field->is_null ? std::string() : field->value;
}

bool Has(const Event& event, std::string_view name) { return event.Find(name) != nullptr; }

std::string ZeekLog(const Event& event) {
  if (std::string path = ValueOf(event, "_path"); !path.empty()) return path;
  if (Has(event, "conn_state")) return "conn";
  if (Has(event, "qtype_name") || Has(event, "query")) return "dns";
  if (Has(event, "server_name") || Has(event, "cipher")) return "ssl";
  if (Has(event, "method") || Has(event, "uri") || Has(event, "status_code")) return "http";
  return {};
}

}  // namespace

void AddZeekHttpUrl(Event& event) {
  if (Has(event, "url.full")) return;
  const std::string host = ValueOf(event, "host");
  const std::string uri = ValueOf(event, "uri");
  if (host.empty() || !uri.starts_with('/')) return;
  event.Add("url.full", "http://" + host + uri);
}

bool CompleteNetworkJson(Event& event) {
  if (Has(event, "event_type") && (Has(event, "src_ip") || Has(event, "dest_ip"))) {
    const std::string type = ValueOf(event, "event_type");
    event.Add("event.module", "suricata");
    event.Add("event.dataset", "suricata." + type);
    if (type == "http" && !Has(event, "url.full")) {
      const std::string host = ValueOf(event, "http.hostname");
      const std::string path = ValueOf(event, "http.url");
      const std::string port = ValueOf(event, "http.http_port");
      if (!host.empty() && path.starts_with('/')) {
        event.Add("url.full", "http://" + host + (port.empty() || port == "80" ? "" : ":" + port) + path);
      }
    }
    if (!event.time) event.time = ParseLogTimeCompactZone(ValueOf(event, "timestamp"));
    return true;
  }
  if (Has(event, "id.orig_h") && Has(event, "id.resp_h")) {
    const std::string log = ZeekLog(event);
    event.Add("event.module", "zeek");
    if (!log.empty()) event.Add("event.dataset", "zeek." + log);
    if (log == "http") AddZeekHttpUrl(event);
    if (!event.time) {
      const std::string ts = ValueOf(event, "ts");
      event.time = ParseEpochSeconds(ts);
      if (!event.time) event.time = ParseLogTimeCompactZone(ts);  // LogAscii::json_timestamps ISO8601
    }
    return true;
  }
  return false;
}

}  // namespace dv
