//===- SequenceImporters.h - Sequences inside a graph -----------*- C++ -*-===//

#ifndef KILN_COMPILER_IMPORT_SEQUENCEIMPORTERS_H
#define KILN_COMPILER_IMPORT_SEQUENCEIMPORTERS_H

#include "compiler/Import/NodeImporter.h"

namespace kiln {

/// The importer of sequence op `opType`, or null.
OpImportFn lookupSequenceImporter(llvm::StringRef opType);

} // namespace kiln

#endif // KILN_COMPILER_IMPORT_SEQUENCEIMPORTERS_H
