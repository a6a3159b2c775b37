// SPDX-License-Identifier: Apache-2.0
#include "posture/checks.h"

#include <algorithm>
#include <map>
#include <optional>
#include <utility>

#include "core/text.h"
#include "posture/records.h"

namespace dv::posture {
namespace {

constexpr std::size_t kSpfMaxLookups = 10;  // RFC 7208 §4.6.4
constexpr std::size_t kSpfMaxVoids = 2;     // RFC 7208 §4.6.4
constexpr std::size_t kDmarcMaxWalk = 8;    // DMARCbis tree walk: at most 8 queries
constexpr std::int64_t kOneYearSeconds = 31536000;
constexpr std::int64_t kOneDaySeconds = 86400;
constexpr std::int64_t kYearMs = 366LL * 24 * 3600 * 1000;

int Rank(Status status) { return static_cast<int>(status); }

// Adds a finding; the verdict is the worst finding, and the worst reason
// comes first.
void Add(CheckResult& result, Status status, std::string reason) {
  if (result.reasons.empty() || Rank(status) > Rank(result.status)) {
    result.status = status;
    result.reasons.insert(result.reasons.begin(), std::move(reason));
  } else {
    result.reasons.push_back(std::move(reason));
  }
}

CheckResult Start(std::string_view check, std::string_view domain) {
  CheckResult result;
  result.check = std::string(check);
  result.domain = AsciiLower(domain);
  while (!result.domain.empty() && result.domain.back() == '.') result.domain.pop_back();
  result.status = Status::kPass;
  return result;
}

// The TXT strings at `name` that `keep` accepts; NotFound becomes an empty
// list, other errors pass through.
Result<std::vector<std::string>> RecordsAt(const TxtLookup& lookup, const std::string& name,
                                           bool (*keep)(std::string_view)) {
  auto answers = lookup(name);
  if (!answers.ok()) {
    if (answers.error().kind() == ErrorKind::kNotFound) return std::vector<std::string>{};
    return answers.error();
  }
  std::vector<std::string> kept;
  for (std::string& txt : *answers) {
    if (keep(txt)) kept.push_back(std::move(txt));
  }
  return kept;
}

// ---- TLS -----------------------------------------------------------------------

bool LegacyVersion(std::string_view version) {
  return version == "TLSv1" || version == "TLSv1.1" || version.starts_with("SSL");
}

// One evidence line for a handshake and the whole days until the
// certificate expires (negative once expired).
std::pair<std::string, std::optional<std::int64_t>> DescribeSession(const std::string& where, const TlsSession& tls,
                                                                    Timestamp now) {
  std::string line = where + ": " + tls.version + " " + tls.cipher;
  if (!tls.subject.empty()) line += "; certificate " + tls.subject + "; issuer " + tls.issuer;
  std::optional<std::int64_t> days;
  if (tls.not_after) {
    const std::int64_t left_ms = tls.not_after->unix_ms() - now.unix_ms();
    days = left_ms >= 0 ? left_ms / 86'400'000 : -((-left_ms + 86'399'999) / 86'400'000);
    line += "; expires " + tls.not_after->ToRfc3339().substr(0, 10) + " (" + std::to_string(*days) + " days)";
  }
  return {line, days};
}

// Whether one TLSA record matches a certificate of the chain (RFC 6698 §2.1).
bool TlsaMatches(const TlsaRecord& record, const CertificateKeys& keys) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string data;
  for (const unsigned char byte : record.data) {
    data.push_back(kHex[byte >> 4]);
    data.push_back(kHex[byte & 0xf]);
  }
  const bool spki = record.selector == 1;
  if (record.selector != 0 && !spki) return false;
  switch (record.matching) {
    case 0:
      return data == (spki ? keys.spki_der : keys.certificate_der);
    case 1:
      return data == (spki ? keys.spki_sha256 : keys.certificate_sha256);
    case 2:
      return data == (spki ? keys.spki_sha512 : keys.certificate_sha512);
    default:
      return false;
  }
}

// ---- SPF ------------------------------------------------------------------------

struct SpfWalk {
  std::size_t lookups = 0;
  std::size_t voids = 0;
  bool ptr = false;
  std::vector<std::string> evidence;
};

// Reads the SPF record of `domain` and follows its include: and redirect=
// terms. Returns the effective `all` qualifier ('\0' when none) or adds the
// failure to `result` and returns nullopt.
std::optional<char> WalkSpf(const std::string& domain, const TxtLookup& lookup, SpfWalk& walk, CheckResult& result,
                            int depth) {
  const bool top = depth == 0;
  auto records = RecordsAt(lookup, domain, IsSpfRecord);
  if (!records.ok()) {
    Add(result, Status::kError, "the TXT lookup of " + domain + " failed: " + records.error().message());
    return std::nullopt;
  }
  if (records->empty()) {
    if (top) {
      Add(result, Status::kFail, "no SPF record (v=spf1) at " + domain);
    } else {
      ++walk.voids;
      Add(result, Status::kFail,
          "include or redirect to " + domain + ", which has no SPF record (RFC 7208 §5.2: permerror)");
    }
    return std::nullopt;
  }
  if (records->size() > 1) {
    Add(result, Status::kFail,
        std::to_string(records->size()) + " SPF records at " + domain +
            " (RFC 7208 §4.5: exactly one, else permerror)");
    for (const std::string& txt : *records) walk.evidence.push_back(domain + ": " + txt);
    return std::nullopt;
  }
  const std::string& txt = records->front();
  walk.evidence.push_back(domain + ": " + txt);
  auto record = ParseSpf(txt);
  if (!record.ok()) {
    Add(result, Status::kFail, domain + ": " + record.error().message());
    return std::nullopt;
  }
  walk.lookups += record->LookupTerms();
  if (walk.lookups > kSpfMaxLookups) {
    Add(result, Status::kFail, "more than 10 DNS-querying terms through " + domain + " (RFC 7208 §4.6.4: permerror)");
    return std::nullopt;
  }
  for (const SpfTerm& term : record->terms) {
    if (term.kind != SpfTerm::Kind::kMechanism) continue;
    if (term.name == "ptr") walk.ptr = true;
    if (term.name != "include") continue;
    if (term.value.find('%') != std::string::npos) continue;  // a macro: expanded per message, not followed
    if (depth >= static_cast<int>(kSpfMaxLookups)) break;
    if (!WalkSpf(AsciiLower(term.value), lookup, walk, result, depth + 1)) return std::nullopt;
    if (walk.voids > kSpfMaxVoids) {
      Add(result, Status::kFail, "more than 2 void lookups (RFC 7208 §4.6.4: permerror)");
      return std::nullopt;
    }
  }
  if (const auto all = record->AllQualifier()) return *all;
  if (const auto redirect = record->Redirect()) {
    if (redirect->find('%') != std::string::npos) return '\0';
    return WalkSpf(AsciiLower(*redirect), lookup, walk, result, depth + 1);
  }
  return '\0';
}

// ---- DMARC -----------------------------------------------------------------------

int PolicyStrength(std::string_view policy) {
  if (policy == "reject") return 2;
  if (policy == "quarantine") return 1;
  return 0;
}

struct FoundDmarc {
  std::string at;  // the domain whose _dmarc record was used
  std::string txt;
  DmarcRecord record;
};

// The one DMARC record at _dmarc.<name>: nullopt when there is none; a
// failure (lookup error, several records, unparsable) is added to `result`
// and sets `stop`.
std::optional<FoundDmarc> DmarcAt(const std::string& name, const TxtLookup& lookup, CheckResult& result, bool& stop) {
  auto records = RecordsAt(lookup, "_dmarc." + name, IsDmarcRecord);
  if (!records.ok()) {
    Add(result, Status::kError, "the TXT lookup of _dmarc." + name + " failed: " + records.error().message());
    stop = true;
    return std::nullopt;
  }
  if (records->empty()) return std::nullopt;
  for (const std::string& txt : *records) result.evidence.push_back("_dmarc." + name + ": " + txt);
  if (records->size() > 1) {
    Add(result, Status::kFail,
        std::to_string(records->size()) + " DMARC records at _dmarc." + name + " (RFC 7489 §6.6.3: none applies)");
    stop = true;
    return std::nullopt;
  }
  auto record = ParseDmarc(records->front());
  if (!record.ok()) {
    Add(result, Status::kFail, "_dmarc." + name + ": " + record.error().message());
    stop = true;
    return std::nullopt;
  }
  return FoundDmarc{name, records->front(), std::move(*record)};
}

// The verdict on one found record; `bis` selects the DMARCbis reading.
void JudgeDmarc(const FoundDmarc& found, std::string_view domain, bool bis, const TxtLookup& lookup,
                const std::function<std::string(std::string_view)>& org_of, Status& status,
                std::vector<std::string>& reasons) {
  CheckResult local;
  local.status = Status::kPass;
  const DmarcRecord& record = found.record;
  const bool inherited = found.at != domain;
  const std::string& applied = inherited && !record.sp.empty() ? record.sp : record.p;
  const std::string where = inherited ? " (inherited from " + found.at + ")" : "";
  if (applied == "reject") {
    Add(local, Status::kPass, "policy reject" + where);
  } else if (applied == "quarantine") {
    Add(local, Status::kWarn, "policy quarantine" + where + ": the requirement is reject");
  } else {
    Add(local, Status::kFail,
        "policy none" + where + ": mail that fails DMARC is delivered; the requirement is reject");
  }
  if (!inherited && !record.sp.empty() && PolicyStrength(record.sp) < PolicyStrength(record.p)) {
    Add(local, Status::kWarn, "subdomain policy sp=" + record.sp + " is weaker than p=" + record.p);
  }
  if (bis && !record.np.empty() && PolicyStrength(record.np) < PolicyStrength(applied)) {
    Add(local, Status::kWarn, "non-existent subdomain policy np=" + record.np + " is weaker than " + applied);
  }
  if (!bis && record.pct < 100) {
    Add(local, Status::kWarn, "pct=" + std::to_string(record.pct) + ": the policy applies to only part of the mail");
  }
  if (bis && record.t == "y") Add(local, Status::kWarn, "t=y: the policy is in test mode");
  if (record.rua.empty()) {
    Add(local, Status::kWarn, "no rua: the domain receives no aggregate reports");
  } else {
    const std::string own_org = org_of(found.at);
    for (const std::string& uri : record.rua) {
      const auto receiver = MailtoDomain(uri);
      if (!receiver) continue;
      if (org_of(*receiver) == own_org) continue;
      // RFC 7489 §7.1: the receiver authorises reports for another domain.
      auto authorised = RecordsAt(lookup, found.at + "._report._dmarc." + *receiver, IsDmarcRecord);
      if (!authorised.ok()) {
        Add(local, Status::kError, "the authorisation lookup for " + uri + " failed: " + authorised.error().message());
      } else if (authorised->empty()) {
        Add(local, Status::kWarn,
            "rua " + uri + " is outside " + own_org + " and " + *receiver + " does not authorise it (RFC 7489 §7.1)");
      }
    }
  }
  status = local.status;
  reasons = std::move(local.reasons);
}

}  // namespace

