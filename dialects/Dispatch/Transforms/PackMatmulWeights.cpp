//===- PackMatmulWeights.cpp - Constant matmul operands into panels -------===//
//
// The CPU's matmul register tile multiplies a few rows of A by a panel of
// consecutive columns of B, and wants each panel contiguous over k. Packed
// in the kernel, that copy is made in every run, by every workgroup along
// the rows; a constant B (a layer's weights) is packed here, once. The
// matmul becomes a linalg.generic with the same loops that reads the
// packed constant (compiler/Codegen/PackedWeights.h).
//
//===----------------------------------------------------------------------===//

#include "compiler/Codegen/PackedWeights.h"
#include "dialects/Dispatch/Transforms/PackConstants.h"
#include "dialects/Dispatch/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/BuiltinAttributes.h"

#include <cstring>

namespace kiln::dispatch {
#define GEN_PASS_DEF_DISPATCHPACKMATMULWEIGHTSPASS
#include "dialects/Dispatch/Transforms/Passes.h.inc"
} // namespace kiln::dispatch

using namespace mlir;

namespace kiln::dispatch {
namespace {

/// The fewest rows for which a packed B pays: one register tile's.
constexpr int64_t kMinRows = 8;
/// The shortest reduction worth reading B by panels.
constexpr int64_t kMinDepth = 64;

/// Whether `matmul` reads B by panels of `panel` columns, so that a
/// constant B is worth packing: f32, the default indexing, static shapes,
/// whole panels of columns, enough rows and a long enough reduction.
bool readsPanels(linalg::MatmulOp matmul, int64_t panel) {
  if (!matmul.hasPureTensorSemantics() || matmul.hasUserDefinedMaps())
    return false;
  auto a = dyn_cast<RankedTensorType>(matmul.getInputs()[0].getType());
  auto b = dyn_cast<RankedTensorType>(matmul.getInputs()[1].getType());
  auto c = dyn_cast<RankedTensorType>(matmul.getOutputs()[0].getType());
  if (!a || !b || !c || !a.hasStaticShape() || !b.hasStaticShape() ||
      !c.hasStaticShape())
    return false;
  if (!a.getElementType().isF32() || !b.getElementType().isF32() ||
      !c.getElementType().isF32())
    return false;
  return a.getDimSize(0) >= kMinRows && b.getDimSize(0) >= kMinDepth &&
         b.getDimSize(1) % panel == 0;
}

/// `b` (K x N) as panels: `packed[p, k, j] = b[k, p * panel + j]`.
DenseElementsAttr packColumns(DenseElementsAttr b, int64_t panel) {
  int64_t depth = b.getType().getDimSize(0), columns = b.getType().getDimSize(1);
  auto type = RankedTensorType::get({columns / panel, depth, panel},
                                    b.getElementType());
  if (b.isSplat())
    return DenseElementsAttr::get(type, b.getSplatValue<Attribute>());
  ArrayRef<char> raw = b.getRawData();
  constexpr size_t kBytes = sizeof(float);
  std::vector<char> packed(raw.size());
  for (int64_t k = 0; k < depth; ++k)
    for (int64_t n = 0; n < columns; ++n)
      std::memcpy(&packed[(((n / panel) * depth + k) * panel + n % panel) *
                          kBytes],
                  &raw[(k * columns + n) * kBytes], kBytes);
  return DenseElementsAttr::getFromRawBuffer(type, packed);
}

struct DispatchPackMatmulWeightsPass
    : public impl::DispatchPackMatmulWeightsPassBase<
          DispatchPackMatmulWeightsPass> {
  using Base::Base;

  void runOnOperation() override {
    if (panel < 2)
      return;
    packConstantOperands<linalg::MatmulOp>(
        getOperation(), /*operand=*/1,
        [&](linalg::MatmulOp matmul) { return readsPanels(matmul, panel); },
        [&](DenseElementsAttr b) { return packColumns(b, panel); },
        [&](linalg::MatmulOp matmul) {
          return getPackedMatmulMaps(matmul.getContext(), panel);
        });
  }
};

} // namespace
} // namespace kiln::dispatch
