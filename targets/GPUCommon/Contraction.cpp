//===- Contraction.cpp - The matmul-like ops of the GPU fast path ---------===//

#include "targets/GPUCommon/Contraction.h"
#include "targets/GPUCommon/Passes.h"

#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/IR/BuiltinAttributes.h"

using namespace mlir;

namespace kiln::gpu {

std::optional<ContractionLoops> matchContraction(linalg::LinalgOp op) {
  if (op.getNumDpsInputs() != 2 || op.getNumDpsInits() != 1 ||
      op->getNumResults() > 1)
    return std::nullopt;
  if (!llvm::all_of(op.getIndexingMapsArray(), [](AffineMap map) {
        return map.isProjectedPermutation();
      }))
    return std::nullopt;
  std::optional<ContractionLoops> loops = getContractionLoops(op);
  if (!loops || loops->batch.size() + 3 != op.getNumLoops())
    return std::nullopt;
  return loops;
}

bool isEpilogueOf(linalg::GenericOp op, OpOperand &operand) {
  if (operand.getOwner() != op.getOperation() || op.getNumDpsInits() != 1 ||
      op.getNumReductionLoops() != 0)
    return false;
  if (!op.getMatchingIndexingMap(&operand).isPermutation() ||
      !op.getMatchingIndexingMap(op.getDpsInitOperand(0)).isPermutation())
    return false;
  for (OpOperand *input : op.getDpsInputOperands()) {
    if (input == &operand)
      continue;
    if (input->get() == operand.get() ||
        !op.getMatchingIndexingMap(input).isProjectedPermutation())
      return false;
  }
  return true;
}

DictionaryAttr ContractionConfig::toAttr(MLIRContext *context) const {
  Builder b(context);
  return b.getDictionaryAttr({
      b.getNamedAttr("tile", b.getDenseI64ArrayAttr({tileM, tileN, tileK})),
      b.getNamedAttr("subgroup_tile",
                     b.getDenseI64ArrayAttr({subgroupM, subgroupN})),
      b.getNamedAttr("thread_tile",
                     b.getDenseI64ArrayAttr({threadM, threadN})),
      b.getNamedAttr("intrinsic", b.getStringAttr(intrinsic)),
  });
}

std::optional<ContractionConfig>
ContractionConfig::fromAttr(DictionaryAttr attr) {
  if (!attr)
    return std::nullopt;
  auto tile = attr.getAs<DenseI64ArrayAttr>("tile");
  auto subgroup = attr.getAs<DenseI64ArrayAttr>("subgroup_tile");
  auto thread = attr.getAs<DenseI64ArrayAttr>("thread_tile");
  auto intrinsic = attr.getAs<StringAttr>("intrinsic");
  if (!tile || tile.size() != 3 || !subgroup || subgroup.size() != 2 ||
      !thread || thread.size() != 2 || !intrinsic)
    return std::nullopt;
  ContractionConfig config;
  config.tileM = tile[0];
  config.tileN = tile[1];
  config.tileK = tile[2];
  config.subgroupM = subgroup[0];
  config.subgroupN = subgroup[1];
  config.threadM = thread[0];
  config.threadN = thread[1];
  config.intrinsic = intrinsic.str();
  if (config.tileM <= 0 || config.tileN <= 0 || config.tileK <= 0 ||
      config.subgroupM <= 0 || config.subgroupN <= 0 ||
      config.tileM % config.subgroupM || config.tileN % config.subgroupN)
    return std::nullopt;
  return config;
}

void getScalarStepShape(int64_t subgroupSize, int64_t threadM, int64_t threadN,
                        int64_t &m, int64_t &n, int64_t &lanesM,
                        int64_t &lanesN) {
  lanesN = std::min<int64_t>(8, subgroupSize);
  lanesM = subgroupSize / lanesN;
  m = lanesM * threadM;
  n = lanesN * threadN;
}

} // namespace kiln::gpu
