//===- GraphNNLayerOps.cpp - Matrix, recurrent and other NN layers --------===//
//
// Shape inference and folders of the NN ops that do not slide a window:
// MatMul, Gemm, Einsum, Det, Dropout, the losses, NonMaxSuppression,
// RoiAlign, GridSample and the recurrent layers. The op classes themselves
// are generated into GraphNNOps.cpp.
//
//===----------------------------------------------------------------------===//

#include "dialects/Graph/IR/GraphOps.h"
#include "dialects/Graph/IR/GraphUtils.h"

#include "llvm/ADT/StringExtras.h"

using namespace mlir;
using namespace kiln::graph;

namespace kiln::graph {

/// Whether two sizes can describe the same dimension.
static bool compatible(int64_t a, int64_t b) {
  return ShapedType::isDynamic(a) || ShapedType::isDynamic(b) || a == b;
}

/// The more precise of two compatible sizes.
static int64_t refine(int64_t a, int64_t b) {
  return ShapedType::isDynamic(a) ? b : a;
}

/// Checks that an INT attribute that ONNX treats as a flag is 0 or 1.
static LogicalResult checkFlag(Operation *op, StringRef name, int64_t value) {
  if (value != 0 && value != 1)
    return op->emitOpError() << name << " must be 0 or 1, got " << value;
  return success();
}

/// Checks that an optional operand, when present, has element type `elt`.
static LogicalResult checkElementType(Operation *op, Value v, Type elt,
                                      StringRef name) {
  RankedTensorType type = getTensorType(v);
  if (type && type.getElementType() != elt)
    return op->emitOpError() << name << " must have element type " << elt
                             << ", got " << type.getElementType();
  return success();
}

/// Checks that an optional operand, when present, holds one element (a
/// scalar or a 1-element tensor, as ONNX accepts for scalar inputs).
static LogicalResult checkScalar(Operation *op, Value v, StringRef name) {
  RankedTensorType type = getTensorType(v);
  if (!type)
    return success();
  if (type.getRank() > 1 ||
      (type.hasStaticShape() && type.getNumElements() != 1))
    return op->emitOpError() << name << " must be a scalar, got " << type;
  return success();
}

/// Checks a string attribute against the values ONNX allows.
static LogicalResult checkOneOf(Operation *op, StringRef name,
                                StringRef value,
                                ArrayRef<StringRef> allowed) {
  if (llvm::is_contained(allowed, value))
    return success();
  InFlightDiagnostic diag = op->emitOpError() << name << " must be ";
  llvm::interleave(
      allowed, [&](StringRef a) { diag << "'" << a << "'"; },
      [&] { diag << ", "; });
  return diag << "; got '" << value << "'";
}

/// Pushes `shape` with element type `elt` onto `inferred`, checked.
static LogicalResult pushType(Operation *op, ArrayRef<int64_t> shape,
                              Type elt, SmallVectorImpl<Type> &inferred) {
  FailureOr<RankedTensorType> type = checkedTensorType(op, shape, elt);
  if (failed(type))
    return failure();
  inferred.push_back(*type);
  return success();
}

//===----------------------------------------------------------------------===//
// MatMulOp, GemmOp
//===----------------------------------------------------------------------===//

LogicalResult MatMulOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  RankedTensorType a = getA().getType(), b = getB().getType();
  if (a.getElementType() != b.getElementType())
    return emitOpError("A and B must have one element type");
  FailureOr<SmallVector<int64_t>> shape =
      inferMatMulShape(*this, a.getShape(), b.getShape());
  if (failed(shape))
    return failure();
  return pushType(*this, *shape, a.getElementType(), inferred);
}

