//===- NNRecurrentToLinalg.cpp - Lowering RNN, GRU and LSTM ---------------===//
//
// The input projection of every time step is one linalg.matmul over all
// steps at once, before the recurrence. The recurrence is an scf.for over
// time per direction, carrying the hidden (and cell) state and the output
// sequence as tensors; each step does one linalg.matmul with the
// transposed recurrent weights and elementwise generics for the gates.
// With sequence_lens, steps past a batch entry's length keep its state and
// write zeros; the reverse direction then reverses each entry's valid
// prefix before and after the recurrence.
//
//===----------------------------------------------------------------------===//

#include "compiler/Conversion/GraphToLinalg/GraphToLinalg.h"
#include "compiler/Conversion/GraphToLinalg/LoweringUtils.h"
#include "compiler/Conversion/GraphToLinalg/NNBuilders.h"

#include "dialects/Graph/IR/GraphOps.h"
#include "dialects/Graph/IR/GraphUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;

namespace kiln {
namespace {

//===----------------------------------------------------------------------===//
// Activations
//===----------------------------------------------------------------------===//

/// One activation function with its alpha and beta.
struct Activation {
  std::string name;
  float alpha = 0, beta = 0;
};

/// Reads the activation list (or `defaults`) for `numDirections`
/// directions of `perDirection` functions each. Alphas and betas are
/// consumed in order by the functions that take them.
FailureOr<SmallVector<Activation>>
readActivations(std::optional<ArrayAttr> names,
                std::optional<ArrayRef<float>> alphas,
                std::optional<ArrayRef<float>> betas,
                ArrayRef<StringRef> defaults, int64_t numDirections) {
  SmallVector<std::string> list;
  if (names && !names->empty()) {
    for (Attribute a : *names)
      list.push_back(cast<StringAttr>(a).getValue().lower());
  } else {
    for (int64_t d = 0; d < numDirections; ++d)
      for (StringRef n : defaults)
        list.push_back(n.lower());
  }
  size_t perDirection = defaults.size();
  // A list for one direction serves both.
  while (list.size() < perDirection * numDirections)
    list.push_back(list[list.size() - perDirection]);
  size_t nextAlpha = 0, nextBeta = 0;
  SmallVector<Activation> result;
  for (const std::string &name : list) {
    Activation act;
    act.name = name;
    bool usesAlpha = false, usesBeta = false;
    float defaultAlpha = 0, defaultBeta = 0;
    if (name == "affine") {
      usesAlpha = usesBeta = true;
      defaultAlpha = 1;
    } else if (name == "leakyrelu") {
      usesAlpha = true;
      defaultAlpha = 0.01f;
    } else if (name == "thresholdedrelu") {
      usesAlpha = true;
      defaultAlpha = 1;
    } else if (name == "scaledtanh") {
      usesAlpha = usesBeta = true;
      defaultAlpha = defaultBeta = 1;
    } else if (name == "hardsigmoid") {
      usesAlpha = usesBeta = true;
      defaultAlpha = 0.2f;
      defaultBeta = 0.5f;
    } else if (name == "elu") {
      usesAlpha = true;
      defaultAlpha = 1;
    } else if (name != "relu" && name != "tanh" && name != "sigmoid" &&
               name != "softsign" && name != "softplus") {
      return failure();
    }
    act.alpha = defaultAlpha;
    act.beta = defaultBeta;
    if (usesAlpha && alphas && nextAlpha < alphas->size())
      act.alpha = (*alphas)[nextAlpha++];
    if (usesBeta && betas && nextBeta < betas->size())
      act.beta = (*betas)[nextBeta++];
    result.push_back(act);
  }
  return result;
}

Value applyActivation(OpBuilder &b, Location loc, const Activation &act,
                      Value x) {
  Type t = x.getType();
  auto cst = [&](double v) { return createScalarConstant(b, loc, t, v); };
  Value zero = cst(0), one = cst(1);
  const std::string &n = act.name;
  if (n == "tanh")
    return math::TanhOp::create(b, loc, x);
  if (n == "sigmoid") {
    Value e = math::ExpOp::create(b, loc, arith::NegFOp::create(b, loc, x));
    return arith::DivFOp::create(b, loc, one,
                                 arith::AddFOp::create(b, loc, one, e));
  }
  if (n == "relu")
    return arith::MaximumFOp::create(b, loc, x, zero);
  if (n == "affine")
    return arith::AddFOp::create(
        b, loc, arith::MulFOp::create(b, loc, x, cst(act.alpha)),
        cst(act.beta));
  if (n == "leakyrelu") {
    Value neg = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, x,
                                      zero);
    return arith::SelectOp::create(
        b, loc, neg, arith::MulFOp::create(b, loc, x, cst(act.alpha)), x);
  }
  if (n == "thresholdedrelu") {
    Value above = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT, x,
                                        cst(act.alpha));
    return arith::SelectOp::create(b, loc, above, x, zero);
  }
  if (n == "scaledtanh") {
    Value inner = arith::MulFOp::create(b, loc, x, cst(act.beta));
    return arith::MulFOp::create(b, loc, cst(act.alpha),
                                 math::TanhOp::create(b, loc, inner));
  }
  if (n == "hardsigmoid") {
    Value v = arith::AddFOp::create(
        b, loc, arith::MulFOp::create(b, loc, x, cst(act.alpha)),
        cst(act.beta));
    v = arith::MinimumFOp::create(b, loc, v, one);
    return arith::MaximumFOp::create(b, loc, v, zero);
  }
  if (n == "elu") {
    Value neg = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, x,
                                      zero);
    Value e = arith::SubFOp::create(b, loc, math::ExpOp::create(b, loc, x),
                                    one);
    return arith::SelectOp::create(
        b, loc, neg, arith::MulFOp::create(b, loc, e, cst(act.alpha)), x);
  }
  if (n == "softsign") {
    Value denom =
        arith::AddFOp::create(b, loc, one, math::AbsFOp::create(b, loc, x));
    return arith::DivFOp::create(b, loc, x, denom);
  }
  assert(n == "softplus" && "activation checked by readActivations");
  Value e = math::ExpOp::create(b, loc, x);
  return math::LogOp::create(b, loc, arith::AddFOp::create(b, loc, one, e));
}

