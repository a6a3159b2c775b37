// SPDX-License-Identifier: Apache-2.0
#include "register/txt_resolver.h"

#include <poll.h>
#include <unbound.h>

#include <cstdlib>

namespace dv::reg {
namespace {

constexpr int kTypeTxt = 16;
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

class UnboundResolver : public TxtResolver {
 public:
  UnboundResolver(std::string forwarder, std::chrono::milliseconds timeout)
      : forwarder_(std::move(forwarder)), timeout_(timeout) {}

  Result<std::vector<std::string>> Lookup(std::string_view name) override {
    std::unique_ptr<ub_ctx, decltype(&ub_ctx_delete)> context(ub_ctx_create(), &ub_ctx_delete);
    if (!context) return Error::Io("DNS: cannot create a resolver");
    // A thread, not libunbound's default forked process: forking a
    // multi-threaded hub can deadlock the child on a lock another thread held.
    (void)ub_ctx_async(context.get(), 1);
    if (forwarder_.empty()) {
      // resolv.conf's servers when there are any; otherwise unbound recurses itself.
      (void)ub_ctx_resolvconf(context.get(), nullptr);
    } else if (const int error = ub_ctx_set_fwd(context.get(), forwarder_.c_str()); error != 0) {
      return Error::Io("DNS: resolver '" + forwarder_ + "': " + ub_strerror(error));
    }
    const std::string query(name);
    Answer answer;
    int async_id = 0;
    if (const int error =
            ub_resolve_async(context.get(), query.c_str(), kTypeTxt, kClassIn, &answer, &OnAnswer, &async_id);
        error != 0) {
      return Error::Io("DNS: TXT " + query + ": " + ub_strerror(error));
    }
    const auto deadline = std::chrono::steady_clock::now() + timeout_;
    while (!answer.done) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) {
        (void)ub_cancel(context.get(), async_id);
        return Error::Io("DNS: TXT " + query + ": no answer within " + std::to_string(timeout_.count()) + " ms");
      }
      pollfd descriptor{ub_fd(context.get()), POLLIN, 0};
      if (::poll(&descriptor, 1, static_cast<int>(left.count())) > 0) {
        if (const int error = ub_process(context.get()); error != 0) {
          return Error::Io("DNS: TXT " + query + ": " + ub_strerror(error));
        }
      }
    }
    if (answer.error != 0) return Error::Io("DNS: TXT " + query + ": " + ub_strerror(answer.error));
    std::unique_ptr<ub_result, decltype(&ub_resolve_free)> result(answer.result, &ub_resolve_free);
    std::vector<std::string> out;
    if (result->rcode != 0 && result->rcode != 3) {  // 3: NXDOMAIN, an empty answer
      return Error::Io("DNS: TXT " + query + ": the server answered rcode " + std::to_string(result->rcode));
    }
    if (!result->havedata) return out;
    for (int idx = 0; result->data[idx] != nullptr; ++idx) out.push_back(TxtText(result->data[idx], result->len[idx]));
    return out;
  }

 private:
  std::string forwarder_;
  std::chrono::milliseconds timeout_;
};

}  // namespace

std::unique_ptr<TxtResolver> MakeUnboundResolver(std::string forwarder, std::chrono::milliseconds timeout) {
  return std::make_unique<UnboundResolver>(std::move(forwarder), timeout);
}

std::unique_ptr<TxtResolver> ResolverFromEnvironment() {
  const char* forwarder = std::getenv("DV_REGISTER_RESOLVER");
  return MakeUnboundResolver(forwarder != nullptr ? forwarder : "");
}

}  // namespace dv::reg