LogicalResult GemmOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  RankedTensorType a = getA().getType(), b = getB().getType();
  Type elt = a.getElementType();
  if (a.getRank() != 2)
    return emitOpError("A must be 2-D, got rank ") << a.getRank();
  if (b.getRank() != 2)
    return emitOpError("B must be 2-D, got rank ") << b.getRank();
  if (b.getElementType() != elt)
    return emitOpError("A and B must have one element type");
  if (failed(checkElementType(*this, getC(), elt, "C")))
    return failure();
  bool transA = getTransA() != 0, transB = getTransB() != 0;
  int64_t m = a.getDimSize(transA ? 1 : 0), ka = a.getDimSize(transA ? 0 : 1);
  int64_t kb = b.getDimSize(transB ? 1 : 0), n = b.getDimSize(transB ? 0 : 1);
  if (!compatible(ka, kb))
    return emitOpError("contraction dimensions differ: ") << ka << " vs " << kb;
  SmallVector<int64_t> shape = {m, n};
  if (RankedTensorType c = getTensorType(getC())) {
    if (c.getRank() > 2)
      return emitOpError("C must have rank <= 2, got ") << c.getRank();
    // C broadcasts to [M, N] in one direction: a static size other than 1
    // must be the result's, and tells it where the operands do not.
    for (int64_t i = 0; i < c.getRank(); ++i) {
      int64_t d = c.getDimSize(i);
      int64_t &out = shape[2 - c.getRank() + i];
      if (ShapedType::isDynamic(d) || d == 1)
        continue;
      if (!compatible(d, out))
        return emitOpError("C of shape ")
               << c << " does not broadcast to [" << shape[0] << ", "
               << shape[1] << "]";
      out = d;
    }
  }
  return pushType(*this, shape, elt, inferred);
}

//===----------------------------------------------------------------------===//
// EinsumOp
//===----------------------------------------------------------------------===//

namespace {
/// One term of an einsum equation: its labels in order, and where the
/// ellipsis sits among them (the number of labels before it), if anywhere.
struct EinsumTerm {
  SmallVector<char> labels;
  std::optional<size_t> ellipsis;
};

/// A parsed einsum equation; `output` is absent in implicit mode.
struct EinsumEquation {
  SmallVector<EinsumTerm> inputs;
  std::optional<EinsumTerm> output;
};
} // namespace

/// Parses one term (spaces already removed).
static FailureOr<EinsumTerm> parseEinsumTerm(Operation *op, StringRef text) {
  EinsumTerm term;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (llvm::isAlpha(c)) {
      term.labels.push_back(c);
      continue;
    }
    if (c == '.') {
      if (!text.substr(i).starts_with("..."))
        return op->emitOpError("equation has a '.' outside an ellipsis");
      if (term.ellipsis)
        return op->emitOpError("equation term '")
               << text << "' has more than one ellipsis";
      term.ellipsis = term.labels.size();
      i += 2;
      continue;
    }
    return op->emitOpError("equation has an unexpected character '")
           << c << "'";
  }
  return term;
}

static FailureOr<EinsumEquation> parseEinsum(Operation *op,
                                             StringRef equation) {
  std::string text;
  for (char c : equation)
    if (c != ' ')
      text.push_back(c);
  StringRef rest(text);
  EinsumEquation eq;
  size_t arrow = rest.find("->");
  StringRef lhs = rest.substr(0, arrow);
  if (arrow != StringRef::npos) {
    StringRef rhs = rest.substr(arrow + 2);
    if (rhs.contains("->"))
      return op->emitOpError("equation has more than one '->'");
    FailureOr<EinsumTerm> out = parseEinsumTerm(op, rhs);
    if (failed(out))
      return failure();
    eq.output = *out;
  }
  SmallVector<StringRef> terms;
  lhs.split(terms, ',');
  for (StringRef t : terms) {
    FailureOr<EinsumTerm> term = parseEinsumTerm(op, t);
    if (failed(term))
      return failure();
    eq.inputs.push_back(*term);
  }
  return eq;
}

