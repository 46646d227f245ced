//===- ElementwiseToLinalg.cpp - Lowering elementwise graph ops -----------===//
//
// Every elementwise graph op becomes one all-parallel linalg.generic built by
// createElementwise, which applies numpy broadcasting through its indexing
// maps. What differs from op to op is the scalar body, so each op here
// contributes a `computeElement` function and shares one pattern. Bodies see
// f16 and bf16 operands widened to f32 and their float results are narrowed
// back to the result type, as the ONNX reference computes those types.
//
//===----------------------------------------------------------------------===//

#include "compiler/Conversion/GraphToLinalg/GraphToLinalg.h"
#include "compiler/Conversion/GraphToLinalg/LoweringUtils.h"

#include "dialects/Graph/IR/GraphOps.h"
#include "dialects/Graph/IR/GraphUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <limits>

using namespace mlir;

namespace kiln {
namespace {

//===----------------------------------------------------------------------===//
// Scalar building blocks
//===----------------------------------------------------------------------===//

bool isFloat(Value v) { return isa<FloatType>(v.getType()); }

Value constant(OpBuilder &b, Location loc, Type type, double value) {
  return createScalarConstant(b, loc, type, value);
}

Value add(OpBuilder &b, Location loc, Value x, Value y) {
  if (isFloat(x))
    return arith::AddFOp::create(b, loc, x, y);
  return arith::AddIOp::create(b, loc, x, y);
}

Value sub(OpBuilder &b, Location loc, Value x, Value y) {
  if (isFloat(x))
    return arith::SubFOp::create(b, loc, x, y);
  return arith::SubIOp::create(b, loc, x, y);
}

Value mul(OpBuilder &b, Location loc, Value x, Value y) {
  if (isFloat(x))
    return arith::MulFOp::create(b, loc, x, y);
  return arith::MulIOp::create(b, loc, x, y);
}

/// Float max and min propagate NaN, as numpy's maximum and minimum do.
Value max(OpBuilder &b, Location loc, Value x, Value y, bool isUnsigned) {
  if (isFloat(x))
    return arith::MaximumFOp::create(b, loc, x, y);
  if (isUnsigned)
    return arith::MaxUIOp::create(b, loc, x, y);
  return arith::MaxSIOp::create(b, loc, x, y);
}

Value min(OpBuilder &b, Location loc, Value x, Value y, bool isUnsigned) {
  if (isFloat(x))
    return arith::MinimumFOp::create(b, loc, x, y);
  if (isUnsigned)
    return arith::MinUIOp::create(b, loc, x, y);
  return arith::MinSIOp::create(b, loc, x, y);
}

/// An ordered float comparison (false with NaN) or an integer one of the
/// given signedness. `pred` names the signed integer predicate.
Value compare(OpBuilder &b, Location loc, arith::CmpIPredicate pred, Value x,
              Value y, bool isUnsigned) {
  if (isFloat(x)) {
    arith::CmpFPredicate fpred;
    switch (pred) {
    case arith::CmpIPredicate::eq:
      fpred = arith::CmpFPredicate::OEQ;
      break;
    case arith::CmpIPredicate::sgt:
      fpred = arith::CmpFPredicate::OGT;
      break;
    case arith::CmpIPredicate::sge:
      fpred = arith::CmpFPredicate::OGE;
      break;
    case arith::CmpIPredicate::slt:
      fpred = arith::CmpFPredicate::OLT;
      break;
    case arith::CmpIPredicate::sle:
      fpred = arith::CmpFPredicate::OLE;
      break;
    default:
      llvm_unreachable("unexpected comparison");
    }
    return arith::CmpFOp::create(b, loc, fpred, x, y);
  }
  if (isUnsigned) {
    switch (pred) {
    case arith::CmpIPredicate::sgt:
      pred = arith::CmpIPredicate::ugt;
      break;
    case arith::CmpIPredicate::sge:
      pred = arith::CmpIPredicate::uge;
      break;
    case arith::CmpIPredicate::slt:
      pred = arith::CmpIPredicate::ult;
      break;
    case arith::CmpIPredicate::sle:
      pred = arith::CmpIPredicate::ule;
      break;
    default:
      break;
    }
  }
  return arith::CmpIOp::create(b, loc, pred, x, y);
}

Value select(OpBuilder &b, Location loc, Value cond, Value x, Value y) {
  return arith::SelectOp::create(b, loc, cond, x, y);
}

double attrValue(FloatAttr attr) { return attr.getValueAsDouble(); }

/// `exp(x) - 1` as the ONNX reference writes it (not expm1), so that the
/// rounding matches.
Value expMinusOne(OpBuilder &b, Location loc, Value x) {
  Value e = math::ExpOp::create(b, loc, x);
  return arith::SubFOp::create(b, loc, e, constant(b, loc, x.getType(), 1.0));
}

/// Integer division cannot trap the way LLVM's does: a zero divisor gives
/// 0 (numpy's answer) and the most negative value over -1 wraps.
Value divideIntegers(OpBuilder &b, Location loc, Value x, Value y,
                     bool isUnsigned) {
  Type type = x.getType();
  Value zero = constant(b, loc, type, 0);
  Value one = constant(b, loc, type, 1);
  Value byZero = compare(b, loc, arith::CmpIPredicate::eq, y, zero, false);
  if (isUnsigned) {
    Value safe = select(b, loc, byZero, one, y);
    Value q = arith::DivUIOp::create(b, loc, x, safe);
    return select(b, loc, byZero, zero, q);
  }
  Value minusOne = constant(b, loc, type, -1);
  Value byMinusOne =
      compare(b, loc, arith::CmpIPredicate::eq, y, minusOne, false);
  Value unsafe = arith::OrIOp::create(b, loc, byZero, byMinusOne);
  Value safe = select(b, loc, unsafe, one, y);
  Value q = arith::DivSIOp::create(b, loc, x, safe);
  q = select(b, loc, byMinusOne, arith::SubIOp::create(b, loc, zero, x), q);
  return select(b, loc, byZero, zero, q);
}

/// The remainder with the dividend's sign (C's `%` and `fmod`), or with
/// the divisor's (Python's `%`) when `floored`. Integer divisors of 0 and
/// -1 give 0 without trapping.
Value remainder(OpBuilder &b, Location loc, Value x, Value y, bool isUnsigned,
                bool floored) {
  Type type = x.getType();
  Value zero = constant(b, loc, type, 0);
  Value r;
  if (isFloat(x)) {
    r = arith::RemFOp::create(b, loc, x, y);
  } else if (isUnsigned) {
    Value byZero = compare(b, loc, arith::CmpIPredicate::eq, y, zero, false);
    Value safe = select(b, loc, byZero, constant(b, loc, type, 1), y);
    return arith::RemUIOp::create(b, loc, x, safe);
  } else {
    Value byZero = compare(b, loc, arith::CmpIPredicate::eq, y, zero, false);
    Value byMinusOne = compare(b, loc, arith::CmpIPredicate::eq, y,
                               constant(b, loc, type, -1), false);
    Value unsafe = arith::OrIOp::create(b, loc, byZero, byMinusOne);
    Value safe = select(b, loc, unsafe, constant(b, loc, type, 1), y);
    r = arith::RemSIOp::create(b, loc, x, safe);
  }
  if (!floored)
    return r;
  // Move a nonzero remainder whose sign differs from the divisor's by one
  // divisor.
  Value nonzero =
      isFloat(x)
          ? arith::CmpFOp::create(b, loc, arith::CmpFPredicate::ONE, r, zero)
                .getResult()
          : compare(b, loc, arith::CmpIPredicate::ne, r, zero, false);
  Value rNeg = compare(b, loc, arith::CmpIPredicate::slt, r, zero, false);
  Value yNeg = compare(b, loc, arith::CmpIPredicate::slt, y, zero, false);
  Value signsDiffer = arith::XOrIOp::create(b, loc, rNeg, yNeg);
  Value adjust = arith::AndIOp::create(b, loc, nonzero, signsDiffer);
  return select(b, loc, adjust, add(b, loc, r, y), r);
}

/// x ** y for integers by repeated squaring over the exponent's bits, exact
/// with wrap-around as numpy computes it. A negative exponent (unless
/// `nonNegative` says it is unsigned) gives the truncated float power: 0
/// unless |x| is 1.
Value integerPower(OpBuilder &b, Location loc, Value x, Value y,
                   bool nonNegative) {
  Type type = x.getType();
  unsigned width = type.getIntOrFloatBitWidth();
  Value zero = constant(b, loc, type, 0);
  Value one = constant(b, loc, type, 1);
  Value lb = arith::ConstantIndexOp::create(b, loc, 0);
  Value ub = arith::ConstantIndexOp::create(b, loc, width);
  Value step = arith::ConstantIndexOp::create(b, loc, 1);
  auto loop = scf::ForOp::create(
      b, loc, lb, ub, step, ValueRange{one, x, y},
      [&](OpBuilder &nb, Location nloc, Value, ValueRange iter) {
        Value result = iter[0], base = iter[1], exp = iter[2];
        Value bit = arith::AndIOp::create(nb, nloc, exp, one);
        Value odd = arith::CmpIOp::create(nb, nloc, arith::CmpIPredicate::ne,
                                          bit, zero);
        Value product = arith::MulIOp::create(nb, nloc, result, base);
        result = arith::SelectOp::create(nb, nloc, odd, product, result);
        base = arith::MulIOp::create(nb, nloc, base, base);
        exp = arith::ShRUIOp::create(nb, nloc, exp, one);
        scf::YieldOp::create(nb, nloc, ValueRange{result, base, exp});
      });
  Value power = loop.getResult(0);
  if (nonNegative)
    return power;
  // x ** -n: 1 for x = 1, +-1 for x = -1, 0 otherwise.
  Value negative = compare(b, loc, arith::CmpIPredicate::slt, y, zero, false);
  Value isOne = compare(b, loc, arith::CmpIPredicate::eq, x, one, false);
  Value isMinusOne = compare(b, loc, arith::CmpIPredicate::eq, x,
                             constant(b, loc, type, -1), false);
  Value odd = compare(b, loc, arith::CmpIPredicate::ne,
                      arith::AndIOp::create(b, loc, y, one), zero, false);
  Value minusOneResult = select(b, loc, odd, constant(b, loc, type, -1), one);
  Value inverse = select(b, loc, isOne, one,
                         select(b, loc, isMinusOne, minusOneResult, zero));
  return select(b, loc, negative, inverse, power);
}

//===----------------------------------------------------------------------===//
// Unary math and tests
//===----------------------------------------------------------------------===//

Value computeElement(graph::AbsOp op, OpBuilder &b, Location loc,
                     ValueRange args) {
  if (isFloat(args[0]))
    return math::AbsFOp::create(b, loc, args[0]);
  if (isUnsignedElement(op.getX()))
    return args[0];
  return math::AbsIOp::create(b, loc, args[0]);
}

Value computeElement(graph::NegOp, OpBuilder &b, Location loc,
                     ValueRange args) {
  if (isFloat(args[0]))
    return arith::NegFOp::create(b, loc, args[0]);
  return sub(b, loc, constant(b, loc, args[0].getType(), 0), args[0]);
}

/// Zeros and NaN map to themselves, which a float select chain keeps.
Value computeElement(graph::SignOp op, OpBuilder &b, Location loc,
                     ValueRange args) {
  Value x = args[0];
  Type type = x.getType();
  bool isUnsigned = isUnsignedElement(op.getInput());
  Value zero = constant(b, loc, type, 0);
  Value one = constant(b, loc, type, 1);
  Value positive =
      compare(b, loc, arith::CmpIPredicate::sgt, x, zero, isUnsigned);
  if (isUnsigned)
    return select(b, loc, positive, one, zero);
  Value negative = compare(b, loc, arith::CmpIPredicate::slt, x, zero, false);
  Value rest = isFloat(x) ? x : zero;
  return select(b, loc, positive, one,
                select(b, loc, negative, constant(b, loc, type, -1), rest));
}

Value computeElement(graph::ReciprocalOp, OpBuilder &b, Location loc,
                     ValueRange args) {
  return arith::DivFOp::create(b, loc, constant(b, loc, args[0].getType(), 1.0),
                               args[0]);
}

/// Integer inputs take the float function's value truncated back.
Value computeElement(graph::ErfOp op, OpBuilder &b, Location loc,
                     ValueRange args) {
  Value x = args[0];
  if (isFloat(x))
    return math::ErfOp::create(b, loc, x);
  bool isUnsigned = isUnsignedElement(op.getInput());
  Value wide = convertScalar(b, loc, x, b.getF64Type(), isUnsigned, false);
  Value erf = math::ErfOp::create(b, loc, wide);
  return convertScalar(b, loc, erf, x.getType(), false, isUnsigned);
}

Value computeElement(graph::NotOp, OpBuilder &b, Location loc,
                     ValueRange args) {
  return arith::XOrIOp::create(b, loc, args[0],
                               constant(b, loc, b.getI1Type(), 1));
}

Value computeElement(graph::IsNaNOp, OpBuilder &b, Location loc,
                     ValueRange args) {
  return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNO, args[0],
                               args[0]);
}

Value computeElement(graph::IsInfOp op, OpBuilder &b, Location loc,
                     ValueRange args) {
  Value x = args[0];
  Type type = x.getType();
  Value result = constant(b, loc, b.getI1Type(), 0);
  double inf = std::numeric_limits<double>::infinity();
  if (op.getDetectPositive())
    result = arith::OrIOp::create(
        b, loc, result,
        arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ, x,
                              constant(b, loc, type, inf)));
  if (op.getDetectNegative())
    result = arith::OrIOp::create(
        b, loc, result,
        arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ, x,
                              constant(b, loc, type, -inf)));
  return result;
}

