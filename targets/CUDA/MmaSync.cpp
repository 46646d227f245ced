//===- MmaSync.cpp - NVIDIA warp-level matrix instructions ----------------===//
//
// mma.sync (sm_80 and later) as MmaIntrinsics for the shared contraction
// path: m16n8k16 for f16 and bf16 inputs and m16n8k8 for TF32, all with
// f32 accumulators. The fragment layouts are those of the PTX ISA
// ("Matrix Fragments for mma.m16n8k16 / mma.m16n8k8"): with g = lane / 4
// and t = lane % 4, a lane holds rows g and g + 8 of A and C, and its
// columns (A) or rows (B) of k come in pairs at 2t (16-bit types) or
// single elements at t (TF32).
//
//===----------------------------------------------------------------------===//

#include "targets/CUDA/CUDATarget.h"

#include "targets/GPUCommon/GPUTargetInfo.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;

namespace kiln::cuda {
namespace {

using gpu::MmaIntrinsic;
using Operand = MmaIntrinsic::Operand;

/// The input types of mma.sync that Kiln uses.
enum class MmaInput { F16, BF16, TF32 };

class MmaSync final : public MmaIntrinsic {
public:
  explicit MmaSync(MmaInput input) : input(input) {}

  llvm::StringRef getName() const override {
    switch (input) {
    case MmaInput::F16:
      return "nv_mma_m16n8k16_f16";
    case MmaInput::BF16:
      return "nv_mma_m16n8k16_bf16";
    case MmaInput::TF32:
      return "nv_mma_m16n8k8_tf32";
    }
    llvm_unreachable("unknown input type");
  }
  int64_t getM() const override { return 16; }
  int64_t getN() const override { return 8; }
  int64_t getK() const override { return input == MmaInput::TF32 ? 8 : 16; }
  Type getInputType(MLIRContext *context) const override {
    switch (input) {
    case MmaInput::F16:
      return Float16Type::get(context);
    case MmaInput::BF16:
      return BFloat16Type::get(context);
    case MmaInput::TF32:
      return Float32Type::get(context);
    }
    llvm_unreachable("unknown input type");
  }
  Type getAccumulatorType(MLIRContext *context) const override {
    return Float32Type::get(context);
  }
  bool roundsF32Inputs() const override { return input == MmaInput::TF32; }

  int64_t getFragmentSize(Operand operand) const override {
    switch (operand) {
    case Operand::A:
      return input == MmaInput::TF32 ? 4 : 8;
    case Operand::B:
      return input == MmaInput::TF32 ? 2 : 4;
    case Operand::C:
      return 4;
    }
    llvm_unreachable("unknown operand");
  }

  std::pair<Value, Value> getCoordinates(OpBuilder &b, Location loc,
                                         Operand operand, Value lane,
                                         int64_t index) const override {
    auto constant = [&](int64_t v) -> Value {
      return arith::ConstantIndexOp::create(b, loc, v);
    };
    auto plus = [&](Value v, int64_t c) -> Value {
      return c == 0 ? v : arith::AddIOp::create(b, loc, v, constant(c));
    };
    Value g = arith::DivUIOp::create(b, loc, lane, constant(4));
    Value t = arith::RemUIOp::create(b, loc, lane, constant(4));
    Value t2 = arith::MulIOp::create(b, loc, t, constant(2));
    if (operand == Operand::C)
      return {plus(g, 8 * (index / 2)), plus(t2, index % 2)};
    if (input == MmaInput::TF32) {
      if (operand == Operand::A)
        return {plus(g, 8 * (index % 2)), plus(t, 4 * (index / 2))};
      return {plus(t, 4 * index), g};
    }
    if (operand == Operand::A) {
      int64_t pair = index / 2;
      return {plus(g, 8 * (pair % 2)), plus(t2, index % 2 + 8 * (pair / 2))};
    }
    return {plus(t2, index % 2 + 8 * (index / 2)), g};
  }

  void getDependentDialects(DialectRegistry &registry) const override {
    registry.insert<LLVM::LLVMDialect, NVVM::NVVMDialect,
                    vector::VectorDialect>();
  }

  Value buildMma(OpBuilder &b, Location loc, Value a, Value bv,
                 Value c) const override {
    MLIRContext *context = b.getContext();
    Type f32 = Float32Type::get(context);
    Type i32 = IntegerType::get(context, 32);
    // Registers: pairs of 16-bit values (f16 as vector<2xf16>, bf16 packed
    // into i32), or single TF32 values as i32.
    auto registers = [&](Value fragment) {
      int64_t size = cast<VectorType>(fragment.getType()).getNumElements();
      SmallVector<Value> values;
      if (input == MmaInput::TF32) {
        for (int64_t i = 0; i < size; ++i) {
          Value element = vector::ExtractOp::create(b, loc, fragment, i);
          values.push_back(NVVM::ConvertFloatToTF32Op::create(
              b, loc, i32, element, NVVM::FPRoundingMode::RNA,
              NVVM::SaturationMode::NONE, /*relu=*/false));
        }
        return values;
      }
      for (int64_t i = 0; i < size; i += 2) {
        Value low = vector::ExtractOp::create(b, loc, fragment, i);
        Value high = vector::ExtractOp::create(b, loc, fragment, i + 1);
        Value pair = vector::FromElementsOp::create(
            b, loc, VectorType::get({2}, low.getType()),
            ValueRange{low, high});
        if (input == MmaInput::BF16) {
          Value packed = vector::BitCastOp::create(
              b, loc, VectorType::get({1}, i32), pair);
          values.push_back(vector::ExtractOp::create(b, loc, packed, 0));
        } else {
          values.push_back(pair);
        }
      }
      return values;
    };
    SmallVector<Value> accumulators;
    for (int64_t i = 0; i < 4; ++i)
      accumulators.push_back(vector::ExtractOp::create(b, loc, c, i));
    NVVM::MMATypes type = input == MmaInput::F16    ? NVVM::MMATypes::f16
                          : input == MmaInput::BF16 ? NVVM::MMATypes::bf16
                                                    : NVVM::MMATypes::tf32;
    auto resultType =
        LLVM::LLVMStructType::getLiteral(context, {f32, f32, f32, f32});
    Value result = NVVM::MmaOp::create(
        b, loc, resultType, registers(a), registers(bv), accumulators,
        ArrayRef<int64_t>{getM(), getN(), getK()}, std::nullopt,
        std::nullopt, std::array<NVVM::MMATypes, 2>{type, type},
        std::array<NVVM::MMALayout, 2>{NVVM::MMALayout::row,
                                       NVVM::MMALayout::col});
    SmallVector<Value> elements;
    for (int64_t i = 0; i < 4; ++i)
      elements.push_back(LLVM::ExtractValueOp::create(b, loc, result, i));
    return vector::FromElementsOp::create(b, loc, VectorType::get({4}, f32),
                                          elements);
  }

private:
  MmaInput input;
};

} // namespace

std::vector<std::string> registerMmaSyncIntrinsics() {
  std::vector<std::string> names;
  for (MmaInput input : {MmaInput::F16, MmaInput::BF16, MmaInput::TF32}) {
    auto intrinsic = std::make_shared<MmaSync>(input);
    names.push_back(intrinsic->getName().str());
    gpu::registerMmaIntrinsic(std::move(intrinsic));
  }
  return names;
}

} // namespace kiln::cuda
