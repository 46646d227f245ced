//===- GraphSignalOps.cpp - Signal processing -----------------------------===//
//
// Shape inference of the Fourier transforms, and shape inference and
// folders of the window functions and the mel filter bank, which exported
// audio front ends build from constants.
//
//===----------------------------------------------------------------------===//

#include "dialects/Graph/IR/GraphOps.h"
#include "dialects/Graph/IR/GraphUtils.h"

#include <cmath>

using namespace mlir;
using namespace kiln::graph;

#define GET_OP_CLASSES
#include "dialects/Graph/IR/GraphSignalOps.cpp.inc"

namespace kiln::graph {

/// Largest constant the folders here build.
constexpr int64_t kMaxFoldElements = int64_t(1) << 20;

/// Checks that an INT attribute that ONNX treats as a flag is 0 or 1.
static LogicalResult checkFlag(Operation *op, StringRef name, int64_t value) {
  if (value != 0 && value != 1)
    return op->emitOpError() << name << " must be 0 or 1, got " << value;
  return success();
}

/// Checks that an optional operand, when present, holds one element.
static LogicalResult checkScalar(Operation *op, Value v, StringRef name) {
  RankedTensorType type = getTensorType(v);
  if (!type)
    return success();
  if (type.getRank() > 1 ||
      (type.hasStaticShape() && type.getNumElements() != 1))
    return op->emitOpError() << name << " must be a scalar, got " << type;
  return success();
}

/// The value of a constant scalar integer operand, if it is one.
static std::optional<int64_t> getConstantScalar(Value v) {
  std::optional<SmallVector<int64_t>> values = getConstantInts(v);
  if (!values || values->size() != 1)
    return std::nullopt;
  return (*values)[0];
}

/// Same for a float (or integer) scalar.
static std::optional<double> getConstantScalarDouble(Value v) {
  std::optional<SmallVector<double>> values = getConstantDoubles(v);
  if (!values || values->size() != 1)
    return std::nullopt;
  return (*values)[0];
}

/// Checks an `output_datatype`: a numeric ONNX element type.
static LogicalResult checkOutputDatatype(Operation *op, Type t) {
  if (isa<Float16Type, BFloat16Type, Float32Type, Float64Type>(t))
    return success();
  if (auto it = dyn_cast<IntegerType>(t)) {
    unsigned w = it.getWidth();
    if ((w == 8 || w == 16 || w == 32 || w == 64) &&
        (it.isSignless() || it.isUnsigned()))
      return success();
  }
  return op->emitOpError("output_datatype must be a numeric ONNX type, got ")
         << t;
}

//===----------------------------------------------------------------------===//
// DFTOp
//===----------------------------------------------------------------------===//

LogicalResult DFTOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  RankedTensorType input = getInput().getType();
  int64_t rank = input.getRank();
  if (rank < 2)
    return emitOpError("input must have rank >= 2 ([batch, signal dims..., "
                       "1 or 2]), got ")
           << rank;
  int64_t components = input.getDimSize(rank - 1);
  if (!ShapedType::isDynamic(components) && components != 1 &&
      components != 2)
    return emitOpError("the last input dimension must be 1 (real) or 2 "
                       "(complex), got ")
           << components;
  int64_t axis = static_cast<int64_t>(getAxis());
  int64_t dim = axis < 0 ? axis + rank : axis;
  if (dim < 0 || dim > rank - 2)
    return emitOpError("axis ")
           << axis << " is out of range for rank " << rank
           << " (the last dimension holds the components)";
  if (failed(checkFlag(*this, "inverse", getInverse())) ||
      failed(checkFlag(*this, "onesided", getOnesided())) ||
      failed(checkScalar(*this, getDftLength(), "dft_length")))
    return failure();
  int64_t length = input.getDimSize(dim);
  if (!isNone(getDftLength())) {
    length = ShapedType::kDynamic;
    if (std::optional<int64_t> n = getConstantScalar(getDftLength())) {
      if (*n < 1 || *n > kMaxElements)
        return emitOpError("dft_length must be positive, got ") << *n;
      length = *n;
    }
  }
  if (getOnesided() && !ShapedType::isDynamic(length))
    length = length / 2 + 1;
  SmallVector<int64_t> shape(input.getShape());
  shape[dim] = length;
  shape[rank - 1] = 2;
  FailureOr<RankedTensorType> type =
      checkedTensorType(*this, shape, input.getElementType());
  if (failed(type))
    return failure();
  inferred.push_back(*type);
  return success();
}

//===----------------------------------------------------------------------===//
// STFTOp
//===----------------------------------------------------------------------===//