//===----------------------------------------------------------------------===//
// Activations
//===----------------------------------------------------------------------===//

Value computeElement(graph::ReluOp, OpBuilder &b, Location loc,
                     ValueRange args) {
  return max(b, loc, args[0], constant(b, loc, args[0].getType(), 0), false);
}

Value computeElement(graph::LeakyReluOp op, OpBuilder &b, Location loc,
                     ValueRange args) {
  Value x = args[0];
  Type type = x.getType();
  Value alpha = constant(b, loc, type, attrValue(op.getAlphaAttr()));
  Value negative = compare(b, loc, arith::CmpIPredicate::slt, x,
                           constant(b, loc, type, 0), false);
  return select(b, loc, negative, mul(b, loc, alpha, x), x);
}

Value computeElement(graph::EluOp op, OpBuilder &b, Location loc,
                     ValueRange args) {
  Value x = args[0];
  Type type = x.getType();
  Value alpha = constant(b, loc, type, attrValue(op.getAlphaAttr()));
  Value negative = compare(b, loc, arith::CmpIPredicate::slt, x,
                           constant(b, loc, type, 0), false);
  return select(b, loc, negative, mul(b, loc, alpha, expMinusOne(b, loc, x)),
                x);
}

Value computeElement(graph::CeluOp op, OpBuilder &b, Location loc,
                     ValueRange args) {
  Value x = args[0];
  Type type = x.getType();
  Value alpha = constant(b, loc, type, attrValue(op.getAlphaAttr()));
  Value zero = constant(b, loc, type, 0);
  Value scaled = arith::DivFOp::create(b, loc, x, alpha);
  Value negativePart =
      min(b, loc, zero, mul(b, loc, alpha, expMinusOne(b, loc, scaled)), false);
  return add(b, loc, max(b, loc, zero, x, false), negativePart);
}

