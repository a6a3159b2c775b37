// SPDX-License-Identifier: Apache-2.0
#include "vuln/purl.h"

#include <gtest/gtest.h>

namespace dv::vuln {
namespace {

TEST(Purl, ParsesComponents) {
  auto purl = ParsePurl("pkg:rpm/RedHat/openssl@1.0.2k-16.el7_6.1?arch=x86_64&epoch=1");
  ASSERT_TRUE(purl.ok()) << purl.error().message();
  EXPECT_EQ(purl->type, "rpm");
  EXPECT_EQ(purl->namespace_, "redhat");
  EXPECT_EQ(purl->name, "openssl");
  EXPECT_EQ(purl->version, "1.0.2k-16.el7_6.1");
  EXPECT_EQ(purl->qualifiers.at("epoch"), "1");
  EXPECT_EQ(purl->PackageKey(), "pkg:rpm/redhat/openssl");
  auto npm = ParsePurl("pkg:npm/%40angular/core@16.0.0#lib/x");
  ASSERT_TRUE(npm.ok());
  EXPECT_EQ(npm->namespace_, "@angular");
  EXPECT_EQ(npm->subpath, "lib/x");
  EXPECT_EQ(npm->ToString(), "pkg:npm/%40angular/core@16.0.0#lib/x");
  auto pypi = ParsePurl("pkg:pypi/Django_Rest@3.0");
  ASSERT_TRUE(pypi.ok());
  EXPECT_EQ(pypi->name, "django-rest");
}

TEST(Purl, Errors) {
  for (std::string_view text :
       {"rpm/openssl", "pkg:rpm", "pkg:/openssl", "pkg:rp$m/openssl", "pkg:npm/a%zz", "pkg:npm/a?b"}) {
    EXPECT_FALSE(ParsePurl(text).ok()) << text;
  }
}

TEST(Purl, Matches) {
  const Purl pattern = *ParsePurl("pkg:deb/debian/openssl?distro=bookworm");
  EXPECT_TRUE(PurlMatches(pattern, *ParsePurl("pkg:deb/debian/openssl@3.0.11-1?distro=bookworm")));
  EXPECT_FALSE(PurlMatches(pattern, *ParsePurl("pkg:deb/debian/openssl@3.0.11-1?distro=bullseye")));
  EXPECT_FALSE(PurlMatches(pattern, *ParsePurl("pkg:deb/ubuntu/openssl@3.0.11-1?distro=bookworm")));
}

}  // namespace
}  // namespace dv::vuln