//===----------------------------------------------------------------------===//
// The shared recurrence
//===----------------------------------------------------------------------===//

enum class CellKind { RNN, GRU, LSTM };

/// Everything a recurrent layer's lowering reads from its op.
struct RecurrentSpec {
  CellKind kind;
  int64_t gates;
  int64_t activationsPerDirection;
  Value x, w, r, bias, seqLens, initialH, initialC, peepholes;
  std::optional<float> clip;
  bool linearBeforeReset = false, inputForget = false, batchFirst = false;
  StringRef direction;
  SmallVector<Activation> activations;
  /// Result types (Y, Y_h, Y_c) in the op's layout; Y_c null unless LSTM.
  RankedTensorType yType, hType, cType;
};

class RecurrentBuilder {
public:
  RecurrentBuilder(RewriterBase &b, Location loc, const RecurrentSpec &spec)
      : b(b), loc(loc), spec(spec) {}

  /// Builds the layer; returns Y, Y_h and (LSTM) Y_c in the op's layout and
  /// element type.
  SmallVector<Value> build();

private:
  Value cst(double v) { return createScalarConstant(b, loc, ct, v); }
  Value transpose(Value v, ArrayRef<int64_t> perm);
  /// Row `d` of a `[D, ...]` tensor without the leading dim.
  Value directionSlice(Value v, int64_t d);
  /// The columns [offset, offset + size) of a 2-D tensor.
  Value columns(Value v, int64_t offset, int64_t size);
  Value matmul(Value lhs, Value rhs);
  /// Per batch entry, reverses the first len[b] steps of `seq`
  /// (`[S, B, F]`) and zeroes the rest.
  Value reverseValidPrefix(Value seq);
  Value clipped(OpBuilder &nb, Location nl, Value v);
  /// The new hidden (and cell) state after one step, written over the
  /// previous one so that the loop carries it in place.
  std::pair<Value, Value> step(Value xt, Value hPrev, Value cPrev,
                               Value lens, Value t32, int64_t d,
                               Value recurrentT, Value hGateT,
                               Value hGateBias);

