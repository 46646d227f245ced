//===- ControlFlowImporters.h - If, Loop and Scan nodes ---------*- C++ -*-===//

#ifndef KILN_COMPILER_IMPORT_CONTROLFLOWIMPORTERS_H
#define KILN_COMPILER_IMPORT_CONTROLFLOWIMPORTERS_H

#include "compiler/Import/NodeImporter.h"

namespace kiln {

mlir::LogicalResult importIf(NodeImporter &node);
mlir::LogicalResult importLoop(NodeImporter &node);
mlir::LogicalResult importScan(NodeImporter &node);
mlir::LogicalResult importScanV8(NodeImporter &node);

} // namespace kiln

#endif // KILN_COMPILER_IMPORT_CONTROLFLOWIMPORTERS_H
