//===- WinogradConv.cpp - 3x3 convolutions as Winograd F(2x2, 3x3) --------===//
//
// A 3x3 convolution with unit strides computes each 2x2 block of output
// pixels from a 4x4 block of input with 36 multiplications per filter and
// channel. Winograd's minimal filtering F(2x2, 3x3) computes the same
// block with 16: the input block and the filter are transformed into a
// 4x4 domain where the convolution is an elementwise product, summed over
// the channels, and transformed back. Over a whole image the 16 products
// are 16 matrix products (tiles x channels times channels x filters): 2.25
// times fewer multiply-adds than the direct convolution, for the price of
// the two transforms (additions only). Rounding differs from the direct
// sum's: resnet18's outputs are as close to torch's as before (largest
// error 6.2e-6 against 7.2e-6 direct).
//
// The convolution becomes three structured ops, which dispatch formation
// keeps in one kernel with the convolution's epilogue:
//
//   V[c, p, th, tw] = sum_ij B[p, i, j] * x_padded[0, c, 2 th + i, 2 tw + j]
//   M[p, th, tw, k] = sum_c V[c, p, th, tw] * U[p, k / P, c, k % P]
//   Y[0, k, y, x]  += sum_p A[p, y % 2, x % 2] * M[p, y / 2, x / 2, k]
//
// with p = 4 r + s the position in the 4x4 domain, B[p, i, j] =
// Bt[r, i] Bt[s, j], A[p, i, j] = At[i, r] At[j, s], and U the filters
// transformed at compile time (G g G^T per filter and channel) and packed
// in panels of P filters. An odd output height or width takes blocks half
// outside it, over one more row or column of padding. Each op carries
// `kiln.winograd = "input" | "product" | "output"`, which tells the CPU
// code generator that its coefficients are these transforms' (it then
// computes the transforms with additions instead of reading them).
//
//===----------------------------------------------------------------------===//

#include "compiler/Codegen/Winograd.h"
#include "dialects/Dispatch/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"

namespace kiln::dispatch {
#define GEN_PASS_DEF_DISPATCHWINOGRADCONVPASS
#include "dialects/Dispatch/Transforms/Passes.h.inc"
} // namespace kiln::dispatch

using namespace mlir;

