// SPDX-License-Identifier: Apache-2.0
// The duty chain over real HTTP and real mail (hub/modules/duty): a member
// keeps its contacts and a duty config (a rota, a policy that escalates to
// a second contact, a route for outside reports); the coordinator ingests a
// high-severity outside report about the member; the hub's engine mails the
// person on duty through a real SMTP server with STARTTLS on loopback
// (Debian's python3-aiosmtpd, started by the test), with a single-use
// acknowledge link; without an acknowledgement the next step mails the
// second contact; the link acknowledges once, a replayed or forged link
// does nothing. Bad configs are refused naming the field; another member
// reads nothing. Skipped where aiosmtpd is missing.

#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <string>
#include <thread>

#include "core/time.h"
#include "core/tlp.h"
#include "core/uuid.h"
#include "notify/test_servers.h"
#include "support/hub_client.h"
#include "support/test_hub.h"

namespace dv {
namespace {

using Json = nlohmann::json;
namespace nt = notify::test;
const std::string kDuty = "/api/v1/duty/members/";
const std::string kNational = "7c1b0f4e-2a47-4c6f-8a53-0000000000d7";
constexpr const char* kTaxii = "application/taxii+json;version=2.1";

Json Contacts() {
  return {{"contacts",
           {{{"id", "soc"},
             {"kind", "role"},
             {"name", "SOC-vagt"},
             {"channels", {{"email", "soc@kk.example"}}},
             {"priority", 1}},
            {{"id", "ciso"},
             {"kind", "role"},
             {"name", "Informationssikkerhed"},
             {"channels", {{"email", "ciso@kk.example"}, {"phone", "+4533663366"}}},
             {"priority", 2},
             {"out_of_band", true}}}}};
}

// A 24/7 rota with "soc" on duty, a policy that mails it and, one minute
// later, "ciso"; outside reports go to that policy.
Json Config() {
  return {{"rotas",
           {{"soc-rota",
             {{"name", "SOC"},
              {"layers",
               {{{"participants", {"soc"}}, {"rotation_days", 7}, {"handoff", "08:00"}, {"start", "2026-01-05"}}}}}}}},
          {"policies",
           {{"p-soc",
             {{"steps",
               {{{"targets", {{{"kind", "rota"}, {"ref", "soc-rota"}}}}},
                {{"delay_minutes", 1}, {"targets", {{{"kind", "contact"}, {"ref", "ciso"}}}}}}},
              {"final_wait_minutes", 5}}}}},
          {"routes",
           {{"routes",
             {{{"event", "outside_report"}, {"policy", "p-soc"}},
              {{"event", "kev_exposure"}, {"policy", "p-soc"}},
              {{"event", "kev_overdue"}, {"policy", "p-soc"}},
              {{"event", "sighting"}, {"policy", "p-soc"}},
              {{"event", "nis2_deadline"}, {"policy", "p-soc"}}}}}},
          {"triggers", {{"sighting_min_confidence", 70}, {"nis2_hours_before", 6}}}};
}

class DutyApi : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!nt::PythonHasModule("aiosmtpd")) return;
    dir_ = std::make_unique<nt::TempDir>();
    ASSERT_TRUE(nt::MakeSelfSignedCertificate(dir_->path()));
    smtp_ =
        std::make_unique<nt::LoopbackServer>("smtp_server.py", dir_->path() / "smtp",
                                             std::vector<std::string>{"--cert", (dir_->path() / "cert.pem").string(),
                                                                      "--key", (dir_->path() / "key.pem").string()});
    ASSERT_NE(smtp_->port(), 0) << smtp_->Log();
    ::setenv("DV_SMTP_URL", ("smtp://127.0.0.1:" + std::to_string(smtp_->port())).c_str(), 1);
    ::setenv("DV_SMTP_FROM", "vagt@dannevirke.example", 1);
    ::setenv("DV_SMTP_CA_FILE", (dir_->path() / "cert.pem").c_str(), 1);
    ::setenv("DV_DUTY_TICK_MS", "100", 1);
    ::setenv("DV_HUB_PUBLIC_URL", "http://hub.example", 1);
    sms_ = std::make_unique<nt::LoopbackServer>("http_receiver.py", dir_->path() / "sms", std::vector<std::string>{});
    ASSERT_NE(sms_->port(), 0) << sms_->Log();
    ::setenv("DV_NOTIFY_ALLOW_PRIVATE", "1", 1);  // the receivers are on loopback
    ::setenv("DV_NOTIFY_CA_FILE", (dir_->path() / "cert.pem").c_str(), 1);
    ::setenv("DV_SMS_URL_TEMPLATE", ("http://127.0.0.1:" + std::to_string(sms_->port()) + "/sms").c_str(), 1);
    ::setenv("DV_SMS_BODY_TEMPLATE", R"({"to":"{to}","text":"{text}"})", 1);
    ::setenv("DV_SMS_CONTENT_TYPE", "application/json", 1);
    hub_ = std::make_unique<test::TestHub>("duty-api");
    hub_->AddMember("cfcs", "CFCS", MemberRole::kCoordinator);
    hub_->AddMember("kbh", "0101", MemberRole::kMember);
    hub_->AddMember("frb", "0147", MemberRole::kMember);
    hub_->AddMember("kbh-sensor", "0101", MemberRole::kSensor);
    hub_->AddMember("frb-sensor", "0147", MemberRole::kSensor);
    Collection national;
    national.id = kNational;
    national.title = "National";
    national.default_tlp = Tlp::kGreen;
    ASSERT_TRUE(hub_->store().UpsertCollection(national, "test").ok());
    hub_->Start();
  }
  static void TearDownTestSuite() {
    hub_.reset();
    smtp_.reset();
    dir_.reset();
    sms_.reset();
    for (const auto* name : {"DV_SMTP_URL", "DV_SMTP_FROM", "DV_SMTP_CA_FILE", "DV_DUTY_TICK_MS", "DV_HUB_PUBLIC_URL",
                             "DV_NOTIFY_ALLOW_PRIVATE", "DV_NOTIFY_CA_FILE", "DV_SMS_URL_TEMPLATE",
                             "DV_SMS_BODY_TEMPLATE", "DV_SMS_CONTENT_TYPE"}) {
      ::unsetenv(name);
    }
  }
  void SetUp() override {
    if (!hub_) GTEST_SKIP() << "Debian's python3-aiosmtpd is not installed";
  }
  static httplib::Result Send(const std::string& method, const std::string& path, const std::string& member,
                              const std::string& body = "", const std::string& type = test::kJsonType) {
    httplib::Headers headers;
    if (!member.empty()) headers = test::BearerHeaders(hub_->tokens().at(member));
    return test::HubClient(hub_->port()).Send(method, path, headers, body, type);
  }
  static void Prepare() {
    auto contacts = Send("PUT", "/api/v1/contacts/members/0101", "kbh", Contacts().dump());
    ASSERT_TRUE(contacts);
    ASSERT_EQ(contacts->status, 200) << contacts->body;
    auto config = Send("PUT", kDuty + "0101/config", "kbh", Config().dump());
    ASSERT_TRUE(config);
    ASSERT_EQ(config->status, 200) << config->body;
    auto reg = Send("PUT", "/api/v1/register/members/0101", "kbh", R"({"prefixes":["198.51.100.0/24"]})");
    ASSERT_TRUE(reg);
    ASSERT_EQ(reg->status, 200) << reg->body;
  }
  static void Report(const std::string& address) {
    auto res = Send("POST", "/api/v1/notices/reports?format=shadowserver:scan_rdp&source=Test&severity=high", "cfcs",
                    "timestamp,ip,port\n2026-12-01 03:00:00," + address + ",3389\n", "text/csv");
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 201) << res->body;
  }
  static void Publish(const Json& object, const std::string& member) {
    auto res =
        test::HubClient(hub_->port())
            .Post("/taxii2/dannevirke/collections/" + kNational + "/objects/",
                  test::BearerHeaders(hub_->tokens().at(member), kTaxii), Json{{"objects", {object}}}.dump(), kTaxii);
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 202) << res->body;
    ASSERT_EQ(Json::parse(res->body)["success_count"], 1) << res->body;
  }
  static std::string Indicator(const std::string& name, int confidence) {
    const std::string id = "indicator--" + Uuid::V4().ToString();
    const std::string now = Timestamp::Now().ToRfc3339();
    Publish({{"type", "indicator"},
             {"spec_version", "2.1"},
             {"id", id},
             {"created", now},
             {"modified", now},
             {"name", name},
             {"pattern", "[ipv4-addr:value = '203.0.113.7']"},
             {"pattern_type", "stix"},
             {"valid_from", now},
             {"confidence", confidence},
             {"object_marking_refs", {std::string(TlpMarkingId(Tlp::kGreen))}}},
            "cfcs");
    return id;
  }
  static void Sighting(const std::string& indicator, const std::string& sensor) {
    const std::string now = Timestamp::Now().ToRfc3339();
    Publish({{"type", "sighting"},
             {"spec_version", "2.1"},
             {"id", "sighting--" + Uuid::V4().ToString()},
             {"created", now},
             {"modified", now},
             {"sighting_of_ref", indicator},
             {"count", 3},
             {"first_seen", now},
             {"last_seen", now}},
            sensor);
  }
  static std::vector<std::string> Subjects() {
    std::vector<std::string> out;
    for (const auto& mail : smtp_->Records("mail")) out.push_back(mail["subject"].get<std::string>());
    return out;
  }
  // Waits until a mail's subject contains `text`.
  static bool WaitForSubject(const std::string& text, std::chrono::seconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
      for (const auto& subject : Subjects()) {
        if (subject.find(text) != std::string::npos) return true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
  }
  // The acknowledge link's path in a mail's body.
  static std::string AckPath(const Json& mail) {
    const std::string body = mail["body"];
    std::smatch match;
    EXPECT_TRUE(
        std::regex_search(body, match, std::regex("http://hub\\.example(/api/v1/duty/ack/dva_[A-Za-z0-9_.-]+)")))
        << body;
    return match.size() > 1 ? match[1].str() : std::string();
  }
  static Json Notifications() {
    auto res = Send("GET", kDuty + "0101/notifications", "kbh");
    return res && res->status == 200 ? Json::parse(res->body)["notifications"] : Json::array();
  }
  static inline std::unique_ptr<nt::TempDir> dir_;
  static inline std::unique_ptr<nt::LoopbackServer> smtp_;
  static inline std::unique_ptr<nt::LoopbackServer> sms_;
  static inline std::unique_ptr<test::TestHub> hub_;
};

