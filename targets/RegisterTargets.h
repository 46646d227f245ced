//===- RegisterTargets.h - Every backend, registered ------------*- C++ -*-===//

#ifndef KILN_TARGETS_REGISTERTARGETS_H
#define KILN_TARGETS_REGISTERTARGETS_H

namespace kiln {

/// Registers every backend with the target registry, once.
void registerAllTargets();

} // namespace kiln

#endif // KILN_TARGETS_REGISTERTARGETS_H
