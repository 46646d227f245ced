//===- ConfigureKernels.cpp - Kernel preparation and strategy for GPUs ----===//
//
// Decides, per kernel and before workgroup tiling, how it maps onto the
// GPU. Matmul-like kernels get block tiles sized for shared memory and the
// target's matrix instructions; everything else keeps the generic
// workgroup tiling and one output element per thread. Rewrites make more
// kernels fit the fast paths: padding becomes bounds checks in the reads
// of its consumers, transpositions in front of a contraction join its
// indexing maps, elementwise chains are fused into one op, a contraction
// that accumulates onto a computed tensor (a bias) starts from zero
// instead, the tensor being added in its epilogue, and concatenations
// become insertions that need no temporary. A contraction whose operands
// are still computed in the kernel takes the threads path.
//
//===----------------------------------------------------------------------===//

#include "targets/GPUCommon/Contraction.h"
#include "targets/GPUCommon/FoldIntoReads.h"
#include "targets/GPUCommon/Passes.h"

#include "compiler/Codegen/Passes.h"

#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/Support/MathExtras.h"

namespace kiln::gpu {
#define GEN_PASS_DEF_GPUCONFIGUREKERNELSPASS
#include "targets/GPUCommon/Passes.h.inc"
} // namespace kiln::gpu

using namespace mlir;