CheckResult CheckDnssec(std::string_view domain, const DnssecLookup& lookup) {
  CheckResult result = Start("dnssec", domain);
  auto answer = lookup(result.domain);
  if (!answer.ok()) {
    Add(result, Status::kError, "the validating lookup failed: " + answer.error().message());
    return result;
  }
  switch (answer->state) {
    case DnssecState::kSecure:
      result.reasons.push_back("secure: the answers validate from the trust anchor");
      result.evidence.push_back(result.domain + ": secure");
      break;
    case DnssecState::kInsecure:
      Add(result, Status::kFail, "insecure: the domain is not signed, or no chain of trust leads to it");
      result.evidence.push_back(result.domain + ": insecure");
      break;
    case DnssecState::kBogus:
      Add(result, Status::kFail,
          "bogus: signed, but the signatures do not validate (validating resolvers refuse its answers)" +
              (answer->detail.empty() ? std::string() : ": " + answer->detail));
      result.evidence.push_back(result.domain + ": bogus");
      break;
  }
  return result;
}

CheckResult CheckMailTls(std::string_view domain, const Result<std::vector<std::string>>& mx,
                         const std::vector<MxProbe>& probes, Timestamp now) {
  CheckResult result = Start("mail_tls", domain);
  if (!mx.ok()) {
    Add(result, Status::kError, "the MX lookup failed: " + mx.error().message());
    return result;
  }
  if (mx->size() == 1 && mx->front() == ".") {
    result.reasons.push_back("null MX: the domain accepts no mail");
    result.evidence.push_back(result.domain + " MX: . (RFC 7505)");
    return result;
  }
  if (mx->empty()) {
    Add(result, Status::kWarn, "no MX record: mail goes to the domain's address record, which is not checked");
    return result;
  }
  bool judged = false;
  for (const auto& entry : probes) {
    if (!entry.probe.ok()) {
      result.reasons.push_back(entry.host + ": not reached: " + entry.probe.error().message());
      result.evidence.push_back(entry.host + ": " + entry.probe.error().message());
      continue;
    }
    judged = true;
    const SmtpTlsProbe& probe = *entry.probe;
    const std::string where = entry.host + " (" + probe.address + ")";
    if (!probe.starttls_offered) {
      Add(result, Status::kFail, where + ": no STARTTLS: mail to it travels unencrypted");
      result.evidence.push_back(where + ": EHLO without STARTTLS");
      continue;
    }
    const TlsSession& tls = probe.tls;
    const auto [line, days] = DescribeSession(where, tls, now);
    result.evidence.push_back(line);
    if (LegacyVersion(tls.version)) {
      Add(result, Status::kFail, where + ": " + tls.version + " negotiated; TLS 1.2 or later is required");
    } else if (!tls.certificate_valid) {
      Add(result, Status::kWarn,
          where + ": the certificate is not valid for the name (" + tls.certificate_problem +
              "): a sender that checks falls back or refuses");
    } else if (days && *days < 14) {
      Add(result, Status::kWarn, where + ": the certificate expires in " + std::to_string(*days) + " days");
    } else {
      result.reasons.push_back(where + ": " + tls.version + " with a valid certificate");
    }
  }
  if (!judged) {
    result.status = Status::kError;
    result.reasons.insert(result.reasons.begin(), "no MX could be reached");
  }
  return result;
}

