//===- ControlFlowToLinalg.cpp - If, Loop and Scan to scf -----------------===//
//
// ONNX control flow becomes scf on tensors: If an scf.if, Loop an
// scf.while whose scan outputs fill preallocated tensors, Scan an scf.for
// over the scan axis. Their bodies lower with everything else; the op and
// its body form one dispatch that runs as a single workgroup.
//
//===----------------------------------------------------------------------===//

#include "compiler/Conversion/GraphToLinalg/GraphToLinalg.h"
#include "compiler/Conversion/GraphToLinalg/LoweringUtils.h"

#include "dialects/Graph/IR/GraphOps.h"
#include "dialects/Graph/IR/GraphUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;

namespace kiln {
namespace {

/// The single element of a one-element tensor as a scalar.
Value extractScalar(OpBuilder &b, Location loc, Value tensor) {
  auto type = cast<RankedTensorType>(tensor.getType());
  SmallVector<Value> zeros(type.getRank(),
                           arith::ConstantIndexOp::create(b, loc, 0));
  return tensor::ExtractOp::create(b, loc, tensor, zeros);
}

/// A rank-0 tensor holding `scalar`.
Value toRank0(OpBuilder &b, Location loc, Value scalar) {
  auto type = RankedTensorType::get({}, scalar.getType());
  return tensor::FromElementsOp::create(b, loc, type, scalar);
}

/// Converts the result types of `op`, failing unless they are static.
FailureOr<SmallVector<Type>> convertResults(const TypeConverter &converter,
                                            ConversionPatternRewriter &rewriter,
                                            Operation *op) {
  SmallVector<Type> types;
  if (failed(converter.convertTypes(op->getResultTypes(), types)))
    return failure();
  for (Type t : types)
    if (!cast<ShapedType>(t).hasStaticShape())
      return rewriter.notifyMatchFailure(op, "needs static result shapes");
  return types;
}

/// graph.yield inside scf.if or scf.for becomes scf.yield.
struct YieldLowering : OpConversionPattern<graph::YieldOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::YieldOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!isa<scf::IfOp>(op->getParentOp()))
      return rewriter.notifyMatchFailure(op, "handled by its parent");
    rewriter.replaceOpWithNewOp<scf::YieldOp>(op, adaptor.getValues());
    return success();
  }
};

struct IfLowering : OpConversionPattern<graph::IfOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::IfOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FailureOr<SmallVector<Type>> types =
        convertResults(*getTypeConverter(), rewriter, op);
    if (failed(types))
      return failure();
    Location loc = op.getLoc();
    Value cond = extractScalar(rewriter, loc, adaptor.getCond());
    auto ifOp = scf::IfOp::create(rewriter, loc, *types, cond,
                                  /*addThenBlock=*/false,
                                  /*addElseBlock=*/false);
    rewriter.inlineRegionBefore(op.getThenBranch(), ifOp.getThenRegion(),
                                ifOp.getThenRegion().end());
    rewriter.inlineRegionBefore(op.getElseBranch(), ifOp.getElseRegion(),
                                ifOp.getElseRegion().end());
    rewriter.replaceOp(op, ifOp.getResults());
    return success();
  }
};

