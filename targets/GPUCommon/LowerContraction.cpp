//===- LowerContraction.cpp - Block-tiled contractions on GPUs ------------===//
//
// The fast path of matmul-like kernels. A workgroup computes a tileM x
// tileN tile of the result; the reduction loop walks k in steps of tileK.
// Each step the block copies the A and B slices it needs from global
// memory into shared memory (coalesced, zero outside the operands), waits,
// and each subgroup multiplies its part of the tile from shared memory
// with the target's matrix instruction, or with scalar multiply-adds that
// give each thread a small grid of outputs. Accumulators stay in registers
// until the end, where the epilogue is applied to each of them on its way
// to the output. The layout of an instruction's fragments comes from the
// target (MmaIntrinsic), so this code is the same for every GPU.
//
//===----------------------------------------------------------------------===//

#include "targets/GPUCommon/Contraction.h"
#include "targets/GPUCommon/Passes.h"

#include "mlir/IR/IRMapping.h"
#include "mlir/IR/PatternMatch.h"

namespace kiln::gpu {
#define GEN_PASS_DEF_GPULOWERCONTRACTIONPASS
#include "targets/GPUCommon/Passes.h.inc"
} // namespace kiln::gpu

using namespace mlir;

namespace kiln::gpu {
namespace {

using Operand = MmaIntrinsic::Operand;

//===----------------------------------------------------------------------===//
// One subgroup step: a matrix instruction, or scalar multiply-adds
//===----------------------------------------------------------------------===//

/// One step of a subgroup over an m x n x k piece of the tile.
class SubgroupStep {
public:
  virtual ~SubgroupStep() = default;
  int64_t m = 0, n = 0, k = 0;
  /// Element types of the A and B fragments and of the accumulators.
  Type aType, bType, accType;
  virtual int64_t getFragmentSize(Operand operand) const = 0;
  virtual std::pair<Value, Value> getCoordinates(OpBuilder &b, Location loc,
                                                 Operand operand, Value lane,
                                                 int64_t index) const = 0;
  virtual Value compute(OpBuilder &b, Location loc, Value a, Value bv,
                        Value c) const = 0;
};

/// A target's matrix instruction.
class IntrinsicStep final : public SubgroupStep {
public:
  IntrinsicStep(const MmaIntrinsic &intrinsic, MLIRContext *context)
      : intrinsic(intrinsic) {
    m = intrinsic.getM();
    n = intrinsic.getN();
    k = intrinsic.getK();
    aType = bType = intrinsic.getInputType(context);
    accType = intrinsic.getAccumulatorType(context);
  }
  int64_t getFragmentSize(Operand operand) const override {
    return intrinsic.getFragmentSize(operand);
  }
  std::pair<Value, Value> getCoordinates(OpBuilder &b, Location loc,
                                         Operand operand, Value lane,
                                         int64_t index) const override {
    return intrinsic.getCoordinates(b, loc, operand, lane, index);
  }
  Value compute(OpBuilder &b, Location loc, Value a, Value bv,
                Value c) const override {
    return intrinsic.buildMma(b, loc, a, bv, c);
  }

private:
  const MmaIntrinsic &intrinsic;
};

/// Scalar multiply-adds: the lanes of a subgroup form a lanesM x lanesN
/// grid, each lane owning a threadM x threadN block of outputs; one step
/// is one k. The multiply-add is the contraction's own body, so every
/// element type and cast works.
class ScalarStep final : public SubgroupStep {
public:
  ScalarStep(linalg::LinalgOp op, int64_t subgroupSize, int64_t threadM,
             int64_t threadN)
      : op(op), threadM(threadM), threadN(threadN) {
    getScalarStepShape(subgroupSize, threadM, threadN, m, n, lanesM, lanesN);
    k = 1;
    aType = getElementTypeOrSelf(op.getDpsInputOperand(0)->get());
    bType = getElementTypeOrSelf(op.getDpsInputOperand(1)->get());
    accType = getElementTypeOrSelf(op.getDpsInitOperand(0)->get());
  }
  int64_t getFragmentSize(Operand operand) const override {
    switch (operand) {
    case Operand::A:
      return threadM;
    case Operand::B:
      return threadN;
    case Operand::C:
      return threadM * threadN;
    }
    llvm_unreachable("unknown operand");
  }
  std::pair<Value, Value> getCoordinates(OpBuilder &b, Location loc,
                                         Operand operand, Value lane,
                                         int64_t index) const override {
    auto constant = [&](int64_t v) -> Value {
      return arith::ConstantIndexOp::create(b, loc, v);
    };
    Value laneRow = arith::DivUIOp::create(b, loc, lane, constant(lanesN));
    Value laneCol = arith::RemUIOp::create(b, loc, lane, constant(lanesN));
    auto row = [&](int64_t i) -> Value {
      Value base = arith::MulIOp::create(b, loc, laneRow, constant(threadM));
      return arith::AddIOp::create(b, loc, base, constant(i));
    };
    auto col = [&](int64_t j) -> Value {
      Value base = arith::MulIOp::create(b, loc, laneCol, constant(threadN));
      return arith::AddIOp::create(b, loc, base, constant(j));
    };
    switch (operand) {
    case Operand::A:
      return {row(index), constant(0)};
    case Operand::B:
      return {constant(0), col(index)};
    case Operand::C:
      return {row(index / threadN), col(index % threadN)};
    }
    llvm_unreachable("unknown operand");
  }
  Value compute(OpBuilder &b, Location loc, Value a, Value bv,
                Value c) const override {
    Block &body = op->getRegion(0).front();
    for (int64_t i = 0; i < threadM; ++i) {
      Value ai = vector::ExtractOp::create(b, loc, a, i);
      for (int64_t j = 0; j < threadN; ++j) {
        Value bj = vector::ExtractOp::create(b, loc, bv, j);
        int64_t index = i * threadN + j;
        Value cij = vector::ExtractOp::create(b, loc, c, index);
        IRMapping mapping;
        mapping.map(body.getArgument(0), ai);
        mapping.map(body.getArgument(1), bj);
        mapping.map(body.getArgument(2), cij);
        // Multiply and add may fuse: an FMA is one rounding closer to the
        // exact sum, which linalg's semantics allow.
        for (Operation &inner : body.without_terminator()) {
          Operation *clone = b.clone(inner, mapping);
          if (auto fastMath = dyn_cast<arith::ArithFastMathInterface>(clone))
            clone->setAttr(fastMath.getFastMathAttrName(),
                           arith::FastMathFlagsAttr::get(
                               b.getContext(),
                               fastMath.getFastMathFlagsAttr().getValue() |
                                   arith::FastMathFlags::contract));
        }
        Value result =
            mapping.lookup(body.getTerminator()->getOperand(0));
        c = vector::InsertOp::create(b, loc, result, c, index);
      }
    }
    return c;
  }

private:
  linalg::LinalgOp op;
  int64_t threadM, threadN, lanesM = 0, lanesN = 0;
};

//===----------------------------------------------------------------------===//
// The kernel's contraction on buffers
//===----------------------------------------------------------------------===//

/// The ops the fast path replaces, found on buffers.
struct ContractionOps {
  linalg::LinalgOp contraction;
  ContractionLoops loops;
  linalg::FillOp fill;
  linalg::GenericOp epilogue;
  OpOperand *epilogueInput = nullptr;
};

FailureOr<ContractionOps> findContractionOps(func::FuncOp func) {
  ContractionOps ops;
  int count = 0;
  func.walk([&](linalg::LinalgOp op) {
    if (!op.hasPureBufferSemantics())
      return;
    if (std::optional<ContractionLoops> loops = matchContraction(op)) {
      ops.contraction = op;
      ops.loops = *loops;
      ++count;
    }
  });
  if (count != 1)
    return failure();
  // Workgroup tiling gave each batch loop one iteration per workgroup.
  SmallVector<int64_t> ranges = ops.contraction.getStaticLoopRanges();
  for (unsigned b : ops.loops.batch)
    if (ranges[b] != 1)
      return failure();
  Value accumulator = ops.contraction.getDpsInitOperand(0)->get();
  Block *block = ops.contraction->getBlock();
  for (Operation *user : accumulator.getUsers()) {
    if (user == ops.contraction.getOperation() || isa<memref::DeallocOp>(user))
      continue;
    if (user->getBlock() != block)
      return failure();
    if (auto fill = dyn_cast<linalg::FillOp>(user)) {
      if (ops.fill || !fill->isBeforeInBlock(ops.contraction))
        return failure();
      ops.fill = fill;
      continue;
    }
    auto generic = dyn_cast<linalg::GenericOp>(user);
    if (!generic || ops.epilogue ||
        !ops.contraction->isBeforeInBlock(generic))
      return failure();
    for (OpOperand *input : generic.getDpsInputOperands())
      if (input->get() == accumulator && isEpilogueOf(generic, *input))
        ops.epilogueInput = input;
    // An epilogue that updates the result in place (its destination is
    // the accumulator) reads each element before writing it.
    OpOperand *destination = generic.getDpsInitOperand(0);
    if (!ops.epilogueInput && destination->get() == accumulator &&
        isEpilogueOf(generic, *destination))
      ops.epilogueInput = destination;
    if (!ops.epilogueInput)
      return failure();
    ops.epilogue = generic;
  }
  if (!ops.fill || !matchPattern(ops.fill.value(), m_Constant()))
    return failure();
  // The accumulator must be a temporary when an epilogue reads it into
  // another buffer (nothing else may see the raw products).
  if (ops.epilogue && ops.epilogue.isDpsInput(ops.epilogueInput) &&
      !accumulator.getDefiningOp<memref::AllocOp>())
    return failure();
  return ops;
}

/// `value` converted to `type` (both scalars of the same kind).
Value convertScalar(OpBuilder &b, Location loc, Value value, Type type) {
  Type from = value.getType();
  if (from == type)
    return value;
  if (isa<FloatType>(from) && isa<FloatType>(type))
    return from.getIntOrFloatBitWidth() < type.getIntOrFloatBitWidth()
               ? arith::ExtFOp::create(b, loc, type, value).getResult()
               : arith::TruncFOp::create(b, loc, type, value).getResult();
  if (isa<IntegerType>(from) && isa<IntegerType>(type))
    return from.getIntOrFloatBitWidth() < type.getIntOrFloatBitWidth()
               ? arith::ExtSIOp::create(b, loc, type, value).getResult()
               : arith::TruncIOp::create(b, loc, type, value).getResult();
  llvm_unreachable("accumulator and result types of different kinds");
}

/// The position among `map`'s results of loop `dim`.
unsigned getResultOf(AffineMap map, unsigned dim) {
  std::optional<unsigned> position =
      map.getResultPosition(getAffineDimExpr(dim, map.getContext()));
  assert(position && "loop not indexed by the operand");
  return *position;
}

/// Builds the replacement of one kernel's contraction.
class ContractionBuilder {
public:
  ContractionBuilder(const ContractionOps &ops, const ContractionConfig &config,
                     const SubgroupStep &step, int64_t subgroupSize)
      : ops(ops), config(config), step(step), subgroupSize(subgroupSize),
        op(ops.contraction) {}

