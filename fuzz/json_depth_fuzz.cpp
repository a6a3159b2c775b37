// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: CheckJsonDepth (core/json_limits.h) and the TAXII
// envelope reader (hub/stix_intake.h IntakeEnvelope) on arbitrary bytes.
//
// Besides "no crash", it checks two properties:
//   - on input that nlohmann's (non-recursive) SAX parser accepts,
//     CheckJsonDepth agrees with the depth the parser saw: it passes at that
//     depth and fails one below (input with a NUL byte is left out: the
//     parser stops reading there, while CheckJsonDepth, conservatively, reads on);
//   - an envelope's status counts add up (accepted + refused = total).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/json_limits.h"
#include "hub/stix_intake.h"

namespace {

// Counts the deepest nesting of containers without building a value.
class DepthCounter : public nlohmann::json_sax<nlohmann::json> {
 public:
  int max_depth() const { return max_depth_; }

  bool null() override { return true; }
  bool boolean(bool /*value*/) override { return true; }
  bool number_integer(number_integer_t /*value*/) override { return true; }
  bool number_unsigned(number_unsigned_t /*value*/) override { return true; }
  bool number_float(number_float_t /*value*/, const string_t& /*text*/) override { return true; }
  bool string(string_t& /*value*/) override { return true; }
  bool binary(binary_t& /*value*/) override { return true; }
  bool start_object(std::size_t /*elements*/) override { return Open(); }
  bool key(string_t& /*value*/) override { return true; }
  bool end_object() override { return Close(); }
  bool start_array(std::size_t /*elements*/) override { return Open(); }
  bool end_array() override { return Close(); }
  bool parse_error(std::size_t /*position*/, const std::string& /*last_token*/,
                   const nlohmann::detail::exception& /*error*/) override {
    return false;
  }

 private:
  bool Open() {
    ++depth_;
    if (depth_ > max_depth_) max_depth_ = depth_;
    return true;
  }
  bool Close() {
    --depth_;
    return true;
  }
  int depth_ = 0;
  int max_depth_ = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  DepthCounter counter;
  bool valid = false;
  try {
    valid = nlohmann::json::sax_parse(text.begin(), text.end(), &counter);
  } catch (const nlohmann::json::exception&) {
    valid = false;
  }
  if (valid && text.find('\0') == std::string_view::npos) {
    if (!dv::CheckJsonDepth(text, counter.max_depth()).ok()) std::abort();
    if (counter.max_depth() > 0 && dv::CheckJsonDepth(text, counter.max_depth() - 1).ok()) std::abort();
  }
  (void)dv::CheckJsonDepth(text);

  auto intake = dv::hub::IntakeEnvelope(text);
  if (intake.ok() && intake->accepted.size() + intake->failures.size() != intake->total) std::abort();
  if (intake.ok() && intake->facts.size() != intake->accepted.size()) std::abort();
  return 0;
}
