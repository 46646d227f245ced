#===- Makefile - Kiln's entry points ---------------------------------------===#
#
#   make demo    install, build, compile the bundled example for the CPU, run it
#   make test    install, build, run every test suite, print one summary line
#   make build   install and build, nothing run
#   make bench   build, then benchmark Kiln against ONNX Runtime
#   make docs    build, then regenerate docs/ops.md and docs/reference/
#   make test-asan  build under ASan and UBSan (build-asan/), run the lit,
#                unit and model tests there
#   make fuzz    build the fuzz targets (build-fuzz/), run each for
#                FUZZ_SECONDS (default 180); docs/hardening.md
#   make gpu-artifacts  build, then the bundle scripts/gpu-check.sh runs on
#                a GPU machine without toolchain (BUILD_DIR/gpu-check;
#                GPU_TARGET=cuda, the default, or rocm)
#
#===------------------------------------------------------------------------===#

BUILD_DIR ?= build
LLVM_ROOT ?= /usr/lib/llvm-22
JOBS ?= $(shell nproc)

ASAN_BUILD_DIR ?= build-asan
FUZZ_BUILD_DIR ?= build-fuzz
FUZZ_SECONDS ?= 180
export FUZZ_SECONDS

CMAKE_FLAGS = -G Ninja -S . -B $(BUILD_DIR) \
  -DCMAKE_BUILD_TYPE=Release \
  -DMLIR_DIR=$(LLVM_ROOT)/lib/cmake/mlir \
  -DCMAKE_C_COMPILER=$(LLVM_ROOT)/bin/clang \
  -DCMAKE_CXX_COMPILER=$(LLVM_ROOT)/bin/clang++ \
  -DLLVM_EXTERNAL_LIT=$(LLVM_ROOT)/bin/lit \
  -DLLVM_USE_LINKER=lld \
  -DMLIR_LINK_MLIR_DYLIB=ON

# The same compilers and options in the sanitizer builds.
SANITIZER_CMAKE_FLAGS = $(filter-out -B $(BUILD_DIR),$(CMAKE_FLAGS)) \
  -DKILN_ENABLE_SANITIZERS=ON

# The sanitizers' settings for make test-asan (docs/hardening.md): leaks
# are errors; LSan's suppressions name the leaks that are not Kiln's.
# allow_user_poisoning=0: LLVM's inline BumpPtrAllocator poisons its slabs
# in Kiln's instrumented code but not in the uninstrumented libMLIR.so, so
# objects that one allocates and the other reads look poisoned.
SANITIZER_ENV = \
  ASAN_OPTIONS=detect_leaks=1:allow_user_poisoning=0 \
  LSAN_OPTIONS=suppressions=$(CURDIR)/test/Sanitizers/lsan.supp:print_suppressions=0 \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

.PHONY: all deps deps-models configure build demo test bench docs clean \
  test-asan fuzz gpu-artifacts

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

test-asan: deps-models
	cmake $(SANITIZER_CMAKE_FLAGS) -B $(ASAN_BUILD_DIR)
	cmake --build $(ASAN_BUILD_DIR) -j $(JOBS)
	@$(SANITIZER_ENV) /usr/bin/python3 scripts/run-tests.py \
	  --build-dir $(ASAN_BUILD_DIR) --only lit --only unit --only models

fuzz: build
	cmake $(SANITIZER_CMAKE_FLAGS) -B $(FUZZ_BUILD_DIR) \
	  -DKILN_ENABLE_FUZZERS=ON
	cmake --build $(FUZZ_BUILD_DIR) -j $(JOBS) \
	  --target kiln-fuzz-import kiln-fuzz-artifact
	@scripts/fuzz.sh $(BUILD_DIR) $(FUZZ_BUILD_DIR)

GPU_TARGET ?= cuda
gpu-artifacts: deps-models build
	@/usr/bin/python3 scripts/make-gpu-check.py --build-dir $(BUILD_DIR) --target $(GPU_TARGET)

clean:
	rm -rf $(BUILD_DIR) $(ASAN_BUILD_DIR) $(FUZZ_BUILD_DIR)