bool IsCheckName(std::string_view name) {
  return std::find(std::begin(kCheckNames), std::end(kCheckNames), name) != std::end(kCheckNames);
}

std::string_view StatusName(Status status) {
  switch (status) {
    case Status::kPass:
      return "pass";
    case Status::kWarn:
      return "warn";
    case Status::kFail:
      return "fail";
    case Status::kError:
      return "error";
  }
  return "error";
}

CheckResult CheckSpf(std::string_view domain, const TxtLookup& lookup) {
  CheckResult result = Start("spf", domain);
  SpfWalk walk;
  const auto all = WalkSpf(result.domain, lookup, walk, result, 0);
  result.evidence = std::move(walk.evidence);
  if (!all) return result;
  result.evidence.push_back(std::to_string(walk.lookups) + " DNS-querying terms, " + std::to_string(walk.voids) +
                            " void lookups");
  switch (*all) {
    case '-':
      Add(result, Status::kPass, "-all: mail from other servers is refused");
      break;
    case '~':
      Add(result, Status::kWarn, "~all (softfail): mail from other servers is only marked");
      break;
    case '\0':
      Add(result, Status::kFail, "no 'all' mechanism: the default is neutral, so any server may send");
      break;
    default:
      Add(result, Status::kFail, std::string(1, *all) + "all: any server may send as the domain");
      break;
  }
  if (walk.ptr) Add(result, Status::kWarn, "the ptr mechanism is used (RFC 7208 §5.5: should not be)");
  return result;
}

