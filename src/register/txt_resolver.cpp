// SPDX-License-Identifier: Apache-2.0
#include "register/txt_resolver.h"

#include <poll.h>
#include <unbound.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>

namespace dv::reg {
namespace {

constexpr int kTypeTxt = 16;
constexpr int kTypeSoa = 6;
constexpr int kTypeMx = 15;
constexpr int kTypeA = 1;
constexpr int kTypeTlsa = 52;
constexpr int kClassIn = 1;

struct Answer {
  bool done = false;
  int error = 0;
  ub_result* result = nullptr;
};

void OnAnswer(void* data, int error, ub_result* result) {
  auto* answer = static_cast<Answer*>(data);
  answer->done = true;
  answer->error = error;
  answer->result = result;
}

// The character strings of one TXT RDATA, joined.
std::string TxtText(const char* data, int length) {
  std::string out;
  int offset = 0;
  while (offset < length) {
    const auto size = static_cast<unsigned char>(data[offset]);
    const int available = std::min<int>(size, length - offset - 1);
    out.append(data + offset + 1, static_cast<std::size_t>(available));
    offset += 1 + size;
  }
  return out;
}

using Context = std::unique_ptr<ub_ctx, decltype(&ub_ctx_delete)>;
using Answered = std::unique_ptr<ub_result, decltype(&ub_resolve_free)>;

// A fresh context asking `forwarder` ("" for the system's resolvers).
Result<Context> NewContext(const std::string& forwarder) {
  Context context(ub_ctx_create(), &ub_ctx_delete);
  if (!context) return Error::Io("DNS: cannot create a resolver");
  // A thread, not libunbound's default forked process: forking a
  // multi-threaded hub can deadlock the child on a lock another thread held.
  (void)ub_ctx_async(context.get(), 1);
  if (forwarder.empty()) {
    // resolv.conf's servers when there are any; otherwise unbound recurses itself.
    (void)ub_ctx_resolvconf(context.get(), nullptr);
  } else if (const int error = ub_ctx_set_fwd(context.get(), forwarder.c_str()); error != 0) {
    return Error::Io("DNS: resolver '" + forwarder + "': " + ub_strerror(error));
  }
  return context;
}

// Asks (name, type, IN) within `timeout`; the caller names the query in errors.
Result<Answered> Resolve(ub_ctx* context, const std::string& query, int type, const std::string& what,
                         std::chrono::milliseconds timeout) {
  Answer answer;
  int async_id = 0;
  if (const int error = ub_resolve_async(context, query.c_str(), type, kClassIn, &answer, &OnAnswer, &async_id);
      error != 0) {
    return Error::Io("DNS: " + what + ": " + ub_strerror(error));
  }
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!answer.done) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      (void)ub_cancel(context, async_id);
      return Error::Io("DNS: " + what + ": no answer within " + std::to_string(timeout.count()) + " ms");
    }
    pollfd descriptor{ub_fd(context), POLLIN, 0};
    if (::poll(&descriptor, 1, static_cast<int>(left.count())) > 0) {
      if (const int error = ub_process(context); error != 0) {
        return Error::Io("DNS: " + what + ": " + ub_strerror(error));
      }
    }
  }
  if (answer.error != 0) return Error::Io("DNS: " + what + ": " + ub_strerror(answer.error));
  return Answered(answer.result, &ub_resolve_free);
}

class UnboundResolver : public TxtResolver {
 public:
  UnboundResolver(std::string forwarder, std::chrono::milliseconds timeout)
      : forwarder_(std::move(forwarder)), timeout_(timeout) {}

  // (name, type) answered with NOERROR or NXDOMAIN.
  Result<Answered> Ask(std::string_view name, int type, const char* type_name) {
    auto context = NewContext(forwarder_);
    if (!context.ok()) return context.error();
    const std::string query(name);
    const std::string what = std::string(type_name) + " " + query;
    auto result = Resolve(context->get(), query, type, what, timeout_);
    if (!result.ok()) return result.error();
    if ((*result)->rcode != 0 && (*result)->rcode != 3) {
      return Error::Io("DNS: " + what + ": the server answered rcode " + std::to_string((*result)->rcode));
    }
    return result;
  }