Value computeElement(graph::SeluOp op, OpBuilder &b, Location loc,
                     ValueRange args) {
  Value x = args[0];
  Type type = x.getType();
  Value alpha = constant(b, loc, type, attrValue(op.getAlphaAttr()));
  Value gamma = constant(b, loc, type, attrValue(op.getGammaAttr()));
  Value positive = compare(b, loc, arith::CmpIPredicate::sgt, x,
                           constant(b, loc, type, 0), false);
  Value negativePart =
      mul(b, loc, mul(b, loc, expMinusOne(b, loc, x), alpha), gamma);
  return select(b, loc, positive, mul(b, loc, x, gamma), negativePart);
}

/// max(0, min(1, alpha * x + beta)).
Value hardSigmoid(OpBuilder &b, Location loc, Value x, double alpha,
                  double beta) {
  Type type = x.getType();
  Value linear = add(b, loc, mul(b, loc, constant(b, loc, type, alpha), x),
                     constant(b, loc, type, beta));
  Value upper = min(b, loc, constant(b, loc, type, 1), linear, false);
  return max(b, loc, constant(b, loc, type, 0), upper, false);
}

Value computeElement(graph::HardSigmoidOp op, OpBuilder &b, Location loc,
                     ValueRange args) {
  return hardSigmoid(b, loc, args[0], attrValue(op.getAlphaAttr()),
                     attrValue(op.getBetaAttr()));
}