LogicalResult STFTOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  RankedTensorType signal = getSignal().getType();
  if (signal.getRank() != 3)
    return emitOpError("signal must be [batch, length, 1 or 2], got ")
           << signal;
  int64_t components = signal.getDimSize(2);
  if (!ShapedType::isDynamic(components) && components != 1 &&
      components != 2)
    return emitOpError("the last signal dimension must be 1 (real) or 2 "
                       "(complex), got ")
           << components;
  if (failed(checkFlag(*this, "onesided", getOnesided())) ||
      failed(checkScalar(*this, getFrameStep(), "frame_step")) ||
      failed(checkScalar(*this, getFrameLength(), "frame_length")))
    return failure();

  int64_t frameLength = ShapedType::kDynamic;
  RankedTensorType window = getTensorType(getWindow());
  if (window) {
    if (window.getRank() != 1)
      return emitOpError("window must be 1-D, got rank ") << window.getRank();
    if (window.getElementType() != signal.getElementType())
      return emitOpError("window must have the element type of signal");
    frameLength = window.getDimSize(0);
  }
  if (!isNone(getFrameLength())) {
    if (std::optional<int64_t> n = getConstantScalar(getFrameLength())) {
      if (*n < 1 || *n > kMaxElements)
        return emitOpError("frame_length must be positive, got ") << *n;
      if (!ShapedType::isDynamic(frameLength) && frameLength != *n)
        return emitOpError("frame_length ")
               << *n << " differs from the window length " << frameLength;
      frameLength = *n;
    }
  } else if (!window) {
    return emitOpError("needs a window or a frame_length");
  }

  int64_t frames = ShapedType::kDynamic;
  std::optional<int64_t> step = getConstantScalar(getFrameStep());
  if (step && *step < 1)
    return emitOpError("frame_step must be positive, got ") << *step;
  int64_t length = signal.getDimSize(1);
  if (step && !ShapedType::isDynamic(length) &&
      !ShapedType::isDynamic(frameLength)) {
    if (length < frameLength)
      return emitOpError("signal length ")
             << length << " is shorter than the frame length " << frameLength;
    frames = (length - frameLength) / *step + 1;
  }
  int64_t bins = frameLength;
  if (getOnesided() && !ShapedType::isDynamic(bins))
    bins = bins / 2 + 1;
  SmallVector<int64_t> shape = {signal.getDimSize(0), frames, bins, 2};
  FailureOr<RankedTensorType> type =
      checkedTensorType(*this, shape, signal.getElementType());
  if (failed(type))
    return failure();
  inferred.push_back(*type);
  return success();
}

//===----------------------------------------------------------------------===//
// Windows
//===----------------------------------------------------------------------===//

/// `[size]` of `output_datatype`, `[?]` while `size` is not constant.
template <typename OpTy>
static LogicalResult inferWindow(OpTy op, SmallVectorImpl<Type> &inferred) {
  Type elt = op.getOutputElementType();
  if (failed(checkOutputDatatype(op, elt)) ||
      failed(checkScalar(op, op.getSize(), "size")) ||
      failed(checkFlag(op, "periodic", op.getPeriodic())))
    return failure();
  int64_t size = ShapedType::kDynamic;
  if (std::optional<int64_t> n = getConstantScalar(op.getSize())) {
    if (*n < 0 || *n > kMaxElements)
      return op.emitOpError("size must be non-negative, got ") << *n;
    size = *n;
  }
  inferred.push_back(RankedTensorType::get({size}, elt));
  return success();
}

/// The cosine-sum window `a0 - a1 cos(2 pi n / N) + a2 cos(4 pi n / N)`.
/// Computed step by step in f32 as the ONNX function body of the window ops
/// does (so that a final conversion to an integer type truncates the same
/// values), then converted to the result type. A symmetric window of one
/// point (N = 0, all NaN) is left to the kernel.
template <typename OpTy>
static OpFoldResult foldWindow(OpTy op, float a0, float a1, float a2) {
  auto type = dyn_cast<RankedTensorType>(op.getType());
  std::optional<int64_t> size = getConstantScalar(op.getSize());
  if (!type || !type.hasStaticShape() || !size || *size > kMaxFoldElements)
    return {};
  int64_t period = op.getPeriodic() ? *size : *size - 1;
  if (*size > 0 && period < 1)
    return {};
  const float tau = 6.283185307179586f;
  float increment = tau / float(period);
  SmallVector<double> values;
  values.reserve(*size);
  for (int64_t n = 0; n < *size; ++n) {
    float angle = float(n) * increment;
    float value = a0 - a1 * std::cos(angle);
    value = value + a2 * std::cos(angle * 2.0f);
    values.push_back(value);
  }
  return makeDoubleElements(type, values);
}

LogicalResult
BlackmanWindowOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  return inferWindow(*this, inferred);
}

OpFoldResult BlackmanWindowOp::fold(FoldAdaptor) {
  return foldWindow(*this, 0.42f, 0.5f, 0.08f);
}

