#===- Makefile - Kiln's entry points ---------------------------------------===#
#
#   make demo    install, build, compile the bundled example for the CPU, run it
#   make test    install, build, run every test suite, print one summary line
#   make build   install and build, nothing run
#   make bench   build, then benchmark Kiln against ONNX Runtime
#   make docs    build, then regenerate docs/ops.md and docs/reference/
#   make gpu-artifacts  build, then the bundle scripts/gpu-check.sh runs on
#                a GPU machine without toolchain (BUILD_DIR/gpu-check;
#                GPU_TARGET=cuda, the default, or rocm)
#
#===------------------------------------------------------------------------===#

BUILD_DIR ?= build
LLVM_ROOT ?= /usr/lib/llvm-22
JOBS ?= $(shell nproc)

CMAKE_FLAGS = -G Ninja -S . -B $(BUILD_DIR) \
  -DCMAKE_BUILD_TYPE=Release \
  -DMLIR_DIR=$(LLVM_ROOT)/lib/cmake/mlir \
  -DCMAKE_C_COMPILER=$(LLVM_ROOT)/bin/clang \
  -DCMAKE_CXX_COMPILER=$(LLVM_ROOT)/bin/clang++ \
  -DLLVM_EXTERNAL_LIT=$(LLVM_ROOT)/bin/lit \
  -DLLVM_USE_LINKER=lld \
  -DMLIR_LINK_MLIR_DYLIB=ON

.PHONY: all deps deps-models configure build demo test bench docs gpu-artifacts clean

all: build

deps:
	@scripts/install-deps.sh

deps-models:
	@scripts/install-deps.sh --with-torch

$(BUILD_DIR)/build.ninja: | deps
	cmake $(CMAKE_FLAGS)

configure: deps $(BUILD_DIR)/build.ninja

build: configure
	cmake --build $(BUILD_DIR) -j $(JOBS)

demo: build
	@scripts/demo.sh $(BUILD_DIR)

test: deps-models build
	@/usr/bin/python3 scripts/run-tests.py --build-dir $(BUILD_DIR)

bench: deps-models build
	@/usr/bin/python3 scripts/bench.py --build-dir $(BUILD_DIR)

docs: build
	/usr/bin/python3 scripts/gen-op-list.py
	/usr/bin/python3 scripts/gen-reference-docs.py --build-dir $(BUILD_DIR)

GPU_TARGET ?= cuda
gpu-artifacts: deps-models build
	@/usr/bin/python3 scripts/make-gpu-check.py --build-dir $(BUILD_DIR) --target $(GPU_TARGET)

clean:
	rm -rf $(BUILD_DIR)
