//===- ArtifactWriter.cpp - The .kiln file from a planned program ---------===//
//
// One-to-one from the exec dialect to the artifact schema: inputs and
// outputs with their places, the constants pool laid out as planned, one
// command per launch or copy, one executable per target architecture.
//
//===----------------------------------------------------------------------===//

#include "compiler/Artifact/ArtifactWriter.h"

#include "dialects/Exec/IR/ExecOps.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Diagnostics.h"

#include "artifact/format.h"
#include "artifact_generated.h"

#include <cstring>

using namespace mlir;
namespace fb = kiln::artifact;

namespace kiln {
namespace {

/// The artifact element type of a graph element type.
FailureOr<fb::ElementType> getElementType(Type type, Location loc) {
  if (type.isF16())
    return fb::ElementType::F16;
  if (type.isBF16())
    return fb::ElementType::BF16;
  if (type.isF32())
    return fb::ElementType::F32;
  if (type.isF64())
    return fb::ElementType::F64;
  if (auto it = dyn_cast<IntegerType>(type)) {
    bool u = it.isUnsigned();
    switch (it.getWidth()) {
    case 1:
      return fb::ElementType::Bool;
    case 8:
      return u ? fb::ElementType::U8 : fb::ElementType::I8;
    case 16:
      return u ? fb::ElementType::U16 : fb::ElementType::I16;
    case 32:
      return u ? fb::ElementType::U32 : fb::ElementType::I32;
    case 64:
      return u ? fb::ElementType::U64 : fb::ElementType::I64;
    default:
      break;
    }
  }
  return emitError(loc) << "element type " << type
                        << " has no artifact encoding";
}

fb::BufferRef toRef(exec::BufferRefAttr ref) {
  return fb::BufferRef(ref.getSegment() == exec::Segment::Arena
                           ? fb::Segment::Arena
                           : fb::Segment::Constants,
                       uint64_t(ref.getOffset()), uint64_t(ref.getSize()));
}

/// Writes the little-endian bytes of `value` at `out` (`size` bytes).
LogicalResult writeElements(ElementsAttr value, uint8_t *out, int64_t size,
                            Location loc) {
  auto dense = dyn_cast<DenseElementsAttr>(value);
  if (!dense)
    return emitError(loc) << "constant is not a dense elements attribute";
  Type elt = dense.getElementType();
  int64_t count = dense.getNumElements();
  if (elt.isInteger(1)) {
    int64_t i = 0;
    for (bool b : dense.getValues<bool>())
      out[i++] = b ? 1 : 0;
    return success();
  }
  ArrayRef<char> raw = dense.getRawData();
  int64_t width = (elt.getIntOrFloatBitWidth() + 7) / 8;
  if (count * width != size)
    return emitError(loc) << "constant size mismatch";
  if (dense.isSplat()) {
    for (int64_t i = 0; i < count; ++i)
      std::memcpy(out + i * width, raw.data(), width);
    return success();
  }
  std::memcpy(out, raw.data(), size);
  return success();
}

} // namespace

FailureOr<std::vector<uint8_t>>
writeArtifact(ModuleOp module, ArrayRef<DispatchInfo> dispatches,
              ArrayRef<ExecutableBinary> binaries, StringRef producer) {
  auto program = module.lookupSymbol<exec::ProgramOp>("main");
  if (!program)
    return module.emitError("no exec.program @main to serialize");
  Location loc = program.getLoc();
  flatbuffers::FlatBufferBuilder builder(1 << 16);

  auto tensor = [&](StringAttr name, Type type, exec::BufferRefAttr ref)
      -> FailureOr<flatbuffers::Offset<fb::Tensor>> {
    auto shaped = cast<RankedTensorType>(type);
    FailureOr<fb::ElementType> elt = getElementType(shaped.getElementType(), loc);
    if (failed(elt))
      return failure();
    std::vector<int64_t> shape(shaped.getShape().begin(),
                               shaped.getShape().end());
    fb::BufferRef buffer = toRef(ref);
    return fb::CreateTensorDirect(builder, name.str().c_str(), *elt, &shape,
                                  &buffer);
  };

  std::vector<flatbuffers::Offset<fb::Tensor>> inputs, outputs;
  int64_t poolSize = 0;
  for (auto input : program.getBody().getOps<exec::InputOp>()) {
    auto t = tensor(input.getNameAttr(), input.getType(), input.getRef());
    if (failed(t))
      return failure();
    inputs.push_back(*t);
  }
  for (auto output : program.getBody().getOps<exec::OutputOp>()) {
    auto t = tensor(output.getNameAttr(), output.getType(), output.getRef());
    if (failed(t))
      return failure();
    outputs.push_back(*t);
  }
  for (auto constant : program.getBody().getOps<exec::ConstantOp>())
    poolSize = std::max(poolSize, constant.getRef().getOffset() +
                                      constant.getRef().getSize());
  std::vector<uint8_t> pool(size_t(poolSize), 0);
  for (auto constant : program.getBody().getOps<exec::ConstantOp>())
    if (failed(writeElements(constant.getValue(),
                             pool.data() + constant.getRef().getOffset(),
                             constant.getRef().getSize(), constant.getLoc())))
      return failure();

  std::vector<flatbuffers::Offset<fb::Command>> commands;
  for (Operation &op : program.getBody().front()) {
    if (auto launch = dyn_cast<exec::LaunchOp>(op)) {
      std::vector<fb::BufferRef> bindings;
      for (Attribute a : launch.getBindings())
        bindings.push_back(toRef(cast<exec::BufferRefAttr>(a)));
      commands.push_back(fb::CreateCommandDirect(
          builder, fb::CommandKind::Launch, uint32_t(launch.getDispatch()),
          &bindings));
    } else if (auto copy = dyn_cast<exec::CopyOp>(op)) {
      std::vector<fb::BufferRef> bindings = {toRef(copy.getSource()),
                                             toRef(copy.getTarget())};
      commands.push_back(
          fb::CreateCommandDirect(builder, fb::CommandKind::Copy, 0, &bindings));
    }
  }

  std::vector<flatbuffers::Offset<fb::Dispatch>> dispatchTable;
  for (const DispatchInfo &info : dispatches) {
    std::vector<flatbuffers::Offset<flatbuffers::String>> nodes;
    for (const std::string &node : info.onnxNodes)
      nodes.push_back(builder.CreateString(node));
    dispatchTable.push_back(
        fb::CreateDispatchDirect(builder, info.name.c_str(), &nodes));
  }

  std::vector<flatbuffers::Offset<fb::Executable>> executables;
  for (const ExecutableBinary &binary : binaries) {
    if (binary.kernels.size() != dispatches.size())
      return emitError(loc) << "target " << binary.device << " compiled "
                            << binary.kernels.size() << " kernels for "
                            << dispatches.size() << " dispatches";
    std::vector<flatbuffers::Offset<fb::Kernel>> kernels;
    for (const KernelLaunchInfo &kernel : binary.kernels) {
      std::vector<uint32_t> grid(kernel.grid.begin(), kernel.grid.end());
      std::vector<uint32_t> block(kernel.block.begin(), kernel.block.end());
      kernels.push_back(fb::CreateKernelDirect(builder, kernel.symbol.c_str(),
                                               &grid, &block,
                                               kernel.sharedMemoryBytes));
    }
    executables.push_back(fb::CreateExecutableDirect(
        builder, binary.device.c_str(), binary.arch.c_str(),
        static_cast<fb::ExecutableFormat>(binary.format), &binary.data,
        &kernels));
  }

  std::string modelName;
  if (auto name = module->getAttrOfType<StringAttr>("graph.model_name"))
    modelName = name.str();
  auto root = fb::CreateArtifactDirect(
      builder, producer.str().c_str(), modelName.c_str(), &inputs, &outputs,
      uint64_t(program.getArenaSize()), &pool, &dispatchTable, &executables,
      &commands);
  fb::FinishArtifactBuffer(builder, root);

  const uint8_t *payload = builder.GetBufferPointer();
  size_t payloadSize = builder.GetSize();
  std::vector<uint8_t> file(artifact::kFileHeaderSize + payloadSize);
  artifact::encodeFileHeader(payload, payloadSize, file.data());
  std::memcpy(file.data() + artifact::kPayloadOffset, payload, payloadSize);
  return file;
}

} // namespace kiln