CheckResult CheckDmarc(std::string_view domain, const TxtLookup& lookup,
                       const std::function<std::string(std::string_view)>& org_of) {
  CheckResult result = Start("dmarc", domain);
  bool stop = false;
  // Both readings ask for some of the same names: each is asked once.
  std::map<std::string, std::optional<FoundDmarc>> asked;
  const auto dmarc_at = [&](const std::string& name) {
    const auto known = asked.find(name);
    if (known != asked.end()) return known->second;
    return asked[name] = DmarcAt(name, lookup, result, stop);
  };
  // RFC 7489 §6.6.3: the domain, then its organisational domain.
  std::optional<FoundDmarc> classic = dmarc_at(result.domain);
  if (stop) return result;
  const std::string org = org_of(result.domain);
  if (!classic && org != result.domain) {
    classic = dmarc_at(org);
    if (stop) return result;
  }
  // DMARCbis: the tree walk from the domain upwards (at most 8 queries).
  std::optional<FoundDmarc> bis = classic && classic->at == result.domain ? classic : std::nullopt;
  if (!bis) {
    std::string name = result.domain;
    for (std::size_t step = 0; step < kDmarcMaxWalk; ++step) {
      const std::size_t dot = name.find('.');
      if (step > 0) {
        if (dot == std::string::npos) break;
        name = name.substr(dot + 1);
        if (name.find('.') == std::string::npos) break;  // a top-level domain holds no DMARC policy for us
      }
      bis = dmarc_at(name);
      if (stop) return result;
      if (bis) break;
    }
  }
  if (!classic) {
    Add(result, Status::kFail,
        "no DMARC record at _dmarc." + result.domain + (org != result.domain ? " or _dmarc." + org : std::string()));
  } else {
    JudgeDmarc(*classic, result.domain, false, lookup, org_of, result.status, result.reasons);
  }
  Status bis_status = Status::kFail;
  std::vector<std::string> bis_reasons;
  if (!bis) {
    bis_reasons.push_back("no DMARC record on the tree walk from " + result.domain);
  } else {
    JudgeDmarc(*bis, result.domain, true, lookup, org_of, bis_status, bis_reasons);
  }
  if (bis_status != result.status || bis_reasons != result.reasons) {
    result.dmarcbis_status = bis_status;
    result.dmarcbis_reasons = std::move(bis_reasons);
  }
  return result;
}

