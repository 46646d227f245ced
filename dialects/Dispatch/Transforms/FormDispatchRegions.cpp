//===- FormDispatchRegions.cpp - Fusion groups into dispatch regions ------===//
//
// Decides what becomes a kernel. Every computing op joins exactly one
// group; a group becomes one `dispatch.region` placed where its last op
// was. Grouping only ever adds a producer whose every use is in the group,
// or a consumer that is the single use of the group's last result, so
// that moving a group to its last op never breaks dominance.
//
//===----------------------------------------------------------------------===//

#include "compiler/Codegen/PackedWeights.h"
#include "compiler/Codegen/Winograd.h"
#include "dialects/Dispatch/IR/DispatchOps.h"
#include "dialects/Dispatch/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Transforms/RegionUtils.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "llvm/ADT/SetVector.h"

namespace kiln::dispatch {
#define GEN_PASS_DEF_DISPATCHFORMREGIONSPASS
#include "dialects/Dispatch/Transforms/Passes.h.inc"
} // namespace kiln::dispatch

using namespace mlir;

namespace kiln::dispatch {
namespace {

/// Constants with at most this many elements are cloned into the regions
/// that use them; larger ones are passed in (they live in the artifact's
/// constants pool).
constexpr int64_t kMaxClonedConstantElements = 16;

/// Whether `op` stays on the host: constants and reshapes that only
/// re-label a buffer.
bool isHostOp(Operation *op) {
  if (isa<arith::ConstantOp>(op))
    return isa<TensorType>(op->getResult(0).getType());
  if (isa<tensor::CollapseShapeOp, tensor::ExpandShapeOp>(op))
    return cast<ShapedType>(op->getResult(0).getType()).hasStaticShape();
  return false;
}

/// Whether `value` is cheap to recompute inside a region rather than pass
/// in: empty tensors, fills of them with a scalar, small or splat constants.
bool isClonable(Value value) {
  Operation *def = value.getDefiningOp();
  if (!def)
    return false;
  // Scalars (such as an element read from a tensor for a loop bound)
  // cannot cross a region boundary: recompute them inside.
  if (!isa<ShapedType>(value.getType()) && isPure(def))
    return true;
  if (isa<tensor::EmptyOp>(def))
    return true;
  if (auto fill = dyn_cast<linalg::FillOp>(def))
    return fill.hasPureTensorSemantics() &&
           llvm::all_of(fill.getInputs(),
                        [](Value v) { return !isa<ShapedType>(v.getType()); }) &&
           isClonable(fill.getOutputs()[0]);
  if (auto cst = dyn_cast<arith::ConstantOp>(def)) {
    auto dense = dyn_cast<DenseElementsAttr>(cst.getValue());
    if (!isa<TensorType>(cst.getType()))
      return true;
    return dense && (dense.isSplat() ||
                     dense.getNumElements() <= kMaxClonedConstantElements);
  }
  return false;
}

/// An all-parallel linalg.generic whose output maps are identities: the
/// ops that fuse with their neighbours for free.
bool isElementwise(Operation *op) {
  auto generic = dyn_cast<linalg::GenericOp>(op);
  if (!generic || !generic.hasPureTensorSemantics() ||
      generic.getNumReductionLoops() != 0)
    return false;
  return llvm::all_of(generic.getDpsInitsMutable(), [&](OpOperand &init) {
    return generic.getMatchingIndexingMap(&init).isIdentity();
  });
}

/// Ops that may join a group after its root: generic ops over one
/// result whose operands are indexed by projected permutations (elementwise
/// ops with broadcasts, transposes, row reductions), but no contraction,
/// which is a root of its own.
bool isFusableConsumer(Operation *op) {
  auto generic = dyn_cast<linalg::GenericOp>(op);
  if (!generic || !generic.hasPureTensorSemantics() ||
      generic->getNumResults() != 1)
    return false;
  if (!llvm::all_of(generic.getIndexingMapsArray(), [](AffineMap map) {
        return map.isProjectedPermutation();
      }))
    return false;
  if (generic.getNumReductionLoops() == 0)
    return true;
  return !linalg::isaContractionOpInterface(generic) &&
         !linalg::isaConvolutionOpInterface(generic);
}

/// Ops that may join the group of their only consumer: elementwise ops and
/// transposes (computed tile by tile with it), the padding of a window
/// op's input, and static slices, which become views of a kernel operand.
bool isFusableProducer(Operation *op) {
  if (isElementwise(op))
    return true;
  // Padding of a convolution's or a pool's input (a packed convolution's or a
  // Winograd input transform's too): each workgroup pads the rows of input
  // it reads.
  if (auto pad = dyn_cast<tensor::PadOp>(op)) {
    if (!pad.getResultType().hasStaticShape() ||
        !pad.getConstantPaddingValue() || !op->hasOneUse())
      return false;
    Operation *user = *op->getUsers().begin();
    auto linalgUser = dyn_cast<linalg::LinalgOp>(user);
    return isa<linalg::ConvolutionOpInterface>(user) ||
           (linalgUser && matchPackedConv(linalgUser)) ||
           getWinogradPart(user) == kWinogradInput;
  }
  // A Winograd convolution's input transform and products join its output
  // transform's kernel (compiler/Codegen/Winograd.h), which computes the
  // blocks of each workgroup's tile.
  if (StringRef part = getWinogradPart(op);
      part == kWinogradInput || part == kWinogradProduct)
    return op->hasOneUse();
  if (auto slice = dyn_cast<tensor::ExtractSliceOp>(op))
    return slice.getSourceType().hasStaticShape() &&
           slice.getResultType().hasStaticShape() &&
           slice.getOffsets().empty() && slice.getSizes().empty() &&
           slice.getStrides().empty();
  return false;
}

/// Roots: the ops whose groups form first, so that they claim their
/// producers and consumers before those start groups of their own.
bool isRoot(Operation *op) {
  // A loop nest already tiled into workgroups (attention), before the
  // slices it reads start groups of their own.
  if (isa<scf::ForallOp>(op))
    return true;
  auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
  if (!linalgOp || isa<linalg::FillOp>(op))
    return false;
  // The parts of a Winograd convolution form one kernel, from its output.
  if (StringRef part = getWinogradPart(op); !part.empty())
    return part == kWinogradOutput;
  return linalgOp.getNumReductionLoops() > 0 || !isa<linalg::GenericOp>(op);
}

/// The ops of one group, in program order.
using Group = llvm::SmallSetVector<Operation *, 8>;

class RegionFormer {
public:
  RegionFormer(func::FuncOp func, bool fuse) : func(func), fuse(fuse) {}