  void build(RewriterBase &rewriter);

  int64_t getNumThreads() const {
    return config.getNumSubgroups() * subgroupSize;
  }

private:
  Value constant(OpBuilder &b, int64_t v) {
    return arith::ConstantIndexOp::create(b, loc, v);
  }

  /// Copies a rows x cols slice of operand `input` (A: rows m, cols k; B:
  /// rows k, cols n) starting at k `k0` into `shared`, zero outside it,
  /// in vectors of `width` elements along the operand's contiguous
  /// dimension (1: element by element).
  void copyToShared(OpBuilder &b, Operand operand, Value shared, Value k0,
                    int64_t width);

  /// The vector width for copying `operand` when the runtime condition
  /// `vectorizable` (uniform across the block) holds: the operand's
  /// contiguous dimension is whole vectors, 16-byte aligned; 1 when the
  /// static shape rules vectors out.
  int64_t getCopyWidth(OpBuilder &b, Operand operand, Value &vectorizable);

  /// The fragment of `operand` for the lane, from `shared` at (row0, col0).
  Value loadFragment(OpBuilder &b, Operand operand, Value shared, Value row0,
                     Value col0);

  /// Stores one accumulator value at tile position (row, col), through the
  /// epilogue if there is one.
  void storeResult(OpBuilder &b, Value value, Value row, Value col);