CheckResult CheckMtaSts(std::string_view domain, const TxtLookup& lookup, const std::optional<std::string>& policy_body,
                        std::string_view fetch_error, const std::vector<std::string>& mx_hosts) {
  CheckResult result = Start("mta_sts", domain);
  auto records = RecordsAt(lookup, "_mta-sts." + result.domain, IsMtaStsRecord);
  if (!records.ok()) {
    Add(result, Status::kError,
        "the TXT lookup of _mta-sts." + result.domain + " failed: " + records.error().message());
    return result;
  }
  for (const std::string& txt : *records) result.evidence.push_back("_mta-sts." + result.domain + ": " + txt);
  if (records->empty()) {
    Add(result, Status::kFail, "no MTA-STS record at _mta-sts." + result.domain);
    return result;
  }
  if (records->size() > 1) {
    Add(result, Status::kFail, "several MTA-STS records (RFC 8461 §3.1: then none applies)");
    return result;
  }
  if (auto txt = ParseMtaStsTxt(records->front()); !txt.ok()) {
    Add(result, Status::kFail, txt.error().message());
    return result;
  }
  if (!policy_body) {
    Add(result, Status::kFail,
        "the policy https://mta-sts." + result.domain +
            "/.well-known/mta-sts.txt could not be fetched: " + std::string(fetch_error));
    return result;
  }
  auto policy = ParseMtaStsPolicy(*policy_body);
  if (!policy.ok()) {
    Add(result, Status::kFail, policy.error().message());
    return result;
  }
  result.evidence.push_back("policy: mode " + policy->mode + ", max_age " + std::to_string(policy->max_age) + ", " +
                            std::to_string(policy->mx.size()) + " mx patterns");
  if (policy->mode == "enforce") {
    Add(result, Status::kPass, "mode enforce: senders refuse mail over an unauthenticated connection");
  } else if (policy->mode == "testing") {
    Add(result, Status::kWarn, "mode testing: failures are only reported");
  } else {
    Add(result, Status::kFail, "mode none: the policy is withdrawn");
  }
  if (policy->mode != "none") {
    for (const std::string& host : mx_hosts) {
      const bool covered = std::any_of(policy->mx.begin(), policy->mx.end(),
                                       [&](const std::string& pattern) { return MtaStsMxMatches(pattern, host); });
      if (!covered) {
        Add(result, Status::kFail,
            "MX " + host +
                " matches no mx pattern of the policy: senders in enforce mode "
                "will not deliver to it");
      }
    }
  }
  if (policy->max_age < kOneDaySeconds) {
    Add(result, Status::kWarn, "max_age " + std::to_string(policy->max_age) + " s is under one day");
  }
  return result;
}