  LogicalResult run() {
    Block &body = func.getBody().front();
    // Roots (contractions, convolutions, pools, reductions) first, then
    // whatever they left, each in program order.
    for (bool roots : {true, false}) {
      for (Operation &op : body) {
        if (isHostOp(&op) || op.hasTrait<OpTrait::IsTerminator>())
          continue;
        // A clonable op gets its own region only when the host needs its
        // value (as a result, or through a reshape).
        if (op.getNumResults() == 1 && isClonable(op.getResult(0)) &&
            llvm::none_of(op.getUsers(), [](Operation *user) {
              return isHostOp(user) || isa<func::ReturnOp>(user);
            }))
          continue;
        if (auto cst = dyn_cast<arith::ConstantOp>(op); cst)
          continue;
        if (op.getNumRegions() == 0 && op.getNumResults() == 0)
          continue;
        if (groupOf.count(&op) || (roots && !isRoot(&op)))
          continue;
        seed(&op);
      }
    }
    for (auto &group : groups)
      if (failed(createRegion(*group)))
        return failure();
    return success();
  }

private:
  /// Starts a group at `op` and grows it.
  void seed(Operation *op) {
    groups.push_back(std::make_unique<Group>());
    Group &group = *groups.back();
    add(group, op);
    if (!fuse)
      return;
    // A loop nest the lowering already tiled into workgroups (attention)
    // is a kernel of its own: an op joining it would run in every
    // workgroup, except static slices, which are views of its operands.
    if (isa<scf::ForallOp>(op)) {
      llvm::SetVector<Value> captured;
      getUsedValuesDefinedAbove(op->getRegion(0), captured);
      for (Value v : captured) {
        auto slice = v.getDefiningOp<tensor::ExtractSliceOp>();
        if (slice && !groupOf.count(slice) && isFusableProducer(slice) &&
            slice->getBlock() == op->getBlock() &&
            llvm::all_of(slice->getUsers(), [&](Operation *user) {
              return op->isAncestor(user);
            }))
          add(group, slice);
      }
      return;
    }
    growConsumers(group);
    growProducers(group);
  }

