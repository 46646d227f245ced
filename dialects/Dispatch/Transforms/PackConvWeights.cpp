//===- PackConvWeights.cpp - Constant convolution weights into panels -----===//
//
// A CPU convolution whose output rows are not whole vectors computes a
// register tile of pixels by a panel of consecutive filters, and wants the
// panel's weights filters innermost. Packed in the kernel, that copy is
// made in every run (a third of the time of resnet18's last convolutions);
// the weights are constants, so it is made here, once. The convolution
// becomes a linalg.generic with the same loops that reads the packed
// constant (compiler/Codegen/PackedWeights.h).
//
//===----------------------------------------------------------------------===//

#include "compiler/Codegen/PackedWeights.h"
#include "dialects/Dispatch/Transforms/PackConstants.h"
#include "dialects/Dispatch/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/BuiltinAttributes.h"

namespace kiln::dispatch {
#define GEN_PASS_DEF_DISPATCHPACKCONVWEIGHTSPASS
#include "dialects/Dispatch/Transforms/Passes.h.inc"
} // namespace kiln::dispatch

using namespace mlir;

namespace kiln::dispatch {
namespace {

/// The shortest reduction (C * KH * KW) worth the kernel's two transposes
/// of the output; the CPU runs shorter ones another way.
constexpr int64_t kMinDepth = 64;

/// Whether `conv` runs along filter panels of `panel` filters, so that its
/// weights are worth packing: f32, one image, whole panels of filters,
/// rows of output pixels that are not a multiple of half a panel or are
/// strided along (unit-stride rows of whole vectors run another way), and a
/// long enough reduction.
bool runsAlongFilters(linalg::Conv2DNchwFchwOp conv, int64_t panel) {
  if (!conv.hasPureTensorSemantics() || panel < 2)
    return false;
  auto input = dyn_cast<RankedTensorType>(conv.getInputs()[0].getType());
  auto weights = dyn_cast<RankedTensorType>(conv.getInputs()[1].getType());
  auto output = dyn_cast<RankedTensorType>(conv.getOutputs()[0].getType());
  if (!input || !weights || !output || !input.hasStaticShape() ||
      !weights.hasStaticShape() || !output.hasStaticShape())
    return false;
  if (!input.getElementType().isF32() || !weights.getElementType().isF32() ||
      !output.getElementType().isF32())
    return false;
  ArrayRef<int64_t> w = weights.getShape();
  return output.getDimSize(0) == 1 && w[0] % panel == 0 &&
         (output.getDimSize(3) % (panel / 2) != 0 ||
          conv.getStrides().getValues<int64_t>()[1] != 1) &&
         w[1] * w[2] * w[3] >= kMinDepth;
}

/// `weights` (F x C x KH x KW) as panels:
/// `packed[p, c, kh, kw, j] = weights[p * panel + j, c, kh, kw]`.
DenseElementsAttr packWeights(DenseElementsAttr weights, int64_t panel) {
  ArrayRef<int64_t> shape = weights.getType().getShape();
  int64_t filters = shape[0], depth = shape[1] * shape[2] * shape[3];
  auto type = RankedTensorType::get(
      {filters / panel, shape[1], shape[2], shape[3], panel},
      weights.getElementType());
  if (weights.isSplat())
    return DenseElementsAttr::get(type, weights.getSplatValue<Attribute>());
  ArrayRef<char> raw = weights.getRawData();
  constexpr size_t kBytes = sizeof(float);
  std::vector<char> packed(raw.size());
  for (int64_t f = 0; f < filters; ++f) {
    int64_t p = f / panel, j = f % panel;
    for (int64_t k = 0; k < depth; ++k)
      std::memcpy(&packed[((p * depth + k) * panel + j) * kBytes],
                  &raw[(f * depth + k) * kBytes], kBytes);
  }
  return DenseElementsAttr::getFromRawBuffer(type, packed);
}

/// The maps of `conv` reading its weights packed in panels of `panel`.
SmallVector<AffineMap> packedConvMaps(linalg::Conv2DNchwFchwOp conv,
                                      int64_t panel) {
  PackedConv shape;
  shape.panel = panel;
  auto strides = conv.getStrides().getValues<int64_t>();
  auto dilations = conv.getDilations().getValues<int64_t>();
  shape.strides = {strides[0], strides[1]};
  shape.dilations = {dilations[0], dilations[1]};
  return getPackedConvMaps(conv.getContext(), shape);
}

struct DispatchPackConvWeightsPass
    : public impl::DispatchPackConvWeightsPassBase<
          DispatchPackConvWeightsPass> {
  using Base::Base;

  void runOnOperation() override {
    if (panel < 2)
      return;
    packConstantOperands<linalg::Conv2DNchwFchwOp>(
        getOperation(), /*operand=*/1,
        [&](linalg::Conv2DNchwFchwOp conv) {
          return runsAlongFilters(conv, panel);
        },
        [&](DenseElementsAttr weights) { return packWeights(weights, panel); },
        [&](linalg::Conv2DNchwFchwOp conv) {
          return packedConvMaps(conv, panel);
        });
  }
};

} // namespace
} // namespace kiln::dispatch