CheckResult CheckDkim(std::string_view domain, const std::vector<std::string>& selectors, const TxtLookup& lookup) {
  constexpr std::size_t kMaxSelectors = 20;
  CheckResult result = Start("dkim", domain);
  const auto is_key = [](std::string_view txt) {
    // A key record: the tag list holds p= (v=DKIM1 is optional, RFC 6376 §3.6.1).
    const std::string lower = AsciiLower(txt);
    return lower.starts_with("v=dkim1") || lower.find("p=") != std::string::npos;
  };
  std::size_t judged = 0;
  for (std::size_t index = 0; index < selectors.size() && index < kMaxSelectors; ++index) {
    const std::string name = AsciiLower(selectors[index]) + "._domainkey." + result.domain;
    auto answers = lookup(name);
    if (!answers.ok() && answers.error().kind() != ErrorKind::kNotFound) {
      result.reasons.push_back("the TXT lookup of " + name + " failed: " + answers.error().message());
      continue;
    }
    ++judged;
    std::vector<std::string> records;
    if (answers.ok()) {
      for (const std::string& txt : *answers) {
        if (is_key(txt)) records.push_back(txt);
      }
    }
    for (const std::string& txt : records) result.evidence.push_back(name + ": " + txt.substr(0, 120));
    if (records.empty()) {
      Add(result, Status::kFail, "no DKIM key at " + name + ": mail signed with that selector fails DKIM");
      continue;
    }
    if (records.size() > 1) {
      Add(result, Status::kFail, std::to_string(records.size()) + " key records at " + name + ": verifiers fail");
      continue;
    }
    auto key = ParseDkimKey(records.front());
    if (!key.ok()) {
      Add(result, Status::kFail, name + ": " + key.error().message());
      continue;
    }
    if (key->revoked()) {
      Add(result, Status::kFail, name + ": the key is revoked (empty p=)");
      continue;
    }
    auto bits = DkimKeyBits(*key);
    if (!bits.ok()) {
      Add(result, Status::kFail, name + ": " + bits.error().message());
      continue;
    }
    const std::string what = name + ": " + key->key_type + " " + std::to_string(*bits) + " bits";
    const bool sha1_only =
        !key->hash_algorithms.empty() && std::all_of(key->hash_algorithms.begin(), key->hash_algorithms.end(),
                                                     [](const std::string& h) { return h == "sha1"; });
    if (key->key_type == "rsa" && *bits < 1024) {
      Add(result, Status::kFail, what + ": under 1024 bits, which RFC 8301 forbids");
    } else if (sha1_only) {
      Add(result, Status::kFail, what + ": h=sha1 only, which RFC 8301 forbids");
    } else if (key->key_type == "rsa" && *bits < 2048) {
      Add(result, Status::kWarn, what + ": RFC 8301 recommends 2048 bits");
    } else {
      result.reasons.push_back(what);
    }
    if (key->testing) Add(result, Status::kWarn, name + ": t=y: the domain is testing DKIM");
  }
  if (judged == 0) {
    result.status = Status::kError;
    result.reasons.insert(result.reasons.begin(), "no selector could be looked up");
  } else if (result.status == Status::kPass) {
    result.reasons.insert(result.reasons.begin(), "every listed selector has a strong key");
  }
  return result;
}

CheckResult CheckTlsRpt(std::string_view domain, const TxtLookup& lookup) {
  CheckResult result = Start("tls_rpt", domain);
  const std::string name = "_smtp._tls." + result.domain;
  auto records = RecordsAt(lookup, name, IsTlsRptRecord);
  if (!records.ok()) {
    Add(result, Status::kError, "the TXT lookup of " + name + " failed: " + records.error().message());
    return result;
  }
  for (const std::string& txt : *records) result.evidence.push_back(name + ": " + txt);
  if (records->empty()) {
    Add(result, Status::kWarn, "no TLS-RPT record at " + name + ": failed TLS deliveries are not reported");
  } else if (records->size() > 1) {
    Add(result, Status::kFail, "several TLS-RPT records (RFC 8460 §3: then none applies)");
  } else if (auto record = ParseTlsRpt(records->front()); !record.ok()) {
    Add(result, Status::kFail, record.error().message());
  } else {
    Add(result, Status::kPass, "reports go to " + record->rua.front());
  }
  return result;
}

CheckResult CheckHsts(std::string_view domain, const std::optional<std::string>& header) {
  CheckResult result = Start("hsts", domain);
  if (!header) {
    Add(result, Status::kFail, "no Strict-Transport-Security header on the HTTPS answer");
    return result;
  }
  result.evidence.push_back("Strict-Transport-Security: " + *header);
  auto policy = ParseHsts(*header);
  if (!policy.ok()) {
    Add(result, Status::kFail, policy.error().message());
  } else if (policy->max_age == 0) {
    Add(result, Status::kFail, "max-age=0 tells browsers to forget HSTS");
  } else if (policy->max_age < kOneYearSeconds) {
    Add(result, Status::kWarn, "max-age " + std::to_string(policy->max_age) + " s is under one year (31536000)");
  } else {
    Add(result, Status::kPass, "max-age " + std::to_string(policy->max_age) + " s");
  }
  return result;
}

CheckResult CheckSecurityTxt(std::string_view domain, const std::optional<std::string>& body, Timestamp now) {
  CheckResult result = Start("security_txt", domain);
  if (!body) {
    Add(result, Status::kFail, "no /.well-known/security.txt");
    return result;
  }
  auto file = ParseSecurityTxt(*body);
  if (!file.ok()) {
    Add(result, Status::kFail, file.error().message());
    return result;
  }
  for (const std::string& contact : file->contact) result.evidence.push_back("Contact: " + contact);
  if (file->expires) result.evidence.push_back("Expires: " + file->expires->ToRfc3339());
  if (file->contact.empty()) Add(result, Status::kFail, "no Contact field (RFC 9116 §2.5.3: required)");
  if (!file->expires) {
    Add(result, Status::kFail, "no Expires field (RFC 9116 §2.5.5: required)");
  } else if (*file->expires <= now) {
    Add(result, Status::kFail, "expired on " + file->expires->ToRfc3339());
  } else if (file->expires->unix_ms() - now.unix_ms() > kYearMs) {
    Add(result, Status::kWarn, "Expires is more than a year ahead (RFC 9116 §2.5.5: should be less)");
  }
  if (result.reasons.empty()) Add(result, Status::kPass, "Contact and a future Expires");
  return result;
}