TEST_F(DutyApi, AHighOutsideReportMailsThePersonOnDutyAndTheLinkAcknowledgesOnce) {
  Prepare();
  Report("198.51.100.10");
  const auto mails = smtp_->WaitForRecords("mail", 1, std::chrono::seconds(60));
  ASSERT_GE(mails.size(), 1u) << smtp_->Log() << Notifications().dump();
  const Json& mail = mails[0];
  EXPECT_TRUE(mail["tls"].get<bool>());
  EXPECT_EQ(mail["rcpt_tos"], Json::array({"soc@kk.example"}));
  EXPECT_NE(mail["subject"].get<std::string>().find("Henvendelse udefra: scan_rdp"), std::string::npos)
      << mail["subject"];
  const std::string path = AckPath(mail);
  ASSERT_FALSE(path.empty());

  // Following the link changes nothing; its button acknowledges.
  auto page = Send("GET", path, "");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("<form method=\"post\">"), std::string::npos);
  Json list = Notifications();
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0]["state"]["phase"], "active");
  auto ack = Send("POST", path, "");
  ASSERT_TRUE(ack);
  EXPECT_EQ(ack->status, 200) << ack->body;
  list = Notifications();
  EXPECT_EQ(list[0]["state"]["phase"], "acknowledged");
  // A replay, a forged and a truncated link do nothing.
  auto replay = Send("POST", path, "");
  ASSERT_TRUE(replay);
  EXPECT_EQ(replay->status, 409);
  std::string forged = path;
  forged[forged.size() - 3] = forged[forged.size() - 3] == 'A' ? 'B' : 'A';
  auto bad = Send("POST", forged, "");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 401);
  auto truncated = Send("POST", path.substr(0, path.size() - 10), "");
  ASSERT_TRUE(truncated);
  EXPECT_EQ(truncated->status, 401);
  // The escalation stopped: nobody else is mailed after the step delay.
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  EXPECT_EQ(smtp_->Records("mail").size(), 1u);
}