/// Loop: while (i < M && cond) { body }, scan outputs stored at row i.
struct LoopLowering : OpConversionPattern<graph::LoopOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::LoopOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FailureOr<SmallVector<Type>> types =
        convertResults(*getTypeConverter(), rewriter, op);
    if (failed(types))
      return failure();
    Location loc = op.getLoc();
    size_t numCarried = op.getVInitial().size();
    size_t numScan = types->size() - numCarried;
    Type i64 = rewriter.getI64Type();
    Type i1 = rewriter.getI1Type();

    Value limit = graph::isNone(op.getM())
                      ? Value()
                      : extractScalar(rewriter, loc, adaptor.getM());
    Value cond0 = graph::isNone(op.getCond())
                      ? createScalarConstant(rewriter, loc, i1, 1)
                      : extractScalar(rewriter, loc, adaptor.getCond());
    SmallVector<Value> inits = {createScalarConstant(rewriter, loc, i64, 0),
                                cond0};
    llvm::append_range(inits, adaptor.getVInitial());
    for (size_t k = 0; k < numScan; ++k)
      inits.push_back(createEmptyTensor(
          rewriter, loc, cast<RankedTensorType>((*types)[numCarried + k])));
    SmallVector<Type> stateTypes;
    for (Value v : inits)
      stateTypes.push_back(v.getType());

    auto loop = scf::WhileOp::create(rewriter, loc, stateTypes, inits);
    // Before: keep going while the condition holds and i < M.
    {
      Block *before = rewriter.createBlock(
          &loop.getBefore(), {}, stateTypes,
          SmallVector<Location>(stateTypes.size(), loc));
      Value go = before->getArgument(1);
      if (limit) {
        Value inRange = arith::CmpIOp::create(
            rewriter, loc, arith::CmpIPredicate::slt, before->getArgument(0),
            limit);
        go = arith::AndIOp::create(rewriter, loc, go, inRange);
      }
      scf::ConditionOp::create(rewriter, loc, go, before->getArguments());
    }
    // After: the body, then the scan rows and the next state.
    Block *after = rewriter.createBlock(
        &loop.getAfter(), {}, stateTypes,
        SmallVector<Location>(stateTypes.size(), loc));
    Value iter = after->getArgument(0);
    SmallVector<Value> bodyArgs = {toRank0(rewriter, loc, iter),
                                   toRank0(rewriter, loc, after->getArgument(1))};
    for (size_t j = 0; j < numCarried; ++j)
      bodyArgs.push_back(after->getArgument(2 + j));
    Block &body = op.getBody().front();
    if (failed(rewriter.convertRegionTypes(&op.getBody(), *getTypeConverter())))
      return failure();
    auto yield = cast<graph::YieldOp>(body.getTerminator());
    SmallVector<Value> yielded(yield.getValues());
    rewriter.inlineBlockBefore(&body, after, after->end(), bodyArgs);
    rewriter.setInsertionPointToEnd(after);
    SmallVector<Value> next = {
        arith::AddIOp::create(rewriter, loc, iter,
                              createScalarConstant(rewriter, loc, i64, 1)),
        extractScalar(rewriter, loc, yielded[0])};
    for (size_t j = 0; j < numCarried; ++j)
      next.push_back(yielded[1 + j]);
    Value row = arith::IndexCastOp::create(rewriter, loc,
                                           rewriter.getIndexType(), iter);
    for (size_t k = 0; k < numScan; ++k) {
      Value buffer = after->getArgument(2 + numCarried + k);
      auto bufferType = cast<RankedTensorType>(buffer.getType());
      int64_t rank = bufferType.getRank();
      SmallVector<OpFoldResult> offsets(rank, rewriter.getIndexAttr(0));
      offsets[0] = row;
      SmallVector<OpFoldResult> sizes;
      sizes.push_back(rewriter.getIndexAttr(1));
      for (int64_t d = 1; d < rank; ++d)
        sizes.push_back(rewriter.getIndexAttr(bufferType.getDimSize(d)));
      SmallVector<OpFoldResult> strides(rank, rewriter.getIndexAttr(1));
      next.push_back(tensor::InsertSliceOp::create(
          rewriter, loc, yielded[1 + numCarried + k], buffer, offsets, sizes,
          strides));
    }
    rewriter.eraseOp(yield);
    scf::YieldOp::create(rewriter, loc, next);
    rewriter.replaceOp(op, loop.getResults().drop_front(2));
    return success();
  }
};

