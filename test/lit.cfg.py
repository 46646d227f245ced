# -*- Python -*-
# lit configuration of the Kiln tests.

import os

import lit.formats
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "Kiln"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.excludes = ["Unit", "Inputs", "regressions", "conformance", "models", "CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.kiln_obj_root, "test")

config.substitutions.append(("%PATH%", config.environment["PATH"]))
config.substitutions.append(("%kiln_src_root", config.kiln_src_root))
config.substitutions.append(("%kiln_obj_root", config.kiln_obj_root))
config.substitutions.append(("%onnx_node_tests",
                             "/usr/share/libonnx-testdata/data/node"))
config.substitutions.append(("%python", "/usr/bin/python3"))
# Seconds a tool may take on one malformed input; the sanitizer build runs
# several times slower.
sanitized = config.kiln_sanitizers.upper() in ("ON", "1", "TRUE", "YES")
if sanitized:
    config.available_features.add("sanitizers")
config.substitutions.append(("%{kiln_timeout}", "30" if sanitized else "5"))

llvm_config.use_default_substitutions()
# The sanitizer build's options (make test-asan) reach the tools.
llvm_config.with_system_environment(["ASAN_OPTIONS", "UBSAN_OPTIONS",
                                     "LSAN_OPTIONS"])
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)

tool_dirs = [config.kiln_tools_dir, config.llvm_tools_dir]
tools = ["kiln-opt"]
for optional in ["kiln-compile", "kiln-run", "kiln-fuzz-import-replay",
                 "kiln-fuzz-artifact-replay"]:
    if os.path.exists(os.path.join(config.kiln_tools_dir, optional)):
        tools.append(optional)
        config.available_features.add(optional)
llvm_config.add_tool_substitutions(tools, tool_dirs)