namespace kiln::gpu {
namespace {

/// Grid dimensions y and z are limited to this many blocks.
constexpr int64_t kMaxGridYZ = 65535;
/// Largest and smallest block tile sides.
constexpr int64_t kMaxTile = 128;
constexpr int64_t kMinTile = 32;
/// Workgroups below which a contraction's tiles shrink: about the number
/// of multiprocessors of a large GPU.
constexpr int64_t kMinWorkgroups = 96;

/// Rewrites `C = init + A * B`, when `init` is not a constant fill, into
/// `C = (0 + A * B) + init`: the contraction then starts from a constant
/// and `init` (a bias, often broadcast) joins an elementwise epilogue.
void splitAccumulatorInit(RewriterBase &rewriter, linalg::LinalgOp op) {
  Value init = op.getDpsInitOperand(0)->get();
  if (init.getDefiningOp<linalg::FillOp>())
    return;
  auto type = dyn_cast<RankedTensorType>(init.getType());
  if (!type || !type.hasStaticShape() ||
      !type.getElementType().isIntOrFloat())
    return;
  Location loc = op.getLoc();
  Type element = type.getElementType();
  rewriter.setInsertionPoint(op);
  Value empty =
      tensor::EmptyOp::create(rewriter, loc, type.getShape(), element);
  Value zero = arith::ConstantOp::create(rewriter, loc, element,
                                         rewriter.getZeroAttr(element));
  Value fill =
      linalg::FillOp::create(rewriter, loc, zero, empty).getResult(0);
  rewriter.modifyOpInPlace(op, [&] { op.getDpsInitOperand(0)->set(fill); });

  rewriter.setInsertionPointAfter(op);
  Value product = op->getResult(0);
  AffineMap identity = rewriter.getMultiDimIdentityMap(type.getRank());
  SmallVector<utils::IteratorType> parallel(type.getRank(),
                                            utils::IteratorType::parallel);
  auto sum = linalg::GenericOp::create(
      rewriter, loc, type, ValueRange{product, init}, ValueRange{empty},
      ArrayRef<AffineMap>{identity, identity, identity}, parallel,
      [&](OpBuilder &b, Location l, ValueRange args) {
        Value added =
            isa<FloatType>(element)
                ? arith::AddFOp::create(b, l, args[0], args[1]).getResult()
                : arith::AddIOp::create(b, l, args[0], args[1]).getResult();
        linalg::YieldOp::create(b, l, added);
      });
  rewriter.replaceAllUsesExcept(product, sum.getResult(0), sum);
}

/// Whether `op` reads only data the kernel gets from outside (bindings,
/// constants, views of them): the contraction path copies its operands to
/// shared memory itself, and has no place for an operand computed in the
/// kernel, which would become a temporary per workgroup.
bool readsOnlyKernelInputs(linalg::LinalgOp op) {
  for (OpOperand *input : op.getDpsInputOperands()) {
    Value value = input->get();
    while (Operation *def = value.getDefiningOp()) {
      if (isa<tensor::ExtractSliceOp, tensor::ExpandShapeOp,
              tensor::CollapseShapeOp, tensor::CastOp>(def)) {
        value = def->getOperand(0);
        continue;
      }
      if (!isa<bufferization::ToTensorOp, arith::ConstantOp>(def))
        return false;
      break;
    }
  }
  return true;
}

/// The contraction of a kernel whose output op is it, or an epilogue of it.
struct ContractionKernel {
  linalg::LinalgOp contraction;
  ContractionLoops loops;
  /// The output op when it is an epilogue, else null.
  linalg::GenericOp epilogue;
  OpOperand *epilogueInput = nullptr;
};

std::optional<ContractionKernel> findContraction(func::FuncOp func) {
  TilingInterface output = getKernelOutputOp(func);
  if (!output)
    return std::nullopt;
  ContractionKernel kernel;
  if (auto linalgOp = dyn_cast<linalg::LinalgOp>(output.getOperation())) {
    std::optional<ContractionLoops> loops = matchContraction(linalgOp);
    if (loops && readsOnlyKernelInputs(linalgOp)) {
      kernel.contraction = linalgOp;
      kernel.loops = *loops;
      return kernel;
    }
  }
  auto generic = dyn_cast<linalg::GenericOp>(output.getOperation());
  if (!generic)
    return std::nullopt;
  for (OpOperand *input : generic.getDpsInputOperands()) {
    auto producer = input->get().getDefiningOp<linalg::LinalgOp>();
    if (!producer || !producer->hasOneUse())
      continue;
    std::optional<ContractionLoops> loops = matchContraction(producer);
    if (!loops || !readsOnlyKernelInputs(producer) ||
        !isEpilogueOf(generic, *input))
      continue;
    kernel.contraction = producer;
    kernel.loops = *loops;
    kernel.epilogue = generic;
    kernel.epilogueInput = input;
    return kernel;
  }
  return std::nullopt;
}

struct GPUConfigureKernelsPass
    : public impl::GPUConfigureKernelsPassBase<GPUConfigureKernelsPass> {
  using Base::Base;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func.isExternal())
      return;
    // A kernel the dispatch stage already tiled into workgroups (a
    // top-level scf.forall without a mapping) needs a thread mapping of
    // its loop nest that this pipeline does not have; such kernels only
    // reach targets that ask for them (TargetBackend::supportsPretiledKernels).
    for (Operation &op : func.getBody().front())
      if (auto forall = dyn_cast<scf::ForallOp>(op); forall && !forall.getMapping()) {
        forall.emitError("kernel '")
            << func.getSymName()
            << "' is tiled into workgroups before code generation; the GPU "
               "targets do not compile such kernels";
        return signalPassFailure();
      }
    MLIRContext *context = func.getContext();
    IRRewriter rewriter(context);
    foldPaddingIntoReads(rewriter, func);
    SmallVector<linalg::LinalgOp> contractions;
    func.walk([&](linalg::LinalgOp op) {
      if (op.hasPureTensorSemantics() && matchContraction(op))
        contractions.push_back(op);
    });
    for (linalg::LinalgOp op : contractions) {
      op = foldDataMovementIntoOperands(rewriter, op);
      splitAccumulatorInit(rewriter, op);
    }

    // A concatenation becomes insertions into its destination, which
    // bufferize in place into the output instead of through a temporary.
    RewritePatternSet patterns(context);
    tensor::populateDecomposeTensorConcatPatterns(patterns);
    linalg::populateElementwiseOpsFusionPatterns(
        patterns, [](OpOperand *operand) {
          Operation *producer = operand->get().getDefiningOp();
          return producer && producer->hasOneUse();
        });
    (void)applyPatternsGreedily(func, std::move(patterns));

    func->setAttr(kStrategyAttr, rewriter.getStringAttr(kThreadsStrategy));
    std::optional<ContractionKernel> kernel = findContraction(func);
    std::optional<ContractionConfig> config;
    if (kernel)
      config = chooseConfig(*kernel);
    std::optional<SmallVector<int64_t>> tiles;
    if (config)
      tiles = getOutputTiles(*kernel, *config);
    if (!tiles) {
      pinThreadsTiles(func);
      return;
    }
    Operation *output = kernel->epilogue ? kernel->epilogue.getOperation()
                                         : kernel->contraction.getOperation();
    output->setAttr(kWorkgroupTilesAttr, rewriter.getDenseI64ArrayAttr(*tiles));
    func->setAttr(kStrategyAttr, rewriter.getStringAttr(kContractionStrategy));
    func->setAttr(kContractionConfigAttr, config->toAttr(context));
  }

