//===- GraphControlFlowOps.cpp - If, Loop, Scan ---------------------------===//
//
// Shape inference of the control-flow ops reads the types their regions
// yield. Regions are inferred before their op (the importer and
// graph-infer-shapes both work inside out).
//
//===----------------------------------------------------------------------===//

#include "dialects/Graph/IR/GraphOps.h"
#include "dialects/Graph/IR/GraphUtils.h"

using namespace mlir;
using namespace kiln::graph;

#define GET_OP_CLASSES
#include "dialects/Graph/IR/GraphControlFlowOps.cpp.inc"

namespace kiln::graph {

/// The terminator of a single-block region, or null.
static YieldOp getYield(Region &region) {
  if (region.empty())
    return nullptr;
  return dyn_cast<YieldOp>(region.front().getTerminator());
}

/// The most precise type both `a` and `b` refine: same element type and
/// rank, dims kept where they agree.
static FailureOr<Type> joinTypes(Operation *op, Type a, Type b,
                                 unsigned index) {
  auto ta = dyn_cast<RankedTensorType>(a);
  auto tb = dyn_cast<RankedTensorType>(b);
  if (!ta || !tb || ta.getElementType() != tb.getElementType() ||
      ta.getRank() != tb.getRank())
    return op->emitOpError("output #")
           << index << " has types " << a << " and " << b
           << " in the two paths, which do not agree in element type and rank";
  SmallVector<int64_t> shape;
  for (auto [x, y] : llvm::zip(ta.getShape(), tb.getShape()))
    shape.push_back(x == y ? x : ShapedType::kDynamic);
  return Type(RankedTensorType::get(shape, ta.getElementType()));
}

/// Checks that a scalar-like operand holds one element.
static LogicalResult checkScalar(Operation *op, Value v, StringRef what) {
  auto type = dyn_cast<RankedTensorType>(v.getType());
  if (!type)
    return success();
  if (type.hasStaticShape() && type.getNumElements() != 1)
    return op->emitOpError() << what << " must hold one element, got "
                             << type;
  return success();
}

//===----------------------------------------------------------------------===//
// YieldOp
//===----------------------------------------------------------------------===//

LogicalResult YieldOp::inferResultTypes(SmallVectorImpl<Type> &) {
  return success();
}

//===----------------------------------------------------------------------===//
// IfOp
//===----------------------------------------------------------------------===//

LogicalResult IfOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  if (failed(checkScalar(*this, getCond(), "cond")))
    return failure();
  YieldOp thenYield = getYield(getThenBranch());
  YieldOp elseYield = getYield(getElseBranch());
  if (!thenYield || !elseYield)
    return emitOpError("both branches must end with graph.yield");
  if (thenYield.getValues().size() != getNumResults() ||
      elseYield.getValues().size() != getNumResults())
    return emitOpError("has ")
           << getNumResults() << " results, but the branches yield "
           << thenYield.getValues().size() << " and "
           << elseYield.getValues().size() << " values";
  for (auto [i, a, b] : llvm::enumerate(thenYield.getValues().getTypes(),
                                        elseYield.getValues().getTypes())) {
    FailureOr<Type> joined = joinTypes(*this, a, b, i);
    if (failed(joined))
      return failure();
    inferred.push_back(*joined);
  }
  return success();
}

//===----------------------------------------------------------------------===//
// LoopOp
//===----------------------------------------------------------------------===//

LogicalResult LoopOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  if (failed(checkScalar(*this, getM(), "trip count M")) ||
      failed(checkScalar(*this, getCond(), "cond")))
    return failure();
  Block &body = getBody().front();
  size_t numCarried = getVInitial().size();
  if (body.getNumArguments() != numCarried + 2)
    return emitOpError("body takes ")
           << body.getNumArguments() << " arguments; expected "
           << numCarried + 2
           << " (iteration number, condition, loop-carried values)";
  YieldOp yield = getYield(getBody());
  if (!yield)
    return emitOpError("body must end with graph.yield");
  size_t numYielded = yield.getValues().size();
  if (numYielded < numCarried + 1)
    return emitOpError("body yields ")
           << numYielded << " values; expected at least " << numCarried + 1;
  size_t numScan = numYielded - 1 - numCarried;
  if (getNumResults() != numCarried + numScan)
    return emitOpError("has ")
           << getNumResults() << " results; the body gives " << numCarried
           << " loop-carried values and " << numScan << " scan outputs";
  // Trip count: static when M is a constant and there is no early exit.
  int64_t trips = ShapedType::kDynamic;
  std::optional<SmallVector<int64_t>> m = getConstantInts(getM());
  if (m && m->size() == 1 && isNone(getCond()) && (*m)[0] >= 0)
    trips = (*m)[0];
  for (size_t i = 0; i < numCarried; ++i) {
    FailureOr<Type> joined =
        joinTypes(*this, getVInitial()[i].getType(),
                  yield.getValues()[1 + i].getType(), unsigned(i));
    if (failed(joined))
      return failure();
    inferred.push_back(*joined);
  }
  for (size_t k = 0; k < numScan; ++k) {
    auto slice =
        dyn_cast<RankedTensorType>(yield.getValues()[1 + numCarried + k].getType());
    if (!slice)
      return emitOpError("scan output #") << k << " is not a ranked tensor";
    SmallVector<int64_t> shape = {trips};
    llvm::append_range(shape, slice.getShape());
    inferred.push_back(RankedTensorType::get(shape, slice.getElementType()));
  }
  return success();
}