  ContractionOps ops;
  const ContractionConfig &config;
  const SubgroupStep &step;
  int64_t subgroupSize;
  linalg::LinalgOp op;
  Location loc = UnknownLoc::get(op.getContext());

  Value threadId, lane;
  /// Extents of the m, n and k loops in this tile (m and n may be partial).
  Value sizeM, sizeN, sizeK;
};

/// Whether the tile's columns (else its rows) run along the operand's
/// contiguous dimension: its last one that is not a batch loop (batch loops
/// have one iteration here).
static bool colsAreContiguous(AffineMap map, unsigned rowLoop,
                              unsigned colLoop) {
  for (int64_t r = int64_t(map.getNumResults()) - 1; r >= 0; --r) {
    unsigned dim = map.getDimPosition(r);
    if (dim == rowLoop || dim == colLoop)
      return dim == colLoop;
  }
  return true;
}

int64_t ContractionBuilder::getCopyWidth(OpBuilder &b, Operand operand,
                                         Value &vectorizable) {
  OpOperand *input = op.getDpsInputOperand(operand == Operand::A ? 0 : 1);
  AffineMap map = op.getMatchingIndexingMap(input);
  unsigned rowLoop = operand == Operand::A ? ops.loops.m : ops.loops.k;
  unsigned colLoop = operand == Operand::A ? ops.loops.k : ops.loops.n;
  int64_t rows = operand == Operand::A ? config.tileM : config.tileK;
  int64_t cols = operand == Operand::A ? config.tileK : config.tileN;
  bool colsContiguous = colsAreContiguous(map, rowLoop, colLoop);
  Value limit = operand == Operand::A ? (colsContiguous ? sizeK : sizeM)
                                      : (colsContiguous ? sizeN : sizeK);
  Type element = getElementTypeOrSelf(input->get());
  unsigned bits = element.isIntOrFloat() ? element.getIntOrFloatBitWidth() : 0;
  if (bits < 8 || bits % 8 || 128 % bits)
    return 1;
  int64_t width = 128 / bits;
  // The operand's last dimension must be the tile's contiguous one, and the
  // tile a whole number of vectors along it.
  unsigned last = map.getNumResults() - 1;
  unsigned contiguousLoop = colsContiguous ? colLoop : rowLoop;
  int64_t extent = colsContiguous ? cols : rows;
  if (map.getDimPosition(last) != contiguousLoop || extent % width ||
      (rows * cols / width) < 1)
    return 1;

  // At run time: every vector starts 16-byte aligned (offset and strides
  // multiples of the width, unit innermost stride; bindings are aligned)
  // and the dimension's extent is whole vectors, so that a vector is
  // entirely inside or entirely outside the operand.
  auto metadata =
      memref::ExtractStridedMetadataOp::create(b, loc, input->get());
  Value zero = constant(b, 0);
  Value w = constant(b, width);
  auto multiple = [&](Value v) -> Value {
    Value rem = arith::RemUIOp::create(b, loc, v, w);
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, rem, zero);
  };
  Value ok = multiple(metadata.getOffset());
  ValueRange strides = metadata.getStrides();
  for (unsigned d = 0; d + 1 < strides.size(); ++d)
    ok = arith::AndIOp::create(b, loc, ok, multiple(strides[d]));
  ok = arith::AndIOp::create(
      b, loc, ok,
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, strides.back(),
                            constant(b, 1)));
  vectorizable = arith::AndIOp::create(b, loc, ok, multiple(limit));
  return width;
}

