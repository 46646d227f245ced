//===- SequenceImporters.cpp - Sequences inside a graph -------------------===//
//
// Kiln has no sequence type. A sequence that a graph builds and consumes
// itself has a length known when the graph is imported, and when its
// elements share a shape it is one tensor stacking them along a new
// leading dimension: SequenceInsert, SequenceErase and SequenceAt with
// positions known only at run time become Concat and Gather with computed
// indices. Sequences as model inputs or outputs stay unsupported.
//
//===----------------------------------------------------------------------===//

#include "compiler/Import/GraphImporter.h"
#include "compiler/Import/NodeImporter.h"
#include "compiler/Import/SequenceImporters.h"

#include "dialects/Graph/IR/GraphOps.h"
#include "dialects/Graph/IR/GraphUtils.h"

#include "llvm/Support/MathExtras.h"

using namespace mlir;

namespace kiln {
namespace {

using Sequence = GraphImporter::Sequence;

/// The sequence input `i` of `node`, or an error.
FailureOr<Sequence> getSequenceInput(NodeImporter &node, unsigned i) {
  if (node.hasInput(i))
    if (std::optional<Sequence> seq =
            node.getGraphImporter().getSequence(node.getInputs()[i]))
      return *seq;
  return node.emitError() << "input " << i << " is not a sequence this graph "
                             "builds (sequences as model inputs are not "
                             "supported)";
}

LogicalResult setSequenceOutput(NodeImporter &node, Sequence seq) {
  // The output name needs a value of its own; the sequence hangs off it.
  Value value = node.createNone();
  node.getGraphImporter().setSequence(value, seq);
  return node.setOutputs(value);
}

/// A sequence whose elements are `elements`.
Sequence fromElements(SmallVector<Value> elements) {
  Sequence seq;
  seq.length = int64_t(elements.size());
  seq.elements = std::move(elements);
  seq.elementsKnown = true;
  return seq;
}

/// `value` with a new leading dimension of size 1.
FailureOr<Value> unsqueezeFront(NodeImporter &node, Value value) {
  return node.createOp1("unsqueeze", {value, node.createI64Vector({0})});
}

Value concatRows(NodeImporter &node, ArrayRef<Value> parts);

/// The stacked tensor of a sequence, built from its elements when they
/// are known; an error when they differ in shape.
FailureOr<Value> getStacked(NodeImporter &node, Sequence &seq) {
  if (seq.stacked)
    return seq.stacked;
  if (seq.length == 0 || !seq.elementsKnown)
    return node.emitError() << "a sequence whose elements differ in shape is "
                               "not supported here";
  SmallVector<Value> rowsToJoin;
  for (Value v : seq.elements) {
    if (v.getType() != seq.elements.front().getType())
      return node.emitError() << "this use of a sequence needs its elements "
                                 "to share one shape";
    FailureOr<Value> row = unsqueezeFront(node, v);
    if (failed(row))
      return failure();
    rowsToJoin.push_back(*row);
  }
  Value stacked = concatRows(node, rowsToJoin);
  if (!stacked)
    return failure();
  seq.stacked = stacked;
  return stacked;
}

/// A run-time position normalized to [0, size): p < 0 means p + size.
FailureOr<Value> normalizePosition(NodeImporter &node, Value pos,
                                   int64_t size) {
  auto type = cast<RankedTensorType>(pos.getType());
  Type elt = type.getElementType();
  Value zero = node.createScalarConstant(elt, 0, type.getShape());
  Value sizeValue = node.createScalarConstant(elt, double(size), type.getShape());
  FailureOr<Value> negative = node.createOp1("less", {pos, zero});
  FailureOr<Value> shifted = node.createOp1("add", {pos, sizeValue});
  if (failed(negative) || failed(shifted))
    return failure();
  FailureOr<Value> normalized =
      node.createOp1("where", {*negative, *shifted, pos});
  if (failed(normalized))
    return failure();
  return node.createOp1("cast", {*normalized},
                        {node.getBuilder().getNamedAttr(
                            "to", TypeAttr::get(node.getBuilder().getI64Type()))});
}

/// Rows of `stacked` picked by `indices` (a 1-D i64 tensor).
FailureOr<Value> pickRows(NodeImporter &node, Value stacked, Value indices) {
  return node.createOp1("gather", {stacked, indices});
}

LogicalResult importSequenceEmpty(NodeImporter &node) {
  return setSequenceOutput(node, fromElements({}));
}

LogicalResult importSequenceConstruct(NodeImporter &node) {
  SmallVector<Value> elements;
  for (unsigned i = 0; i < node.getNumInputs(); ++i)
    elements.push_back(node.getInput(i));
  return setSequenceOutput(node, fromElements(std::move(elements)));
}

LogicalResult importSequenceLength(NodeImporter &node) {
  FailureOr<Sequence> seq = getSequenceInput(node, 0);
  if (failed(seq))
    return failure();
  return node.setOutputs(node.createI64Constant({seq->length}, {}));
}

LogicalResult importSequenceAt(NodeImporter &node) {
  FailureOr<Sequence> seq = getSequenceInput(node, 0);
  if (failed(seq))
    return failure();
  if (std::optional<SmallVector<int64_t>> pos =
          graph::getConstantInts(node.getInput(1));
      pos && pos->size() == 1 && seq->elementsKnown) {
    int64_t p = (*pos)[0] < 0 ? (*pos)[0] + seq->length : (*pos)[0];
    if (p < 0 || p >= seq->length)
      return node.emitError() << "position " << (*pos)[0]
                              << " is out of range for a sequence of "
                              << seq->length;
    FailureOr<Value> copy = node.createOp1("identity", {seq->elements[p]});
    if (failed(copy))
      return failure();
    return node.setOutputs(*copy);
  }
  FailureOr<Value> stacked = getStacked(node, *seq);
  if (failed(stacked))
    return failure();
  FailureOr<Value> row = node.createOp1("gather", {*stacked, node.getInput(1)});
  if (failed(row))
    return failure();
  return node.setOutputs(*row);
}

Value concatRows(NodeImporter &node, ArrayRef<Value> parts) {
  FailureOr<Value> joined = node.createOp1(
      "concat", parts,
      {node.getBuilder().getNamedAttr("axis",
                                      node.getBuilder().getI64IntegerAttr(0))});
  return succeeded(joined) ? *joined : Value();
}

LogicalResult importSequenceInsert(NodeImporter &node) {
  FailureOr<Sequence> seq = getSequenceInput(node, 0);
  if (failed(seq))
    return failure();
  int64_t n = seq->length;
  Value tensor = node.getInput(1);
  // Positions count from the back when negative: -1 inserts before the
  // last element; absent means at the end.
  std::optional<int64_t> constantPos = n;
  if (node.hasInput(2)) {
    std::optional<SmallVector<int64_t>> pos =
        graph::getConstantInts(node.getInput(2));
    constantPos = pos && pos->size() == 1
                      ? std::optional<int64_t>((*pos)[0] < 0 ? (*pos)[0] + n
                                                             : (*pos)[0])
                      : std::nullopt;
  }
  if (constantPos && (*constantPos < 0 || *constantPos > n))
    return node.emitError() << "insert position is out of range for a "
                               "sequence of "
                            << n;
  if (constantPos && seq->elementsKnown) {
    SmallVector<Value> elements = seq->elements;
    elements.insert(elements.begin() + *constantPos, tensor);
    return setSequenceOutput(node, fromElements(std::move(elements)));
  }
  FailureOr<Value> row = unsqueezeFront(node, tensor);
  if (failed(row))
    return failure();
  if (n == 0) {
    Sequence out;
    out.stacked = *row;
    out.length = 1;
    return setSequenceOutput(node, out);
  }
  FailureOr<Value> stacked = getStacked(node, *seq);
  if (failed(stacked))
    return failure();
  if (cast<RankedTensorType>((*stacked).getType()).getShape().drop_front() !=
      cast<RankedTensorType>((*row).getType()).getShape().drop_front())
    return node.emitError() << "inserting a tensor of another shape at a "
                               "run-time position is not supported";
  Value appended = concatRows(node, {*stacked, *row});
  if (!appended)
    return failure();
  Value order;
  if (constantPos) {
    SmallVector<int64_t> indices;
    for (int64_t i = 0; i <= n; ++i)
      indices.push_back(i < *constantPos ? i
                                         : (i == *constantPos ? n : i - 1));
    order = node.createI64Vector(indices);
  } else {
    // Run-time position p: row i of the result is row i (i < p), the new
    // row (i == p, stored last) or row i - 1 (i > p).
    FailureOr<Value> p = normalizePosition(node, node.getInput(2), n);
    if (failed(p))
      return failure();
    SmallVector<int64_t> iota, previous;
    for (int64_t i = 0; i <= n; ++i) {
      iota.push_back(i);
      previous.push_back(std::max<int64_t>(i - 1, 0));
    }
    Value range = node.createI64Vector(iota);
    FailureOr<Value> before = node.createOp1("less", {range, *p});
    FailureOr<Value> at = node.createOp1("equal", {range, *p});
    if (failed(before) || failed(at))
      return failure();
    FailureOr<Value> tail =
        node.createOp1("where", {*at, node.createI64Constant({n}, {}),
                                 node.createI64Vector(previous)});
    if (failed(tail))
      return failure();
    FailureOr<Value> picked = node.createOp1("where", {*before, range, *tail});
    if (failed(picked))
      return failure();
    order = *picked;
  }
  FailureOr<Value> picked = pickRows(node, appended, order);
  if (failed(picked))
    return failure();
  Sequence out;
  out.stacked = *picked;
  out.length = n + 1;
  return setSequenceOutput(node, out);
}

LogicalResult importSequenceErase(NodeImporter &node) {
  FailureOr<Sequence> seq = getSequenceInput(node, 0);
  if (failed(seq))
    return failure();
  int64_t n = seq->length;
  if (n == 0)
    return node.emitError() << "erasing from an empty sequence";
  std::optional<int64_t> constantPos = n - 1;
  if (node.hasInput(1)) {
    std::optional<SmallVector<int64_t>> pos =
        graph::getConstantInts(node.getInput(1));
    constantPos = pos && pos->size() == 1
                      ? std::optional<int64_t>((*pos)[0] < 0 ? (*pos)[0] + n
                                                             : (*pos)[0])
                      : std::nullopt;
  }
  if (constantPos && (*constantPos < 0 || *constantPos >= n))
    return node.emitError() << "erase position is out of range for a "
                               "sequence of "
                            << n;
  if (constantPos && seq->elementsKnown) {
    SmallVector<Value> elements = seq->elements;
    elements.erase(elements.begin() + *constantPos);
    return setSequenceOutput(node, fromElements(std::move(elements)));
  }
  if (n == 1)
    return setSequenceOutput(node, fromElements({}));
  FailureOr<Value> stacked = getStacked(node, *seq);
  if (failed(stacked))
    return failure();
  Value order;
  if (constantPos) {
    SmallVector<int64_t> indices;
    for (int64_t i = 0; i < n - 1; ++i)
      indices.push_back(i < *constantPos ? i : i + 1);
    order = node.createI64Vector(indices);
  } else {
    FailureOr<Value> p = normalizePosition(node, node.getInput(1), n);
    if (failed(p))
      return failure();
    SmallVector<int64_t> iota, next;
    for (int64_t i = 0; i < n - 1; ++i) {
      iota.push_back(i);
      next.push_back(i + 1);
    }
    Value range = node.createI64Vector(iota);
    FailureOr<Value> before = node.createOp1("less", {range, *p});
    if (failed(before))
      return failure();
    FailureOr<Value> picked = node.createOp1(
        "where", {*before, range, node.createI64Vector(next)});
    if (failed(picked))
      return failure();
    order = *picked;
  }
  FailureOr<Value> picked = pickRows(node, *stacked, order);
  if (failed(picked))
    return failure();
  Sequence out;
  out.stacked = *picked;
  out.length = n - 1;
  return setSequenceOutput(node, out);
}

/// The permutation moving dimension `from` of a rank-`rank` tensor to
/// position `to`, the others keeping their order.
SmallVector<int64_t> movePermutation(int64_t rank, int64_t from, int64_t to) {
  SmallVector<int64_t> perm;
  for (int64_t i = 0; i < rank; ++i)
    if (i != from)
      perm.push_back(i);
  perm.insert(perm.begin() + to, from);
  return perm;
}

LogicalResult importSplitToSequence(NodeImporter &node) {
  Value x = node.getInput(0);
  auto type = cast<RankedTensorType>(x.getType());
  int64_t rank = type.getRank();
  int64_t axis = node.getIntAttr("axis").value_or(0);
  if (axis < -rank || axis >= rank)
    return node.emitError() << "axis " << axis << " is out of range";
  if (axis < 0)
    axis += rank;
  bool keepdims = node.getIntAttr("keepdims").value_or(1) != 0;
  int64_t size = type.getDimSize(axis);
  if (ShapedType::isDynamic(size))
    return node.emitError() << "SplitToSequence needs a static split axis";
  Builder &b = node.getBuilder();
  auto perm = [&](ArrayRef<int64_t> p) {
    return b.getNamedAttr("perm", b.getDenseI64ArrayAttr(p));
  };
  int64_t chunk = 1;
  if (node.hasInput(1)) {
    Value split = node.getInput(1);
    auto splitType = cast<RankedTensorType>(split.getType());
    std::optional<SmallVector<int64_t>> sizes = graph::getConstantInts(split);
    if (splitType.getRank() == 1) {
      // Lengths per chunk: only the count is known unless they are equal
      // constants.
      int64_t count = splitType.getDimSize(0);
      int64_t total;
      if (sizes && !sizes->empty() && llvm::all_equal(*sizes) &&
          !llvm::MulOverflow((*sizes)[0], count, total) && total == size)
        chunk = (*sizes)[0];
      else if (!ShapedType::isDynamic(count))
        {
        Sequence out;
        out.length = count;
        return setSequenceOutput(node, out);
      }
      else
        return node.emitError() << "SplitToSequence needs a static number "
                                   "of chunks";
    } else {
      if (!sizes || sizes->size() != 1 || (*sizes)[0] <= 0)
        return node.emitError() << "SplitToSequence needs a constant scalar "
                                   "split";
      chunk = (*sizes)[0];
      if (size % chunk != 0)
      {
        Sequence out;
        out.length = (size + chunk - 1) / chunk;
        return setSequenceOutput(node, out);
      }
    }
    keepdims = true; // With a split, chunks keep the axis.
  }
  int64_t count = size / chunk;
  // [..., size, ...] -> [..., count, chunk, ...] -> count first.
  SmallVector<int64_t> shape(type.getShape());
  shape[axis] = chunk;
  shape.insert(shape.begin() + axis, count);
  FailureOr<Value> split =
      node.createOp1("reshape", {x, node.createI64Vector(shape)});
  if (failed(split))
    return failure();
  FailureOr<Value> stacked = node.createOp1(
      "transpose", {*split}, {perm(movePermutation(rank + 1, axis, 0))});
  if (failed(stacked))
    return failure();
  if (!keepdims) {
    FailureOr<Value> squeezed = node.createOp1(
        "squeeze", {*stacked, node.createI64Vector({axis + 1})});
    if (failed(squeezed))
      return failure();
    stacked = squeezed;
  }
  Sequence out;
  out.stacked = *stacked;
  out.length = count;
  return setSequenceOutput(node, out);
}

LogicalResult importConcatFromSequence(NodeImporter &node) {
  FailureOr<Sequence> seq = getSequenceInput(node, 0);
  if (failed(seq))
    return failure();
  FailureOr<Value> stacked = getStacked(node, *seq);
  if (failed(stacked))
    return failure();
  auto type = cast<RankedTensorType>((*stacked).getType());
  int64_t elementRank = type.getRank() - 1;
  bool newAxis = node.getIntAttr("new_axis").value_or(0) != 0;
  int64_t axis = *node.getIntAttr("axis");
  int64_t limit = newAxis ? elementRank + 1 : elementRank;
  if (axis < -limit || axis >= limit)
    return node.emitError() << "axis " << axis << " is out of range";
  if (axis < 0)
    axis += limit;
  Builder &b = node.getBuilder();
  if (newAxis) {
    FailureOr<Value> moved = node.createOp1(
        "transpose", {*stacked},
        {b.getNamedAttr("perm", b.getDenseI64ArrayAttr(movePermutation(
                                    elementRank + 1, 0, axis)))});
    if (failed(moved))
      return failure();
    return node.setOutputs(*moved);
  }
  // Concatenate along an existing axis: put the sequence dimension just
  // before it, then merge the two.
  FailureOr<Value> moved = node.createOp1(
      "transpose", {*stacked},
      {b.getNamedAttr("perm", b.getDenseI64ArrayAttr(
                                  movePermutation(elementRank + 1, 0, axis)))});
  if (failed(moved))
    return failure();
  SmallVector<int64_t> shape(type.getShape().drop_front());
  shape[axis] *= seq->length;
  FailureOr<Value> merged =
      node.createOp1("reshape", {*moved, node.createI64Vector(shape)});
  if (failed(merged))
    return failure();
  return node.setOutputs(*merged);
}

} // namespace

OpImportFn lookupSequenceImporter(StringRef opType) {
  static const llvm::StringMap<OpImportFn> importers = {
      {"SequenceEmpty", importSequenceEmpty},
      {"SequenceConstruct", importSequenceConstruct},
      {"SequenceLength", importSequenceLength},
      {"SequenceAt", importSequenceAt},
      {"SequenceInsert", importSequenceInsert},
      {"SequenceErase", importSequenceErase},
      {"SplitToSequence", importSplitToSequence},
      {"ConcatFromSequence", importConcatFromSequence},
  };
  auto it = importers.find(opType);
  return it == importers.end() ? nullptr : it->second;
}

} // namespace kiln
