//===- GPUTargetInfo.cpp - The registry of matrix instructions ------------===//

#include "targets/GPUCommon/GPUTargetInfo.h"

#include "llvm/ADT/StringMap.h"

#include <mutex>

namespace kiln::gpu {

MmaIntrinsic::~MmaIntrinsic() = default;

namespace {
struct Registry {
  std::mutex mutex;
  llvm::StringMap<std::shared_ptr<const MmaIntrinsic>> intrinsics;
};

Registry &getRegistry() {
  static Registry registry;
  return registry;
}
} // namespace

void registerMmaIntrinsic(std::shared_ptr<const MmaIntrinsic> intrinsic) {
  Registry &registry = getRegistry();
  std::lock_guard<std::mutex> lock(registry.mutex);
  registry.intrinsics[intrinsic->getName()] = std::move(intrinsic);
}

const MmaIntrinsic *lookupMmaIntrinsic(llvm::StringRef name) {
  Registry &registry = getRegistry();
  std::lock_guard<std::mutex> lock(registry.mutex);
  auto it = registry.intrinsics.find(name);
  return it == registry.intrinsics.end() ? nullptr : it->second.get();
}

} // namespace kiln::gpu
