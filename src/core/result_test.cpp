// SPDX-License-Identifier: Apache-2.0
#include "core/result.h"

#include <gtest/gtest.h>

namespace dv {
namespace {

Result<int> Half(int value) {
  if (value % 2 != 0) return Error::InvalidArgument("value " + std::to_string(value) + " is odd");
  return value / 2;
}

Status HalfTwice(int value, int& out) {
  auto once = Half(value);
  if (!once.ok()) return once.error().WithContext("first halving");
  auto twice = Half(*once);
  if (!twice.ok()) return twice.error().WithContext("second halving");
  out = *twice;
  return Ok();
}

Status Chained(int value, int& out) {
  DV_TRY(HalfTwice(value, out));
  out += 1;
  return Ok();
}

TEST(Result, CarriesValueOrError) {
  EXPECT_EQ(Half(8).value(), 4);
  const auto odd = Half(7);
  ASSERT_FALSE(odd.ok());
  EXPECT_EQ(odd.error().kind(), ErrorKind::kInvalidArgument);
  EXPECT_EQ(odd.error().ToString(), "invalid_argument: value 7 is odd");
}

TEST(Result, ContextPrefixesTheMessageAndTryPropagates) {
  int out = 0;
  const Status status = Chained(6, out);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().message(), "second halving: value 3 is odd");
  EXPECT_TRUE(Chained(8, out).ok());
  EXPECT_EQ(out, 3);
}

}  // namespace
}  // namespace dv
