//===- MatrixInstructions.cpp - AMD matrix instructions -------------------===//
//
// MFMA (CDNA: gfx90a, gfx94x) and WMMA (RDNA3: gfx11) as MmaIntrinsics for
// the shared contraction path, emitted as amdgpu.mfma / amdgpu.wmma (which
// convert-amdgpu-to-rocdl turns into the chip's intrinsic). The fragment
// layouts are those of AMD's matrix instruction documentation:
//
//  - v_mfma_f32_16x16x16{f16,bf16_1k} (wave64): lane l holds A row l % 16 at
//    k = 4 (l / 16) + j, B column l % 16 at the same k, and C column l % 16
//    at rows 4 (l / 16) + j, j = 0..3. v_mfma_f32_16x16x4f32 is the same
//    with one k per lane (k = l / 16).
//  - v_wmma_f32_16x16x16_{f16,bf16} (wave32): lane l holds all 16 k of A row
//    l % 16 and of B column l % 16 (lanes 16-31 repeat lanes 0-15), and C
//    column l % 16 at rows 2 j + l / 16, j = 0..7.
//
//===----------------------------------------------------------------------===//

#include "targets/ROCm/ROCmTarget.h"

#include "targets/GPUCommon/GPUTargetInfo.h"

#include "mlir/Dialect/AMDGPU/IR/AMDGPUDialect.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;

namespace kiln::rocm {
namespace {

using gpu::MmaIntrinsic;
using Operand = MmaIntrinsic::Operand;

enum class Input { F16, BF16, F32 };

Type getType(MLIRContext *context, Input input) {
  switch (input) {
  case Input::F16:
    return Float16Type::get(context);
  case Input::BF16:
    return BFloat16Type::get(context);
  case Input::F32:
    return Float32Type::get(context);
  }
  llvm_unreachable("unknown input type");
}

StringRef getSuffix(Input input) {
  switch (input) {
  case Input::F16:
    return "f16";
  case Input::BF16:
    return "bf16";
  case Input::F32:
    return "f32";
  }
  llvm_unreachable("unknown input type");
}

Value constant(OpBuilder &b, Location loc, int64_t v) {
  return arith::ConstantIndexOp::create(b, loc, v);
}

Value plus(OpBuilder &b, Location loc, Value v, int64_t c) {
  return c == 0 ? v : arith::AddIOp::create(b, loc, v, constant(b, loc, c));
}

/// CDNA MFMA, 16 x 16 output tile on a wave of 64: k = 16 for 16-bit
/// inputs (four per lane), k = 4 for f32 (one per lane).
class Mfma final : public MmaIntrinsic {
public:
  explicit Mfma(Input input)
      : input(input),
        name(("amd_mfma_f32_16x16x" + std::to_string(getK()) + "_" +
              getSuffix(input))
                 .str()) {}

  StringRef getName() const override { return name; }
  int64_t getM() const override { return 16; }
  int64_t getN() const override { return 16; }
  int64_t getK() const override { return input == Input::F32 ? 4 : 16; }
  Type getInputType(MLIRContext *context) const override {
    return getType(context, input);
  }
  Type getAccumulatorType(MLIRContext *context) const override {
    return Float32Type::get(context);
  }
  int64_t getFragmentSize(Operand operand) const override {
    if (operand == Operand::C)
      return 4;
    return input == Input::F32 ? 1 : 4;
  }
  std::pair<Value, Value> getCoordinates(OpBuilder &b, Location loc,
                                         Operand operand, Value lane,
                                         int64_t index) const override {
    Value position = arith::RemUIOp::create(b, loc, lane, constant(b, loc, 16));
    Value group = arith::DivUIOp::create(b, loc, lane, constant(b, loc, 16));
    int64_t perLane = getFragmentSize(operand);
    Value base =
        perLane == 1
            ? group
            : arith::MulIOp::create(b, loc, group, constant(b, loc, perLane))
                  .getResult();
    Value inner = plus(b, loc, base, index);
    switch (operand) {
    case Operand::A:
      return {position, inner};
    case Operand::B:
    case Operand::C:
      return {inner, position};
    }
    llvm_unreachable("unknown operand");
  }
  void getDependentDialects(DialectRegistry &registry) const override {
    registry.insert<amdgpu::AMDGPUDialect, vector::VectorDialect>();
  }
  Value buildMma(OpBuilder &b, Location loc, Value a, Value bv,
                 Value c) const override {
    // A single f32 per lane is a scalar operand of the instruction.
    if (input == Input::F32) {
      a = vector::ExtractOp::create(b, loc, a, 0);
      bv = vector::ExtractOp::create(b, loc, bv, 0);
    }
    return amdgpu::MFMAOp::create(b, loc, c.getType(), b.getI32IntegerAttr(16),
                                  b.getI32IntegerAttr(16),
                                  b.getI32IntegerAttr(getK()),
                                  b.getI32IntegerAttr(1), a, bv, c);
  }

private:
  Input input;
  std::string name;
};

/// RDNA3 WMMA, 16 x 16 x 16 on a wave of 32.
class Wmma final : public MmaIntrinsic {
public:
  explicit Wmma(Input input)
      : input(input),
        name(("amd_wmma_f32_16x16x16_" + getSuffix(input)).str()) {}

  StringRef getName() const override { return name; }
  int64_t getM() const override { return 16; }
  int64_t getN() const override { return 16; }
  int64_t getK() const override { return 16; }
  Type getInputType(MLIRContext *context) const override {
    return getType(context, input);
  }
  Type getAccumulatorType(MLIRContext *context) const override {
    return Float32Type::get(context);
  }
  int64_t getFragmentSize(Operand operand) const override {
    return operand == Operand::C ? 8 : 16;
  }
  std::pair<Value, Value> getCoordinates(OpBuilder &b, Location loc,
                                         Operand operand, Value lane,
                                         int64_t index) const override {
    Value position = arith::RemUIOp::create(b, loc, lane, constant(b, loc, 16));
    switch (operand) {
    case Operand::A:
      return {position, constant(b, loc, index)};
    case Operand::B:
      return {constant(b, loc, index), position};
    case Operand::C: {
      Value half = arith::DivUIOp::create(b, loc, lane, constant(b, loc, 16));
      return {plus(b, loc, half, 2 * index), position};
    }
    }
    llvm_unreachable("unknown operand");
  }
  void getDependentDialects(DialectRegistry &registry) const override {
    registry.insert<amdgpu::AMDGPUDialect>();
  }
  Value buildMma(OpBuilder &b, Location loc, Value a, Value bv,
                 Value c) const override {
    return amdgpu::WMMAOp::create(b, loc, c.getType(), b.getI32IntegerAttr(16),
                                  b.getI32IntegerAttr(16),
                                  b.getI32IntegerAttr(16), a, bv, c);
  }

private:
  Input input;
  std::string name;
};

std::string add(std::shared_ptr<const MmaIntrinsic> intrinsic) {
  std::string name = intrinsic->getName().str();
  gpu::registerMmaIntrinsic(std::move(intrinsic));
  return name;
}

} // namespace

MatrixInstructionNames registerMatrixInstructions() {
  MatrixInstructionNames names;
  for (Input input : {Input::F16, Input::BF16, Input::F32})
    names.mfma.push_back(add(std::make_shared<Mfma>(input)));
  for (Input input : {Input::F16, Input::BF16})
    names.wmma.push_back(add(std::make_shared<Wmma>(input)));
  return names;
}

} // namespace kiln::rocm
