//===- TargetBackend.cpp - The registry of backends -----------------------===//

#include "compiler/Target/TargetBackend.h"

#include "llvm/ADT/StringMap.h"

namespace kiln {

TargetBackend::~TargetBackend() = default;

llvm::cl::OptionCategory &getTargetOptionsCategory() {
  static llvm::cl::OptionCategory category("Target options");
  return category;
}

static llvm::StringMap<TargetBackendFactory> &getRegistry() {
  static llvm::StringMap<TargetBackendFactory> registry;
  return registry;
}

void registerTargetBackend(llvm::StringRef name, TargetBackendFactory factory) {
  getRegistry()[name] = std::move(factory);
}

std::unique_ptr<TargetBackend> createTargetBackend(llvm::StringRef name) {
  auto it = getRegistry().find(name);
  if (it == getRegistry().end())
    return nullptr;
  return it->second();
}

std::vector<std::string> getRegisteredTargetNames() {
  std::vector<std::string> names;
  for (const auto &entry : getRegistry())
    names.push_back(entry.getKey().str());
  llvm::sort(names);
  return names;
}

} // namespace kiln