Value computeElement(graph::HardSwishOp, OpBuilder &b, Location loc,
                     ValueRange args) {
  return mul(b, loc, args[0], hardSigmoid(b, loc, args[0], 1.0 / 6.0, 0.5));
}

Value computeElement(graph::SigmoidOp, OpBuilder &b, Location loc,
                     ValueRange args) {
  Type type = args[0].getType();
  Value one = constant(b, loc, type, 1);
  Value e = math::ExpOp::create(b, loc, arith::NegFOp::create(b, loc, args[0]));
  return arith::DivFOp::create(b, loc, one, add(b, loc, one, e));
}

Value computeElement(graph::ThresholdedReluOp op, OpBuilder &b, Location loc,
                     ValueRange args) {
  Value x = args[0];
  Type type = x.getType();
  Value alpha = constant(b, loc, type, attrValue(op.getAlphaAttr()));
  Value above = compare(b, loc, arith::CmpIPredicate::sgt, x, alpha, false);
  return select(b, loc, above, x, constant(b, loc, type, 0));
}

/// Integer inputs compare and shift in f64, then convert back.
Value computeElement(graph::ShrinkOp op, OpBuilder &b, Location loc,
                     ValueRange args) {
  Value x = args[0];
  Type type = x.getType();
  bool isUnsigned = isUnsignedElement(op.getInput());
  Value v = isFloat(x)
                ? x
                : convertScalar(b, loc, x, b.getF64Type(), isUnsigned, false);
  Type ftype = v.getType();
  double lambd = attrValue(op.getLambdAttr());
  Value bias = constant(b, loc, ftype, attrValue(op.getBiasAttr()));
  Value below = compare(b, loc, arith::CmpIPredicate::slt, v,
                        constant(b, loc, ftype, -lambd), false);
  Value above = compare(b, loc, arith::CmpIPredicate::sgt, v,
                        constant(b, loc, ftype, lambd), false);
  Value result = select(
      b, loc, below, add(b, loc, v, bias),
      select(b, loc, above, sub(b, loc, v, bias), constant(b, loc, ftype, 0)));
  if (isFloat(x))
    return result;
  return convertScalar(b, loc, result, type, false, isUnsigned);
}