  RewriterBase &b;
  Location loc;
  const RecurrentSpec &spec;
  Type ct;
  int64_t seq = 0, batch = 0, hidden = 0, input = 0, numDirections = 1;
};

Value RecurrentBuilder::transpose(Value v, ArrayRef<int64_t> perm) {
  auto type = cast<RankedTensorType>(v.getType());
  SmallVector<int64_t> shape;
  for (int64_t p : perm)
    shape.push_back(type.getDimSize(p));
  Value init = createEmptyTensor(
      b, loc, RankedTensorType::get(shape, type.getElementType()));
  return linalg::TransposeOp::create(b, loc, v, init, perm).getResult()[0];
}

Value RecurrentBuilder::directionSlice(Value v, int64_t d) {
  auto type = cast<RankedTensorType>(v.getType());
  SmallVector<int64_t> offsets(type.getRank(), 0), sizes(type.getShape());
  offsets[0] = d;
  sizes[0] = 1;
  auto resultType = RankedTensorType::get(type.getShape().drop_front(),
                                          type.getElementType());
  return extractStaticSlice(b, loc, v, offsets, sizes, resultType);
}

Value RecurrentBuilder::columns(Value v, int64_t offset, int64_t size) {
  auto type = cast<RankedTensorType>(v.getType());
  return extractStaticSlice(b, loc, v, {0, offset},
                            {type.getDimSize(0), size});
}

Value RecurrentBuilder::matmul(Value lhs, Value rhs) {
  auto l = cast<RankedTensorType>(lhs.getType());
  auto r = cast<RankedTensorType>(rhs.getType());
  auto type = RankedTensorType::get({l.getDimSize(0), r.getDimSize(1)}, ct);
  return buildMatMul(b, loc, lhs, rhs, type);
}

Value RecurrentBuilder::reverseValidPrefix(Value seqTensor) {
  auto type = cast<RankedTensorType>(seqTensor.getType());
  Value lens = spec.seqLens;
  return createElementwise(
      b, loc, ValueRange{}, type,
      [&](OpBuilder &nb, Location nl, ValueRange) -> Value {
        Type i32 = nb.getI32Type();
        Value t = indexAs(nb, nl, 0, i32);
        Value bi = linalg::IndexOp::create(nb, nl, 1);
        Value f = linalg::IndexOp::create(nb, nl, 2);
        Value len = tensor::ExtractOp::create(nb, nl, lens, bi);
        Value valid =
            arith::CmpIOp::create(nb, nl, arith::CmpIPredicate::slt, t, len);
        // Source step len - 1 - t, clamped into range for invalid steps.
        Value src = arith::SubIOp::create(
            nb, nl, arith::SubIOp::create(nb, nl, len, t),
            createScalarConstant(nb, nl, i32, 1));
        src = arith::MaxSIOp::create(nb, nl, src,
                                     createScalarConstant(nb, nl, i32, 0));
        src = arith::MinSIOp::create(
            nb, nl, src, createScalarConstant(nb, nl, i32, seq - 1));
        Value srcIndex = castIndex(nb, nl, src, nb.getIndexType());
        Value v = tensor::ExtractOp::create(nb, nl, seqTensor,
                                            ValueRange{srcIndex, bi, f});
        return arith::SelectOp::create(nb, nl, valid, v,
                                       createScalarConstant(nb, nl, ct, 0.0));
      });
}

Value RecurrentBuilder::clipped(OpBuilder &nb, Location nl, Value v) {
  if (!spec.clip)
    return v;
  Value hi = createScalarConstant(nb, nl, ct, *spec.clip);
  Value lo = createScalarConstant(nb, nl, ct, -*spec.clip);
  v = arith::MinimumFOp::create(nb, nl, v, hi);
  return arith::MaximumFOp::create(nb, nl, v, lo);
}