  /// Adds consumers of the group's values, earliest first, as long as the
  /// group stays one kernel with one output: elementwise ops (their other
  /// operands may broadcast), transposes, and reductions (the rows of a
  /// softmax or a normalization). A consumer joins only when its other
  /// operands are computed before the group starts and when no op outside
  /// the group needs a group value before the consumer's place, where the
  /// region will be. Additions past the last point at which the group had
  /// a single output are undone.
  void growConsumers(Group &group) {
    size_t checkpoint = group.size();
    while (true) {
      Operation *candidate = nullptr;
      for (Operation *member : group)
        for (Operation *user : member->getUsers())
          if (!groupOf.count(user) && isFusableConsumer(user) &&
              user->getBlock() == member->getBlock() &&
              (!candidate || user->isBeforeInBlock(candidate)) &&
              canAddConsumer(group, user))
            candidate = user;
      if (!candidate)
        break;
      add(group, candidate);
      if (countOutputs(group) <= 1)
        checkpoint = group.size();
    }
    while (group.size() > checkpoint) {
      groupOf.erase(group.back());
      group.pop_back();
    }
  }

  /// Producers: elementwise ops, transposes and slices whose every use is
  /// in the group.
  void growProducers(Group &group) {
    bool changed = true;
    while (changed) {
      changed = false;
      for (Operation *member : SmallVector<Operation *>(group.begin(),
                                                        group.end())) {
        for (Value operand : member->getOperands()) {
          Operation *def = operand.getDefiningOp();
          if (!def || groupOf.count(def) || !isFusableProducer(def) ||
              def->getBlock() != member->getBlock())
            continue;
          if (!llvm::all_of(def->getUsers(), [&](Operation *user) {
                return group.contains(user);
              }))
            continue;
          add(group, def);
          changed = true;
        }
      }
    }
  }

  /// Whether `user` can join `group` as a consumer (see growConsumers).
  bool canAddConsumer(const Group &group, Operation *user) {
    Operation *first = group.front();
    Operation *last = user;
    for (Operation *member : group) {
      if (member->isBeforeInBlock(first))
        first = member;
      if (last->isBeforeInBlock(member))
        last = member;
    }
    for (Value operand : user->getOperands()) {
      Operation *def = operand.getDefiningOp();
      if (!def || group.contains(def) || isClonable(operand))
        continue;
      if (def->getBlock() != first->getBlock() ||
          !def->isBeforeInBlock(first))
        return false;
    }
    for (Operation *member : group)
      for (Operation *outside : member->getUsers())
        if (outside != user && !group.contains(outside) &&
            outside->getBlock() == last->getBlock() &&
            outside->isBeforeInBlock(last))
          return false;
    return true;
  }

  /// Results of the group's ops used outside the group.
  static size_t countOutputs(const Group &group) {
    size_t outputs = 0;
    for (Operation *member : group)
      for (Value result : member->getResults())
        if (llvm::any_of(result.getUsers(), [&](Operation *user) {
              return !group.contains(user);
            }))
          ++outputs;
    return outputs;
  }

  void add(Group &group, Operation *op) {
    group.insert(op);
    groupOf[op] = &group;
  }