Value computeElement(graph::SoftplusOp, OpBuilder &b, Location loc,
                     ValueRange args) {
  Type type = args[0].getType();
  Value e = math::ExpOp::create(b, loc, args[0]);
  return math::LogOp::create(b, loc, add(b, loc, e, constant(b, loc, type, 1)));
}

Value computeElement(graph::SoftsignOp, OpBuilder &b, Location loc,
                     ValueRange args) {
  Type type = args[0].getType();
  Value magnitude = math::AbsFOp::create(b, loc, args[0]);
  return arith::DivFOp::create(
      b, loc, args[0], add(b, loc, constant(b, loc, type, 1), magnitude));
}

//===----------------------------------------------------------------------===//
// Binary arithmetic
//===----------------------------------------------------------------------===//

Value computeElement(graph::AddOp, OpBuilder &b, Location loc,
                     ValueRange args) {
  return add(b, loc, args[0], args[1]);
}

Value computeElement(graph::SubOp, OpBuilder &b, Location loc,
                     ValueRange args) {
  return sub(b, loc, args[0], args[1]);
}

Value computeElement(graph::MulOp, OpBuilder &b, Location loc,
                     ValueRange args) {
  return mul(b, loc, args[0], args[1]);
}

Value computeElement(graph::DivOp op, OpBuilder &b, Location loc,
                     ValueRange args) {
  if (isFloat(args[0]))
    return arith::DivFOp::create(b, loc, args[0], args[1]);
  return divideIntegers(b, loc, args[0], args[1], isUnsignedElement(op.getA()));
}

Value computeElement(graph::ModOp op, OpBuilder &b, Location loc,
                     ValueRange args) {
  return remainder(b, loc, args[0], args[1], isUnsignedElement(op.getA()),
                   /*floored=*/op.getFmod() == 0);
}

/// The exponent converts to the base's type for a float base; an integer
/// base with a float exponent computes in f64 and truncates back.
Value computeElement(graph::PowOp op, OpBuilder &b, Location loc,
                     ValueRange args) {
  Value x = args[0], y = args[1];
  bool xUnsigned = isUnsignedElement(op.getX());
  bool yUnsigned = isUnsignedElement(op.getY());
  Type xType = x.getType();
  if (isFloat(x)) {
    Value exponent = convertScalar(b, loc, y, xType, yUnsigned, false);
    return math::PowFOp::create(b, loc, x, exponent);
  }
  if (isFloat(y)) {
    Type f64 = b.getF64Type();
    Value base = convertScalar(b, loc, x, f64, xUnsigned, false);
    Value exponent = convertScalar(b, loc, y, f64, false, false);
    Value power = math::PowFOp::create(b, loc, base, exponent);
    return convertScalar(b, loc, power, xType, false, xUnsigned);
  }
  // An unsigned exponent too large for the base's type would wrap; only
  // bases 0, 1 and -1 have such powers in range.
  Value exponent = convertScalar(b, loc, y, xType, yUnsigned, xUnsigned);
  return integerPower(b, loc, x, exponent, /*nonNegative=*/yUnsigned);
}