  Result<std::vector<std::string>> LookupMx(std::string_view name) override {
    auto answered = Ask(name, kTypeMx, "MX");
    if (!answered.ok()) return answered.error();
    std::vector<std::pair<int, std::string>> exchanges;
    const ub_result* result = answered->get();
    for (int idx = 0; result->havedata && result->data[idx] != nullptr; ++idx) {
      const auto* data = reinterpret_cast<const unsigned char*>(result->data[idx]);
      const int length = result->len[idx];
      if (length < 3) continue;
      const int preference = data[0] << 8 | data[1];
      std::string host;
      for (int at = 2; at < length && data[at] != 0;) {
        const int label = data[at];
        if (label > 63 || at + 1 + label > length) break;  // compressed or cut: not a name unbound gives
        if (!host.empty()) host += '.';
        for (int byte = 0; byte < label; ++byte) {
          host += static_cast<char>(std::tolower(data[at + 1 + byte]));
        }
        at += 1 + label;
      }
      exchanges.emplace_back(preference, host.empty() ? std::string(".") : host);
    }
    std::stable_sort(exchanges.begin(), exchanges.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<std::string> out;
    for (auto& [preference, host] : exchanges) out.push_back(std::move(host));
    return out;
  }

  Result<std::vector<std::string>> LookupA(std::string_view name) override {
    auto answered = Ask(name, kTypeA, "A");
    if (!answered.ok()) return answered.error();
    std::vector<std::string> out;
    const ub_result* result = answered->get();
    for (int idx = 0; result->havedata && result->data[idx] != nullptr; ++idx) {
      if (result->len[idx] != 4) continue;
      const auto* data = reinterpret_cast<const unsigned char*>(result->data[idx]);
      out.push_back(std::to_string(data[0]) + "." + std::to_string(data[1]) + "." + std::to_string(data[2]) + "." +
                    std::to_string(data[3]));
    }
    return out;
  }

  Result<std::vector<std::string>> Lookup(std::string_view name) override {
    auto context = NewContext(forwarder_);
    if (!context.ok()) return context.error();
    const std::string query(name);
    auto result = Resolve(context->get(), query, kTypeTxt, "TXT " + query, timeout_);
    if (!result.ok()) return result.error();
    std::vector<std::string> out;
    if ((*result)->rcode != 0 && (*result)->rcode != 3) {  // 3: NXDOMAIN, an empty answer
      return Error::Io("DNS: TXT " + query + ": the server answered rcode " + std::to_string((*result)->rcode));
    }
    if (!(*result)->havedata) return out;
    for (int idx = 0; (*result)->data[idx] != nullptr; ++idx) {
      out.push_back(TxtText((*result)->data[idx], (*result)->len[idx]));
    }
    return out;
  }

 private:
  std::string forwarder_;
  std::chrono::milliseconds timeout_;
};

class UnboundValidator : public DnssecValidator {
 public:
  UnboundValidator(std::string forwarder, std::string trust_anchor_file, std::chrono::milliseconds timeout)
      : forwarder_(std::move(forwarder)), trust_anchor_file_(std::move(trust_anchor_file)), timeout_(timeout) {}

  Result<DnssecAnswer> Validate(std::string_view name) override {
    auto result = Ask(name, kTypeSoa, "SOA");
    if (!result.ok()) return result.error();
    return State(**result, "SOA " + std::string(name));
  }

  Result<TlsaRecords> LookupTlsa(std::string_view name) override {
    auto result = Ask(name, kTypeTlsa, "TLSA");
    if (!result.ok()) return result.error();
    auto state = State(**result, "TLSA " + std::string(name));
    if (!state.ok()) return state.error();
    TlsaRecords out{*state, {}};
    const ub_result* answer = result->get();
    static constexpr char kHex[] = "0123456789abcdef";
    for (int idx = 0; answer->havedata && answer->data[idx] != nullptr; ++idx) {
      const auto* data = reinterpret_cast<const unsigned char*>(answer->data[idx]);
      const int length = answer->len[idx];
      if (length < 4) continue;
      std::string text = std::to_string(data[0]) + " " + std::to_string(data[1]) + " " + std::to_string(data[2]) + " ";
      for (int at = 3; at < length; ++at) {
        text.push_back(kHex[data[at] >> 4]);
        text.push_back(kHex[data[at] & 0xf]);
      }
      out.records.push_back(std::move(text));
    }
    return out;
  }

 private:
  // (name, type) asked of a context that validates from the trust anchor.
  Result<Answered> Ask(std::string_view name, int type, const char* type_name) {
    auto context = NewContext(forwarder_);
    if (!context.ok()) return context.error();
    if (const int error = ub_ctx_add_ta_file(context->get(), trust_anchor_file_.c_str()); error != 0) {
      return Error::Io("DNSSEC: trust anchor '" + trust_anchor_file_ + "': " + ub_strerror(error));
    }
    const std::string query(name);
    return Resolve(context->get(), query, type, std::string(type_name) + " " + query, timeout_);
  }

  static Result<DnssecAnswer> State(const ub_result& result, const std::string& query) {
    const ub_result* answered = &result;
    DnssecAnswer answer;
    answer.secure = answered->secure != 0;
    answer.bogus = answered->bogus != 0;
    if (answer.bogus && answered->why_bogus != nullptr) answer.why_bogus = answered->why_bogus;
    // A failure that is not the validator's (SERVFAIL, REFUSED) says nothing about signatures.
    if (!answer.bogus && answered->rcode != 0 && answered->rcode != 3) {
      return Error::Io("DNS: " + query + ": the server answered rcode " + std::to_string(answered->rcode));
    }
    return answer;
  }

  std::string forwarder_;
  std::string trust_anchor_file_;
  std::chrono::milliseconds timeout_;
};

}  // namespace

Result<std::vector<std::string>> TxtResolver::LookupMx(std::string_view) {
  return Error::Unsupported("this resolver does not look up MX records");
}

Result<std::vector<std::string>> TxtResolver::LookupA(std::string_view) {
  return Error::Unsupported("this resolver does not look up addresses");
}

std::unique_ptr<TxtResolver> MakeUnboundResolver(std::string forwarder, std::chrono::milliseconds timeout) {
  return std::make_unique<UnboundResolver>(std::move(forwarder), timeout);
}

Result<std::unique_ptr<DnssecValidator>> MakeUnboundValidator(std::string forwarder, std::string trust_anchor_file,
                                                              std::chrono::milliseconds timeout) {
  if (::access(trust_anchor_file.c_str(), R_OK) != 0) {
    return Error::Io("DNSSEC: trust anchor '" + trust_anchor_file + "' cannot be read");
  }
  return std::unique_ptr<DnssecValidator>(
      std::make_unique<UnboundValidator>(std::move(forwarder), std::move(trust_anchor_file), timeout));
}

std::unique_ptr<TxtResolver> ResolverFromEnvironment() {
  const char* forwarder = std::getenv("DV_REGISTER_RESOLVER");
  return MakeUnboundResolver(forwarder != nullptr ? forwarder : "");
}

}  // namespace dv::reg