TEST_F(DutyApi, WithoutAnAcknowledgementTheNextStepMailsTheNextContact) {
  Prepare();
  Report("198.51.100.11");
  // Step one mails the person on duty; a minute later step two mails the
  // second contact, because nobody acknowledged.
  const auto mails = smtp_->WaitForRecords("mail", 2, std::chrono::seconds(180));
  ASSERT_EQ(mails.size(), 2u) << smtp_->Log() << Notifications().dump();
  EXPECT_EQ(mails[0]["rcpt_tos"], Json::array({"soc@kk.example"}));
  EXPECT_EQ(mails[1]["rcpt_tos"], Json::array({"ciso@kk.example"}));
  // Step 0 by e-mail to soc; step 1 to ciso by e-mail and SMS (ciso has a phone).
  // The step's deliveries are recorded once all its channels were tried, so
  // the mail can arrive before the record says so: wait for the record.
  const std::set<std::string> expected{"soc/0/email", "ciso/1/email", "ciso/1/sms"};
  std::set<std::string> reached;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  Json list;
  while (true) {
    list = Notifications();
    ASSERT_EQ(list.size(), 1u);
    reached.clear();
    for (const auto& delivery : list[0]["deliveries"]) {
      reached.insert(delivery["participant"].get<std::string>() + "/" + std::to_string(delivery["step"].get<int>()) +
                     "/" + delivery["channel"].get<std::string>());
    }
    if (reached == expected || std::chrono::steady_clock::now() > deadline) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(reached, expected);
  for (const auto& delivery : list[0]["deliveries"]) EXPECT_EQ(delivery["ok"], true) << delivery.dump();
  // Each contact got a link of its own; the second one acknowledges.
  auto ack = Send("POST", AckPath(mails[1]), "");
  ASSERT_TRUE(ack);
  EXPECT_EQ(ack->status, 200);
  EXPECT_EQ(Notifications()[0]["state"]["acknowledged"]["by"], "link:ciso");
}

std::string ReadWholeFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
}