/// Shifts by the bit width or more give 0 instead of LLVM's poison.
Value computeElement(graph::BitShiftOp op, OpBuilder &b, Location loc,
                     ValueRange args) {
  Value x = args[0], y = args[1];
  Type type = x.getType();
  Value width = constant(b, loc, type, type.getIntOrFloatBitWidth());
  Value tooFar = compare(b, loc, arith::CmpIPredicate::sge, y, width, true);
  Value shifted = op.getDirection() == "LEFT"
                      ? arith::ShLIOp::create(b, loc, x, y).getResult()
                      : arith::ShRUIOp::create(b, loc, x, y).getResult();
  return select(b, loc, tooFar, constant(b, loc, type, 0), shifted);
}

Value computeElement(graph::PReluOp op, OpBuilder &b, Location loc,
                     ValueRange args) {
  Value x = args[0], slope = args[1];
  if (isUnsignedElement(op.getX()))
    return x;
  Value negative = compare(b, loc, arith::CmpIPredicate::slt, x,
                           constant(b, loc, x.getType(), 0), false);
  return select(b, loc, negative, mul(b, loc, slope, x), x);
}

//===----------------------------------------------------------------------===//
// Comparisons and logic
//===----------------------------------------------------------------------===//

Value computeElement(graph::EqualOp, OpBuilder &b, Location loc,
                     ValueRange args) {
  return compare(b, loc, arith::CmpIPredicate::eq, args[0], args[1], false);
}

Value computeElement(graph::GreaterOp op, OpBuilder &b, Location loc,
                     ValueRange args) {
  return compare(b, loc, arith::CmpIPredicate::sgt, args[0], args[1],
                 isUnsignedElement(op.getA()));
}

Value computeElement(graph::GreaterOrEqualOp op, OpBuilder &b, Location loc,
                     ValueRange args) {
  return compare(b, loc, arith::CmpIPredicate::sge, args[0], args[1],
                 isUnsignedElement(op.getA()));
}

Value computeElement(graph::LessOp op, OpBuilder &b, Location loc,
                     ValueRange args) {
  return compare(b, loc, arith::CmpIPredicate::slt, args[0], args[1],
                 isUnsignedElement(op.getA()));
}

Value computeElement(graph::LessOrEqualOp op, OpBuilder &b, Location loc,
                     ValueRange args) {
  return compare(b, loc, arith::CmpIPredicate::sle, args[0], args[1],
                 isUnsignedElement(op.getA()));
}

Value computeElement(graph::AndOp, OpBuilder &b, Location loc,
                     ValueRange args) {
  return arith::AndIOp::create(b, loc, args[0], args[1]);
}

Value computeElement(graph::OrOp, OpBuilder &b, Location loc, ValueRange args) {
  return arith::OrIOp::create(b, loc, args[0], args[1]);
}

Value computeElement(graph::XorOp, OpBuilder &b, Location loc,
                     ValueRange args) {
  return arith::XOrIOp::create(b, loc, args[0], args[1]);
}

//===----------------------------------------------------------------------===//
// Variadic ops and Where
//===----------------------------------------------------------------------===//

Value computeElement(graph::MaxOp op, OpBuilder &b, Location loc,
                     ValueRange args) {
  bool isUnsigned = isUnsignedElement(op->getOperand(0));
  Value result = args[0];
  for (Value arg : args.drop_front())
    result = max(b, loc, result, arg, isUnsigned);
  return result;
}

Value computeElement(graph::MinOp op, OpBuilder &b, Location loc,
                     ValueRange args) {
  bool isUnsigned = isUnsignedElement(op->getOperand(0));
  Value result = args[0];
  for (Value arg : args.drop_front())
    result = min(b, loc, result, arg, isUnsigned);
  return result;
}

/// Adds from first to last, the order ONNX's reference uses.
Value sumAll(OpBuilder &b, Location loc, ValueRange args) {
  Value result = args[0];
  for (Value arg : args.drop_front())
    result = add(b, loc, result, arg);
  return result;
}

Value computeElement(graph::SumOp, OpBuilder &b, Location loc,
                     ValueRange args) {
  return sumAll(b, loc, args);
}

Value computeElement(graph::MeanOp, OpBuilder &b, Location loc,
                     ValueRange args) {
  Value sum = sumAll(b, loc, args);
  Value count = constant(b, loc, sum.getType(), double(args.size()));
  return arith::DivFOp::create(b, loc, sum, count);
}

Value computeElement(graph::WhereOp, OpBuilder &b, Location loc,
                     ValueRange args) {
  return select(b, loc, args[0], args[1], args[2]);
}