LogicalResult EinsumOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  if (getInputs().empty())
    return emitOpError("needs at least one operand");
  FailureOr<EinsumEquation> eq = parseEinsum(*this, getEquation());
  if (failed(eq))
    return failure();
  if (eq->inputs.size() != getInputs().size())
    return emitOpError("equation has ")
           << eq->inputs.size() << " input terms for " << getInputs().size()
           << " operands";
  Type elt = cast<RankedTensorType>(getInputs()[0].getType()).getElementType();

  // Sizes per label (broadcasting 1s), and the broadcast ellipsis dims.
  DenseMap<char, int64_t> sizes;
  DenseMap<char, int64_t> counts;
  SmallVector<SmallVector<int64_t>> ellipsisShapes;
  for (auto [idx, operand, term] : llvm::enumerate(getInputs(), eq->inputs)) {
    auto type = cast<RankedTensorType>(operand.getType());
    if (type.getElementType() != elt)
      return emitOpError("operands must have one element type");
    int64_t rank = type.getRank();
    int64_t named = term.labels.size();
    if (term.ellipsis ? rank < named : rank != named)
      return emitOpError("operand ")
             << idx << " has rank " << rank << " but its term names "
             << named << " dimensions";
    int64_t ellipsisRank = rank - named;
    size_t before = term.ellipsis.value_or(named);
    if (term.ellipsis)
      ellipsisShapes.emplace_back(
          type.getShape().slice(before, ellipsisRank));
    for (auto [pos, label] : llvm::enumerate(term.labels)) {
      int64_t d = type.getDimSize(pos < before ? pos : pos + ellipsisRank);
      ++counts[label];
      auto [it, inserted] = sizes.try_emplace(label, d);
      int64_t &known = it->second;
      // A size of 1 broadcasts; a dynamic size yields to a static one.
      if (inserted || known == d || d == 1)
        continue;
      if (known == 1 || ShapedType::isDynamic(known)) {
        known = d;
        continue;
      }
      if (!ShapedType::isDynamic(d))
        return emitOpError("label '")
               << label << "' has sizes " << known << " and " << d;
    }
  }
  SmallVector<ArrayRef<int64_t>> ellipsisRefs(ellipsisShapes.begin(),
                                              ellipsisShapes.end());
  FailureOr<SmallVector<int64_t>> ellipsisShape =
      broadcastShapes(*this, ellipsisRefs);
  if (failed(ellipsisShape))
    return failure();

  EinsumTerm output;
  if (eq->output) {
    output = *eq->output;
    llvm::SmallDenseSet<char> seen;
    for (char label : output.labels) {
      if (!sizes.count(label))
        return emitOpError("output label '")
               << label << "' does not occur in an input term";
      if (!seen.insert(label).second)
        return emitOpError("output label '") << label << "' appears twice";
    }
    // As in numpy, broadcast dims cannot be summed away implicitly.
    if (!output.ellipsis && !ellipsisShape->empty())
      return emitOpError("output term has no ellipsis for the ")
             << ellipsisShape->size() << " broadcast dimensions";
  } else {
    // Implicit mode: ellipsis dims first, then the labels seen once, in
    // ASCII order.
    output.ellipsis = 0;
    for (int c = 0; c < 128; ++c)
      if (counts.lookup(char(c)) == 1)
        output.labels.push_back(char(c));
  }
  SmallVector<int64_t> shape;
  for (auto [pos, label] : llvm::enumerate(output.labels)) {
    if (output.ellipsis == pos)
      shape.append(*ellipsisShape);
    shape.push_back(sizes.lookup(label));
  }
  if (output.ellipsis == output.labels.size())
    shape.append(*ellipsisShape);
  return pushType(*this, shape, elt, inferred);
}

//===----------------------------------------------------------------------===//
// DetOp
//===----------------------------------------------------------------------===//

LogicalResult DetOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  RankedTensorType x = getX().getType();
  if (x.getRank() < 2)
    return emitOpError("X must have rank >= 2, got ") << x.getRank();
  int64_t rows = x.getDimSize(x.getRank() - 2);
  int64_t cols = x.getDimSize(x.getRank() - 1);
  if (!compatible(rows, cols))
    return emitOpError("matrices must be square, got ")
           << rows << "x" << cols;
  inferred.push_back(x.clone(x.getShape().drop_back(2)));
  return success();
}

//===----------------------------------------------------------------------===//
// DropoutOp
//===----------------------------------------------------------------------===//

LogicalResult DropoutOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  RankedTensorType data = getData().getType();
  if (failed(checkScalar(*this, getRatio(), "ratio")) ||
      failed(checkScalar(*this, getTrainingMode(), "training_mode")))
    return failure();
  if (std::optional<SmallVector<double>> ratio =
          getConstantDoubles(getRatio()))
    for (double r : *ratio)
      if (!(r >= 0.0 && r < 1.0))
        return emitOpError("ratio must be in [0, 1), got ") << r;
  inferred.push_back(data);
  inferred.push_back(data.clone(IntegerType::get(getContext(), 1)));
  return success();
}