void ContractionBuilder::copyToShared(OpBuilder &b, Operand operand,
                                      Value shared, Value k0, int64_t width) {
  OpOperand *input = op.getDpsInputOperand(operand == Operand::A ? 0 : 1);
  AffineMap map = op.getMatchingIndexingMap(input);
  unsigned rowLoop = operand == Operand::A ? ops.loops.m : ops.loops.k;
  unsigned colLoop = operand == Operand::A ? ops.loops.k : ops.loops.n;
  int64_t rows = operand == Operand::A ? config.tileM : config.tileK;
  int64_t cols = operand == Operand::A ? config.tileK : config.tileN;
  Value rowLimit = operand == Operand::A ? sizeM : sizeK;
  Value colLimit = operand == Operand::A ? sizeK : sizeN;
  // Consecutive threads walk the operand's contiguous dimension.
  bool colsContiguous = colsAreContiguous(map, rowLoop, colLoop);
  Type element = getElementTypeOrSelf(input->get());
  auto vectorType = VectorType::get({width}, element);
  Value zero =
      width == 1
          ? arith::ConstantOp::create(b, loc, element, b.getZeroAttr(element))
                .getResult()
          : arith::ConstantOp::create(b, loc, vectorType,
                                      b.getZeroAttr(vectorType))
                .getResult();
  Value c0 = constant(b, 0);
  // Pieces (elements or vectors) of the tile, per row or column.
  int64_t perLine = (colsContiguous ? cols : rows) / width;
  int64_t total = rows * cols / width;
  int64_t threads = getNumThreads();
  for (int64_t first = 0; first < total; first += threads) {
    Value e = arith::AddIOp::create(b, loc, threadId, constant(b, first));
    auto emit = [&](OpBuilder &b) {
      Value line = arith::DivUIOp::create(b, loc, e, constant(b, perLine));
      Value along = arith::MulIOp::create(
          b, loc, arith::RemUIOp::create(b, loc, e, constant(b, perLine)),
          constant(b, width));
      Value row = colsContiguous ? line : along;
      Value col = colsContiguous ? along : line;
      // The position in the operand's tile; k is offset by the step.
      Value rowPos = row, colPos = col;
      if (operand == Operand::A)
        colPos = arith::AddIOp::create(b, loc, col, k0);
      else
        rowPos = arith::AddIOp::create(b, loc, row, k0);
      Value rowIn = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult,
                                          rowPos, rowLimit);
      Value colIn = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult,
                                          colPos, colLimit);
      Value inside = arith::AndIOp::create(b, loc, rowIn, colIn);
      // Out-of-range positions read element 0 and keep zero instead.
      SmallVector<Value> ivs(op.getNumLoops(), c0);
      ivs[rowLoop] = arith::SelectOp::create(b, loc, rowIn, rowPos, c0);
      ivs[colLoop] = arith::SelectOp::create(b, loc, colIn, colPos, c0);
      SmallVector<Value> indices;
      for (unsigned r = 0; r < map.getNumResults(); ++r)
        indices.push_back(ivs[map.getDimPosition(r)]);
      if (width == 1) {
        Value value = memref::LoadOp::create(b, loc, input->get(), indices);
        value = arith::SelectOp::create(b, loc, inside, value, zero);
        memref::StoreOp::create(b, loc, value, shared, ValueRange{row, col});
        return;
      }
      Value value = vector::LoadOp::create(b, loc, vectorType, input->get(),
                                           indices, /*nontemporal=*/false,
                                           llvm::MaybeAlign(16));
      value = arith::SelectOp::create(b, loc, inside, value, zero);
      if (colsContiguous) {
        vector::StoreOp::create(b, loc, value, shared, ValueRange{row, col},
                                /*nontemporal=*/false, llvm::MaybeAlign(16));
        return;
      }
      // Along the shared tile's rows: one element per row.
      for (int64_t i = 0; i < width; ++i) {
        Value item = vector::ExtractOp::create(b, loc, value, i);
        Value r = arith::AddIOp::create(b, loc, row, constant(b, i));
        memref::StoreOp::create(b, loc, item, shared, ValueRange{r, col});
      }
    };
    if (first + threads <= total) {
      emit(b);
      continue;
    }
    Value live = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, e,
                                       constant(b, total));
    auto guard = scf::IfOp::create(b, loc, live, /*withElseRegion=*/false);
    OpBuilder inner = guard.getThenBodyBuilder();
    emit(inner);
  }
}