//===----------------------------------------------------------------------===//
// Patterns
//===----------------------------------------------------------------------===//

/// Builds `op`'s single result elementwise from `operands` (converted,
/// broadcast numpy-style). `body` sees narrow floats widened; a float
/// result of another width than the result type is converted to it.
LogicalResult lowerElementwise(Operation *op, ValueRange operands,
                               ConversionPatternRewriter &rewriter,
                               ScalarBodyBuilder body) {
  auto graphType = cast<RankedTensorType>(op->getResult(0).getType());
  if (failed(requireStaticShape(rewriter, op, graphType)))
    return failure();
  for (Value operand : operands)
    if (failed(requireStaticShape(rewriter, op, operand.getType())))
      return failure();
  RankedTensorType resultType = toSignless(graphType);
  Type resultElt = resultType.getElementType();
  Value result = createElementwise(
      rewriter, op->getLoc(), operands, resultType,
      [&](OpBuilder &b, Location loc, ValueRange args) {
        SmallVector<Value> widened;
        for (Value arg : args) {
          Type compute = getComputeType(arg.getType());
          widened.push_back(convertScalar(b, loc, arg, compute, false, false));
        }
        Value v = body(b, loc, widened);
        if (v.getType() != resultElt) {
          assert(isFloat(v) && isa<FloatType>(resultElt) &&
                 "only float results change width");
          v = convertScalar(b, loc, v, resultElt, false, false);
        }
        return v;
      });
  rewriter.replaceOp(op, result);
  return success();
}

/// The ops whose element function is a `computeElement` above.
template <typename OpTy>
struct ElementwiseLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    return lowerElementwise(op, adaptor.getOperands(), rewriter,
                            [&](OpBuilder &b, Location loc, ValueRange args) {
                              return computeElement(op, b, loc, args);
                            });
  }
};

/// The ops that are one float op of the math dialect.
template <typename OpTy, typename MathOpTy>
struct MathLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    return lowerElementwise(
        op, adaptor.getOperands(), rewriter,
        [](OpBuilder &b, Location loc, ValueRange args) {
          return MathOpTy::create(b, loc, args[0]).getResult();
        });
  }
};

/// A float base raised to a constant 1, 2 or 3 (squares and cubes in
/// GELU and hand-written normalizations) is multiplied out instead of
/// calling pow per element; other exponents take the general body.
struct PowLowering : OpConversionPattern<graph::PowOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::PowOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto xType = cast<RankedTensorType>(op.getX().getType());
    std::optional<SmallVector<double>> exponents =
        graph::getConstantDoubles(op.getY());
    bool smallPower = isa<FloatType>(xType.getElementType()) && exponents &&
                      !exponents->empty() && llvm::all_equal(*exponents) &&
                      llvm::is_contained({1.0, 2.0, 3.0}, exponents->front());
    if (!smallPower)
      return lowerElementwise(op, adaptor.getOperands(), rewriter,
                              [&](OpBuilder &b, Location loc, ValueRange args) {
                                return computeElement(op, b, loc, args);
                              });
    // The result may still take dims from Y's shape; broadcast X to it.
    int64_t power = int64_t(exponents->front());
    return lowerElementwise(op, adaptor.getX(), rewriter,
                            [&](OpBuilder &b, Location loc, ValueRange args) {
                              Value result = args[0];
                              for (int64_t i = 1; i < power; ++i)
                                result = mul(b, loc, result, args[0]);
                              return result;
                            });
  }
};

/// Absent bounds are left out of the body rather than replaced by the
/// type's extremes; present ones become rank-0 operands that broadcast.
struct ClipLowering : OpConversionPattern<graph::ClipOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::ClipOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    bool hasMin = !graph::isNone(adaptor.getMin());
    bool hasMax = !graph::isNone(adaptor.getMax());
    auto isScalar = [](Value bound) {
      auto type = dyn_cast<RankedTensorType>(bound.getType());
      return !type || (type.hasStaticShape() && type.getNumElements() == 1);
    };
    if (!isScalar(adaptor.getMin()) || !isScalar(adaptor.getMax()) ||
        failed(requireStaticShape(rewriter, op, op.getType())))
      return rewriter.notifyMatchFailure(op, "bound is not one element");
    SmallVector<Value> operands = {adaptor.getInput()};
    for (Value bound : {adaptor.getMin(), adaptor.getMax()}) {
      if (graph::isNone(bound))
        continue;
      auto type = cast<RankedTensorType>(bound.getType());
      if (type.getRank() != 0)
        bound = tensor::CollapseShapeOp::create(
            rewriter, loc, RankedTensorType::get({}, type.getElementType()),
            bound, SmallVector<ReassociationIndices>{});
      operands.push_back(bound);
    }
    bool isUnsigned = isUnsignedElement(op.getInput());
    return lowerElementwise(op, operands, rewriter,
                            [&](OpBuilder &b, Location nloc, ValueRange args) {
                              Value v = args[0];
                              unsigned next = 1;
                              if (hasMin)
                                v = max(b, nloc, v, args[next++], isUnsigned);
                              if (hasMax)
                                v = min(b, nloc, v, args[next++], isUnsigned);
                              return v;
                            });
  }
};

} // namespace

