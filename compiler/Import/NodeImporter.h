//===- NodeImporter.h - Importing one ONNX node -----------------*- C++ -*-===//
//
// What an op importer sees of the node it turns into graph ops: the node's
// inputs as values, its attributes, the schema of its opset version, and
// builders that create graph ops with inferred types and fold them.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_COMPILER_IMPORT_NODEIMPORTER_H
#define KILN_COMPILER_IMPORT_NODEIMPORTER_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Location.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

#include <onnx/onnx_pb.h>

#include <functional>
#include <optional>

namespace onnx {
class OpSchema;
} // namespace onnx

namespace kiln {

class GraphImporter;

/// The ONNX data type enum value of an element type, or nullopt when the
/// type is none of ONNX's.
std::optional<int32_t> getOnnxDataType(mlir::Type type);

/// The element type of ONNX data type `dataType`, or failure with an error
/// at `loc` naming `what` (e.g. "input 'x'") when Kiln does not support it.
mlir::FailureOr<mlir::Type> convertOnnxDataType(int32_t dataType,
                                                mlir::MLIRContext *context,
                                                mlir::Location loc,
                                                llvm::StringRef what);

/// The name of an ONNX data type ("FLOAT", "STRING", ...).
llvm::StringRef getOnnxDataTypeName(int32_t dataType);

class NodeImporter {
public:
  NodeImporter(GraphImporter &graph, const onnx::NodeProto &node,
               const onnx::OpSchema &schema, mlir::OpBuilder &builder,
               mlir::Location loc, llvm::ArrayRef<mlir::Value> inputs);

  const onnx::NodeProto &getNode() const { return node; }
  llvm::StringRef getOpType() const { return node.op_type(); }
  /// The opset version whose schema this node follows.
  int getSinceVersion() const;
  const onnx::OpSchema &getSchema() const { return schema; }
  mlir::OpBuilder &getBuilder() { return builder; }
  mlir::Location getLoc() const { return loc; }
  mlir::MLIRContext *getContext() const { return builder.getContext(); }

  /// Input `i`, or the `none` value when it is absent ("" or past the end).
  mlir::Value getInput(unsigned i);
  bool hasInput(unsigned i) const;
  unsigned getNumInputs() const { return inputs.size(); }
  llvm::ArrayRef<mlir::Value> getInputs() const { return inputs; }

  const onnx::AttributeProto *getAttr(llvm::StringRef name) const;
  std::optional<int64_t> getIntAttr(llvm::StringRef name) const;
  std::optional<float> getFloatAttr(llvm::StringRef name) const;
  std::optional<std::string> getStringAttr(llvm::StringRef name) const;
  std::optional<llvm::SmallVector<int64_t>> getIntsAttr(llvm::StringRef name) const;
  std::optional<llvm::SmallVector<float>> getFloatsAttr(llvm::StringRef name) const;

  /// Converts the node's attributes that the opset-17 op knows into MLIR
  /// attributes (INT -> i64, FLOAT -> f32, STRING -> string, INTS/FLOATS ->
  /// dense arrays, STRINGS -> string arrays, TENSOR -> elements), leaving
  /// out those named in `skip`. Data-type attributes become type attributes.
  mlir::FailureOr<llvm::SmallVector<mlir::NamedAttribute>>
  convertAttributes(llvm::ArrayRef<llvm::StringRef> skip = {});

  /// Creates `graph.<mnemonic>` with `operands` and `attributes`, infers its
  /// result types, verifies and folds it. On failure the error is already
  /// emitted at the node's location.
  mlir::FailureOr<llvm::SmallVector<mlir::Value>>
  createOp(llvm::StringRef mnemonic, mlir::ValueRange operands,
           llvm::ArrayRef<mlir::NamedAttribute> attributes,
           unsigned numResults, unsigned numRegions = 0,
           std::function<mlir::LogicalResult(mlir::Operation *)> fillRegions = {});

  /// Creates a single-result op; see createOp.
  mlir::FailureOr<mlir::Value>
  createOp1(llvm::StringRef mnemonic, mlir::ValueRange operands,
            llvm::ArrayRef<mlir::NamedAttribute> attributes = {});

  /// Creates a constant tensor.
  mlir::Value createConstant(mlir::ElementsAttr value);
  mlir::Value createI64Constant(llvm::ArrayRef<int64_t> values,
                                llvm::ArrayRef<int64_t> shape);
  mlir::Value createI64Vector(llvm::ArrayRef<int64_t> values) {
    return createI64Constant(values, {int64_t(values.size())});
  }
  /// A scalar constant of `elementType` holding `value`.
  mlir::Value createScalarConstant(mlir::Type elementType, double value,
                                   llvm::ArrayRef<int64_t> shape = {});
  mlir::Value createNone();

  /// Binds the node's outputs, in order, to `results` (an output named ""
  /// is skipped; extra results are dropped). Refines each value by the
  /// type the model declares for it.
  mlir::LogicalResult setOutputs(mlir::ValueRange results);

  /// Emits an error at the node's location.
  mlir::InFlightDiagnostic emitError() const;

  /// The importer of the whole graph (for subgraphs).
  GraphImporter &getGraphImporter() { return graph; }

private:
  GraphImporter &graph;
  const onnx::NodeProto &node;
  const onnx::OpSchema &schema;
  mlir::OpBuilder &builder;
  mlir::Location loc;
  llvm::SmallVector<mlir::Value> inputs;
};

/// Imports one node. Returns failure after emitting an error.
using OpImportFn = mlir::LogicalResult (*)(NodeImporter &);

/// The custom importer for `opType` at opset version `sinceVersion`, or
/// null when the generic importer applies (the node's signature is the
/// opset-17 one).
OpImportFn lookupOpImporter(llvm::StringRef opType, int sinceVersion);

/// The graph-dialect mnemonic of an ONNX op type (MatMul -> mat_mul).
std::string getGraphMnemonic(llvm::StringRef opType);

/// The generic importer: inputs in schema order (absent ones as `none`),
/// attributes converted by kind, one result per opset-17 output.
mlir::LogicalResult importGenericNode(NodeImporter &node);

} // namespace kiln

#endif // KILN_COMPILER_IMPORT_NODEIMPORTER_H