Value ContractionBuilder::loadFragment(OpBuilder &b, Operand operand,
                                       Value shared, Value row0, Value col0) {
  SmallVector<Value> elements;
  for (int64_t i = 0, e = step.getFragmentSize(operand); i < e; ++i) {
    auto [row, col] = step.getCoordinates(b, loc, operand, lane, i);
    row = arith::AddIOp::create(b, loc, row0, row);
    col = arith::AddIOp::create(b, loc, col0, col);
    elements.push_back(
        memref::LoadOp::create(b, loc, shared, ValueRange{row, col}));
  }
  Type type = operand == Operand::A ? step.aType : step.bType;
  auto vectorType = VectorType::get({int64_t(elements.size())}, type);
  return vector::FromElementsOp::create(b, loc, vectorType, elements);
}

void ContractionBuilder::storeResult(OpBuilder &b, Value value, Value row,
                                     Value col) {
  OpOperand *init = op.getDpsInitOperand(0);
  AffineMap resultMap = op.getMatchingIndexingMap(init);
  value = convertScalar(b, loc, value,
                        getElementTypeOrSelf(init->get().getType()));
  // The result's indices: m and n from the tile, batch loops 0.
  Value c0 = constant(b, 0);
  SmallVector<Value> resultIndices;
  for (unsigned r = 0; r < resultMap.getNumResults(); ++r) {
    unsigned dim = resultMap.getDimPosition(r);
    resultIndices.push_back(dim == ops.loops.m   ? row
                            : dim == ops.loops.n ? col
                                                 : c0);
  }
  if (!ops.epilogue) {
    memref::StoreOp::create(b, loc, value, init->get(), resultIndices);
    return;
  }

  // The epilogue's loops, from the result indices it reads.
  linalg::GenericOp epilogue = ops.epilogue;
  AffineMap readMap = epilogue.getMatchingIndexingMap(ops.epilogueInput);
  SmallVector<Value> ivs(epilogue.getNumLoops(), c0);
  for (unsigned r = 0; r < readMap.getNumResults(); ++r)
    ivs[readMap.getDimPosition(r)] = resultIndices[r];
  auto indicesOf = [&](OpOperand *operand) {
    AffineMap map = epilogue.getMatchingIndexingMap(operand);
    SmallVector<Value> indices;
    for (unsigned r = 0; r < map.getNumResults(); ++r)
      indices.push_back(ivs[map.getDimPosition(r)]);
    return indices;
  };
  Block &body = epilogue.getRegion().front();
  IRMapping mapping;
  for (OpOperand &operand : epilogue->getOpOperands()) {
    BlockArgument arg = body.getArgument(operand.getOperandNumber());
    if (&operand == ops.epilogueInput) {
      mapping.map(arg, value);
      continue;
    }
    if (arg.use_empty())
      continue;
    mapping.map(arg, memref::LoadOp::create(b, loc, operand.get(),
                                            indicesOf(&operand)));
  }
  for (Operation &inner : body.without_terminator()) {
    if (auto index = dyn_cast<linalg::IndexOp>(inner)) {
      mapping.map(index.getResult(), ivs[index.getDim()]);
      continue;
    }
    b.clone(inner, mapping);
  }
  Value result = mapping.lookupOrDefault(body.getTerminator()->getOperand(0));
  OpOperand *output = epilogue.getDpsInitOperand(0);
  memref::StoreOp::create(b, loc, result, output->get(), indicesOf(output));
}