void populateGraphElementwiseToLinalgPatterns(const TypeConverter &converter,
                                              RewritePatternSet &patterns) {
  MLIRContext *ctx = patterns.getContext();
  patterns.add<
      // Unary math and tests.
      ElementwiseLowering<graph::AbsOp>, ElementwiseLowering<graph::NegOp>,
      ElementwiseLowering<graph::SignOp>,
      ElementwiseLowering<graph::ReciprocalOp>,
      ElementwiseLowering<graph::ErfOp>, ElementwiseLowering<graph::NotOp>,
      ElementwiseLowering<graph::IsNaNOp>, ElementwiseLowering<graph::IsInfOp>,
      MathLowering<graph::CeilOp, math::CeilOp>,
      MathLowering<graph::FloorOp, math::FloorOp>,
      MathLowering<graph::RoundOp, math::RoundEvenOp>,
      MathLowering<graph::SqrtOp, math::SqrtOp>,
      MathLowering<graph::ExpOp, math::ExpOp>,
      MathLowering<graph::LogOp, math::LogOp>,
      MathLowering<graph::SinOp, math::SinOp>,
      MathLowering<graph::CosOp, math::CosOp>,
      MathLowering<graph::TanOp, math::TanOp>,
      MathLowering<graph::AsinOp, math::AsinOp>,
      MathLowering<graph::AcosOp, math::AcosOp>,
      MathLowering<graph::AtanOp, math::AtanOp>,
      MathLowering<graph::SinhOp, math::SinhOp>,
      MathLowering<graph::CoshOp, math::CoshOp>,
      MathLowering<graph::TanhOp, math::TanhOp>,
      MathLowering<graph::AsinhOp, math::AsinhOp>,
      MathLowering<graph::AcoshOp, math::AcoshOp>,
      MathLowering<graph::AtanhOp, math::AtanhOp>,
      // Activations.
      ElementwiseLowering<graph::ReluOp>,
      ElementwiseLowering<graph::LeakyReluOp>,
      ElementwiseLowering<graph::EluOp>, ElementwiseLowering<graph::CeluOp>,
      ElementwiseLowering<graph::SeluOp>,
      ElementwiseLowering<graph::HardSigmoidOp>,
      ElementwiseLowering<graph::HardSwishOp>,
      ElementwiseLowering<graph::SigmoidOp>,
      ElementwiseLowering<graph::ThresholdedReluOp>,
      ElementwiseLowering<graph::ShrinkOp>,
      ElementwiseLowering<graph::SoftplusOp>,
      ElementwiseLowering<graph::SoftsignOp>,
      // Binary arithmetic, comparisons and logic.
      ElementwiseLowering<graph::AddOp>, ElementwiseLowering<graph::SubOp>,
      ElementwiseLowering<graph::MulOp>, ElementwiseLowering<graph::DivOp>,
      ElementwiseLowering<graph::ModOp>, PowLowering,
      ElementwiseLowering<graph::BitShiftOp>,
      ElementwiseLowering<graph::PReluOp>, ElementwiseLowering<graph::EqualOp>,
      ElementwiseLowering<graph::GreaterOp>,
      ElementwiseLowering<graph::GreaterOrEqualOp>,
      ElementwiseLowering<graph::LessOp>,
      ElementwiseLowering<graph::LessOrEqualOp>,
      ElementwiseLowering<graph::AndOp>, ElementwiseLowering<graph::OrOp>,
      ElementwiseLowering<graph::XorOp>,
      // Variadic ops, Where, Clip.
      ElementwiseLowering<graph::MaxOp>, ElementwiseLowering<graph::MinOp>,
      ElementwiseLowering<graph::SumOp>, ElementwiseLowering<graph::MeanOp>,
      ElementwiseLowering<graph::WhereOp>, ClipLowering>(converter, ctx);
}

} // namespace kiln