/// Whether a Dropout is known to pass its data through: not in training
/// mode, or with a ratio of 0.
static bool isPassThrough(DropoutOp op) {
  if (isNone(op.getTrainingMode()))
    return true;
  std::optional<SmallVector<int64_t>> training =
      getConstantInts(op.getTrainingMode());
  if (training && llvm::all_of(*training, [](int64_t v) { return v == 0; }))
    return true;
  std::optional<SmallVector<double>> ratio =
      getConstantDoubles(op.getRatio());
  return ratio && llvm::all_of(*ratio, [](double r) { return r == 0.0; });
}

LogicalResult DropoutOp::fold(FoldAdaptor,
                              SmallVectorImpl<OpFoldResult> &results) {
  auto maskType = cast<RankedTensorType>(getMask().getType());
  if (!isPassThrough(*this) || getData().getType() != getOutput().getType() ||
      !maskType.hasStaticShape())
    return failure();
  results.push_back(getData());
  results.push_back(DenseElementsAttr::get(maskType, ArrayRef<bool>{true}));
  return success();
}

//===----------------------------------------------------------------------===//
// Losses
//===----------------------------------------------------------------------===//

/// Shared by the two losses: `input` is [N, C, d1, ...], `target`
/// [N, d1, ...], `weight` [C]. Pushes the loss type.
static LogicalResult inferLoss(Operation *op, RankedTensorType input,
                               RankedTensorType target, Value weight,
                               StringRef reduction, StringRef inputName,
                               StringRef targetName, StringRef weightName,
                               SmallVectorImpl<Type> &inferred) {
  if (failed(checkOneOf(op, "reduction", reduction, {"none", "sum", "mean"})))
    return failure();
  int64_t rank = input.getRank();
  if (rank < 2)
    return op->emitOpError() << inputName << " must have rank >= 2, got "
                             << rank;
  if (target.getRank() != rank - 1)
    return op->emitOpError()
           << targetName << " must have rank " << rank - 1 << ", got "
           << target.getRank();
  SmallVector<int64_t> lossShape;
  for (int64_t i = 0; i < rank - 1; ++i) {
    int64_t in = input.getDimSize(i == 0 ? 0 : i + 1);
    int64_t t = target.getDimSize(i);
    if (!compatible(in, t))
      return op->emitOpError()
             << targetName << " dimension " << i << " is " << t
             << " but the matching " << inputName << " dimension is " << in;
    lossShape.push_back(refine(t, in));
  }
  Type elt = input.getElementType();
  if (RankedTensorType w = getTensorType(weight)) {
    if (w.getRank() != 1)
      return op->emitOpError() << weightName << " must be 1-D, got rank "
                               << w.getRank();
    if (w.getElementType() != elt)
      return op->emitOpError() << weightName << " must have element type "
                               << elt;
    if (!compatible(w.getDimSize(0), input.getDimSize(1)))
      return op->emitOpError()
             << weightName << " has " << w.getDimSize(0)
             << " elements for " << input.getDimSize(1) << " classes";
  }
  if (reduction != "none")
    lossShape.clear();
  inferred.push_back(RankedTensorType::get(lossShape, elt));
  return success();
}

LogicalResult NegativeLogLikelihoodLossOp::inferResultTypes(
    SmallVectorImpl<Type> &inferred) {
  return inferLoss(*this, getInput().getType(), getTarget().getType(),
                   getWeight(), getReduction(), "input", "target", "weight",
                   inferred);
}

LogicalResult SoftmaxCrossEntropyLossOp::inferResultTypes(
    SmallVectorImpl<Type> &inferred) {
  if (failed(inferLoss(*this, getScores().getType(), getLabels().getType(),
                       getWeights(), getReduction(), "scores", "labels",
                       "weights", inferred)))
    return failure();
  inferred.push_back(getScores().getType());
  return success();
}

//===----------------------------------------------------------------------===//
// NonMaxSuppressionOp, RoiAlignOp, GridSampleOp
//===----------------------------------------------------------------------===//

