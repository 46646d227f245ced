//===- RuntimeHppTest.cpp - The C++ wrappers ------------------------------===//

#include "kiln/runtime.hpp"

#include "TestArtifacts.h"

#include <gtest/gtest.h>

namespace {

using namespace kiln::test;

TEST(RuntimeHpp, RunsTheAddModel) {
  kiln::Context context;
  ASSERT_TRUE(kiln::Context::create(nullptr, context).ok());
  std::vector<std::uint8_t> bytes = buildArtifact(addModel());
  kiln::Artifact artifact;
  ASSERT_TRUE(
      kiln::Artifact::loadMemory(bytes.data(), bytes.size(), nullptr, artifact)
          .ok());
  EXPECT_EQ(artifact.inputCount(), 2u);
  kiln::Artifact shared = artifact; // Retains.
  kiln::Session session;
  kiln::Status created =
      kiln::Session::create(context, shared, nullptr, session);
  ASSERT_TRUE(created.ok()) << created.message();
  EXPECT_EQ(session.device(), KILN_DEVICE_CPU);

  std::vector<float> x(kAddElements, 1), y(kAddElements, 2), z(kAddElements),
      w(kAddElements), v(kAddElements);
  std::vector<std::int32_t> k(4);
  kiln_buffer_t inputs[] = {{x.data(), 4000}, {y.data(), 4000}};
  kiln_buffer_t outputs[] = {
      {z.data(), 4000}, {w.data(), 4000}, {v.data(), 4000}, {k.data(), 16}};
  ASSERT_TRUE(session.run(inputs, 2, outputs, 4).ok());
  EXPECT_EQ(z[10], 1 + 5 + 2);

  kiln::Status failed = session.run(inputs, 1, outputs, 4);
  EXPECT_FALSE(failed.ok());
  EXPECT_EQ(failed.code(), KILN_STATUS_INVALID_ARGUMENT);
  kiln::Status moved = std::move(failed);
  EXPECT_TRUE(failed.ok());
  EXPECT_STREQ(moved.message(), "the model has 2 inputs, the run passed 1");

  kiln::Artifact missing;
  EXPECT_EQ(
      kiln::Artifact::loadFile("/nonexistent.kiln", nullptr, missing).code(),
      KILN_STATUS_NOT_FOUND);
  EXPECT_FALSE(missing);
}

} // namespace
