//===- GraphImporter.h - ONNX graphs to graph-dialect regions ---*- C++ -*-===//
//
// The importer's state while it walks a model: the scopes of value names
// (a subgraph sees its enclosing graphs' values), the initializers not yet
// turned into constants, and the types the model declares for its values.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_COMPILER_IMPORT_GRAPHIMPORTER_H
#define KILN_COMPILER_IMPORT_GRAPHIMPORTER_H

#include "compiler/Import/OnnxImporter.h"
#include "compiler/Import/TensorImporter.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/StringMap.h"

#include <onnx/onnx_pb.h>

#include <vector>

namespace kiln {

class GraphImporter {
public:
  GraphImporter(mlir::MLIRContext *context, llvm::StringRef displayName,
                llvm::StringRef modelDir, const ImportOptions &options);

  /// Imports the model's main graph as `func.func @main` into `module`.
  mlir::LogicalResult importModel(const onnx::ModelProto &model,
                                  mlir::ModuleOp module);

  /// Imports `graph` as the body of `region`: one block whose arguments are
  /// the graph's inputs (typed `argTypes`, or the declared types where
  /// `argTypes` is empty) and whose terminator is a `graph.yield` of its
  /// outputs. The graph sees every value of the enclosing scopes.
  mlir::LogicalResult importSubgraph(const onnx::GraphProto &graph,
                                     mlir::Region &region,
                                     llvm::ArrayRef<mlir::Type> argTypes,
                                     mlir::Location loc);

  /// The value named `name` in the innermost scope that has it (creating
  /// the constant of an initializer on first use), or null when no scope
  /// has it. Failure when an initializer's data is bad (error emitted).
  mlir::FailureOr<mlir::Value> lookup(llvm::StringRef name);

  /// The type the model declares for value `name`, or null.
  mlir::Type getDeclaredType(llvm::StringRef name) const;

  /// Binds `name` to `value` in the innermost scope.
  mlir::LogicalResult define(llvm::StringRef name, mlir::Value value,
                             mlir::Location loc);

  /// The location of node `node`: its name (or "<OpType>_<index>" when it
  /// has none) around its op type, `loc("name"("OpType"))`.
  mlir::Location getNodeLoc(const onnx::NodeProto &node, int index);

  /// The opset version of `domain` the model imports, or -1.
  int64_t getOpsetVersion(llvm::StringRef domain) const;

  TensorImporter &getTensorImporter() { return tensors; }

  /// Sequences live only inside the importer; their length is known when
  /// the graph is imported. While every position used so far is a
  /// constant, a sequence is the list of its element values (`elements`);
  /// once a position is known only at run time, the elements must share a
  /// shape and the sequence is one tensor stacking them along a new
  /// leading dimension (`stacked`). A sequence that is neither (chunks of
  /// different, run-time sizes) keeps only its length.
  struct Sequence {
    llvm::SmallVector<mlir::Value> elements;
    bool elementsKnown = false;
    mlir::Value stacked;
    int64_t length = 0;
  };
  void setSequence(mlir::Value value, Sequence sequence) {
    sequences[value] = sequence;
  }
  std::optional<Sequence> getSequence(mlir::Value value) const {
    auto it = sequences.find(value);
    if (it == sequences.end())
      return std::nullopt;
    return it->second;
  }
  mlir::MLIRContext *getContext() const { return context; }

  /// Converts a ValueInfoProto's type, applying `shapeOverride` when given.
  mlir::FailureOr<mlir::Type>
  convertValueType(const onnx::ValueInfoProto &info, mlir::Location loc,
                   llvm::StringRef what,
                   const llvm::SmallVector<int64_t> *shapeOverride = nullptr);

private:
  struct Scope {
    llvm::StringMap<mlir::Value> values;
    llvm::StringMap<const onnx::TensorProto *> initializers;
    llvm::StringMap<mlir::Type> declared;
    /// Where this scope's constants go: the start of its block.
    mlir::Block *block = nullptr;
  };

  /// Imports the nodes of `graph` into the innermost scope, in dependency
  /// order, at `builder`'s insertion point.
  mlir::LogicalResult importNodes(const onnx::GraphProto &graph,
                                  mlir::OpBuilder &builder);
  mlir::LogicalResult importNode(const onnx::NodeProto &node, int index,
                                 mlir::OpBuilder &builder);
  /// Records the initializers and declared value types of `graph` in the
  /// innermost scope.
  mlir::LogicalResult declareGraph(const onnx::GraphProto &graph,
                                   mlir::Location loc);

  mlir::MLIRContext *context;
  std::string displayName;
  const ImportOptions &options;
  TensorImporter tensors;
  llvm::StringMap<int64_t> opsets;
  std::vector<Scope> scopes;
  int nextNodeIndex = 0;
  /// The graph whose nodes are being imported (for Gradient).
  const onnx::GraphProto *currentGraph = nullptr;
  llvm::DenseMap<mlir::Value, Sequence> sequences;
};

} // namespace kiln

#endif // KILN_COMPILER_IMPORT_GRAPHIMPORTER_H