  /// Whether an op of `func` reads a value computed in the kernel along
  /// one of its parallel loops that the value does not vary with (a
  /// softmax's sums, pooled features for a classifier). The shared
  /// heuristics keep such loops whole, so that no workgroup computes the
  /// value again; this pinning does not know them.
  static bool hasBroadcastValues(func::FuncOp func) {
    WalkResult result = func.walk([](linalg::LinalgOp consumer) {
      for (OpOperand *input : consumer.getDpsInputOperands()) {
        Operation *producer = input->get().getDefiningOp();
        if (!isa_and_nonnull<linalg::LinalgOp>(producer) ||
            isa<linalg::FillOp>(producer))
          continue;
        AffineMap map = consumer.getMatchingIndexingMap(input);
        for (auto [loop, iterator] :
             llvm::enumerate(consumer.getIteratorTypesArray()))
          if (iterator == utils::IteratorType::parallel &&
              !map.isFunctionOfDim(loop))
            return WalkResult::interrupt();
      }
      return WalkResult::advance();
    });
    return result.wasInterrupted();
  }

  /// Pins the workgroup tile of a kernel on the threads path: about one
  /// block of output elements per workgroup (up to four per thread when
  /// each costs little), whole innermost loops first, the rest of the
  /// loops split into workgroups. A GPU gives every output element a
  /// thread: the shared heuristics, which size workgroups by their work
  /// (a convolution's taps included), would give it blocks of a few
  /// threads. Leaves the heuristics to kernels this does not fit (dynamic
  /// loops, more than three loops to split).
  void pinThreadsTiles(func::FuncOp func) {
    if (hasBroadcastValues(func))
      return;
    TilingInterface output = getKernelOutputOp(func);
    auto op = dyn_cast_or_null<linalg::LinalgOp>(
        output ? output.getOperation() : nullptr);
    if (!op)
      return;
    SmallVector<int64_t> ranges = op.getStaticLoopRanges();
    if (llvm::any_of(ranges, ShapedType::isDynamic))
      return;
    SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
    int64_t elements = 1;
    for (auto [range, iterator] : llvm::zip(ranges, iterators))
      if (iterator == utils::IteratorType::parallel)
        elements *= std::max<int64_t>(range, 1);
    // Work per output element: every structured op's iterations.
    int64_t work = 0;
    func.walk([&](linalg::LinalgOp linalgOp) {
      int64_t iterations = 1;
      for (int64_t r : linalgOp.getStaticLoopRanges())
        iterations *= ShapedType::isDynamic(r) ? 1 : std::max<int64_t>(r, 1);
      work += iterations;
    });
    int64_t perElement = std::max<int64_t>(1, work / elements);
    int64_t perThread = std::clamp<int64_t>(256 / perElement, 1, 4);
    int64_t wanted = maxThreads * perThread;
    // Small kernels: smaller workgroups, so that several run at once.
    wanted = std::min<int64_t>(
        wanted, std::max<int64_t>(subgroupSize, elements / kMinWorkgroups));

    SmallVector<int64_t> tiles(ranges.size(), 0);
    int64_t inTile = 1;
    bool split = false;
    for (int64_t i = int64_t(ranges.size()) - 1; i >= 0; --i) {
      if (iterators[i] != utils::IteratorType::parallel || ranges[i] <= 1)
        continue;
      if (split) {
        tiles[i] = 1;
        continue;
      }
      if (inTile * ranges[i] <= wanted) {
        inTile *= ranges[i];
        continue;
      }
      // The largest part of this loop that divides it and still fits:
      // every workgroup then has the same static shapes.
      int64_t tile = 1;
      for (int64_t t = std::max<int64_t>(1, wanted / inTile); t >= 1; --t)
        if (ranges[i] % t == 0) {
          tile = t;
          break;
        }
      tiles[i] = tile;
      split = true;
    }
    SmallVector<int64_t> counts;
    for (auto [tile, range] : llvm::zip(tiles, ranges))
      if (tile != 0 && tile < range)
        counts.push_back(range / tile);
    if (counts.empty() || counts.size() > 3)
      return;
    for (size_t i = 0; i + 1 < counts.size(); ++i)
      if (counts[i] > kMaxGridYZ)
        return;
    op->setAttr(kWorkgroupTilesAttr,
                Builder(func.getContext()).getDenseI64ArrayAttr(tiles));
  }