// The Zyxel case: Copenhagen's firewall is in its inventory; once the KEV
// catalogue lists CVE-2023-28771, the person on duty is mailed within
// seconds, again because it is long past its KEV due date, and the
// KEV-to-fix clock shows the finding's detection and notification.
TEST_F(DutyApi, AKnownExploitedExposureMailsThePersonOnDutyAndStartsTheClock) {
  Prepare();
  const std::string demo = std::string(DV_SOURCE_DIR) + "/data/vuln/demo/";
  const Json assets = {{"assets",
                        {{{"device", "fw-raadhus"},
                          {"asset_id", "fw-raadhus/hw"},
                          {"name", "Zyxel USG FLEX 50"},
                          {"cpe", "cpe:2.3:h:zyxel:usg_flex_50:-:*:*:*:*:*:*:*"}},
                         {{"device", "fw-raadhus"},
                          {"asset_id", "fw-raadhus/fw"},
                          {"name", "ZLD firmware"},
                          {"cpe", "cpe:2.3:o:zyxel:usg_flex_50_firmware:*:*:*:*:*:*:*:*"},
                          {"version", "5.10"}}}}};
  auto put = Send("PUT", "/api/v1/assets/0101", "kbh", assets.dump());
  ASSERT_TRUE(put);
  ASSERT_EQ(put->status, 200) << put->body;
  auto nvd = Send("POST", "/api/v1/vulnerabilities/feeds/nvd", "cfcs", ReadWholeFile(demo + "nvd-demo.json"));
  ASSERT_TRUE(nvd);
  ASSERT_EQ(nvd->status, 200) << nvd->body;
  auto kev = Send("POST", "/api/v1/vulnerabilities/feeds/kev", "cfcs", ReadWholeFile(demo + "kev-demo.json"));
  ASSERT_TRUE(kev);
  ASSERT_EQ(kev->status, 200) << kev->body;

  // The engine looks at known-exploited findings once per 10 s round (the
  // first one period after the hub started): allow for slow, loaded runs.
  const auto mails = smtp_->WaitForRecords("mail", 2, std::chrono::seconds(120));
  ASSERT_GE(mails.size(), 2u) << smtp_->Log() << Notifications().dump();
  std::set<std::string> subjects;
  for (const auto& mail : mails) subjects.insert(mail["subject"].get<std::string>());
  bool exposure = false;
  bool overdue = false;
  for (const auto& subject : subjects) {
    exposure |= subject.find("Kendt udnyttet sårbarhed: CVE-2023-28771") != std::string::npos;
    overdue |= subject.find("Forfalden: CVE-2023-28771") != std::string::npos;
  }
  EXPECT_TRUE(exposure) << Json(subjects).dump();
  EXPECT_TRUE(overdue) << Json(subjects).dump();

  // The clock's "notified" is the exposure notification's first recorded
  // delivery, and a step's deliveries are recorded only once its messages
  // went out: the mail can arrive before the record says so (under load, by
  // far). Wait for the record.
  const auto notified = [](const Json& figures) {
    const Json members = figures.value("members", Json::object());
    if (!members.contains("0101")) return false;
    for (const auto& item : members["0101"].value("findings_detail", Json::array())) {
      if (item.value("cve", "") == "CVE-2023-28771" && item.contains("notified") && item["notified"].is_string()) {
        return true;
      }
    }
    return false;
  };
  Json figures;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (true) {
    auto clock = Send("GET", "/api/v1/duty/kev-clock", "cfcs");
    ASSERT_TRUE(clock);
    ASSERT_EQ(clock->status, 200) << clock->body;
    figures = Json::parse(clock->body);
    if (notified(figures) || std::chrono::steady_clock::now() > deadline) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_TRUE(figures["members"].contains("0101")) << figures.dump();
  const Json& kbh = figures["members"]["0101"];
  EXPECT_GE(kbh["open_overdue"].get<int>(), 1);
  bool detected = false;
  for (const auto& item : kbh["findings_detail"]) {
    if (item["cve"] != "CVE-2023-28771") continue;
    detected = true;
    EXPECT_EQ(item["kev_added"], "2023-05-31T00:00:00.000Z");
    EXPECT_TRUE(item["detected"].is_string());
    EXPECT_TRUE(item["notified"].is_string()) << item.dump();
  }
  EXPECT_TRUE(detected) << kbh.dump();
  // The clock is measured evidence for the baseline: a finding years past
  // its KEV due date fails the vulnerability handling requirement.
  auto baseline = Send("GET", "/api/v1/baseline/members/0101", "kbh");
  ASSERT_TRUE(baseline);
  ASSERT_EQ(baseline->status, 200) << baseline->body;
  int measured = 0;
  const Json view = Json::parse(baseline->body);
  for (const auto& item : view["requirements"]) {
    if (item["id"] != "DV-VUL-04") continue;
    for (const auto& evidence : item["evidence"]) {
      if (evidence["source"] != "hub:kev_fix") continue;
      ++measured;
      EXPECT_EQ(evidence["live"], true);
      EXPECT_EQ(evidence["result"], "fail") << evidence;
      EXPECT_NE(evidence["note"].get<std::string>().find("past the KEV due date"), std::string::npos) << evidence;
    }
  }
  EXPECT_EQ(measured, 1);
  // Frederiksberg sees no member's findings but its own (it has none), and
  // no national figure over fewer than five members.
  auto other = Send("GET", "/api/v1/duty/kev-clock", "frb");
  ASSERT_TRUE(other);
  ASSERT_EQ(other->status, 200);
  const Json theirs = Json::parse(other->body);
  EXPECT_TRUE(theirs["members"].empty()) << theirs.dump();
  EXPECT_FALSE(theirs.contains("national"));
}

// One person with e-mail, a webhook and a phone is reached on all three: the
// webhook signed with the member's secret (checked by the receiver with
// Python's hmac), the SMS through the gateway template, each with its own
// acknowledge link.
TEST_F(DutyApi, APersonIsReachedByMailWebhookAndSmsTheWebhookSigned) {
  Prepare();
  auto made = Send("POST", kDuty + "0101/webhook-secret", "kbh");
  ASSERT_TRUE(made);
  ASSERT_EQ(made->status, 201) << made->body;
  const std::string secret = Json::parse(made->body)["secret"];
  EXPECT_EQ(Send("POST", kDuty + "0101/webhook-secret", "frb")->status, 403);
  const auto hook_dir = dir_->path() / "hook";
  std::filesystem::create_directories(hook_dir);
  std::ofstream(hook_dir / "secret") << secret;
  nt::LoopbackServer hook("http_receiver.py", hook_dir,
                          {"--cert", (dir_->path() / "cert.pem").string(), "--key", (dir_->path() / "key.pem").string(),
                           "--secret-file", (hook_dir / "secret").string()});
  ASSERT_NE(hook.port(), 0) << hook.Log();
  Json contacts = Contacts();
  contacts["contacts"][0]["channels"]["webhook"] = "https://127.0.0.1:" + std::to_string(hook.port()) + "/hook";
  contacts["contacts"][0]["channels"]["phone"] = "+4570707070";
  auto put = Send("PUT", "/api/v1/contacts/members/0101", "kbh", contacts.dump());
  ASSERT_TRUE(put);
  ASSERT_EQ(put->status, 200) << put->body;

  Report("198.51.100.12");
  const auto hooks = hook.WaitForRecords("request", 1, std::chrono::seconds(60));
  ASSERT_EQ(hooks.size(), 1u) << hook.Log() << Notifications().dump();
  EXPECT_EQ(hooks[0]["method"], "POST");
  EXPECT_EQ(hooks[0]["signature_ok"], true) << hooks[0].dump();
  EXPECT_NE(hooks[0]["body"].get<std::string>().find("/api/v1/duty/ack/dva_"), std::string::npos);
  // The SMS receiver and the mail server are shared by the suite's tests:
  // look for this test's message among what they received.
  const auto texts = sms_->WaitForRecords("request", 1, std::chrono::seconds(60));
  bool texted = false;
  for (const auto& text : texts) {
    if (text["json"]["to"] != "+4570707070") continue;
    texted = true;
    EXPECT_NE(text["json"]["text"].get<std::string>().find("dva_"), std::string::npos) << text.dump();
  }
  EXPECT_TRUE(texted) << sms_->Log() << Notifications().dump();
  // The deliveries are recorded once every channel was tried: wait for that.
  const std::set<std::string> expected{"email", "webhook", "sms"};
  std::set<std::string> channels;
  Json list;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (true) {
    list = Notifications();
    ASSERT_EQ(list.size(), 1u);
    channels.clear();
    for (const auto& delivery : list[0]["deliveries"]) channels.insert(delivery["channel"].get<std::string>());
    if (channels == expected || std::chrono::steady_clock::now() > deadline) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(channels, expected);
  for (const auto& delivery : list[0]["deliveries"]) EXPECT_EQ(delivery["ok"], true) << delivery.dump();
}

// A sighting by Copenhagen's sensor of an indicator it trusts (confidence 90,
// threshold 70) wakes the person on duty; one of an indicator below the
// threshold, and one by another member's sensor, do not wake Copenhagen.
TEST_F(DutyApi, ASightingOfATrustedIndicatorWakesTheMemberAndOneBelowTheThresholdDoesNot) {
  Prepare();
  const std::string trusted = Indicator("Duty trusted C2", 90);
  const std::string doubtful = Indicator("Duty doubtful scanner", 40);
  const std::string elsewhere = Indicator("Duty seen in Frederiksberg", 95);
  Sighting(doubtful, "kbh-sensor");
  Sighting(elsewhere, "frb-sensor");
  Sighting(trusted, "kbh-sensor");
  ASSERT_TRUE(WaitForSubject("Observeret hos jer: Duty trusted C2", std::chrono::seconds(60)))
      << smtp_->Log() << Notifications().dump();
  // The engine reads sightings in the order they arrived: the two before it
  // were judged by the time the trusted one was mailed.
  for (const auto& subject : Subjects()) {
    EXPECT_EQ(subject.find("Duty doubtful scanner"), std::string::npos) << subject;
    EXPECT_EQ(subject.find("Duty seen in Frederiksberg"), std::string::npos) << subject;
  }
  const Json list = Notifications();
  ASSERT_EQ(list.size(), 1u) << list.dump();
  EXPECT_EQ(list[0]["event"]["kind"], "sighting");
  EXPECT_EQ(list[0]["event"]["severity"], "high");
  // A repeated sighting of the same indicator is counted, not mailed again.
  Sighting(trusted, "kbh-sensor");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (Notifications()[0].value("more", 0) < 1 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(Notifications()[0]["more"], 1);
  EXPECT_EQ(Notifications().size(), 1u);
}

// An incident Copenhagen became aware of 20 hours ago has its early warning
// due in 4 hours, inside the 6 hours the member asked to be warned: the
// watchdog mails the person on duty. Submitting the early warning of a
// second incident in time keeps that one quiet.
TEST_F(DutyApi, AnEarlyWarningDueWithinTheWarningHoursWakesTheMember) {
  Prepare();
  const auto aware = Timestamp(Timestamp::Now().unix_ms() - 20LL * 3'600'000).ToRfc3339();
  const Json incident = {{"title", "Duty watchdog: ransomware på filserver"},
                         {"description", "Krypterede filer på en filserver."},
                         {"became_aware_at", aware},
                         {"suspected_malicious", true},
                         {"affected_services", {"Filserver"}}};
  auto created = Send("POST", "/api/v1/incidents", "kbh", incident.dump());
  ASSERT_TRUE(created);
  ASSERT_EQ(created->status, 201) << created->body;
  ASSERT_TRUE(WaitForSubject("Tidlig varsling forfalder snart: Duty watchdog: ransomware", std::chrono::seconds(120)))
      << smtp_->Log() << Notifications().dump();
  const Json list = Notifications();
  ASSERT_EQ(list.size(), 1u) << list.dump();
  EXPECT_EQ(list[0]["event"]["kind"], "nis2_deadline");
  EXPECT_EQ(list[0]["event"]["severity"], "high");
  // Four hours is not inside a one-hour warning: with the threshold lowered,
  // a second such incident raises nothing.
  Json config = Config();
  config["triggers"]["nis2_hours_before"] = 1;
  auto put = Send("PUT", kDuty + "0101/config", "kbh", config.dump());
  ASSERT_TRUE(put);
  ASSERT_EQ(put->status, 200) << put->body;
  Json quiet = incident;
  quiet["title"] = "Duty watchdog: stille hændelse";
  auto second = Send("POST", "/api/v1/incidents", "kbh", quiet.dump());
  ASSERT_TRUE(second);
  ASSERT_EQ(second->status, 201) << second->body;
  std::this_thread::sleep_for(std::chrono::seconds(12));  // longer than one watchdog round (10 s)
  for (const auto& subject : Subjects()) EXPECT_EQ(subject.find("stille hændelse"), std::string::npos) << subject;
  // A threshold out of range is refused naming the field.
  config["triggers"]["nis2_hours_before"] = 0;
  auto bad = Send("PUT", kDuty + "0101/config", "kbh", config.dump());
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  EXPECT_NE(bad->body.find("triggers.nis2_hours_before"), std::string::npos) << bad->body;
}

// A contact named directly in a step is reached within its hours: outside
// them the step is recorded as tried ("outside the contact's hours") and
// nobody is mailed; a critical event reaches the contact at any hour.
TEST_F(DutyApi, AContactNamedInAStepIsReachedWithinItsHoursUnlessCritical) {
  Json contacts = Contacts();
  // Reachable only on the weekday two days from now: never now.
  static const char* const kDays[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
  const std::int64_t days_since_epoch = Timestamp::Now().unix_ms() / 86'400'000;
  const char* other_day = kDays[(days_since_epoch + 3 + 2) % 7];  // 1970-01-01 was a Thursday
  contacts["contacts"][1]["hours"] = {{"windows", {{{"days", {other_day}}, {"from", "08:00"}, {"to", "16:00"}}}}};
  auto put = Send("PUT", "/api/v1/contacts/members/0101", "kbh", contacts.dump());
  ASSERT_TRUE(put);
  ASSERT_EQ(put->status, 200) << put->body;
  Json config = Config();
  config["policies"]["p-ciso"] = {{"steps", {{{"targets", {{{"kind", "contact"}, {"ref", "ciso"}}}}}}}};
  config["routes"] = {{"routes", {{{"event", "outside_report"}, {"policy", "p-ciso"}}}}};
  auto stored = Send("PUT", kDuty + "0101/config", "kbh", config.dump());
  ASSERT_TRUE(stored);
  ASSERT_EQ(stored->status, 200) << stored->body;
  auto reg = Send("PUT", "/api/v1/register/members/0101", "kbh", R"({"prefixes":["198.51.100.0/24"]})");
  ASSERT_TRUE(reg);
  ASSERT_EQ(reg->status, 200) << reg->body;
  const auto report = [](const std::string& type, const std::string& severity, const std::string& address) {
    auto res = Send("POST", "/api/v1/notices/reports?format=shadowserver:" + type + "&source=Test&severity=" + severity,
                    "cfcs", "timestamp,ip,port\n2026-12-01 03:00:00," + address + ",5900\n", "text/csv");
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 201) << res->body;
  };
  // Waits until the notification of `type` has a delivery, and returns it.
  const auto delivery_of = [](const std::string& type) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < deadline) {
      for (const auto& item : Notifications()) {
        if (item["event"]["group_key"].get<std::string>().find(type) == std::string::npos) continue;
        if (!item["deliveries"].empty()) return item["deliveries"][0];
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return Json();
  };
  report("scan_vnc", "high", "198.51.100.14");
  const Json outside = delivery_of("scan_vnc");
  ASSERT_TRUE(outside.is_object()) << Notifications().dump();
  EXPECT_EQ(outside["ok"], false);
  EXPECT_EQ(outside["error"], "outside the contact's hours");
  report("scan_telnet", "critical", "198.51.100.15");
  const Json critical = delivery_of("scan_telnet");
  ASSERT_TRUE(critical.is_object()) << Notifications().dump();
  EXPECT_EQ(critical["ok"], true) << critical.dump();
  EXPECT_EQ(critical["participant"], "ciso");
  // Only the critical one was mailed.
  const auto mails = smtp_->WaitForRecords("mail", 1, std::chrono::seconds(60));
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_EQ(mails[0]["rcpt_tos"], Json::array({"ciso@kk.example"}));
}

TEST_F(DutyApi, BadConfigsAreRefusedNamingTheFieldAndOtherMembersReadNothing) {
  Prepare();
  Json unknown = Config();
  unknown["rotas"]["soc-rota"]["layers"][0]["participants"] = {"nobody"};
  auto res = Send("PUT", kDuty + "0101/config", "kbh", unknown.dump());
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400);
  EXPECT_NE(res->body.find("rotas.soc-rota.layers[0].participants[0]"), std::string::npos) << res->body;

  Json loop = Config();
  loop["policies"]["p-a"] = {{"steps", {{{"targets", {{{"kind", "policy"}, {"ref", "p-b"}}}}}}}};
  loop["policies"]["p-b"] = {{"steps", {{{"targets", {{{"kind", "policy"}, {"ref", "p-a"}}}}}}}};
  res = Send("PUT", kDuty + "0101/config", "kbh", loop.dump());
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400);
  EXPECT_NE(res->body.find("loop"), std::string::npos) << res->body;

  Json gap = Config();
  gap["rotas"]["soc-rota"]["layers"][0]["windows"] = {{{"days", {"mon"}}, {"from", "08:00"}, {"to", "16:00"}}};
  res = Send("PUT", kDuty + "0101/config", "kbh", gap.dump());
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400) << res->body;

  // Another member's contact is not reachable unless that member shares.
  Json foreign = Config();
  foreign["policies"]["p-soc"]["steps"][1]["targets"][0]["ref"] = "member:0147/soc";
  res = Send("PUT", kDuty + "0101/config", "kbh", foreign.dump());
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400) << res->body;

  for (const auto* path : {"/config", "/notifications", "/on-duty", "/rotas/soc-rota/ical"}) {
    auto refused = Send("GET", kDuty + "0101" + path, "frb");
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->status, 403) << path;
    EXPECT_EQ(refused->body.find("soc@kk.example"), std::string::npos);
  }
  auto write = Send("PUT", kDuty + "0101/config", "frb", Config().dump());
  ASSERT_TRUE(write);
  EXPECT_EQ(write->status, 403);

  // Who is on duty, and the rota as a calendar.
  auto on_duty = Send("GET", kDuty + "0101/on-duty", "kbh");
  ASSERT_TRUE(on_duty);
  ASSERT_EQ(on_duty->status, 200);
  EXPECT_EQ(Json::parse(on_duty->body)["rotas"][0]["on_duty"], "soc");
  auto ical = Send("GET", kDuty + "0101/rotas/soc-rota/ical", "kbh");
  ASSERT_TRUE(ical);
  ASSERT_EQ(ical->status, 200);
  EXPECT_EQ(ical->body.rfind("BEGIN:VCALENDAR\r\n", 0), 0u);
  EXPECT_NE(ical->body.find("SUMMARY:Vagt: soc"), std::string::npos) << ical->body.substr(0, 600);
}

}  // namespace
}  // namespace dv
