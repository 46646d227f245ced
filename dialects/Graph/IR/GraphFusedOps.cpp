//===- GraphFusedOps.cpp - Ops Kiln recognizes in graphs ------------------===//

#include "dialects/Graph/IR/GraphOps.h"
#include "dialects/Graph/IR/GraphUtils.h"

using namespace mlir;
using namespace kiln::graph;

#define GET_OP_CLASSES
#include "dialects/Graph/IR/GraphFusedOps.cpp.inc"

namespace kiln::graph {

LogicalResult GeluOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  StringRef mode = getApproximate();
  if (mode != "none" && mode != "tanh")
    return emitOpError("approximate must be \"none\" or \"tanh\", got \"")
           << mode << "\"";
  inferred.push_back(getX().getType());
  return success();
}

//===----------------------------------------------------------------------===//
// AttentionOp
//===----------------------------------------------------------------------===//

namespace {

/// `shape` transposed by `perm` (ONNX Transpose: result dim i is input dim
/// perm[i]); the identity when `perm` is absent. Fails on a permutation of
/// the wrong rank or with repeats.
FailureOr<SmallVector<int64_t>>
permuteShape(Operation *op, StringRef what, ArrayRef<int64_t> shape,
             std::optional<ArrayRef<int64_t>> perm) {
  if (!perm)
    return llvm::to_vector(shape);
  int64_t rank = shape.size();
  if (int64_t(perm->size()) != rank)
    return op->emitOpError(what) << " has " << perm->size()
                                 << " entries for rank " << rank;
  SmallVector<bool> seen(rank, false);
  SmallVector<int64_t> out;
  for (int64_t p : *perm) {
    if (p < 0 || p >= rank || seen[p])
      return op->emitOpError(what) << " is not a permutation";
    seen[p] = true;
    out.push_back(shape[p]);
  }
  return out;
}

} // namespace

SmallVector<int64_t> AttentionOp::getLogicalShape(unsigned operand) {
  Value v = getOperation()->getOperand(operand);
  std::optional<ArrayRef<int64_t>> perm =
      operand == 0 ? getQPerm() : operand == 1 ? getKPerm() : getVPerm();
  ArrayRef<int64_t> shape = cast<RankedTensorType>(v.getType()).getShape();
  if (!perm)
    return llvm::to_vector(shape);
  SmallVector<int64_t> out;
  for (int64_t p : *perm)
    out.push_back(shape[p]);
  return out;
}

LogicalResult AttentionOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  auto qType = cast<RankedTensorType>(getQ().getType());
  FailureOr<SmallVector<int64_t>> q =
      permuteShape(*this, "q_perm", qType.getShape(), getQPerm());
  FailureOr<SmallVector<int64_t>> k = permuteShape(
      *this, "k_perm", getK().getType().getShape(), getKPerm());
  FailureOr<SmallVector<int64_t>> v = permuteShape(
      *this, "v_perm", getV().getType().getShape(), getVPerm());
  if (failed(q) || failed(k) || failed(v))
    return failure();
  int64_t rank = q->size();
  if (rank < 2 || int64_t(k->size()) != rank || int64_t(v->size()) != rank)
    return emitOpError("Q, K and V must have one rank of at least 2");
  if (getK().getType().getElementType() != qType.getElementType() ||
      getV().getType().getElementType() != qType.getElementType())
    return emitOpError("Q, K and V must have one element type");
  ArrayRef<int64_t> batch = ArrayRef<int64_t>(*q).drop_back(2);
  if (batch != ArrayRef<int64_t>(*k).drop_back(2) ||
      batch != ArrayRef<int64_t>(*v).drop_back(2))
    return emitOpError("Q, K and V must have the same batch dimensions");
  int64_t lq = (*q)[rank - 2], d = (*q)[rank - 1];
  int64_t lk = (*k)[rank - 1], dv = (*v)[rank - 1];
  if ((*k)[rank - 2] != d || (*v)[rank - 2] != lk)
    return emitOpError("Q' is ") << lq << "x" << d << ", K' " << (*k)[rank - 2]
                                 << "x" << lk << " and V' " << (*v)[rank - 2]
                                 << "x" << dv
                                 << ": K' must be DxLk and V' LkxDv";
  SmallVector<int64_t> scores(batch);
  scores.append({lq, lk});
  if (!isNone(getBias())) {
    auto biasType = cast<RankedTensorType>(getBias().getType());
    if (biasType.getElementType() != qType.getElementType())
      return emitOpError("bias must have Q's element type");
    if (failed(broadcastOneWay(*this, scores, biasType.getShape(), "bias")))
      return failure();
  }
  if (!isNone(getMask()))
    if (failed(broadcastOneWay(
            *this, scores, cast<RankedTensorType>(getMask().getType()).getShape(),
            "mask")))
      return failure();
  SmallVector<int64_t> out(batch);
  out.append({lq, dv});
  FailureOr<SmallVector<int64_t>> permuted =
      permuteShape(*this, "out_perm", out, getOutPerm());
  if (failed(permuted))
    return failure();
  inferred.push_back(qType.clone(*permuted));
  return success();
}

} // namespace kiln::graph