std::pair<Value, Value> RecurrentBuilder::step(Value xt, Value hPrev,
                                               Value cPrev, Value lens,
                                               Value t32, int64_t d,
                                               Value recurrentT, Value hGateT,
                                               Value hGateBias) {
  int64_t h = hidden;
  auto stateType = RankedTensorType::get({batch, h}, ct);
  const Activation *acts = &spec.activations[d * spec.activationsPerDirection];
  Value hr = matmul(hPrev, recurrentT);
  auto gate = [&](Value v, int64_t g) { return columns(v, g * h, h); };
  auto add = [](OpBuilder &nb, Location nl, Value a, Value c) -> Value {
    return arith::AddFOp::create(nb, nl, a, c);
  };
  auto mul = [](OpBuilder &nb, Location nl, Value a, Value c) -> Value {
    return arith::MulFOp::create(nb, nl, a, c);
  };
  auto act = [&](OpBuilder &nb, Location nl, int64_t k, Value v) {
    return applyActivation(nb, nl, acts[k], clipped(nb, nl, v));
  };
  // The state updates: the lengths ([B, 1]) join the inputs, and the body
  // gets the previous state last. Past its length an entry keeps it.
  auto update = [&](SmallVector<Value> inputs, Value dest,
                    function_ref<Value(OpBuilder &, Location, ValueRange,
                                       Value)>
                        compute) {
    size_t numInputs = inputs.size();
    if (lens)
      inputs.push_back(lens);
    return createElementwiseInto(
        b, loc, inputs, dest,
        [&](OpBuilder &nb, Location nl, ValueRange args) -> Value {
          Value updated = compute(nb, nl, args.take_front(numInputs),
                                  args.back());
          if (!lens)
            return updated;
          Value valid = arith::CmpIOp::create(
              nb, nl, arith::CmpIPredicate::slt, t32, args[numInputs]);
          return arith::SelectOp::create(nb, nl, valid, updated, args.back());
        });
  };

  switch (spec.kind) {
  case CellKind::RNN: {
    Value hNew = update({gate(xt, 0), gate(hr, 0)}, hPrev,
                        [&](OpBuilder &nb, Location nl, ValueRange a, Value) {
                          return act(nb, nl, 0, add(nb, nl, a[0], a[1]));
                        });
    return {hNew, Value()};
  }
  case CellKind::GRU: {
    // h~ needs the reset gate r first, unless the reset applies after the
    // recurrent product (linear_before_reset).
    Value hTilde;
    if (spec.linearBeforeReset) {
      hTilde = createElementwise(
          b, loc,
          {gate(xt, 1), gate(hr, 1), gate(xt, 2), gate(hr, 2), hGateBias},
          stateType, [&](OpBuilder &nb, Location nl, ValueRange a) {
            Value r = act(nb, nl, 0, add(nb, nl, a[0], a[1]));
            Value rec = mul(nb, nl, r, add(nb, nl, a[3], a[4]));
            return act(nb, nl, 1, add(nb, nl, a[2], rec));
          });
    } else {
      Value resetHidden = createElementwise(
          b, loc, {gate(xt, 1), gate(hr, 1), hPrev}, stateType,
          [&](OpBuilder &nb, Location nl, ValueRange a) {
            Value r = act(nb, nl, 0, add(nb, nl, a[0], a[1]));
            return mul(nb, nl, r, a[2]);
          });
      Value rec = matmul(resetHidden, hGateT);
      hTilde = createElementwise(
          b, loc, {gate(xt, 2), rec}, stateType,
          [&](OpBuilder &nb, Location nl, ValueRange a) {
            return act(nb, nl, 1, add(nb, nl, a[0], a[1]));
          });
    }
    Value hNew = update(
        {gate(xt, 0), gate(hr, 0), hTilde}, hPrev,
        [&](OpBuilder &nb, Location nl, ValueRange a, Value prev) {
          Value z = act(nb, nl, 0, add(nb, nl, a[0], a[1]));
          Value oneMinus = arith::SubFOp::create(
              nb, nl, createScalarConstant(nb, nl, ct, 1.0), z);
          return add(nb, nl, mul(nb, nl, oneMinus, a[2]), mul(nb, nl, z, prev));
        });
    return {hNew, Value()};
  }
  case CellKind::LSTM: {
    // Gates i, o, f, c; peepholes i, o, f.
    Value p = spec.peepholes ? directionSlice(spec.peepholes, d) : Value();
    auto peephole = [&](int64_t k) {
      return p ? extractStaticSlice(b, loc, p, {k * h}, {h})
               : createFilled(b, loc, RankedTensorType::get({h}, ct), 0.0);
    };
    Value pi = peephole(0), po = peephole(1), pf = peephole(2);
    Value cNew = update(
        {gate(xt, 0), gate(hr, 0), gate(xt, 2), gate(hr, 2), gate(xt, 3),
         gate(hr, 3), pi, pf},
        cPrev, [&](OpBuilder &nb, Location nl, ValueRange a, Value c) {
          Value i = act(nb, nl, 0,
                        add(nb, nl, add(nb, nl, a[0], a[1]),
                            mul(nb, nl, a[6], c)));
          Value f;
          if (spec.inputForget)
            f = arith::SubFOp::create(nb, nl,
                                      createScalarConstant(nb, nl, ct, 1.0), i);
          else
            f = act(nb, nl, 0,
                    add(nb, nl, add(nb, nl, a[2], a[3]),
                        mul(nb, nl, a[7], c)));
          Value g = act(nb, nl, 1, add(nb, nl, a[4], a[5]));
          return add(nb, nl, mul(nb, nl, f, c), mul(nb, nl, i, g));
        });
    Value hNew = update(
        {gate(xt, 1), gate(hr, 1), po, cNew}, hPrev,
        [&](OpBuilder &nb, Location nl, ValueRange a, Value) {
          Value o = act(nb, nl, 0,
                        add(nb, nl, add(nb, nl, a[0], a[1]),
                            mul(nb, nl, a[2], a[3])));
          return mul(nb, nl, o, applyActivation(nb, nl, acts[2], a[3]));
        });
    return {hNew, cNew};
  }
  }
  llvm_unreachable("unknown cell kind");
}