/// Scan: for i in [0, L): slice the scan inputs, run the body, store the
/// scan output slices.
struct ScanLowering : OpConversionPattern<graph::ScanOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::ScanOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FailureOr<SmallVector<Type>> types =
        convertResults(*getTypeConverter(), rewriter, op);
    if (failed(types))
      return failure();
    Location loc = op.getLoc();
    int64_t numStates = op.getNumStates();
    int64_t numScanIn = op.getNumScanInputs();
    int64_t numScanOut = int64_t(types->size()) - numStates;
    ValueRange operands = adaptor.getInitialStateAndScanInputs();
    auto attrOr = [](std::optional<ArrayRef<int64_t>> a, int64_t i) {
      return a && i < int64_t(a->size()) ? (*a)[i] : 0;
    };
    // The number of iterations.
    auto firstScan = cast<RankedTensorType>(operands[numStates].getType());
    int64_t inAxis0 = attrOr(op.getScanInputAxes(), 0);
    if (inAxis0 < 0)
      inAxis0 += firstScan.getRank();
    int64_t length = firstScan.getDimSize(inAxis0);
    if (ShapedType::isDynamic(length))
      return rewriter.notifyMatchFailure(op, "needs a static scan length");

    SmallVector<Value> inits(operands.take_front(numStates));
    for (int64_t k = 0; k < numScanOut; ++k)
      inits.push_back(createEmptyTensor(
          rewriter, loc, cast<RankedTensorType>((*types)[numStates + k])));
    Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
    Value upper = arith::ConstantIndexOp::create(rewriter, loc, length);
    Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
    auto loop = scf::ForOp::create(rewriter, loc, zero, upper, one, inits);
    Block *loopBody = loop.getBody();
    rewriter.setInsertionPointToStart(loopBody);
    Value iv = loop.getInductionVar();
    Value last = arith::ConstantIndexOp::create(rewriter, loc, length - 1);
    Value reversed = arith::SubIOp::create(rewriter, loc, last, iv);

    // Slices of the scan inputs, the scan axis dropped.
    SmallVector<Value> bodyArgs(loop.getRegionIterArgs().take_front(numStates));
    for (int64_t j = 0; j < numScanIn; ++j) {
      Value input = operands[numStates + j];
      auto type = cast<RankedTensorType>(input.getType());
      int64_t axis = attrOr(op.getScanInputAxes(), j);
      if (axis < 0)
        axis += type.getRank();
      Value index = attrOr(op.getScanInputDirections(), j) ? reversed : iv;
      SmallVector<OpFoldResult> offsets(type.getRank(),
                                        rewriter.getIndexAttr(0));
      offsets[axis] = index;
      SmallVector<OpFoldResult> sizes;
      SmallVector<int64_t> sliceShape;
      for (int64_t d = 0; d < type.getRank(); ++d) {
        sizes.push_back(rewriter.getIndexAttr(d == axis ? 1
                                                        : type.getDimSize(d)));
        if (d != axis)
          sliceShape.push_back(type.getDimSize(d));
      }
      SmallVector<OpFoldResult> strides(type.getRank(),
                                        rewriter.getIndexAttr(1));
      auto sliceType = RankedTensorType::get(sliceShape, type.getElementType());
      bodyArgs.push_back(tensor::ExtractSliceOp::create(
          rewriter, loc, sliceType, input, offsets, sizes, strides));
    }
    Block &body = op.getBody().front();
    if (failed(rewriter.convertRegionTypes(&op.getBody(), *getTypeConverter())))
      return failure();
    auto yield = cast<graph::YieldOp>(body.getTerminator());
    SmallVector<Value> yielded(yield.getValues());
    rewriter.inlineBlockBefore(&body, loopBody, loopBody->end(), bodyArgs);
    rewriter.setInsertionPointToEnd(loopBody);
    SmallVector<Value> next(yielded.begin(), yielded.begin() + numStates);
    for (int64_t k = 0; k < numScanOut; ++k) {
      Value buffer = loop.getRegionIterArgs()[numStates + k];
      auto bufferType = cast<RankedTensorType>(buffer.getType());
      int64_t axis = attrOr(op.getScanOutputAxes(), k);
      if (axis < 0)
        axis += bufferType.getRank();
      Value index = attrOr(op.getScanOutputDirections(), k) ? reversed : iv;
      SmallVector<OpFoldResult> offsets(bufferType.getRank(),
                                        rewriter.getIndexAttr(0));
      offsets[axis] = index;
      SmallVector<OpFoldResult> sizes;
      for (int64_t d = 0; d < bufferType.getRank(); ++d)
        sizes.push_back(rewriter.getIndexAttr(
            d == axis ? 1 : bufferType.getDimSize(d)));
      SmallVector<OpFoldResult> strides(bufferType.getRank(),
                                        rewriter.getIndexAttr(1));
      next.push_back(tensor::InsertSliceOp::create(
          rewriter, loc, yielded[numStates + k], buffer, offsets, sizes,
          strides));
    }
    rewriter.eraseOp(yield);
    scf::YieldOp::create(rewriter, loc, next);
    rewriter.replaceOp(op, loop.getResults());
    return success();
  }
};

} // namespace

void populateGraphControlFlowToLinalgPatterns(const TypeConverter &converter,
                                              RewritePatternSet &patterns) {
  patterns.add<YieldLowering, IfLowering, LoopLowering, ScanLowering>(
      converter, patterns.getContext());
}

} // namespace kiln