namespace kiln::dispatch {
namespace {

/// The input transform B^T (rows r, columns i) of F(2x2, 3x3).
constexpr float kBt[4][4] = {
    {1, 0, -1, 0}, {0, 1, 1, 0}, {0, -1, 1, 0}, {0, 1, 0, -1}};
/// The filter transform G (rows r, columns kh).
constexpr float kG[4][3] = {
    {1, 0, 0}, {0.5f, 0.5f, 0.5f}, {0.5f, -0.5f, 0.5f}, {0, 0, 1}};
/// The output transform A^T (rows i, columns r).
constexpr float kAt[2][4] = {{1, 1, 1, 0}, {0, 1, -1, -1}};

/// The shortest reduction over the channels worth the transforms.
constexpr int64_t kMinChannels = 16;

/// The convolution's input before its padding, where `conv` is a 3x3
/// convolution with unit strides and dilations over one image of f32,
/// padded by one pixel of zeros on each side (a tensor.pad of its
/// input), with constant weights, `panel`-multiple filters and at least
/// kMinChannels channels.
tensor::PadOp matchWinogradConv(linalg::Conv2DNchwFchwOp conv, int64_t panel,
                                DenseElementsAttr &weights) {
  if (!conv.hasPureTensorSemantics())
    return nullptr;
  auto pad = conv.getInputs()[0].getDefiningOp<tensor::PadOp>();
  auto input = dyn_cast<RankedTensorType>(conv.getInputs()[0].getType());
  auto filter = dyn_cast<RankedTensorType>(conv.getInputs()[1].getType());
  auto output = dyn_cast<RankedTensorType>(conv.getOutputs()[0].getType());
  if (!pad || !input || !filter || !output || !input.hasStaticShape() ||
      !filter.hasStaticShape() || !output.hasStaticShape())
    return nullptr;
  if (!input.getElementType().isF32() || !filter.getElementType().isF32() ||
      !output.getElementType().isF32())
    return nullptr;
  if (!llvm::all_of(conv.getStrides().getValues<int64_t>(),
                    [](int64_t s) { return s == 1; }) ||
      !llvm::all_of(conv.getDilations().getValues<int64_t>(),
                    [](int64_t d) { return d == 1; }))
    return nullptr;
  ArrayRef<int64_t> f = filter.getShape(), out = output.getShape();
  if (out[0] != 1 || f[2] != 3 || f[3] != 3 || f[0] % panel != 0 ||
      f[1] < kMinChannels)
    return nullptr;
  // Padding: one zero on each side of the rows and columns, none else.
  if (pad.getStaticLow() != ArrayRef<int64_t>{0, 0, 1, 1} ||
      pad.getStaticHigh() != ArrayRef<int64_t>{0, 0, 1, 1})
    return nullptr;
  Value padValue = pad.getConstantPaddingValue();
  if (!padValue || !matchPattern(padValue, m_AnyZeroFloat()))
    return nullptr;
  if (!matchPattern(conv.getInputs()[1], m_Constant(&weights)))
    return nullptr;
  return pad;
}

/// The filters transformed into the 4x4 domain and packed in panels of
/// `panel` filters: `U[p, k / P, c, k % P] = (G g G^T)[r, s]` for `g =
/// weights[k, c]` and `p = 4 r + s`.
DenseElementsAttr transformWeights(DenseElementsAttr weights, int64_t panel) {
  ArrayRef<int64_t> shape = weights.getType().getShape();
  int64_t filters = shape[0], channels = shape[1];
  auto type = RankedTensorType::get(
      {16, filters / panel, channels, panel}, weights.getElementType());
  std::vector<float> g(weights.getValues<float>().begin(),
                       weights.getValues<float>().end());
  std::vector<float> u(16 * filters * channels);
  for (int64_t k = 0; k < filters; ++k) {
    for (int64_t c = 0; c < channels; ++c) {
      const float *w = &g[(k * channels + c) * 9];
      // G g (4x3), then (G g) G^T (4x4), in double.
      double gg[4][3];
      for (int r = 0; r < 4; ++r)
        for (int col = 0; col < 3; ++col) {
          gg[r][col] = 0;
          for (int kh = 0; kh < 3; ++kh)
            gg[r][col] += double(kG[r][kh]) * w[kh * 3 + col];
        }
      for (int r = 0; r < 4; ++r)
        for (int s = 0; s < 4; ++s) {
          double v = 0;
          for (int kw = 0; kw < 3; ++kw)
            v += gg[r][kw] * double(kG[s][kw]);
          int64_t p = 4 * r + s;
          u[((p * (filters / panel) + k / panel) * channels + c) * panel +
            k % panel] = static_cast<float>(v);
        }
    }
  }
  return DenseElementsAttr::get(type, ArrayRef<float>(u));
}

/// A constant [16, a, b] holding `coefficient(p, i, j)`.
Value coefficients(OpBuilder &b, Location loc, int64_t rows, int64_t cols,
                   llvm::function_ref<float(int, int, int)> coefficient) {
  std::vector<float> values;
  for (int p = 0; p < 16; ++p)
    for (int i = 0; i < rows; ++i)
      for (int j = 0; j < cols; ++j)
        values.push_back(coefficient(p, i, j));
  auto type = RankedTensorType::get({16, rows, cols}, b.getF32Type());
  return arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(type, ArrayRef<float>(values)));
}

/// A zero-filled tensor of `shape`.
Value zeros(OpBuilder &b, Location loc, ArrayRef<int64_t> shape) {
  Value empty = tensor::EmptyOp::create(b, loc, shape, b.getF32Type());
  Value zero = arith::ConstantOp::create(b, loc, b.getF32FloatAttr(0));
  return linalg::FillOp::create(b, loc, zero, empty).getResult(0);
}

/// A linalg.generic multiply-accumulate (`out += in0 * in1`) with the
/// given maps and iterators, tagged `kind`.
Value multiplyAccumulate(OpBuilder &b, Location loc, ValueRange inputs,
                         Value init, ArrayRef<AffineMap> maps,
                         ArrayRef<utils::IteratorType> iterators,
                         StringRef kind) {
  auto generic = linalg::GenericOp::create(
      b, loc, init.getType(), inputs, init, maps, iterators,
      [](OpBuilder &nb, Location nloc, ValueRange args) {
        Value product = arith::MulFOp::create(nb, nloc, args[0], args[1]);
        Value sum = arith::AddFOp::create(nb, nloc, args[2], product);
        linalg::YieldOp::create(nb, nloc, sum);
      });
  generic->setAttr(kWinogradAttr, b.getStringAttr(kind));
  return generic.getResult(0);
}

/// Replaces `conv` (matched by matchWinogradConv) by the three ops.
void rewriteConv(RewriterBase &rewriter, linalg::Conv2DNchwFchwOp conv,
                 DenseElementsAttr weights, int64_t panel) {
  MLIRContext *ctx = rewriter.getContext();
  Location loc = conv.getLoc();
  rewriter.setInsertionPoint(conv);
  auto output = cast<RankedTensorType>(conv.getOutputs()[0].getType());
  int64_t channels = weights.getType().getDimSize(1);
  int64_t filters = output.getDimSize(1);
  int64_t th = (output.getDimSize(2) + 1) / 2,
          tw = (output.getDimSize(3) + 1) / 2;
  auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
  auto zero = getAffineConstantExpr(0, ctx);
  using utils::IteratorType;
  IteratorType par = IteratorType::parallel, red = IteratorType::reduction;

  // Input: loops c, p, th, tw, i, j.
  Value b = coefficients(rewriter, loc, 4, 4, [](int p, int i, int j) {
    return kBt[p / 4][i] * kBt[p % 4][j];
  });
  // An odd output height or width takes a last row or column of blocks
  // half outside it: the input gets one more zero row or column for it.
  auto pad = conv.getInputs()[0].getDefiningOp<tensor::PadOp>();
  Value padded = pad.getResult();
  int64_t extraRows = 2 * th - output.getDimSize(2),
          extraCols = 2 * tw - output.getDimSize(3);
  if (extraRows || extraCols) {
    SmallVector<OpFoldResult> low = pad.getMixedLowPad();
    SmallVector<OpFoldResult> high = {
        rewriter.getIndexAttr(0), rewriter.getIndexAttr(0),
        rewriter.getIndexAttr(1 + extraRows),
        rewriter.getIndexAttr(1 + extraCols)};
    ArrayRef<int64_t> shape = pad.getResultType().getShape();
    auto type = RankedTensorType::get(
        {shape[0], shape[1], shape[2] + extraRows, shape[3] + extraCols},
        pad.getResultType().getElementType());
    padded = tensor::PadOp::create(rewriter, loc, type, pad.getSource(), low,
                                   high, pad.getConstantPaddingValue());
  }
  Value v = multiplyAccumulate(
      rewriter, loc, {padded, b},
      zeros(rewriter, loc, {channels, 16, th, tw}),
      {AffineMap::get(6, 0, {zero, d(0), d(2) * 2 + d(4), d(3) * 2 + d(5)},
                      ctx),
       AffineMap::get(6, 0, {d(1), d(4), d(5)}, ctx),
       AffineMap::get(6, 0, {d(0), d(1), d(2), d(3)}, ctx)},
      {par, par, par, par, red, red}, kWinogradInput);

  // Product: loops p, th, tw, k, c.
  Value u = arith::ConstantOp::create(rewriter, loc,
                                      transformWeights(weights, panel));
  Value m = multiplyAccumulate(
      rewriter, loc, {v, u}, zeros(rewriter, loc, {16, th, tw, filters}),
      {AffineMap::get(5, 0, {d(4), d(0), d(1), d(2)}, ctx),
       AffineMap::get(5, 0, {d(0), d(3).floorDiv(panel), d(4), d(3) % panel},
                      ctx),
       AffineMap::get(5, 0, {d(0), d(1), d(2), d(3)}, ctx)},
      {par, par, par, par, red}, kWinogradProduct);

  // Output: loops n, k, y, x, p.
  Value a = coefficients(rewriter, loc, 2, 2, [](int p, int i, int j) {
    return kAt[i][p / 4] * kAt[j][p % 4];
  });
  Value y = multiplyAccumulate(
      rewriter, loc, {m, a}, conv.getOutputs()[0],
      {AffineMap::get(5, 0, {d(4), d(2).floorDiv(2), d(3).floorDiv(2), d(1)},
                      ctx),
       AffineMap::get(5, 0, {d(4), d(2) % 2, d(3) % 2}, ctx),
       AffineMap::get(5, 0, {d(0), d(1), d(2), d(3)}, ctx)},
      {par, par, par, par, red}, kWinogradOutput);
  rewriter.replaceOp(conv, y);
}

struct DispatchWinogradConvPass
    : public impl::DispatchWinogradConvPassBase<DispatchWinogradConvPass> {
  using Base::Base;

  void runOnOperation() override {
    if (panel < 1)
      return;
    SmallVector<std::pair<linalg::Conv2DNchwFchwOp, DenseElementsAttr>> convs;
    getOperation().walk([&](linalg::Conv2DNchwFchwOp conv) {
      DenseElementsAttr weights;
      if (matchWinogradConv(conv, panel, weights))
        convs.push_back({conv, weights});
    });
    IRRewriter rewriter(&getContext());
    for (auto [conv, weights] : convs) {
      Value oldWeights = conv.getInputs()[1];
      Operation *pad = conv.getInputs()[0].getDefiningOp();
      rewriteConv(rewriter, conv, weights, panel);
      for (Operation *def : {pad, oldWeights.getDefiningOp()})
        if (def && def->use_empty())
          rewriter.eraseOp(def);
    }
  }
};

} // namespace
} // namespace kiln::dispatch
