//===- CPUTarget.h - The CPU backend ----------------------------*- C++ -*-===//

#ifndef KILN_TARGETS_CPU_CPUTARGET_H
#define KILN_TARGETS_CPU_CPUTARGET_H

namespace kiln {

/// Registers the "cpu" target, its passes and its `--cpu=` option.
void registerCPUTarget();

} // namespace kiln

#endif // KILN_TARGETS_CPU_CPUTARGET_H