LogicalResult
NonMaxSuppressionOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  RankedTensorType boxes = getBoxes().getType(), scores = getScores().getType();
  if (boxes.getRank() != 3 || !compatible(boxes.getDimSize(2), 4))
    return emitOpError("boxes must be [num_batches, num_boxes, 4], got ")
           << boxes;
  if (scores.getRank() != 3)
    return emitOpError("scores must be [num_batches, num_classes, "
                       "num_boxes], got ")
           << scores;
  if (!compatible(boxes.getDimSize(0), scores.getDimSize(0)) ||
      !compatible(boxes.getDimSize(1), scores.getDimSize(2)))
    return emitOpError("boxes ")
           << boxes << " and scores " << scores
           << " disagree on the batch or box count";
  if (failed(checkScalar(*this, getMaxOutputBoxesPerClass(),
                         "max_output_boxes_per_class")) ||
      failed(checkScalar(*this, getIouThreshold(), "iou_threshold")) ||
      failed(checkScalar(*this, getScoreThreshold(), "score_threshold")) ||
      failed(checkFlag(*this, "center_point_box", getCenterPointBox())))
    return failure();
  // No limit, or a limit of 0 or less, selects nothing.
  int64_t count = ShapedType::kDynamic;
  std::optional<SmallVector<int64_t>> limit =
      getConstantInts(getMaxOutputBoxesPerClass());
  if (isNone(getMaxOutputBoxesPerClass()) ||
      (limit && limit->size() == 1 && (*limit)[0] <= 0))
    count = 0;
  inferred.push_back(
      RankedTensorType::get({count, 3}, IntegerType::get(getContext(), 64)));
  return success();
}

LogicalResult RoiAlignOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  RankedTensorType x = getX().getType(), rois = getRois().getType();
  RankedTensorType indices = getBatchIndices().getType();
  if (x.getRank() != 4)
    return emitOpError("X must be 4-D [N, C, H, W], got rank ")
           << x.getRank();
  if (rois.getRank() != 2 || !compatible(rois.getDimSize(1), 4))
    return emitOpError("rois must be [num_rois, 4], got ") << rois;
  if (rois.getElementType() != x.getElementType())
    return emitOpError("X and rois must have one element type");
  if (indices.getRank() != 1 ||
      !compatible(indices.getDimSize(0), rois.getDimSize(0)))
    return emitOpError("batch_indices must be [num_rois], got ") << indices;
  if (failed(checkOneOf(*this, "mode", getMode(), {"avg", "max"})) ||
      failed(checkOneOf(*this, "coordinate_transformation_mode",
                        getCoordinateTransformationMode(),
                        {"half_pixel", "output_half_pixel"})))
    return failure();
  int64_t height = static_cast<int64_t>(getOutputHeight());
  int64_t width = static_cast<int64_t>(getOutputWidth());
  int64_t ratio = static_cast<int64_t>(getSamplingRatio());
  if (height < 1 || width < 1)
    return emitOpError("output_height and output_width must be positive");
  if (ratio < 0)
    return emitOpError("sampling_ratio must not be negative, got ") << ratio;
  SmallVector<int64_t> shape = {refine(rois.getDimSize(0), indices.getDimSize(0)),
                                x.getDimSize(1), height, width};
  return pushType(*this, shape, x.getElementType(), inferred);
}

LogicalResult GridSampleOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  RankedTensorType x = getX().getType(), grid = getGrid().getType();
  if (x.getRank() != 4)
    return emitOpError("X must be 4-D [N, C, H, W], got rank ")
           << x.getRank();
  if (grid.getRank() != 4 || !compatible(grid.getDimSize(3), 2))
    return emitOpError("grid must be [N, H_out, W_out, 2], got ") << grid;
  if (!compatible(x.getDimSize(0), grid.getDimSize(0)))
    return emitOpError("X and grid have different batch sizes");
  if (failed(checkFlag(*this, "align_corners", getAlignCorners())) ||
      failed(checkOneOf(*this, "mode", getMode(),
                        {"bilinear", "nearest", "bicubic"})) ||
      failed(checkOneOf(*this, "padding_mode", getPaddingMode(),
                        {"zeros", "border", "reflection"})))
    return failure();
  inferred.push_back(x.clone({refine(x.getDimSize(0), grid.getDimSize(0)),
                              x.getDimSize(1), grid.getDimSize(1),
                              grid.getDimSize(2)}));
  return success();
}

//===----------------------------------------------------------------------===//
// Recurrent layers
//===----------------------------------------------------------------------===//

namespace {
/// What differs between RNN, GRU and LSTM, and their optional state inputs.
struct RecurrentKind {
  int64_t gates;          // Row blocks in W and R: 1, 3 or 4.
  int64_t activations;    // Activation functions per direction.
  Value initialC;         // LSTM only.
  Value peepholes;        // LSTM only.
  unsigned stateOutputs;  // Y_h, plus Y_c for LSTM.
};
} // namespace

