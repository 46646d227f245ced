//===- TileWorkgroups.cpp - Kernels into workgroups -----------------------===//
//
// A kernel's grid comes from tiling the op that writes its output along its
// parallel loops. The tile sizes aim for enough workgroups to keep a thread
// pool (or a GPU's blocks) busy while giving each workgroup enough work to
// amortize its start.
//
//===----------------------------------------------------------------------===//

#include "compiler/Codegen/Passes.h"

#include "compiler/Codegen/PackedWeights.h"
#include "compiler/Codegen/Winograd.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/TilingInterface.h"
#include "mlir/IR/Dominance.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Transforms/CSE.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/SmallBitVector.h"

#include <numeric>

namespace kiln {
#define GEN_PASS_DEF_TILEWORKGROUPSPASS
#include "compiler/Codegen/Passes.h.inc"
} // namespace kiln

using namespace mlir;

namespace kiln {

TilingInterface getKernelOutputOp(func::FuncOp func) {
  SmallVector<bufferization::MaterializeInDestinationOp> writes;
  func.walk([&](bufferization::MaterializeInDestinationOp op) {
    writes.push_back(op);
  });
  if (writes.size() != 1)
    return nullptr;
  Operation *def = writes[0].getSource().getDefiningOp();
  if (!def || def->getBlock() != &func.getBody().front())
    return nullptr;
  return dyn_cast<TilingInterface>(def);
}

namespace {

/// The most bytes of transformed weights that every band of a Winograd
/// convolution's output streams through (chooseWinogradTiles): resnet18's
/// first layer's (64 x 64 filters) take 256 KiB.
constexpr int64_t kWinogradBandWeightBytes = 256 * 1024;

/// The tile sizes a target pinned on `op` (kWorkgroupTilesAttr), when they
/// follow the rules: one per loop, at most three tiled loops, all parallel.
/// Sizes of a loop's whole range or more leave the loop untiled.
std::optional<SmallVector<int64_t>>
getPinnedTiles(Operation *op, ArrayRef<int64_t> ranges,
               ArrayRef<utils::IteratorType> iterators) {
  auto pinned = op->getAttrOfType<DenseI64ArrayAttr>(kWorkgroupTilesAttr);
  if (!pinned || pinned.size() != int64_t(ranges.size()))
    return std::nullopt;
  SmallVector<int64_t> sizes(pinned.asArrayRef());
  int64_t tiled = 0;
  for (size_t i = 0; i < sizes.size(); ++i) {
    if (sizes[i] < 0)
      return std::nullopt;
    if (sizes[i] >= ranges[i])
      sizes[i] = 0;
    if (sizes[i] == 0)
      continue;
    if (iterators[i] != utils::IteratorType::parallel)
      return std::nullopt;
    ++tiled;
  }
  if (tiled > 3)
    return std::nullopt;
  return sizes;
}

struct TileWorkgroupsPass
    : public impl::TileWorkgroupsPassBase<TileWorkgroupsPass> {
  using Base::Base;

  /// An elementwise epilogue (bias, activation) writes a fresh tensor while
  /// the contraction or convolution it follows writes another: two buffers
  /// per tile, one of them a temporary the kernel allocates. When the
  /// epilogue reads that producer's result in place and is its only user,
  /// it is rewritten to update the producer's result instead (the result
  /// becomes its destination), so that both write the kernel's output.
  /// Returns the op to tile.
  static TilingInterface updateInPlace(RewriterBase &rewriter,
                                       TilingInterface op) {
    auto generic = dyn_cast<linalg::GenericOp>(op.getOperation());
    if (!generic || generic.getNumDpsInits() != 1 ||
        generic.getNumReductionLoops() != 0 ||
        !generic.getDpsInits()[0].getDefiningOp<tensor::EmptyOp>() ||
        generic.payloadUsesValueFromOperand(generic.getDpsInitOperand(0)) ||
        !generic.getMatchingIndexingMap(generic.getDpsInitOperand(0))
             .isIdentity())
      return op;
    OpOperand *inPlace = nullptr;
    for (OpOperand *input : generic.getDpsInputOperands()) {
      auto producer = input->get().getDefiningOp<linalg::LinalgOp>();
      if (producer && !isa<linalg::FillOp>(producer) &&
          producer->getNumResults() == 1 && input->get().hasOneUse() &&
          input->get().getType() == generic->getResult(0).getType() &&
          generic.getMatchingIndexingMap(input).isIdentity()) {
        inPlace = input;
        break;
      }
    }
    if (!inPlace)
      return op;
    SmallVector<Value> inputs;
    SmallVector<AffineMap> maps;
    for (OpOperand *input : generic.getDpsInputOperands()) {
      if (input == inPlace)
        continue;
      inputs.push_back(input->get());
      maps.push_back(generic.getMatchingIndexingMap(input));
    }
    maps.push_back(generic.getMatchingIndexingMap(inPlace));
    rewriter.setInsertionPoint(generic);
    auto updated = linalg::GenericOp::create(
        rewriter, generic.getLoc(), generic->getResultTypes(), inputs,
        ValueRange{inPlace->get()}, maps, generic.getIteratorTypesArray(),
        [&](OpBuilder &b, Location loc, ValueRange args) {
          Block &old = generic.getRegion().front();
          IRMapping mapping;
          unsigned next = 0;
          for (OpOperand *input : generic.getDpsInputOperands())
            mapping.map(old.getArgument(input->getOperandNumber()),
                        input == inPlace ? args.back() : args[next++]);
          mapping.map(old.getArguments().back(), args.back());
          for (Operation &bodyOp : old)
            b.clone(bodyOp, mapping);
        });
    updated->setAttrs(generic->getDiscardableAttrDictionary());
    rewriter.replaceOp(generic, updated->getResults());
    return cast<TilingInterface>(updated.getOperation());
  }

  /// Loops of a kernel's output op that tiling would make recompute
  /// something: along `broadcast` loops, a value computed by a linalg op
  /// of the kernel is read again and again (the statistics of a
  /// normalization, a softmax's row sums), so every tile along them would
  /// compute it again; along `copied` loops, a padded operand is read again
  /// (every tile of filters of a convolution pads the same input rows).
  struct RepeatedLoops {
    llvm::SmallBitVector broadcast, copied;
  };

  /// Walks `output` and the linalg producers it reads in the kernel, each
  /// once, with, for each op, the output loop each of its loops runs along
  /// (-1 for none). `visit` sees every operand of each op reached and
  /// returns whether to follow the operand's producer (a linalg op of one
  /// result, read through a projected permutation). A producer whose
  /// result is not indexed by a projected permutation is followed with no
  /// loop of the output.
  static void walkProducers(
      linalg::LinalgOp output,
      function_ref<bool(linalg::LinalgOp, OpOperand &, ArrayRef<int64_t>)>
          visit) {
    SmallVector<std::pair<linalg::LinalgOp, SmallVector<int64_t>>> worklist;
    SmallVector<int64_t> identity(output.getNumLoops());
    for (unsigned i = 0; i < identity.size(); ++i)
      identity[i] = i;
    worklist.push_back({output, identity});
    llvm::SmallPtrSet<Operation *, 16> seen;
    while (!worklist.empty()) {
      auto [op, loopToOutput] = worklist.pop_back_val();
      if (!seen.insert(op).second)
        continue;
      for (OpOperand &operand : op->getOpOperands()) {
        if (!visit(op, operand, loopToOutput))
          continue;
        auto producer = operand.get().getDefiningOp<linalg::LinalgOp>();
        AffineMap map = op.getMatchingIndexingMap(&operand);
        if (!producer || producer->getNumResults() != 1 ||
            !map.isProjectedPermutation())
          continue;
        // The producer's loops, through its result's indexing.
        AffineMap resultMap = producer.getIndexingMapMatchingResult(
            cast<OpResult>(operand.get()));
        SmallVector<int64_t> producerLoops(producer.getNumLoops(), -1);
        if (resultMap.isProjectedPermutation())
          for (auto [dim, expr] : llvm::enumerate(resultMap.getResults()))
            producerLoops[cast<AffineDimExpr>(expr).getPosition()] =
                loopToOutput[cast<AffineDimExpr>(map.getResult(dim))
                                 .getPosition()];
        worklist.push_back({producer, producerLoops});
      }
    }
  }

  /// The repeated loops of `output`'s kernel, from the chain of its
  /// producers.
  static RepeatedLoops findRepeatedLoops(linalg::LinalgOp output) {
    unsigned numLoops = output.getNumLoops();
    RepeatedLoops repeated{llvm::SmallBitVector(numLoops),
                           llvm::SmallBitVector(numLoops)};
    walkProducers(output, [&](linalg::LinalgOp op, OpOperand &operand,
                              ArrayRef<int64_t> loopToOutput) {
      Operation *def = operand.get().getDefiningOp();
      bool isPad = isa_and_nonnull<tensor::PadOp>(def);
      if (!isPad && (!isa_and_nonnull<linalg::LinalgOp>(def) ||
                     isa<linalg::FillOp>(def) || def->getNumResults() != 1))
        return false;
      AffineMap map = op.getMatchingIndexingMap(&operand);
      llvm::SmallBitVector present(numLoops);
      for (AffineExpr expr : map.getResults())
        expr.walk([&](AffineExpr e) {
          if (auto dim = dyn_cast<AffineDimExpr>(e))
            if (int64_t out = loopToOutput[dim.getPosition()]; out >= 0)
              present.set(out);
        });
      llvm::SmallBitVector &absent =
          isPad ? repeated.copied : repeated.broadcast;
      for (int64_t out : loopToOutput)
        if (out >= 0 && !present.test(out))
          absent.set(out);
      return !isPad;
    });
    return repeated;
  }

  /// The output loop along which each packed convolution of the kernel
  /// runs its filters (-1 where none does), with its panel width; nullopt
  /// when a packed convolution is not reached from `output` through
  /// projected permutations (its tiles along the filters are then unknown).
  /// A packed convolution reads its weights through `f floordiv P` and
  /// `f mod P`, which tiling slices right only for tiles of whole panels.
  static std::optional<SmallVector<std::pair<int64_t, int64_t>>>
  findPackedFilterLoops(func::FuncOp func, linalg::LinalgOp output) {
    SmallVector<std::pair<int64_t, int64_t>> found;
    llvm::SmallPtrSet<Operation *, 4> reached;
    walkProducers(output, [&](linalg::LinalgOp op, OpOperand &operand,
                              ArrayRef<int64_t> loopToOutput) {
      if (std::optional<int64_t> panel = getPackedPanel(op);
          panel && reached.insert(op).second)
        found.push_back({loopToOutput[1], *panel});
      auto producer = operand.get().getDefiningOp<linalg::LinalgOp>();
      return producer && producer->getNumResults() == 1 &&
             producer
                 .getIndexingMapMatchingResult(cast<OpResult>(operand.get()))
                 .isProjectedPermutation();
    });
    bool missed = false;
    func.walk([&](linalg::LinalgOp op) {
      if (!reached.contains(op) && getPackedPanel(op))
        missed = true;
    });
    if (missed)
      return std::nullopt;
    return found;
  }

  /// Computes the producers of the workgroup tile inside the workgroup
  /// loop, tile by tile. A producer read by several ops of the kernel is
  /// fused once: identical slices are merged before each fusion.
  static void fuseProducers(RewriterBase &rewriter,
                            MutableArrayRef<LoopLikeOpInterface> loops) {
    Operation *loop = loops.front();
    DominanceInfo dominance;
    llvm::SmallPtrSet<Operation *, 8> failed;
    while (true) {
      eliminateCommonSubExpressions(rewriter, dominance, loop);
      tensor::ExtractSliceOp candidate;
      loop->walk([&](tensor::ExtractSliceOp slice) {
        if (candidate || failed.contains(slice))
          return;
        Value source = slice.getSource();
        if (auto arg = dyn_cast<BlockArgument>(source)) {
          // A slice of the tile's destination: fuse what initializes it.
          if (arg.getOwner()->getParentOp() != loop)
            return;
          candidate = slice;
          return;
        }
        Operation *def = source.getDefiningOp();
        if (def && isa<TilingInterface>(def) && !loop->isAncestor(def))
          candidate = slice;
      });
      if (!candidate)
        break;
      std::optional<scf::SCFFuseProducerOfSliceResult> fused =
          scf::tileAndFuseProducerOfSlice(rewriter, candidate, loops);
      if (!fused)
        failed.insert(candidate);
    }
  }

  /// Tiles the rows `m` and columns `n` of a contraction's output into at
  /// most `wanted` tiles along at most `loopsLeft` loops. Each tile's size
  /// divides its loop and is a multiple of `minTile` (or the whole loop).
  /// Among the tilings with at least half the wanted tiles (or the most
  /// tiles, where none has that many), the one that reads the least
  /// operand data per multiply-add wins: the largest m*n / (m+n).
  void tileMatrix(ArrayRef<int64_t> ranges, unsigned m, unsigned n,
                  int64_t wanted, size_t loopsLeft,
                  SmallVectorImpl<int64_t> &tileSizes,
                  SmallVectorImpl<int64_t> &tiledLoops) {
    auto candidates = [&](int64_t range) {
      SmallVector<int64_t> sizes;
      for (int64_t t = 1; t <= range; ++t)
        if (range % t == 0 && (t % minTile == 0 || t == range))
          sizes.push_back(t);
      return sizes;
    };
    int64_t bestM = ranges[m], bestN = ranges[n], bestTiles = 1;
    double bestReuse = 0;
    for (int64_t tm : candidates(ranges[m])) {
      for (int64_t tn : candidates(ranges[n])) {
        int64_t tiles = (ranges[m] / tm) * (ranges[n] / tn);
        int64_t loops = (tm < ranges[m]) + (tn < ranges[n]);
        if (tiles > wanted || static_cast<size_t>(loops) > loopsLeft)
          continue;
        double reuse = double(tm) * tn / double(tm + tn);
        bool enough = 2 * tiles >= wanted;
        bool bestEnough = 2 * bestTiles >= wanted;
        bool better = enough != bestEnough
                          ? enough
                          : (enough ? reuse > bestReuse
                                    : tiles > bestTiles ||
                                          (tiles == bestTiles &&
                                           reuse > bestReuse));
        if (better) {
          bestM = tm;
          bestN = tn;
          bestTiles = tiles;
          bestReuse = reuse;
        }
      }
    }
    if (bestM < ranges[m]) {
      tileSizes[m] = bestM;
      tiledLoops.push_back(m);
    }
    if (bestN < ranges[n]) {
      tileSizes[n] = bestN;
      tiledLoops.push_back(n);
    }
  }

  /// Whether `func` holds a 3x3 max pool or depthwise convolution with
  /// strides of 1 or 2 and unit dilations that reads a padded input: the
  /// windows the CPU computes row by row from the unpadded input.
  static bool hasPaddedRowWindow(func::FuncOp func) {
    bool found = false;
    func.walk([&](linalg::LinalgOp window) {
      if (!isa<linalg::DepthwiseConv2DNchwChwOp, linalg::PoolingNchwMaxOp>(
              *window) ||
          !window.getDpsInputs()[0].getDefiningOp<tensor::PadOp>())
        return;
      auto strides = window->getAttrOfType<DenseIntElementsAttr>("strides");
      auto dilations =
          window->getAttrOfType<DenseIntElementsAttr>("dilations");
      // Loops: n, c, oh, ow, kh, kw (a pool) or n, oh, ow, c, kh, kw.
      SmallVector<int64_t> ranges = window.getStaticLoopRanges();
      auto all = [](DenseIntElementsAttr attr, int64_t value) {
        return llvm::all_of(attr.getValues<int64_t>(),
                            [&](int64_t v) { return v == value; });
      };
      found |= strides && dilations && ranges.size() == 6 &&
               ranges[4] == 3 && ranges[5] == 3 && all(dilations, 1) &&
               (all(strides, 1) || all(strides, 2));
    });
    return found;
  }

  /// The output transform of a Winograd convolution in `func`, or null.
  static linalg::LinalgOp findWinogradOutput(func::FuncOp func) {
    linalg::LinalgOp found;
    func.walk([&](linalg::LinalgOp op) {
      if (getWinogradPart(op) == kWinogradOutput)
        found = op;
    });
    return found;
  }

  /// The workgroup tiles of a kernel computing a Winograd convolution
  /// (compiler/Codegen/Winograd.h) whose output op has the output
  /// transform's loops n, k, y, x (the transform or its epilogue). Each
  /// workgroup transforms its tile's blocks of input, for all the filters
  /// it computes: bands of rows of 2x2 blocks share none of that work, but
  /// each streams all the transformed weights; tiles of filters share the
  /// weights out, but each transforms the whole input. Bands where the
  /// weights are small (at most kWinogradBandWeightBytes) and the output
  /// has at least two rows of blocks, tiles of whole filter panels
  /// otherwise; a few of either, at most.
  void chooseWinogradTiles(linalg::LinalgOp winograd, ArrayRef<int64_t> ranges,
                           int64_t wanted, SmallVectorImpl<int64_t> &tileSizes,
                           SmallVectorImpl<int64_t> &tiledLoops) {
    SmallVector<int64_t> own = winograd.getStaticLoopRanges();
    if (own.size() != 5 || (ranges.size() != 4 && ranges.size() != 5) ||
        ArrayRef<int64_t>(own).take_front(4) != ranges.take_front(4))
      return;
    // The products' weights: [16, K / P, C, P].
    linalg::LinalgOp products =
        winograd.getDpsInputs()[0].getDefiningOp<linalg::LinalgOp>();
    if (!products || products.getNumDpsInputs() != 2)
      return;
    auto packed =
        dyn_cast<RankedTensorType>(products.getDpsInputs()[1].getType());
    if (!packed || !packed.hasStaticShape() || packed.getRank() != 4)
      return;
    int64_t weightBytes = packed.getNumElements() *
                          packed.getElementTypeBitWidth() / 8;
    if (weightBytes <= kWinogradBandWeightBytes &&
        splitLoop(ranges, 2, std::min<int64_t>(wanted, 4), /*multiple=*/2,
                  /*minimum=*/0, tileSizes, tiledLoops))
      return;
    splitLoop(ranges, 1, std::min<int64_t>(wanted, 2), packed.getDimSize(3),
              /*minimum=*/0, tileSizes, tiledLoops);
  }

  /// Tiles `loop` into at most `parts` tiles that divide it, multiples of
  /// `multiple` and at least `minimum` each (where the loop is a multiple
  /// of `multiple`); returns whether it did.
  static bool splitLoop(ArrayRef<int64_t> ranges, size_t loop, int64_t parts,
                        int64_t multiple, int64_t minimum,
                        SmallVectorImpl<int64_t> &tileSizes,
                        SmallVectorImpl<int64_t> &tiledLoops) {
    parts = std::min(parts, ranges[loop] / multiple);
    if (parts <= 1 || ranges[loop] % multiple != 0)
      return false;
    int64_t tile = std::max(
        llvm::alignTo(llvm::divideCeil(ranges[loop], parts), multiple),
        static_cast<uint64_t>(minimum));
    while (ranges[loop] % tile != 0)
      tile += multiple;
    if (tile >= ranges[loop])
      return false;
    tileSizes[loop] = tile;
    tiledLoops.push_back(loop);
    return true;
  }

  /// Chooses the workgroup tiles of `op`: enough workgroups for the
  /// kernel's work, whole loops where tiling would recompute something,
  /// near-square panels for contractions. Leaves `tiledLoops` empty for a
  /// kernel of one workgroup.
  void chooseTiles(func::FuncOp func, TilingInterface op,
                   ArrayRef<int64_t> ranges,
                   SmallVector<utils::IteratorType> iterators,
                   SmallVector<int64_t> &tileSizes,
                   SmallVector<int64_t> &tiledLoops) {
    // Work: the iterations of every structured op of the kernel (the
    // output op may be a cheap epilogue of a convolution).
    int64_t work = 0;
    func.walk([&](linalg::LinalgOp linalgOp) {
      int64_t iterations = 1;
      for (int64_t r : linalgOp.getStaticLoopRanges())
        iterations *= ShapedType::isDynamic(r) ? 1 : std::max<int64_t>(r, 1);
      work += iterations;
    });
    int64_t wanted = std::clamp<int64_t>(work / minWorkPerWorkgroup, 1,
                                         maxWorkgroups);
    if (wanted <= 1)
      return;
    if (linalg::LinalgOp winograd = findWinogradOutput(func))
      return chooseWinogradTiles(winograd, ranges, wanted, tileSizes,
                                 tiledLoops);

    // Loops along which an operand computed in the kernel is broadcast
    // stay whole: tiling them would compute that operand again in every
    // tile (the statistics of a normalization, a softmax's row sums).
    auto outputLinalg = dyn_cast<linalg::LinalgOp>(op.getOperation());
    bool broadcastFree = true;
    llvm::SmallBitVector copiedLoops(ranges.size());
    if (outputLinalg) {
      RepeatedLoops repeated = findRepeatedLoops(outputLinalg);
      for (size_t i = 0; i < iterators.size(); ++i)
        if (repeated.broadcast.test(i))
          iterators[i] = utils::IteratorType::reduction;
      broadcastFree = repeated.broadcast.none();
      copiedLoops = repeated.copied;
    }

    // A contraction's rows and columns (the two innermost parallel loops
    // of the output op, when the output op is the contraction or reads it
    // in place) are tiled together, below.
    // A matmul over packed weights is one too.
    bool hasContraction = false;
    func.walk([&](linalg::LinalgOp linalgOp) {
      if ((linalgOp.getNumReductionLoops() > 0 &&
           linalg::isaContractionOpInterface(linalgOp)) ||
          matchPackedMatmul(linalgOp))
        hasContraction = true;
    });
    SmallVector<unsigned> parallelLoops;
    for (size_t i = 0; i < ranges.size(); ++i)
      if (iterators[i] == utils::IteratorType::parallel)
        parallelLoops.push_back(i);
    std::optional<std::pair<unsigned, unsigned>> matrixLoops;
    bool readsInPlace =
        outputLinalg &&
        (linalg::isaContractionOpInterface(outputLinalg) ||
         matchPackedMatmul(outputLinalg) ||
         llvm::all_of(outputLinalg->getOpOperands(), [&](OpOperand &operand) {
           Operation *def = operand.get().getDefiningOp();
           return !isa_and_nonnull<linalg::LinalgOp>(def) ||
                  isa<linalg::FillOp>(def) ||
                  outputLinalg.getMatchingIndexingMap(&operand).isIdentity();
         }));
    if (hasContraction && broadcastFree && readsInPlace &&
        parallelLoops.size() >= 2) {
      matrixLoops = {parallelLoops[parallelLoops.size() - 2],
                     parallelLoops.back()};
      wanted = std::min(wanted, maxContractionWorkgroups.getValue());
    }

    // The filters of a convolution that the output op is (or updates in
    // place): its loop 1 (NCHW). Only where the rows of output pixels are
    // not a multiple of half the filter multiple (on the CPU, rows that are
    // not whole vectors): only those run along the filters.
    std::optional<size_t> filterLoop;
    // A 1x1 convolution with unit strides of one image (the same op), whose
    // workgroup tiles keep whole rows of pixels: on the CPU such a tile is
    // a matrix product over its pixels, which run in whole register tiles
    // when the tile's pixels are a multiple of the filter multiple (two
    // vectors), or in whole vectors but for the last pair where the image's
    // pixels are only a multiple of half of it (28 x 28).
    bool pointwise = false;
    int64_t pixelMultiple = filterTileMultiple;
    int64_t filterMultiple = filterTileMultiple;
    if (outputLinalg && filterTileMultiple > 1) {
      linalg::Conv2DNchwFchwOp conv =
          dyn_cast<linalg::Conv2DNchwFchwOp>(outputLinalg.getOperation());
      if (!conv && ranges.size() == 4)
        for (OpOperand &operand : outputLinalg->getOpOperands())
          if (auto def = operand.get().getDefiningOp<linalg::Conv2DNchwFchwOp>();
              def && outputLinalg.getMatchingIndexingMap(&operand).isIdentity())
            conv = def;
      if (conv && (ranges[3] % std::max<int64_t>(filterTileMultiple / 2, 1) ||
                   conv.getStrides().getValues<int64_t>()[1] != 1))
        filterLoop = 1;
      if (conv) {
        SmallVector<int64_t> convRanges = conv.getStaticLoopRanges();
        // Loops: n, f, oh, ow, c, kh, kw.
        if (convRanges.size() == 7 &&
            (convRanges[2] * convRanges[3]) % filterTileMultiple != 0)
          pixelMultiple = std::max<int64_t>(filterTileMultiple / 2, 1);
        pointwise = convRanges.size() == 7 && convRanges[0] == 1 &&
                    convRanges[5] == 1 && convRanges[6] == 1 &&
                    llvm::all_of(conv.getStrides().getValues<int64_t>(),
                                 [](int64_t s) { return s == 1; }) &&
                    (convRanges[2] * convRanges[3]) % pixelMultiple == 0;
        if (pointwise)
          filterLoop.reset();
      }
    }
    // A packed convolution (weights packed by panels at compile time) runs
    // along the filters too, in tiles of whole panels, wherever its
    // filters land among the output op's loops.
    if (outputLinalg)
      if (std::optional<SmallVector<std::pair<int64_t, int64_t>>> packed =
              findPackedFilterLoops(func, outputLinalg))
        for (auto [loop, panel] : *packed)
          if (loop >= 0) {
            filterLoop = loop;
            filterMultiple =
                std::lcm(std::max<int64_t>(filterMultiple, 1), panel);
          }

    // A 3x3 max pool or depthwise convolution with strides of 1 or 2 over
    // a padded input, where the target computes such windows over whole
    // planes: tiles of channels only (loop 1 of NCHW), whose padding is
    // then static.
    if (wholeWindowPlanes && ranges.size() >= 4 &&
        hasPaddedRowWindow(func)) {
      splitLoop(ranges, 1, wanted, /*multiple=*/1,
                std::min<int64_t>(minTile, ranges[1]), tileSizes, tiledLoops);
      return;
    }
    // Split the outermost parallel loops until `wanted` tiles exist; loops
    // along which a padded operand would be copied again come last.
    SmallVector<size_t> order;
    for (bool copied : {false, true})
      for (size_t i = 0; i < ranges.size(); ++i)
        if (copiedLoops.test(i) == copied)
          order.push_back(i);
    int64_t remaining = wanted;
    // Every workgroup along a copied loop pads the same input again: a few
    // such workgroups share the threads out, more only repeat the copy.
    int64_t copies = 1;
    for (size_t i : order) {
      if (copiedLoops.test(i))
        remaining = std::min(remaining, maxPaddedCopies / copies);
      if (remaining <= 1)
        break;
      if (iterators[i] != utils::IteratorType::parallel || ranges[i] <= 1)
        continue;
      if (matrixLoops && i == matrixLoops->first) {
        tileMatrix(ranges, matrixLoops->first, matrixLoops->second,
                   remaining, 3 - tiledLoops.size(), tileSizes, tiledLoops);
        break;
      }
      if (tiledLoops.size() == 3)
        break;
      if (pointwise && i == 3)
        continue; // Whole rows of pixels.
      // So do the rows of a strided convolution (whose filters are the
      // filter loop) when they are whole vectors. Rows of 112 cut into 28
      // left rows of 14-lane vectors in the window tiles, and 4-lane
      // transposes and epilogues along the filters: mobilenet_v2's first
      // convolution took 0.37 ms against 0.30, resnet18's 2.51 against
      // 2.29.
      if (filterLoop == 1 && ranges.size() >= 4 && i == 3 &&
          ranges[3] % std::max<int64_t>(filterTileMultiple / 2, 1) == 0)
        continue;
      // Keep tiles at least a few iterations wide: inner tiling wants rows
      // (and filters) to work on, not single iterations.
      int64_t parts = std::min(ranges[i], remaining);
      int64_t tile = std::max<int64_t>((ranges[i] + parts - 1) / parts,
                                       std::min<int64_t>(minTile, ranges[i]));
      // Tiles that divide the loop keep every workgroup's shapes static,
      // which vectorization inside the workgroup relies on.
      while (ranges[i] % tile != 0)
        ++tile;
      // The innermost loop of an op whose range is whole vectors (half the
      // filter multiple: a vector on the CPU) keeps whole vectors per tile:
      // a row of 112 pixels cut into 56 leaves vectors of 14 lanes.
      int64_t lanes = filterTileMultiple / 2;
      if (i + 1 == ranges.size() && lanes > 1 && !filterLoop &&
          ranges[i] % lanes == 0)
        for (tile = llvm::alignTo(tile, lanes); ranges[i] % tile != 0;
             tile += lanes) {
        }
      if (filterLoop == i && ranges[i] % filterMultiple == 0)
        for (tile = llvm::alignTo(tile, filterMultiple); ranges[i] % tile != 0;
             tile += filterMultiple) {
        }
      // A pointwise convolution's filters in whole register tiles (the
      // minimum tile), its pixels (rows times the row) in whole pairs of
      // vectors (or whole vectors, above), where the loops allow.
      if (pointwise && i == 1 && ranges[i] % minTile == 0)
        for (tile = llvm::alignTo(tile, minTile); ranges[i] % tile != 0;
             tile += minTile) {
        }
      if (pointwise && i == 2)
        while (tile < ranges[i] &&
               (ranges[i] % tile != 0 ||
                (tile * ranges[3]) % pixelMultiple != 0))
          ++tile;
      if (tile >= ranges[i])
        continue; // One tile: not a loop.
      parts = (ranges[i] + tile - 1) / tile;
      if (copiedLoops.test(i))
        copies *= parts;
      tileSizes[i] = tile;
      tiledLoops.push_back(i);
      remaining = (remaining + parts - 1) / parts;
    }
  }

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    OpBuilder builder(func.getContext());
    SmallVector<int64_t> grid = {1, 1, 1};
    auto setGrid = [&] {
      func->setAttr(kGridAttr, builder.getDenseI64ArrayAttr(grid));
    };
    // A target's choice is used once, then dropped from every op.
    auto dropPinnedTiles = llvm::make_scope_exit([&] {
      func.walk([](Operation *op) { op->removeAttr(kWorkgroupTilesAttr); });
    });
    TilingInterface op = getKernelOutputOp(func);
    if (!op)
      return setGrid();
    {
      IRRewriter rewriter(func.getContext());
      op = updateInPlace(rewriter, op);
    }

    // The loop ranges, which must be static.
    IRRewriter rewriter(func.getContext());
    rewriter.setInsertionPoint(op);
    SmallVector<Range> domain = op.getIterationDomain(rewriter);
    SmallVector<utils::IteratorType> iterators = op.getLoopIteratorTypes();
    SmallVector<int64_t> ranges;
    for (Range r : domain) {
      std::optional<int64_t> size = getConstantIntValue(r.size);
      std::optional<int64_t> offset = getConstantIntValue(r.offset);
      if (!size || !offset || *offset != 0)
        return setGrid();
      ranges.push_back(*size);
    }

    SmallVector<int64_t> tileSizes(ranges.size(), 0);
    SmallVector<int64_t> tiledLoops;
    if (std::optional<SmallVector<int64_t>> pinned =
            getPinnedTiles(op, ranges, iterators)) {
      tileSizes = *pinned;
      for (size_t i = 0; i < tileSizes.size(); ++i)
        if (tileSizes[i] != 0)
          tiledLoops.push_back(i);
    } else {
      chooseTiles(func, op, ranges, iterators, tileSizes, tiledLoops);
    }
    // Tiles of a packed convolution's filters must be whole panels; a
    // loop whose tiles are not stays whole, and a kernel whose packed
    // convolution is out of sight stays one workgroup.
    if (!tiledLoops.empty() && isa<linalg::LinalgOp>(op.getOperation())) {
      std::optional<SmallVector<std::pair<int64_t, int64_t>>> packed =
          findPackedFilterLoops(func, cast<linalg::LinalgOp>(*op));
      if (!packed)
        return setGrid();
      for (auto [loop, panel] : *packed)
        if (loop >= 0 && tileSizes[loop] % panel != 0) {
          tileSizes[loop] = 0;
          llvm::erase(tiledLoops, loop);
        }
    } else if (!tiledLoops.empty()) {
      bool packedConv = false;
      func.walk([&](linalg::LinalgOp linalgOp) {
        packedConv |= getPackedPanel(linalgOp).has_value();
      });
      if (packedConv)
        return setGrid();
    }
    if (tiledLoops.empty())
      return setGrid();
    // The workgroup loop's dimensions follow the op's loop order.
    llvm::sort(tiledLoops);

    scf::SCFTilingOptions tiling;
    tiling.setLoopType(scf::SCFTilingOptions::LoopType::ForallOp);
    tiling.setTileSizes(getAsIndexOpFoldResult(func.getContext(), tileSizes));
    FailureOr<scf::SCFTilingResult> result =
        scf::tileUsingSCF(rewriter, op, tiling);
    if (failed(result) || result->loops.empty())
      return setGrid();
    rewriter.replaceOp(op, result->replacements);
    fuseProducers(rewriter, result->loops);

    // Grid: the last tiled loop is x.
    for (auto [axis, loop] : llvm::enumerate(llvm::reverse(tiledLoops)))
      grid[axis] = (ranges[loop] + tileSizes[loop] - 1) / tileSizes[loop];
    setGrid();
  }
};

} // namespace
} // namespace kiln