  /// Replaces the group's ops with one region at the place of its last op.
  LogicalResult createRegion(Group &group) {
    SmallVector<Operation *> ops(group.begin(), group.end());
    llvm::sort(ops, [](Operation *a, Operation *b) {
      return a->isBeforeInBlock(b);
    });
    Operation *last = ops.back();
    llvm::SmallDenseSet<Operation *> members(ops.begin(), ops.end());

    // Inputs: values from outside, except what is cloned in.
    llvm::SetVector<Value> inputs;
    llvm::SetVector<Operation *> clones;
    std::function<void(Value)> visitOperand = [&](Value v) {
      Operation *def = v.getDefiningOp();
      if (def && members.contains(def))
        return;
      if (isClonable(v)) {
        for (Value inner : def->getOperands())
          visitOperand(inner);
        clones.insert(def);
        return;
      }
      inputs.insert(v);
    };
    for (Operation *op : ops)
      op->walk([&](Operation *nested) {
        for (Value operand : nested->getOperands()) {
          // Values defined inside the op's own regions are not inputs.
          if (Operation *def = operand.getDefiningOp();
              def && op->isAncestor(def))
            continue;
          if (auto arg = dyn_cast<BlockArgument>(operand);
              arg && op->isAncestor(arg.getOwner()->getParentOp()))
            continue;
          visitOperand(operand);
        }
      });
    // Results: values used outside the group (a use nested in a member's
    // region, as a tiled loop nest reads its operands, is inside).
    auto isMember = [&](Operation *user) {
      for (Operation *op = user; op; op = op->getParentOp())
        if (members.contains(op))
          return true;
      return false;
    };
    SmallVector<Value> results;
    for (Operation *op : ops)
      for (Value result : op->getResults())
        if (llvm::any_of(result.getUsers(), [&](Operation *user) {
              return !isMember(user);
            }))
          results.push_back(result);
    for (Value result : results)
      for (Operation *user : result.getUsers())
        if (!members.contains(user) && user->getBlock() == last->getBlock() &&
            user->isBeforeInBlock(last))
          return last->emitError("internal error: dispatch group would "
                                 "break dominance");

    OpBuilder builder(last);
    SmallVector<Location> locs;
    for (Operation *op : ops)
      locs.push_back(op->getLoc());
    Location loc = builder.getFusedLoc(locs);
    SmallVector<Type> resultTypes;
    for (Value v : results)
      resultTypes.push_back(v.getType());
    auto region = RegionOp::create(builder, loc, resultTypes,
                                   inputs.getArrayRef());
    Block &body = region.getBody().front();
    IRMapping mapping;
    for (auto [input, arg] : llvm::zip(inputs, body.getArguments()))
      mapping.map(input, arg);
    OpBuilder inner = OpBuilder::atBlockEnd(&body);
    // Clones first, in program order, then the group's ops.
    SmallVector<Operation *> cloneList(clones.begin(), clones.end());
    llvm::sort(cloneList, [](Operation *a, Operation *b) {
      return a->getBlock() == b->getBlock() ? a->isBeforeInBlock(b) : false;
    });
    for (Operation *op : cloneList)
      inner.clone(*op, mapping);
    for (Operation *op : ops)
      inner.clone(*op, mapping);
    SmallVector<Value> returned;
    for (Value v : results)
      returned.push_back(mapping.lookup(v));
    ReturnOp::create(inner, loc, returned);

    for (auto [v, r] : llvm::zip(results, region.getResults()))
      v.replaceUsesWithIf(r, [&](OpOperand &use) {
        return !isMember(use.getOwner());
      });
    for (Operation *op : llvm::reverse(ops)) {
      op->dropAllUses();
      op->erase();
    }
    return success();
  }

  func::FuncOp func;
  bool fuse;
  std::vector<std::unique_ptr<Group>> groups;
  llvm::DenseMap<Operation *, Group *> groupOf;
};

struct DispatchFormRegionsPass
    : public impl::DispatchFormRegionsPassBase<DispatchFormRegionsPass> {
  using Base::Base;
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func.isExternal())
      return;
    if (failed(RegionFormer(func, fuseElementwise).run()))
      return signalPassFailure();
    // Clonable producers now used only inside regions are dead.
    SmallVector<Operation *> dead;
    func.walk([&](Operation *op) {
      if (op->getParentOfType<RegionOp>())
        return;
      if (!isa<func::ReturnOp>(op) && op->use_empty() &&
          (isa<tensor::EmptyOp, linalg::FillOp, arith::ConstantOp>(op)))
        dead.push_back(op);
    });
    for (Operation *op : llvm::reverse(dead))
      if (op->use_empty())
        op->erase();
  }
};

} // namespace
} // namespace kiln::dispatch