void ContractionBuilder::build(RewriterBase &rewriter) {
  MLIRContext *context = op.getContext();
  loc = op.getLoc();
  // After the epilogue's operands, which may be defined after the
  // contraction.
  rewriter.setInsertionPoint(ops.epilogue ? ops.epilogue.getOperation()
                                          : op.getOperation());
  OpBuilder &b = rewriter;

  threadId = mlir::gpu::ThreadIdOp::create(b, loc, mlir::gpu::Dimension::x);
  lane = arith::RemUIOp::create(b, loc, threadId, constant(b, subgroupSize));
  Value subgroup =
      arith::DivUIOp::create(b, loc, threadId, constant(b, subgroupSize));
  int64_t subgroupsN = config.tileN / config.subgroupN;
  Value subgroupRow = arith::MulIOp::create(
      b, loc, arith::DivUIOp::create(b, loc, subgroup, constant(b, subgroupsN)),
      constant(b, config.subgroupM));
  Value subgroupCol = arith::MulIOp::create(
      b, loc, arith::RemUIOp::create(b, loc, subgroup, constant(b, subgroupsN)),
      constant(b, config.subgroupN));

  // Loop extents from the operands' sizes.
  OpOperand *a = op.getDpsInputOperand(0);
  OpOperand *init = op.getDpsInitOperand(0);
  AffineMap resultMap = op.getMatchingIndexingMap(init);
  sizeM = memref::DimOp::create(b, loc, init->get(),
                                getResultOf(resultMap, ops.loops.m));
  sizeN = memref::DimOp::create(b, loc, init->get(),
                                getResultOf(resultMap, ops.loops.n));
  sizeK = memref::DimOp::create(
      b, loc, a->get(),
      getResultOf(op.getMatchingIndexingMap(a), ops.loops.k));

  // Shared slices of A (m x k) and B (k x n), rows padded against bank
  // conflicts.
  auto workgroup = mlir::gpu::AddressSpaceAttr::get(
      context, mlir::gpu::AddressSpace::Workgroup);
  auto padding = [](Type element) {
    return std::max<int64_t>(1, 16 / std::max<int64_t>(
                                         1, element.getIntOrFloatBitWidth() / 8));
  };
  Type aElement = getElementTypeOrSelf(a->get());
  Type bElement = getElementTypeOrSelf(op.getDpsInputOperand(1)->get());
  auto sharedAType = MemRefType::get(
      {config.tileM, config.tileK + padding(aElement)}, aElement,
      MemRefLayoutAttrInterface(), workgroup);
  auto sharedBType = MemRefType::get(
      {config.tileK, config.tileN + padding(bElement)}, bElement,
      MemRefLayoutAttrInterface(), workgroup);
  Value sharedA = memref::AllocOp::create(b, loc, sharedAType);
  Value sharedB = memref::AllocOp::create(b, loc, sharedBType);

  // Accumulators, from the fill's value.
  int64_t tilesM = config.subgroupM / step.m;
  int64_t tilesN = config.subgroupN / step.n;
  auto accType =
      VectorType::get({step.getFragmentSize(Operand::C)}, step.accType);
  linalg::FillOp fill = ops.fill;
  Value fillValue = convertScalar(b, loc, fill.value(), step.accType);
  Value initial = vector::BroadcastOp::create(b, loc, accType, fillValue);
  SmallVector<Value> accumulators(tilesM * tilesN, initial);

  // Copies in 16-byte vectors where the operands allow, decided once.
  Value vectorA, vectorB;
  int64_t widthA = getCopyWidth(b, Operand::A, vectorA);
  int64_t widthB = getCopyWidth(b, Operand::B, vectorB);
  auto copy = [&](OpBuilder &b, Operand operand, Value shared, Value k0,
                  int64_t width, Value vectorizable) {
    if (width == 1)
      return copyToShared(b, operand, shared, k0, 1);
    auto choice = scf::IfOp::create(b, loc, vectorizable,
                                    /*withElseRegion=*/true);
    OpBuilder thenBuilder = choice.getThenBodyBuilder();
    copyToShared(thenBuilder, operand, shared, k0, width);
    OpBuilder elseBuilder = choice.getElseBodyBuilder();
    copyToShared(elseBuilder, operand, shared, k0, 1);
  };

  auto loop = scf::ForOp::create(
      b, loc, constant(b, 0), sizeK, constant(b, config.tileK), accumulators,
      [&](OpBuilder &b, Location, Value k0, ValueRange iterArgs) {
        SmallVector<Value> accs(iterArgs);
        // The previous step's reads are done before the slices change.
        mlir::gpu::BarrierOp::create(b, loc);
        copy(b, Operand::A, sharedA, k0, widthA, vectorA);
        copy(b, Operand::B, sharedB, k0, widthB, vectorB);
        mlir::gpu::BarrierOp::create(b, loc);
        for (int64_t kk = 0; kk < config.tileK; kk += step.k) {
          Value kOffset = constant(b, kk);
          SmallVector<Value> aFragments, bFragments;
          for (int64_t i = 0; i < tilesM; ++i)
            aFragments.push_back(loadFragment(
                b, Operand::A, sharedA,
                arith::AddIOp::create(b, loc, subgroupRow,
                                      constant(b, i * step.m)),
                kOffset));
          for (int64_t j = 0; j < tilesN; ++j)
            bFragments.push_back(loadFragment(
                b, Operand::B, sharedB, kOffset,
                arith::AddIOp::create(b, loc, subgroupCol,
                                      constant(b, j * step.n))));
          for (int64_t i = 0; i < tilesM; ++i)
            for (int64_t j = 0; j < tilesN; ++j)
              accs[i * tilesN + j] = step.compute(
                  b, loc, aFragments[i], bFragments[j], accs[i * tilesN + j]);
        }
        scf::YieldOp::create(b, loc, accs);
      });

  // Each accumulator element inside the tile goes to the output.
  b.setInsertionPointAfter(loop);
  for (int64_t i = 0; i < tilesM; ++i) {
    for (int64_t j = 0; j < tilesN; ++j) {
      Value acc = loop.getResult(i * tilesN + j);
      for (int64_t e = 0; e < step.getFragmentSize(Operand::C); ++e) {
        auto [row, col] = step.getCoordinates(b, loc, Operand::C, lane, e);
        row = arith::AddIOp::create(
            b, loc, row,
            arith::AddIOp::create(b, loc, subgroupRow,
                                  constant(b, i * step.m)));
        col = arith::AddIOp::create(
            b, loc, col,
            arith::AddIOp::create(b, loc, subgroupCol,
                                  constant(b, j * step.n)));
        Value inside = arith::AndIOp::create(
            b, loc,
            arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, row,
                                  sizeM),
            arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, col,
                                  sizeN));
        auto guard = scf::IfOp::create(b, loc, inside, false);
        OpBuilder inner = guard.getThenBodyBuilder();
        Value value = vector::ExtractOp::create(inner, loc, acc, e);
        storeResult(inner, value, row, col);
      }
    }
  }

  // The replaced ops and the accumulator buffer go.
  Value accumulator = init->get();
  if (ops.epilogue)
    rewriter.eraseOp(ops.epilogue);
  rewriter.eraseOp(op);
  rewriter.eraseOp(ops.fill);
  if (auto alloc = accumulator.getDefiningOp<memref::AllocOp>()) {
    for (Operation *user : llvm::make_early_inc_range(alloc->getUsers()))
      if (isa<memref::DeallocOp>(user))
        rewriter.eraseOp(user);
    if (alloc->use_empty())
      rewriter.eraseOp(alloc);
  }
}

