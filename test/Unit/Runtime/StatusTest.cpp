//===- StatusTest.cpp - Runtime status objects ----------------------------===//

#include "kiln/runtime.h"

#include <gtest/gtest.h>

#include <cstring>

namespace {

TEST(RuntimeStatus, NullIsSuccess) {
  EXPECT_EQ(kiln_status_code(nullptr), KILN_STATUS_OK);
  EXPECT_STREQ(kiln_status_message(nullptr), "");
  kiln_status_free(nullptr); // Must accept NULL.
}

TEST(RuntimeStatus, VersionIsSemantic) {
  const char *version = kiln_runtime_version();
  ASSERT_NE(version, nullptr);
  int major = -1, minor = -1, patch = -1;
  EXPECT_EQ(std::sscanf(version, "%d.%d.%d", &major, &minor, &patch), 3);
  EXPECT_GE(major, 0);
}

// Messages quote file names and driver logs; newlines become spaces.
TEST(RuntimeStatus, MessagesAreOneLine) {
  kiln_artifact_t *artifact = nullptr;
  kiln_status_t status =
      kiln_artifact_load_file("/nonexistent/a\nb\r\nc", nullptr, &artifact);
  EXPECT_EQ(kiln_status_code(status), KILN_STATUS_NOT_FOUND);
  EXPECT_STREQ(kiln_status_message(status),
               "cannot open artifact '/nonexistent/a b  c': No such file or "
               "directory");
  kiln_status_free(status);
}

} // namespace