SmallVector<Value> RecurrentBuilder::build() {
  auto xType = cast<RankedTensorType>(spec.x.getType());
  auto wType = cast<RankedTensorType>(spec.w.getType());
  auto rType = cast<RankedTensorType>(spec.r.getType());
  Type elt = xType.getElementType();
  ct = computeFloatType(elt);
  numDirections = wType.getDimSize(0);
  hidden = rType.getDimSize(2);
  input = wType.getDimSize(2);
  int64_t gh = spec.gates * hidden;

  // X as [S, B, I] in the compute type.
  Value x = convertElements(b, loc, spec.x, ct);
  if (spec.batchFirst)
    x = transpose(x, {1, 0, 2});
  auto seqType = cast<RankedTensorType>(x.getType());
  seq = seqType.getDimSize(0);
  batch = seqType.getDimSize(1);
  Value w = convertElements(b, loc, spec.w, ct);
  Value r = convertElements(b, loc, spec.r, ct);
  Value bias = spec.bias ? convertElements(b, loc, spec.bias, ct) : Value();
  Value initialH =
      spec.initialH ? convertElements(b, loc, spec.initialH, ct) : Value();
  Value initialC =
      spec.initialC ? convertElements(b, loc, spec.initialC, ct) : Value();
  if (spec.batchFirst) {
    if (initialH)
      initialH = transpose(initialH, {1, 0, 2});
    if (initialC)
      initialC = transpose(initialC, {1, 0, 2});
  }
  Value flatX = reshapeTensor(b, loc, x, {seq * batch, input});

  auto stateType = RankedTensorType::get({batch, hidden}, ct);
  auto yType = RankedTensorType::get({seq, numDirections, batch, hidden}, ct);
  Value y = createFilled(b, loc, yType, 0.0);
  auto finalType = RankedTensorType::get({numDirections, batch, hidden}, ct);
  Value finalH = createEmptyTensor(b, loc, finalType);
  Value finalC = createEmptyTensor(b, loc, finalType);
  // [B, 1] lengths for the validity masks.
  Value lens = spec.seqLens ? reshapeTensor(b, loc, spec.seqLens, {batch, 1})
                            : Value();

  for (int64_t d = 0; d < numDirections; ++d) {
    bool reverse = spec.direction == "reverse" || d == 1;
    // Input projection of all steps, with the biases that add there.
    Value wT = transpose(directionSlice(w, d), {1, 0});
    Value projected = matmul(flatX, wT);
    Value hGateBias;
    if (bias) {
      Value row = directionSlice(bias, d);
      Value wb = extractStaticSlice(b, loc, row, {0}, {gh});
      Value rb = extractStaticSlice(b, loc, row, {gh}, {gh});
      bool separateHGate =
          spec.kind == CellKind::GRU && spec.linearBeforeReset;
      if (separateHGate)
        hGateBias = extractStaticSlice(b, loc, row, {gh + 2 * hidden},
                                       {hidden});
      int64_t limit = separateHGate ? 2 * hidden : gh;
      Value combined = createElementwise(
          b, loc, {wb, rb}, RankedTensorType::get({gh}, ct),
          [&](OpBuilder &nb, Location nl, ValueRange args) -> Value {
            Value col = indexAs(nb, nl, 0, nb.getI64Type());
            Value inside = arith::CmpIOp::create(
                nb, nl, arith::CmpIPredicate::slt, col,
                createScalarConstant(nb, nl, nb.getI64Type(), limit));
            Value sum = arith::AddFOp::create(nb, nl, args[0], args[1]);
            return arith::SelectOp::create(nb, nl, inside, sum, args[0]);
          });
      projected = createElementwise(
          b, loc, {projected, combined},
          cast<RankedTensorType>(projected.getType()),
          [](OpBuilder &nb, Location nl, ValueRange args) -> Value {
            return arith::AddFOp::create(nb, nl, args[0], args[1]);
          });
    } else if (spec.kind == CellKind::GRU && spec.linearBeforeReset) {
      hGateBias =
          createFilled(b, loc, RankedTensorType::get({hidden}, ct), 0.0);
    }
    Value steps = reshapeTensor(b, loc, projected, {seq, batch, gh});
    if (reverse && lens)
      steps = reverseValidPrefix(steps);
    Value rMat = directionSlice(r, d);
    Value rT = transpose(rMat, {1, 0});
    Value hGateT;
    if (spec.kind == CellKind::GRU && !spec.linearBeforeReset)
      hGateT = transpose(
          extractStaticSlice(b, loc, rMat, {2 * hidden, 0}, {hidden, hidden}),
          {1, 0});
    // Zero states as constants, not fills: CSE would merge a fill with the
    // zero init of the matmul inside the loop, and the loop could then not
    // update its state in place.
    auto zeroState = [&]() -> Value {
      return arith::ConstantOp::create(
          b, loc, DenseElementsAttr::get(stateType, b.getZeroAttr(ct)));
    };
    Value h0 = initialH ? directionSlice(initialH, d) : zeroState();
    Value c0 = initialC ? directionSlice(initialC, d) : zeroState();
    // This direction's outputs as [S, B, H]; placed into Y afterwards.
    auto dirType = RankedTensorType::get({seq, batch, hidden}, ct);
    Value dirY = createFilled(b, loc, dirType, 0.0);

    Value c0Index = arith::ConstantIndexOp::create(b, loc, 0);
    Value c1Index = arith::ConstantIndexOp::create(b, loc, 1);
    Value seqIndex = arith::ConstantIndexOp::create(b, loc, seq);
    bool lstm = spec.kind == CellKind::LSTM;
    SmallVector<Value> inits = {h0, dirY};
    if (lstm)
      inits.push_back(c0);
    auto loop = scf::ForOp::create(
        b, loc, c0Index, seqIndex, c1Index, inits,
        [&](OpBuilder &lb, Location ll, Value t, ValueRange state) {
          // The helpers build with the rewriter: point it into the body.
          OpBuilder::InsertionGuard guard(b);
          b.setInsertionPointToEnd(lb.getInsertionBlock());
          // Without lengths, the reverse direction walks time backwards;
          // with them, `steps` is already reversed per entry.
          Value tt = t;
          if (reverse && !lens)
            tt = arith::SubIOp::create(
                b, ll, arith::ConstantIndexOp::create(b, ll, seq - 1), t);
          SmallVector<OpFoldResult> offsets = {tt, b.getIndexAttr(0),
                                               b.getIndexAttr(0)};
          SmallVector<OpFoldResult> sizes = {
              b.getIndexAttr(1), b.getIndexAttr(batch), b.getIndexAttr(gh)};
          SmallVector<OpFoldResult> strides(3, b.getIndexAttr(1));
          Value xt = tensor::ExtractSliceOp::create(
              b, ll, RankedTensorType::get({batch, gh}, ct), steps, offsets,
              sizes, strides);
          Value t32 = lens ? castIndex(b, ll, t, b.getI32Type()) : Value();
          auto [hNew, cNew] =
              step(xt, state[0], lstm ? state[2] : Value(), lens, t32, d, rT,
                   hGateT, hGateBias);
          // The output of a step past the length is zero.
          Value out = hNew;
          if (lens)
            out = createElementwise(
                b, ll, {hNew, lens}, stateType,
                [&](OpBuilder &nb, Location nl, ValueRange args) -> Value {
                  Value valid = arith::CmpIOp::create(
                      nb, nl, arith::CmpIPredicate::slt, t32, args[1]);
                  return arith::SelectOp::create(
                      nb, nl, valid, args[0],
                      createScalarConstant(nb, nl, ct, 0.0));
                });
          SmallVector<OpFoldResult> outSizes = {
              b.getIndexAttr(1), b.getIndexAttr(batch),
              b.getIndexAttr(hidden)};
          Value newY = tensor::InsertSliceOp::create(
              b, ll, out, state[1], offsets, outSizes, strides);
          SmallVector<Value> yields = {hNew, newY};
          if (lstm)
            yields.push_back(cNew);
          scf::YieldOp::create(b, ll, yields);
        });
    Value dirResult = loop.getResult(1);
    if (reverse && lens)
      dirResult = reverseValidPrefix(dirResult);
    // Y[:, d] = dirResult; Y_h[d] = h; Y_c[d] = c.
    SmallVector<OpFoldResult> yOffsets = {
        b.getIndexAttr(0), b.getIndexAttr(d), b.getIndexAttr(0),
        b.getIndexAttr(0)};
    SmallVector<OpFoldResult> ySizes = {b.getIndexAttr(seq), b.getIndexAttr(1),
                                        b.getIndexAttr(batch),
                                        b.getIndexAttr(hidden)};
    SmallVector<OpFoldResult> ones4(4, b.getIndexAttr(1));
    y = tensor::InsertSliceOp::create(
        b, loc, reshapeTensor(b, loc, dirResult, {seq, 1, batch, hidden}), y,
        yOffsets, ySizes, ones4);
    SmallVector<OpFoldResult> fOffsets = {b.getIndexAttr(d), b.getIndexAttr(0),
                                          b.getIndexAttr(0)};
    SmallVector<OpFoldResult> fSizes = {b.getIndexAttr(1),
                                        b.getIndexAttr(batch),
                                        b.getIndexAttr(hidden)};
    SmallVector<OpFoldResult> ones3(3, b.getIndexAttr(1));
    finalH = tensor::InsertSliceOp::create(b, loc, loop.getResult(0), finalH,
                                           fOffsets, fSizes, ones3);
    if (lstm)
      finalC = tensor::InsertSliceOp::create(b, loc, loop.getResult(2),
                                             finalC, fOffsets, fSizes, ones3);
  }

  if (spec.batchFirst) {
    y = transpose(y, {2, 0, 1, 3});
    finalH = transpose(finalH, {1, 0, 2});
    finalC = transpose(finalC, {1, 0, 2});
  }
  SmallVector<Value> results = {convertElements(b, loc, y, elt),
                                convertElements(b, loc, finalH, elt)};
  if (spec.kind == CellKind::LSTM)
    results.push_back(convertElements(b, loc, finalC, elt));
  return results;
}