struct GPULowerContractionPass
    : public impl::GPULowerContractionPassBase<GPULowerContractionPass> {
  using Base::Base;

  void getDependentDialects(DialectRegistry &registry) const override {
    Base::getDependentDialects(registry);
    for (const std::string &name : intrinsics)
      if (const MmaIntrinsic *intrinsic = lookupMmaIntrinsic(name))
        intrinsic->getDependentDialects(registry);
  }

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    auto strategy = func->getAttrOfType<StringAttr>(kStrategyAttr);
    if (func.isExternal() || !strategy || strategy != kContractionStrategy)
      return;
    std::optional<ContractionConfig> config = ContractionConfig::fromAttr(
        func->getAttrOfType<DictionaryAttr>(kContractionConfigAttr));
    if (!config) {
      func.emitError("contraction kernel without a valid configuration");
      return signalPassFailure();
    }
    // A kernel that no longer has the expected shape on buffers keeps its
    // ops; kiln-gpu-distribute-threads then runs it on one thread.
    FailureOr<ContractionOps> ops = findContractionOps(func);
    if (failed(ops)) {
      func->setAttr(kStrategyAttr,
                    StringAttr::get(&getContext(), kThreadsStrategy));
      return;
    }
    std::unique_ptr<SubgroupStep> step;
    if (config->intrinsic == kScalarIntrinsicName) {
      step = std::make_unique<ScalarStep>(ops->contraction, subgroupSize,
                                          config->threadM, config->threadN);
    } else {
      const MmaIntrinsic *intrinsic = lookupMmaIntrinsic(config->intrinsic);
      if (!intrinsic) {
        func.emitError("unknown matrix instruction '")
            << config->intrinsic << "'";
        return signalPassFailure();
      }
      step = std::make_unique<IntrinsicStep>(*intrinsic, &getContext());
    }
    if (config->subgroupM % step->m || config->subgroupN % step->n ||
        config->tileK % step->k) {
      func.emitError("contraction tile does not divide into steps of the "
                     "instruction");
      return signalPassFailure();
    }
    ContractionBuilder builder(*ops, *config, *step, subgroupSize);
    IRRewriter rewriter(&getContext());
    builder.build(rewriter);
    func->setAttr(kBlockAttr, rewriter.getDenseI64ArrayAttr(
                                  {builder.getNumThreads(), 1, 1}));
  }
};

} // namespace
} // namespace kiln::gpu