LogicalResult
HammingWindowOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  return inferWindow(*this, inferred);
}

OpFoldResult HammingWindowOp::fold(FoldAdaptor) {
  return foldWindow(*this, 25.0f / 46.0f, 21.0f / 46.0f, 0.0f);
}

LogicalResult HannWindowOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  return inferWindow(*this, inferred);
}

OpFoldResult HannWindowOp::fold(FoldAdaptor) {
  return foldWindow(*this, 0.5f, 0.5f, 0.0f);
}

//===----------------------------------------------------------------------===//
// MelWeightMatrixOp
//===----------------------------------------------------------------------===//

LogicalResult
MelWeightMatrixOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  Type elt = getOutputElementType();
  if (failed(checkOutputDatatype(*this, elt)))
    return failure();
  for (auto [value, name] :
       {std::pair<Value, StringRef>{getNumMelBins(), "num_mel_bins"},
        {getDftLength(), "dft_length"},
        {getSampleRate(), "sample_rate"},
        {getLowerEdgeHertz(), "lower_edge_hertz"},
        {getUpperEdgeHertz(), "upper_edge_hertz"}})
    if (failed(checkScalar(*this, value, name)))
      return failure();
  if (getLowerEdgeHertz().getType().getElementType() !=
      getUpperEdgeHertz().getType().getElementType())
    return emitOpError("lower_edge_hertz and upper_edge_hertz must have one "
                       "element type");
  int64_t bins = ShapedType::kDynamic, mels = ShapedType::kDynamic;
  if (std::optional<int64_t> n = getConstantScalar(getDftLength())) {
    if (*n < 1 || *n > kMaxElements)
      return emitOpError("dft_length must be positive, got ") << *n;
    bins = *n / 2 + 1;
  }
  if (std::optional<int64_t> n = getConstantScalar(getNumMelBins())) {
    if (*n < 0 || *n > kMaxElements)
      return emitOpError("num_mel_bins must be non-negative, got ") << *n;
    mels = *n;
  }
  if (std::optional<int64_t> rate = getConstantScalar(getSampleRate()))
    if (*rate < 1)
      return emitOpError("sample_rate must be positive, got ") << *rate;
  FailureOr<RankedTensorType> type =
      checkedTensorType(*this, {bins, mels}, elt);
  if (failed(type))
    return failure();
  inferred.push_back(*type);
  return success();
}

/// Builds the filter bank as the ONNX reference does. Frequencies whose
/// bins fall outside the spectrum (an upper edge past the Nyquist
/// frequency) or run backwards are left to the kernel.
OpFoldResult MelWeightMatrixOp::fold(FoldAdaptor) {
  auto type = dyn_cast<RankedTensorType>(getType());
  std::optional<int64_t> mels = getConstantScalar(getNumMelBins());
  std::optional<int64_t> length = getConstantScalar(getDftLength());
  std::optional<int64_t> rate = getConstantScalar(getSampleRate());
  std::optional<double> lower = getConstantScalarDouble(getLowerEdgeHertz());
  std::optional<double> upper = getConstantScalarDouble(getUpperEdgeHertz());
  if (!type || !type.hasStaticShape() || !mels || !length || !rate ||
      !lower || !upper || type.getNumElements() > kMaxFoldElements)
    return {};
  int64_t bins = *length / 2 + 1;
  auto toMel = [](double hz) { return 2595.0 * std::log10(1.0 + hz / 700.0); };
  double lowMel = toMel(*lower), highMel = toMel(*upper);
  double step = (highMel - lowMel) / double(*mels + 2);
  SmallVector<int64_t> points;
  for (int64_t i = 0; i < *mels + 2; ++i) {
    double hz = 700.0 * (std::pow(10.0, (double(i) * step + lowMel) / 2595.0) -
                         1.0);
    double bin = std::floor(double(*length + 1) * hz / double(*rate));
    if (!(bin >= 0.0 && bin < double(bins)))
      return {};
    if (!points.empty() && int64_t(bin) < points.back())
      return {};
    points.push_back(int64_t(bin));
  }
  SmallVector<double> values(bins * *mels, 0.0);
  auto at = [&](int64_t bin, int64_t mel) -> double & {
    return values[bin * *mels + mel];
  };
  for (int64_t i = 0; i < *mels; ++i) {
    int64_t left = points[i], center = points[i + 1], right = points[i + 2];
    if (center == left) {
      at(center, i) = 1.0;
    } else {
      for (int64_t j = left; j <= center; ++j)
        at(j, i) = double(j - left) / double(center - left);
    }
    for (int64_t j = center; j < right; ++j)
      at(j, i) = double(right - j) / double(right - center);
  }
  return makeDoubleElements(type, values);
}

} // namespace kiln::graph
