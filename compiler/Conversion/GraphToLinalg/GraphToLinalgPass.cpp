//===- GraphToLinalgPass.cpp - The graph-to-linalg conversion pass --------===//

#include "compiler/Conversion/GraphToLinalg/GraphToLinalg.h"

#include "dialects/Graph/IR/GraphDialect.h"
#include "dialects/Graph/IR/GraphOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Func/Transforms/FuncConversions.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

namespace kiln {
#define GEN_PASS_DEF_CONVERTGRAPHTOLINALGPASS
#include "compiler/Conversion/Passes.h.inc"
} // namespace kiln

using namespace mlir;

namespace kiln {

GraphTypeConverter::GraphTypeConverter() {
  addConversion([](Type type) { return type; });
  addConversion([](IntegerType type) -> Type {
    if (type.isSignless())
      return type;
    return IntegerType::get(type.getContext(), type.getWidth());
  });
  addConversion([this](RankedTensorType type) -> Type {
    return type.clone(convertType(type.getElementType()));
  });
}

void populateGraphToLinalgPatterns(const TypeConverter &converter,
                                   RewritePatternSet &patterns) {
  populateGraphCoreToLinalgPatterns(converter, patterns);
  populateGraphElementwiseToLinalgPatterns(converter, patterns);
  populateGraphReductionToLinalgPatterns(converter, patterns);
  populateGraphTensorToLinalgPatterns(converter, patterns);
  populateGraphNNToLinalgPatterns(converter, patterns);
  populateGraphQuantToLinalgPatterns(converter, patterns);
  populateGraphSignalToLinalgPatterns(converter, patterns);
  populateGraphControlFlowToLinalgPatterns(converter, patterns);
  populateGraphFusedToLinalgPatterns(converter, patterns);
  populateGraphAttentionToLinalgPatterns(converter, patterns);
}

namespace {
struct ConvertGraphToLinalgPass
    : public impl::ConvertGraphToLinalgPassBase<ConvertGraphToLinalgPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    MLIRContext *ctx = &getContext();

    // Keep the graph types of the signature: the artifact reports them.
    module.walk([](func::FuncOp func) {
      for (unsigned i = 0; i < func.getNumArguments(); ++i)
        func.setArgAttr(i, "graph.type",
                        TypeAttr::get(func.getArgumentTypes()[i]));
      for (unsigned i = 0; i < func.getNumResults(); ++i)
        func.setResultAttr(i, "graph.type",
                           TypeAttr::get(func.getResultTypes()[i]));
    });

    GraphTypeConverter converter;
    ConversionTarget target(*ctx);
    target.addLegalDialect<arith::ArithDialect, linalg::LinalgDialect,
                           math::MathDialect, scf::SCFDialect,
                           tensor::TensorDialect>();
    target.addIllegalDialect<graph::GraphDialect>();
    target.addLegalOp<graph::NoneOp>();
    target.addDynamicallyLegalOp<func::FuncOp>([&](func::FuncOp func) {
      return converter.isSignatureLegal(func.getFunctionType()) &&
             converter.isLegal(&func.getBody());
    });
    target.addDynamicallyLegalOp<func::ReturnOp>(
        [&](func::ReturnOp op) { return converter.isLegal(op); });

    RewritePatternSet patterns(ctx);
    populateGraphToLinalgPatterns(converter, patterns);
    populateFunctionOpInterfaceTypeConversionPattern<func::FuncOp>(patterns,
                                                                   converter);
    populateReturnOpTypeConversionPattern(patterns, converter);

    // Report the first op that does not lower at its node, in our words:
    // the conversion driver's own "failed to legalize" goes unseen.
    ConversionConfig config;
    std::optional<Location> failedLoc;
    std::string failedOp;
    LogicalResult converted = failure();
    {
      ScopedDiagnosticHandler quiet(ctx, [&](Diagnostic &diag) {
        if (failedLoc)
          return success();
        failedLoc = diag.getLocation();
        std::string message = diag.str();
        size_t open = message.find('\'');
        size_t close = open == std::string::npos
                           ? std::string::npos
                           : message.find('\'', open + 1);
        if (close != std::string::npos)
          failedOp = message.substr(open + 1, close - open - 1);
        return success();
      });
      converted = applyPartialConversion(module, target, std::move(patterns),
                                         config);
    }
    if (failed(converted)) {
      emitError(failedLoc.value_or(module.getLoc()))
          << "unsupported: no lowering of "
          << (failedOp.empty() ? std::string("an op") : failedOp)
          << " for these operand types and shapes";
      return signalPassFailure();
    }
    module.walk([](graph::NoneOp op) {
      if (op->use_empty())
        op->erase();
    });
  }
};
} // namespace

} // namespace kiln