/// Fills the parts of a RecurrentSpec every layer kind shares.
template <typename OpTy, typename AdaptorTy>
LogicalResult readCommon(ConversionPatternRewriter &rewriter, OpTy op,
                         AdaptorTy adaptor, RecurrentSpec &spec,
                         ArrayRef<StringRef> defaultActivations,
                         std::optional<ArrayAttr> activations) {
  for (Value v : op->getOperands())
    if (isa<RankedTensorType>(v.getType()) &&
        failed(requireStaticShape(rewriter, op, v.getType())))
      return failure();
  for (Type t : op->getResultTypes())
    if (failed(requireStaticShape(rewriter, op, t)))
      return failure();
  StringRef direction = op.getDirection();
  if (direction != "forward" && direction != "reverse" &&
      direction != "bidirectional")
    return rewriter.notifyMatchFailure(op, "unknown direction");
  spec.direction = direction;
  spec.x = adaptor.getX();
  spec.w = adaptor.getW();
  spec.r = adaptor.getR();
  if (!graph::isNone(op.getB()))
    spec.bias = adaptor.getB();
  if (!graph::isNone(op.getSequenceLens()))
    spec.seqLens = adaptor.getSequenceLens();
  if (!graph::isNone(op.getInitialH()))
    spec.initialH = adaptor.getInitialH();
  if (std::optional<APFloat> clip = op.getClip())
    spec.clip = clip->convertToFloat();
  spec.batchFirst = op.getLayout() == 1;
  int64_t numDirections =
      cast<RankedTensorType>(op.getW().getType()).getDimSize(0);
  FailureOr<SmallVector<Activation>> acts =
      readActivations(activations, op.getActivationAlpha(),
                      op.getActivationBeta(), defaultActivations,
                      numDirections);
  if (failed(acts))
    return rewriter.notifyMatchFailure(op, "unknown activation function");
  spec.activations = std::move(*acts);
  spec.activationsPerDirection = defaultActivations.size();
  // Without lengths, every step is valid.
  if (spec.seqLens) {
    if (auto lens = graph::getConstantInts(op.getSequenceLens())) {
      int64_t seq = cast<RankedTensorType>(op.getX().getType())
                        .getDimSize(spec.batchFirst ? 1 : 0);
      if (llvm::all_of(*lens, [&](int64_t l) { return l == seq; }))
        spec.seqLens = Value();
    }
  }
  return success();
}