  /// The best instruction for the contraction's types and sizes, or null.
  const MmaIntrinsic *chooseIntrinsic(linalg::LinalgOp op, int64_t m,
                                      int64_t n, int64_t k) {
    MLIRContext *context = op.getContext();
    Type a = getElementTypeOrSelf(op.getDpsInputOperand(0)->get());
    Type b = getElementTypeOrSelf(op.getDpsInputOperand(1)->get());
    Type c = getElementTypeOrSelf(op.getDpsInitOperand(0)->get());
    for (const std::string &name : intrinsics) {
      const MmaIntrinsic *intrinsic = lookupMmaIntrinsic(name);
      if (!intrinsic)
        continue;
      Type input = intrinsic->getInputType(context);
      Type accumulator = intrinsic->getAccumulatorType(context);
      if (a != input || b != input)
        continue;
      if (intrinsic->roundsF32Inputs() && !allowTF32)
        continue;
      // A narrower float result accumulates in the wider type, then rounds.
      bool accumulates =
          accumulator == c ||
          (isa<FloatType>(c) && isa<FloatType>(accumulator) &&
           c.getIntOrFloatBitWidth() < accumulator.getIntOrFloatBitWidth());
      if (!accumulates)
        continue;
      if (m < intrinsic->getM() || n < intrinsic->getN() ||
          k < intrinsic->getK())
        continue;
      return intrinsic;
    }
    return nullptr;
  }

  std::optional<ContractionConfig> chooseConfig(const ContractionKernel &kernel) {
    linalg::LinalgOp op = kernel.contraction;
    SmallVector<int64_t> ranges = op.getStaticLoopRanges();
    if (llvm::any_of(ranges, ShapedType::isDynamic))
      return std::nullopt;
    auto fill =
        op.getDpsInitOperand(0)->get().getDefiningOp<linalg::FillOp>();
    if (!fill || !matchPattern(fill.value(), m_Constant()))
      return std::nullopt;
    int64_t m = ranges[kernel.loops.m], n = ranges[kernel.loops.n],
            k = ranges[kernel.loops.k];

    ContractionConfig config;
    int64_t stepM, stepN, stepK;
    if (const MmaIntrinsic *intrinsic = chooseIntrinsic(op, m, n, k)) {
      config.intrinsic = intrinsic->getName().str();
      stepM = intrinsic->getM();
      stepN = intrinsic->getN();
      stepK = intrinsic->getK();
    } else {
      // Scalar multiply-adds pay off once a thread reuses each load.
      if (m < 16 || n < 16 || k < 4)
        return std::nullopt;
      config.intrinsic = kScalarIntrinsicName.str();
      config.threadM = config.threadN = 4;
      int64_t lanesM, lanesN;
      getScalarStepShape(subgroupSize, config.threadM, config.threadN, stepM,
                         stepN, lanesM, lanesN);
      stepK = 1;
    }
    config.tileM = std::clamp<int64_t>(llvm::PowerOf2Ceil(m), stepM,
                                       std::max(stepM, kMaxTile));
    config.tileN = std::clamp<int64_t>(llvm::PowerOf2Ceil(n), stepN,
                                       std::max(stepN, kMaxTile));
    if (config.tileM % stepM || config.tileN % stepN)
      return std::nullopt;
    // Smaller tiles when the big ones would leave most of the GPU idle.
    int64_t batch = 1;
    for (unsigned b : kernel.loops.batch)
      batch *= ranges[b];
    auto numTiles = [&] {
      return batch * llvm::divideCeil(m, config.tileM) *
             llvm::divideCeil(n, config.tileN);
    };
    while (numTiles() < kMinWorkgroups) {
      if (config.tileM >= config.tileN && config.tileM / 2 >= kMinTile &&
          (config.tileM / 2) % stepM == 0)
        config.tileM /= 2;
      else if (config.tileN / 2 >= kMinTile && (config.tileN / 2) % stepN == 0)
        config.tileN /= 2;
      else if (config.tileM / 2 >= kMinTile && (config.tileM / 2) % stepM == 0)
        config.tileM /= 2;
      else
        break;
    }

    // Split the tile among subgroups, the larger side first, keeping each
    // part a whole number of steps.
    int64_t maxSubgroups = std::max<int64_t>(1, maxThreads / subgroupSize);
    config.subgroupM = config.tileM;
    config.subgroupN = config.tileN;
    // A matrix instruction keeps at least four steps per subgroup, so that
    // fragments loaded from shared memory are reused.
    int64_t minSteps = config.intrinsic == kScalarIntrinsicName ? 1 : 4;
    auto steps = [&](int64_t sgM, int64_t sgN) {
      return (sgM / stepM) * (sgN / stepN);
    };
    while (config.getNumSubgroups() < maxSubgroups) {
      bool canM = config.subgroupM % (2 * stepM) == 0 &&
                  steps(config.subgroupM / 2, config.subgroupN) >= minSteps;
      bool canN = config.subgroupN % (2 * stepN) == 0 &&
                  steps(config.subgroupM, config.subgroupN / 2) >= minSteps;
      if (canM && (config.subgroupM >= config.subgroupN || !canN))
        config.subgroupM /= 2;
      else if (canN)
        config.subgroupN /= 2;
      else
        break;
    }

    // The k step: 64 bytes of each row, within the shared memory budget.
    Type a = getElementTypeOrSelf(op.getDpsInputOperand(0)->get());
    Type b = getElementTypeOrSelf(op.getDpsInputOperand(1)->get());
    int64_t bytes = std::max<int64_t>(
        1, std::max(a.getIntOrFloatBitWidth(), b.getIntOrFloatBitWidth()) / 8);
    config.tileK = std::max<int64_t>(stepK, 64 / bytes);
    config.tileK = llvm::alignTo(config.tileK, stepK);
    auto sharedBytes = [&] {
      return (config.tileM + config.tileN) * (config.tileK + 8) * bytes;
    };
    while (sharedBytes() > sharedMemoryBytes && config.tileK > stepK &&
           (config.tileK / 2) % stepK == 0)
      config.tileK /= 2;
    if (sharedBytes() > sharedMemoryBytes)
      return std::nullopt;
    return config;
  }