//===----------------------------------------------------------------------===//
// ScanOp
//===----------------------------------------------------------------------===//

/// Attribute `attr` with `count` entries, or `count` copies of `fill`.
static FailureOr<SmallVector<int64_t>>
getPerInput(ScanOp op, std::optional<ArrayRef<int64_t>> attr, int64_t count,
            int64_t fill, StringRef name) {
  if (!attr)
    return SmallVector<int64_t>(count, fill);
  if (int64_t(attr->size()) != count)
    return op.emitOpError() << name << " has " << attr->size()
                            << " entries; expected " << count;
  return SmallVector<int64_t>(attr->begin(), attr->end());
}

LogicalResult ScanOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  int64_t numInputs = getInitialStateAndScanInputs().size();
  int64_t numScanInputs = getNumScanInputs();
  if (numScanInputs < 1 || numScanInputs > numInputs)
    return emitOpError("num_scan_inputs ")
           << numScanInputs << " must be in [1, " << numInputs << "]";
  int64_t numStates = numInputs - numScanInputs;
  YieldOp yield = getYield(getBody());
  if (!yield)
    return emitOpError("body must end with graph.yield");
  Block &body = getBody().front();
  if (int64_t(body.getNumArguments()) != numInputs)
    return emitOpError("body takes ")
           << body.getNumArguments() << " arguments; expected " << numInputs;
  int64_t numYielded = yield.getValues().size();
  if (numYielded < numStates)
    return emitOpError("body yields ")
           << numYielded << " values; expected at least " << numStates;
  int64_t numScanOutputs = numYielded - numStates;
  if (int64_t(getNumResults()) != numYielded)
    return emitOpError("has ") << getNumResults() << " results; the body "
                               << "yields " << numYielded;
  FailureOr<SmallVector<int64_t>> inAxes = getPerInput(
      *this, getScanInputAxes(), numScanInputs, 0, "scan_input_axes");
  FailureOr<SmallVector<int64_t>> outAxes = getPerInput(
      *this, getScanOutputAxes(), numScanOutputs, 0, "scan_output_axes");
  if (failed(inAxes) || failed(outAxes) ||
      failed(getPerInput(*this, getScanInputDirections(), numScanInputs, 0,
                         "scan_input_directions")) ||
      failed(getPerInput(*this, getScanOutputDirections(), numScanOutputs, 0,
                         "scan_output_directions")))
    return failure();
  // The number of iterations: the scan axis length of the scan inputs.
  int64_t length = ShapedType::kDynamic;
  for (int64_t j = 0; j < numScanInputs; ++j) {
    auto type = cast<RankedTensorType>(
        getInitialStateAndScanInputs()[numStates + j].getType());
    FailureOr<int64_t> axis =
        normalizeAxis(*this, (*inAxes)[j], type.getRank(), "scan input axis");
    if (failed(axis))
      return failure();
    int64_t d = type.getDimSize(*axis);
    if (!ShapedType::isDynamic(d)) {
      if (!ShapedType::isDynamic(length) && length != d)
        return emitOpError("scan inputs have different lengths ")
               << length << " and " << d;
      length = d;
    }
  }
  for (int64_t i = 0; i < numStates; ++i) {
    FailureOr<Type> joined = joinTypes(
        *this, getInitialStateAndScanInputs()[i].getType(),
        yield.getValues()[i].getType(), unsigned(i));
    if (failed(joined))
      return failure();
    inferred.push_back(*joined);
  }
  for (int64_t k = 0; k < numScanOutputs; ++k) {
    auto slice =
        dyn_cast<RankedTensorType>(yield.getValues()[numStates + k].getType());
    if (!slice)
      return emitOpError("scan output #") << k << " is not a ranked tensor";
    FailureOr<int64_t> axis = normalizeAxis(*this, (*outAxes)[k],
                                            slice.getRank() + 1,
                                            "scan output axis");
    if (failed(axis))
      return failure();
    SmallVector<int64_t> shape(slice.getShape());
    shape.insert(shape.begin() + *axis, length);
    inferred.push_back(RankedTensorType::get(shape, slice.getElementType()));
  }
  return success();
}

} // namespace kiln::graph