/// The activation functions the recurrent ops accept.
static bool isKnownActivation(StringRef name) {
  for (StringRef known :
       {"Relu", "Tanh", "Sigmoid", "Affine", "LeakyRelu", "ThresholdedRelu",
        "ScaledTanh", "HardSigmoid", "Elu", "Softsign", "Softplus"})
    if (name.equals_insensitive(known))
      return true;
  return false;
}

/// The tensor type of an optional input; null for `none` and for the state
/// inputs an op kind does not have (a null Value).
static RankedTensorType optionalTensorType(Value v) {
  return v ? getTensorType(v) : nullptr;
}

/// Shape inference shared by the recurrent ops.
template <typename OpTy>
static LogicalResult inferRecurrent(OpTy op, const RecurrentKind &kind,
                                    SmallVectorImpl<Type> &inferred) {
  StringRef direction = op.getDirection();
  if (failed(checkOneOf(op, "direction", direction,
                        {"forward", "reverse", "bidirectional"})))
    return failure();
  int64_t numDirections = direction == "bidirectional" ? 2 : 1;
  int64_t layout = op.getLayout();
  if (failed(checkFlag(op, "layout", layout)))
    return failure();

  RankedTensorType x = op.getX().getType(), w = op.getW().getType(),
                   r = op.getR().getType();
  Type elt = x.getElementType();
  for (auto [value, name] : {std::pair<Value, StringRef>{op.getX(), "X"},
                             {op.getW(), "W"}, {op.getR(), "R"}}) {
    auto type = cast<RankedTensorType>(value.getType());
    if (type.getRank() != 3)
      return op.emitOpError() << name << " must be 3-D, got rank "
                              << type.getRank();
  }
  for (auto [value, name] :
       {std::pair<Value, StringRef>{op.getW(), "W"}, {op.getR(), "R"},
        {op.getB(), "B"},
        {op.getInitialH(), "initial_h"}, {kind.initialC, "initial_c"},
        {kind.peepholes, "P"}})
    if (value && failed(checkElementType(op, value, elt, name)))
      return failure();

  int64_t seq = x.getDimSize(layout ? 1 : 0);
  int64_t batch = x.getDimSize(layout ? 0 : 1);
  int64_t input = x.getDimSize(2);

  // hidden_size: the attribute, else whatever operand tells it.
  int64_t hidden = ShapedType::kDynamic;
  if (std::optional<uint64_t> attr = op.getHiddenSize()) {
    hidden = static_cast<int64_t>(*attr);
    if (hidden < 1 || hidden > kMaxElements)
      return op.emitOpError("hidden_size must be positive, got ") << hidden;
  } else if (!ShapedType::isDynamic(r.getDimSize(2))) {
    hidden = r.getDimSize(2);
  } else {
    for (int64_t rows : {r.getDimSize(1), w.getDimSize(1)})
      if (!ShapedType::isDynamic(rows) && rows % kind.gates == 0) {
        hidden = rows / kind.gates;
        break;
      }
  }

  // Every operand dimension must agree with the sizes above.
  auto expect = [&](Value value, StringRef name, int64_t dim,
                    int64_t expected, StringRef what) -> LogicalResult {
    RankedTensorType type = optionalTensorType(value);
    if (!type || ShapedType::isDynamic(expected))
      return success();
    int64_t actual = type.getDimSize(dim);
    if (ShapedType::isDynamic(actual) || actual == expected)
      return success();
    return op.emitOpError() << name << " dimension " << dim << " is "
                            << actual << ", expected " << what << " = "
                            << expected;
  };
  // A multiple of hidden_size; dynamic when unknown or past any real size.
  auto scaled = [&](int64_t factor) {
    if (ShapedType::isDynamic(hidden) || hidden > kMaxElements)
      return ShapedType::kDynamic;
    return factor * hidden;
  };
  auto expectRank = [&](Value value, StringRef name,
                        int64_t rank) -> LogicalResult {
    RankedTensorType type = optionalTensorType(value);
    if (type && type.getRank() != rank)
      return op.emitOpError() << name << " must have rank " << rank
                              << ", got " << type.getRank();
    return success();
  };
  Value stateInputs[] = {op.getInitialH(), kind.initialC};
  StringRef stateNames[] = {"initial_h", "initial_c"};
  if (failed(expectRank(op.getB(), "B", 2)) ||
      failed(expectRank(op.getSequenceLens(), "sequence_lens", 1)) ||
      failed(expectRank(op.getInitialH(), "initial_h", 3)) ||
      failed(expectRank(kind.initialC, "initial_c", 3)) ||
      failed(expectRank(kind.peepholes, "P", 2)))
    return failure();
  // Refine the batch size from the operands that carry it.
  for (Value state : stateInputs)
    if (RankedTensorType type = optionalTensorType(state))
      batch = refine(batch, type.getDimSize(layout ? 0 : 1));
  if (RankedTensorType lens = optionalTensorType(op.getSequenceLens()))
    batch = refine(batch, lens.getDimSize(0));

  int64_t g = kind.gates;
  std::string gRows = (Twine(g) + " * hidden_size").str();
  std::string biasRows = (Twine(2 * g) + " * hidden_size").str();
  if (failed(expect(op.getW(), "W", 0, numDirections, "num_directions")) ||
      failed(expect(op.getW(), "W", 1, scaled(g), gRows)) ||
      failed(expect(op.getW(), "W", 2, input, "input_size")) ||
      failed(expect(op.getR(), "R", 0, numDirections, "num_directions")) ||
      failed(expect(op.getR(), "R", 1, scaled(g), gRows)) ||
      failed(expect(op.getR(), "R", 2, hidden, "hidden_size")) ||
      failed(expect(op.getB(), "B", 0, numDirections, "num_directions")) ||
      failed(expect(op.getB(), "B", 1, scaled(2 * g), biasRows)) ||
      failed(expect(op.getSequenceLens(), "sequence_lens", 0, batch,
                    "batch_size")) ||
      failed(expect(kind.peepholes, "P", 0, numDirections,
                    "num_directions")) ||
      failed(expect(kind.peepholes, "P", 1, scaled(3), "3 * hidden_size")))
    return failure();
  for (auto [state, name] : llvm::zip(stateInputs, stateNames))
    if (failed(expect(state, name, layout ? 1 : 0, numDirections,
                      "num_directions")) ||
        failed(expect(state, name, layout ? 0 : 1, batch, "batch_size")) ||
        failed(expect(state, name, 2, hidden, "hidden_size")))
      return failure();

  if (ArrayAttr activations = op.getActivationsAttr()) {
    int64_t count = activations.size();
    bool rnnDefault = kind.gates == 1 && numDirections == 1 && count == 2;
    if (count != kind.activations * numDirections && !rnnDefault)
      return op.emitOpError("activations has ")
             << count << " functions, expected "
             << kind.activations * numDirections;
    for (Attribute a : activations)
      if (!isKnownActivation(cast<StringAttr>(a).getValue()))
        return op.emitOpError("unknown activation function '")
               << cast<StringAttr>(a).getValue() << "'";
  }
  if (std::optional<APFloat> clip = op.getClip())
    if (!(clip->convertToDouble() > 0.0))
      return op.emitOpError("clip must be positive");

  SmallVector<int64_t> yShape =
      layout ? SmallVector<int64_t>{batch, seq, numDirections, hidden}
             : SmallVector<int64_t>{seq, numDirections, batch, hidden};
  SmallVector<int64_t> stateShape =
      layout ? SmallVector<int64_t>{batch, numDirections, hidden}
             : SmallVector<int64_t>{numDirections, batch, hidden};
  if (failed(pushType(op, yShape, elt, inferred)))
    return failure();
  for (unsigned i = 0; i < kind.stateOutputs; ++i)
    inferred.push_back(RankedTensorType::get(stateShape, elt));
  return success();
}

LogicalResult RNNOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  return inferRecurrent(*this, {1, 1, nullptr, nullptr, 1}, inferred);
}

LogicalResult GRUOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  if (failed(checkFlag(*this, "linear_before_reset", getLinearBeforeReset())))
    return failure();
  return inferRecurrent(*this, {3, 2, nullptr, nullptr, 1}, inferred);
}

LogicalResult LSTMOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  if (failed(checkFlag(*this, "input_forget", getInputForget())))
    return failure();
  return inferRecurrent(*this, {4, 3, getInitialC(), getP(), 2}, inferred);
}

} // namespace kiln::graph