std::optional<std::string> HttpAnswer::Header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (key == name) return value;
  }
  return std::nullopt;
}

CheckResult CheckDane(std::string_view domain, const Result<std::vector<std::string>>& mx,
                      const std::vector<MxProbe>& probes, const TlsaLookup& tlsa) {
  constexpr std::size_t kMaxMx = 10;
  CheckResult result = Start("dane", domain);
  if (!mx.ok()) {
    Add(result, Status::kError, "the MX lookup failed: " + mx.error().message());
    return result;
  }
  if (mx->size() == 1 && mx->front() == ".") {
    result.reasons.push_back("null MX: the domain accepts no mail");
    return result;
  }
  if (mx->empty()) {
    Add(result, Status::kWarn, "no MX record: DANE applies to MX hosts");
    return result;
  }
  std::size_t with_tlsa = 0;
  std::size_t without_tlsa = 0;
  std::size_t judged = 0;
  for (std::size_t index = 0; index < mx->size() && index < kMaxMx; ++index) {
    const std::string& host = (*mx)[index];
    const std::string name = "_25._tcp." + host;
    auto answer = tlsa(name);
    if (!answer.ok()) {
      result.reasons.push_back(name + ": the TLSA lookup failed: " + answer.error().message());
      continue;
    }
    for (const std::string& record : answer->records) result.evidence.push_back(name + " TLSA " + record);
    if (answer->state == DnssecState::kBogus) {
      ++judged;
      ++with_tlsa;
      Add(result, Status::kFail,
          name + ": the answer is bogus under DNSSEC" + (answer->detail.empty() ? "" : " (" + answer->detail + ")") +
              ": senders that use DANE cannot deliver");
      continue;
    }
    if (answer->records.empty()) {
      ++judged;
      ++without_tlsa;
      result.reasons.push_back(name + ": no TLSA record");
      continue;
    }
    ++with_tlsa;
    if (answer->state != DnssecState::kSecure) {
      ++judged;
      Add(result, Status::kFail,
          name + ": TLSA records in an answer not secured by DNSSEC: senders ignore them (RFC 7672 §2.2)");
      continue;
    }
    std::vector<TlsaRecord> usable;
    bool pkix_only = true;
    for (const std::string& text : answer->records) {
      auto record = ParseTlsa(text);
      if (!record.ok()) {
        Add(result, Status::kFail, name + ": TLSA '" + text + "': " + record.error().message());
        continue;
      }
      if (record->usage == 2 || record->usage == 3) {
        pkix_only = false;
        usable.push_back(std::move(*record));
      }
    }
    if (usable.empty()) {
      ++judged;
      if (pkix_only) {
        Add(result, Status::kWarn,
            name + ": only PKIX-TA/PKIX-EE records (usage 0 or 1), which SMTP treats as unusable (RFC 7672 §3.1.3)");
      }
      continue;
    }
    const auto probe = std::find_if(probes.begin(), probes.end(), [&](const MxProbe& entry) {
      return entry.host == host && entry.probe.ok() && entry.probe->starttls_offered;
    });
    if (probe == probes.end() || probe->probe->tls.chain.empty()) {
      result.reasons.push_back(host + ": has TLSA records, but no certificate was presented to match them");
      continue;
    }
    ++judged;
    const std::vector<CertificateKeys>& chain = probe->probe->tls.chain;
    bool matched = false;
    for (const TlsaRecord& record : usable) {
      if (record.usage == 3 && TlsaMatches(record, chain.front())) matched = true;
      if (record.usage == 2) {
        for (std::size_t at = 1; at < chain.size(); ++at) matched = matched || TlsaMatches(record, chain[at]);
      }
    }
    if (matched) {
      result.reasons.push_back(host + ": the presented certificate matches a TLSA record");
    } else {
      Add(result, Status::kFail,
          host + ": no TLSA record at " + name +
              " matches the certificate the server presents: senders that use DANE will not deliver");
    }
  }
  if (judged == 0) {
    result.status = Status::kError;
    result.reasons.insert(result.reasons.begin(), "no MX could be judged");
    return result;
  }
  if (with_tlsa == 0) {
    Add(result, Status::kWarn, "no MX has a TLSA record: DANE is not used (RFC 7672)");
  } else if (without_tlsa > 0) {
    Add(result, Status::kWarn,
        std::to_string(without_tlsa) + " of " + std::to_string(with_tlsa + without_tlsa) +
            " MX hosts have no TLSA record: DANE protects only part of the mail");
  } else if (result.status == Status::kPass) {
    result.reasons.insert(result.reasons.begin(), "every MX presents a certificate its TLSA records match");
  }
  return result;
}

