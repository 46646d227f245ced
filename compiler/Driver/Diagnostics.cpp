//===- Diagnostics.cpp - One-line diagnostics for users -------------------===//

#include "compiler/Driver/Diagnostics.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Location.h"
#include "mlir/IR/MLIRContext.h"

using namespace mlir;

namespace kiln {

/// Whether `loc` is an ONNX node location: a name around an op type name.
static std::optional<OnnxNodeRef> asOnnxNode(NameLoc loc) {
  auto child = dyn_cast<NameLoc>(loc.getChildLoc());
  if (!child || !isa<UnknownLoc>(child.getChildLoc()))
    return std::nullopt;
  return OnnxNodeRef{loc.getName().str(), child.getName().str()};
}

void collectOnnxNodes(Location loc, SmallVectorImpl<OnnxNodeRef> &nodes) {
  loc->walk([&](Location inner) {
    if (auto name = dyn_cast<NameLoc>(inner))
      if (std::optional<OnnxNodeRef> node = asOnnxNode(name))
        if (llvm::none_of(nodes, [&](const OnnxNodeRef &n) {
              return n.name == node->name;
            }))
          nodes.push_back(*node);
    return WalkResult::advance();
  });
}

std::optional<OnnxNodeRef> findOnnxNode(Location loc) {
  SmallVector<OnnxNodeRef> nodes;
  collectOnnxNodes(loc, nodes);
  if (nodes.empty())
    return std::nullopt;
  return nodes.front();
}

/// The first file location inside `loc` with a file name, printed as
/// "file:line:col" (or just "file" for line 0).
static std::optional<std::string> findFileLoc(Location loc) {
  std::optional<std::string> out;
  loc->walk([&](Location inner) {
    auto file = dyn_cast<FileLineColLoc>(inner);
    if (!file || file.getFilename().empty())
      return WalkResult::advance();
    out = file.getFilename().str();
    if (file.getLine() > 0)
      *out += ":" + std::to_string(file.getLine()) + ":" +
              std::to_string(file.getColumn());
    return WalkResult::interrupt();
  });
  return out;
}

std::string formatDiagnostic(Diagnostic &diag) {
  std::string message = diag.str();
  // "'graph.reshape' op " says which op in MLIR's terms; the node's op type
  // says it in the user's.
  std::optional<OnnxNodeRef> node = findOnnxNode(diag.getLocation());
  if (node && StringRef(message).starts_with("'")) {
    size_t end = message.find("' op ");
    if (end != std::string::npos)
      message = message.substr(end + 5);
  }
  std::string out;
  if (node)
    out = "node '" + node->name + "' (" + node->opType + "): ";
  else if (std::optional<std::string> file = findFileLoc(diag.getLocation()))
    out = *file + ": ";
  out += message;
  // One line: fold any newline the message carries.
  for (char &c : out)
    if (c == '\n')
      c = ' ';
  return out;
}

UserDiagnosticHandler::UserDiagnosticHandler(MLIRContext *context,
                                             llvm::raw_ostream &os)
    : context(context), os(os) {
  id = context->getDiagEngine().registerHandler([this](Diagnostic &diag) {
    switch (diag.getSeverity()) {
    case DiagnosticSeverity::Error:
      if (errors++ == 0)
        this->os << "error: " << formatDiagnostic(diag) << "\n";
      break;
    case DiagnosticSeverity::Warning:
      this->os << "warning: " << formatDiagnostic(diag) << "\n";
      break;
    default:
      break;
    }
    this->os.flush();
    return success();
  });
}

UserDiagnosticHandler::~UserDiagnosticHandler() {
  context->getDiagEngine().eraseHandler(id);
}

} // namespace kiln