  /// The workgroup tile of the kernel's output op that gives each workgroup
  /// one block tile of the contraction, or nullopt when the grid would not
  /// fit in three dimensions.
  std::optional<SmallVector<int64_t>>
  getOutputTiles(const ContractionKernel &kernel,
                 const ContractionConfig &config) {
    linalg::LinalgOp op = kernel.contraction;
    SmallVector<int64_t> ranges = op.getStaticLoopRanges();
    SmallVector<int64_t> tiles(ranges.size(), 0);
    for (unsigned b : kernel.loops.batch)
      tiles[b] = 1;
    tiles[kernel.loops.m] = config.tileM;
    tiles[kernel.loops.n] = config.tileN;
    SmallVector<int64_t> counts;
    for (auto [tile, range] : llvm::zip(tiles, ranges))
      if (tile != 0 && tile < range)
        counts.push_back((range + tile - 1) / tile);
    if (counts.size() > 3)
      return std::nullopt;
    // The last tiled loop is x; the others must fit y and z.
    for (size_t i = 0; i + 1 < counts.size(); ++i)
      if (counts[i] > kMaxGridYZ)
        return std::nullopt;
    if (!kernel.epilogue)
      return tiles;

    // Through the epilogue: its loop reading result dimension r of the
    // contraction gets the tile of the contraction loop writing it.
    AffineMap resultMap =
        op.getMatchingIndexingMap(op.getDpsInitOperand(0));
    linalg::GenericOp epilogue = kernel.epilogue;
    AffineMap readMap = epilogue.getMatchingIndexingMap(kernel.epilogueInput);
    SmallVector<int64_t> outputTiles(epilogue.getNumLoops(), 0);
    for (unsigned r = 0; r < resultMap.getNumResults(); ++r)
      outputTiles[readMap.getDimPosition(r)] =
          tiles[resultMap.getDimPosition(r)];
    return outputTiles;
  }
};

} // namespace
} // namespace kiln::gpu