struct RNNLowering : OpConversionPattern<graph::RNNOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::RNNOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RecurrentSpec spec;
    spec.kind = CellKind::RNN;
    spec.gates = 1;
    if (failed(readCommon(rewriter, op, adaptor, spec, {"Tanh"},
                          op.getActivations())))
      return failure();
    RecurrentBuilder builder(rewriter, op.getLoc(), spec);
    rewriter.replaceOp(op, builder.build());
    return success();
  }
};

struct GRULowering : OpConversionPattern<graph::GRUOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::GRUOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RecurrentSpec spec;
    spec.kind = CellKind::GRU;
    spec.gates = 3;
    spec.linearBeforeReset = op.getLinearBeforeReset() != 0;
    if (failed(readCommon(rewriter, op, adaptor, spec, {"Sigmoid", "Tanh"},
                          op.getActivations())))
      return failure();
    RecurrentBuilder builder(rewriter, op.getLoc(), spec);
    rewriter.replaceOp(op, builder.build());
    return success();
  }
};

struct LSTMLowering : OpConversionPattern<graph::LSTMOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::LSTMOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RecurrentSpec spec;
    spec.kind = CellKind::LSTM;
    spec.gates = 4;
    spec.inputForget = op.getInputForget() != 0;
    if (failed(readCommon(rewriter, op, adaptor, spec,
                          {"Sigmoid", "Tanh", "Tanh"}, op.getActivations())))
      return failure();
    if (!graph::isNone(op.getInitialC()))
      spec.initialC = adaptor.getInitialC();
    if (!graph::isNone(op.getP()))
      spec.peepholes = convertElements(
          rewriter, op.getLoc(), adaptor.getP(),
          computeFloatType(
              cast<RankedTensorType>(op.getX().getType()).getElementType()));
    RecurrentBuilder builder(rewriter, op.getLoc(), spec);
    rewriter.replaceOp(op, builder.build());
    return success();
  }
};

} // namespace

void populateNNRecurrentPatterns(const TypeConverter &converter,
                                 RewritePatternSet &patterns) {
  patterns.add<RNNLowering, GRULowering, LSTMLowering>(converter,
                                                       patterns.getContext());
}

} // namespace kiln