CheckResult CheckWebTls(std::string_view domain, const Result<HttpAnswer>& https,
                        const Result<std::optional<std::string>>& legacy, Timestamp now) {
  CheckResult result = Start("web_tls", domain);
  const std::string where = "https://" + result.domain + "/";
  if (!https.ok()) {
    if (https.error().kind() == ErrorKind::kNotFound) {
      Add(result, Status::kFail, where + ": no HTTPS: " + https.error().message());
    } else {
      Add(result, Status::kError, where + ": not reached: " + https.error().message());
    }
    return result;
  }
  if (!https->tls) {
    Add(result, Status::kError, where + ": the answer came without TLS");
    return result;
  }
  const TlsSession& tls = *https->tls;
  const auto [line, days] = DescribeSession(where, tls, now);
  result.evidence.push_back(line);
  if (LegacyVersion(tls.version)) {
    Add(result, Status::kFail, tls.version + " negotiated; TLS 1.2 or later is required");
  }
  if (!legacy.ok()) {
    result.reasons.push_back("whether TLS 1.0/1.1 is still accepted was not judged: " + legacy.error().message());
  } else if (*legacy) {
    Add(result, Status::kFail, "the server still accepts " + **legacy + ", which is deprecated (RFC 8996)");
    result.evidence.push_back(where + ": a handshake limited to TLS 1.1 completed with " + **legacy);
  } else {
    result.evidence.push_back(where + ": a handshake limited to TLS 1.1 was refused");
  }
  if (days && *days < 0) {
    Add(result, Status::kFail,
        "the certificate expired " + std::to_string(-*days) + " days ago: browsers refuse the site");
  } else if (!tls.certificate_valid) {
    Add(result, Status::kFail,
        "the certificate is not valid for " + result.domain + " (" + tls.certificate_problem +
            "): browsers refuse the site");
  } else if (days && *days < 14) {
    Add(result, Status::kWarn, "the certificate expires in " + std::to_string(*days) + " days");
  }
  if (result.status == Status::kPass) {
    result.reasons.insert(result.reasons.begin(),
                          tls.version + " with a valid certificate" +
                              (days ? ", " + std::to_string(*days) + " days until it expires" : std::string()));
  }
  return result;
}

CheckResult CheckHttpsRedirect(std::string_view domain, const Result<HttpAnswer>& http) {
  CheckResult result = Start("https_redirect", domain);
  const std::string where = "http://" + result.domain + "/";
  if (!http.ok()) {
    if (http.error().kind() == ErrorKind::kNotFound) {
      Add(result, Status::kPass, "no plain HTTP on port 80: nothing is served unencrypted");
      result.evidence.push_back(where + ": " + http.error().message());
    } else {
      Add(result, Status::kError, where + ": not reached: " + http.error().message());
    }
    return result;
  }
  const std::optional<std::string> location = http->Header("location");
  result.evidence.push_back(where + ": HTTP " + std::to_string(http->status) +
                            (location ? " Location: " + *location : std::string()));
  const bool redirect =
      http->status == 301 || http->status == 302 || http->status == 303 || http->status == 307 || http->status == 308;
  if (redirect && location &&
      AsciiLower(location->substr(0, std::min<std::size_t>(location->size(), 8))) == "https://") {
    Add(result, Status::kPass, "redirects to " + *location);
  } else if (redirect) {
    Add(result, Status::kFail,
        "redirects to " + (location ? *location : std::string("nowhere (no Location)")) + ", not to HTTPS");
  } else if (http->status >= 200 && http->status < 300) {
    Add(result, Status::kFail,
        "serves content over plain HTTP (" + std::to_string(http->status) + ") instead of redirecting to HTTPS");
  } else {
    Add(result, Status::kWarn,
        "answers " + std::to_string(http->status) + " over plain HTTP instead of redirecting to HTTPS");
  }
  return result;
}

}  // namespace dv::posture
