// SPDX-License-Identifier: Apache-2.0
#include "sensor/follow.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace dv::sensor {
namespace {

namespace fs = std::filesystem;

class FollowTest : public ::testing::Test {
 protected:
  void SetUp() override {
    static int counter = 0;
    dir_ =
        fs::temp_directory_path() / ("dv-follow-test-" + std::to_string(::getpid()) + "-" + std::to_string(++counter));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    log_ = (dir_ / "app.log").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  void Append(const std::string& text) { std::ofstream(log_, std::ios::app | std::ios::binary) << text; }

  // The `message` of every event the next poll yields.
  std::vector<std::string> Poll(FileFollower& follower) {
    std::vector<std::string> messages;
    follower.Poll([&](const Event& event) {
      const EventField* message = event.Find("message");
      messages.push_back(message != nullptr ? message->value : "?");
      origins_.push_back(event.origin);
    });
    return messages;
  }

  FollowOptions Options(bool from_start = false) {
    FollowOptions options;
    options.from_start = from_start;
    options.state_file = dir_ / "follow.json";
    return options;
  }

  using Lines = std::vector<std::string>;
  fs::path dir_;
  std::string log_;
  std::vector<std::string> origins_;
};

TEST_F(FollowTest, StartsAtTheEndAndReadsAppendedCompleteLines) {
  Append("old 1\nold 2\n");
  auto follower = FileFollower::Create({log_}, Options());
  ASSERT_TRUE(follower.ok()) << follower.error().ToString();
  EXPECT_EQ(Poll(**follower), Lines{});
  Append("new 1\nnew 2 is not fin");
  EXPECT_EQ(Poll(**follower), Lines{"new 1"});
  Append("ished\n");
  EXPECT_EQ(Poll(**follower), Lines{"new 2 is not finished"});
  EXPECT_EQ(origins_, (Lines{log_ + "@12", log_ + "@18"}));
  EXPECT_EQ((*follower)->offset(log_), 40);
}

TEST_F(FollowTest, FromStartReadsWhatIsAlreadyThere) {
  Append("one\n\ntwo\r\n");
  auto follower = FileFollower::Create({log_}, Options(true));
  ASSERT_TRUE(follower.ok());
  EXPECT_EQ(Poll(**follower), (Lines{"one", "two"}));
  EXPECT_EQ((*follower)->stats().lines, 3U);  // the blank line is read, yields no event
}

TEST_F(FollowTest, SurvivesRotationByRenameWithoutLosingTheOldFilesLastLines) {
  Append("before\n");
  auto follower = FileFollower::Create({log_}, Options());
  ASSERT_TRUE(follower.ok());
  Append("written just before the rename\nunterminated last line");
  fs::rename(log_, log_ + ".1");
  EXPECT_EQ(Poll(**follower), (Lines{"written just before the rename"}));  // the new file is not there yet
  Append("first of the new file\n");
  EXPECT_EQ(Poll(**follower), (Lines{"unterminated last line", "first of the new file"}));
  EXPECT_EQ((*follower)->stats().rotations, 1U);
  Append("second of the new file\n");
  EXPECT_EQ(Poll(**follower), (Lines{"second of the new file"}));
}

TEST_F(FollowTest, SurvivesTruncation) {
  Append("a long line before the truncation\n");
  auto follower = FileFollower::Create({log_}, Options(true));
  ASSERT_TRUE(follower.ok());
  EXPECT_EQ(Poll(**follower), (Lines{"a long line before the truncation"}));
  fs::resize_file(log_, 0);
  Append("after\n");
  EXPECT_EQ(Poll(**follower), (Lines{"after"}));
  EXPECT_EQ((*follower)->stats().truncations, 1U);
  EXPECT_EQ((*follower)->offset(log_), 6);
}

TEST_F(FollowTest, WaitsForAMissingFileAndReadsItFromItsStart) {
  auto follower = FileFollower::Create({log_}, Options());
  ASSERT_TRUE(follower.ok());
  EXPECT_EQ(Poll(**follower), Lines{});
  Append("created later\n");
  EXPECT_EQ(Poll(**follower), (Lines{"created later"}));
}

TEST_F(FollowTest, ARestartNeitherRereadsNorSkipsLines) {
  Append("seen before\n");
  {
    auto follower = FileFollower::Create({log_}, Options(true));
    ASSERT_TRUE(follower.ok());
    EXPECT_EQ(Poll(**follower), (Lines{"seen before"}));
    ASSERT_TRUE((*follower)->SaveState().ok());
  }
  Append("written while the sensor was down\n");
  {
    auto follower = FileFollower::Create({log_}, Options(true));
    ASSERT_TRUE(follower.ok());
    EXPECT_EQ(Poll(**follower), (Lines{"written while the sensor was down"}));
    ASSERT_TRUE((*follower)->SaveState().ok());
  }
  // Rotated while the sensor was down: the new file is read from its start.
  fs::rename(log_, log_ + ".1");
  Append("in the new file\n");
  auto follower = FileFollower::Create({log_}, Options());
  ASSERT_TRUE(follower.ok());
  EXPECT_EQ(Poll(**follower), (Lines{"in the new file"}));
}

TEST_F(FollowTest, SkipsOverlongLinesAndParsesSyslog) {
  FollowOptions options = Options(true);
  options.max_line_bytes = 64;
  options.read_bytes = 16;
  Append(std::string(100, 'x') + "\n<34>1 2026-03-01T10:00:00Z host app 1 - - hello\n");
  auto follower = FileFollower::Create({log_}, options);
  ASSERT_TRUE(follower.ok());
  Event last;
  (*follower)->Poll([&](const Event& event) { last.CopyFrom(event); });
  EXPECT_EQ((*follower)->stats().bad_records, 1U);
  ASSERT_NE(last.Find("host"), nullptr);
  EXPECT_EQ(last.Find("host")->value, "host");
  EXPECT_EQ(last.Find("message")->value, "hello");
}

TEST_F(FollowTest, AnUnreadableStateFileIsAnError) {
  std::ofstream(dir_ / "follow.json") << "[1, 2]";
  auto follower = FileFollower::Create({log_}, Options());
  ASSERT_FALSE(follower.ok());
  EXPECT_NE(follower.error().message().find("follow.json"), std::string::npos);
}

// A followed Zeek log: header lines give no event, records are read with the
// file's columns, and after a restart at a remembered offset the header at
// the top of the file is read again first.
TEST_F(FollowTest, FollowsAZeekLogWithItsHeaderAcrossARestart) {
  const std::string header =
      "#separator \\x09\n#path\tconn\n#fields\tts\tuid\tid.orig_h\tid.resp_h\tid.resp_p\n"
      "#types\ttime\tstring\taddr\taddr\tport\n";
  Append(header + "1772360100.0\tC1\t203.0.113.7\t192.0.2.10\t500\n");
  std::vector<std::string> sources;
  auto collect = [&](const Event& event) {
    const EventField* source = event.Find("id.orig_h");
    sources.push_back(source != nullptr ? source->value : "?");
  };
  {
    auto follower = FileFollower::Create({log_}, Options(true));
    ASSERT_TRUE(follower.ok());
    (*follower)->Poll(collect);
    EXPECT_EQ(sources, Lines{"203.0.113.7"});
    EXPECT_EQ((*follower)->stats().events, 1U);
    EXPECT_EQ((*follower)->stats().bad_records, 0U);
    ASSERT_TRUE((*follower)->SaveState().ok());
  }
  Append("1772360101.0\tC2\t198.51.100.4\t192.0.2.10\t500\n");
  auto follower = FileFollower::Create({log_}, Options(true));
  ASSERT_TRUE(follower.ok());
  (*follower)->Poll(collect);
  EXPECT_EQ(sources, (Lines{"203.0.113.7", "198.51.100.4"}));
  EXPECT_EQ((*follower)->stats().bad_records, 0U);
}

}  // namespace
}  // namespace dv::sensor
