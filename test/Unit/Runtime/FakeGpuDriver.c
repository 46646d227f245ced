/*===- FakeGpuDriver.c - A CUDA driver and HIP runtime stand-in -----------===*\
|*                                                                          *|
|* The entry points the runtime's CUDA and HIP devices call, implemented on *|
|* the host, so that tests can run those devices on a machine without a     *|
|* GPU: built as libcuda.so.1 and libamdhip64.so in a folder that a child   *|
|* process finds through LD_LIBRARY_PATH. Device memory is host memory; a   *|
|* module is a tag read from the image ("kiln-fake-image TAG"); its         *|
|* functions are host versions of TestKernels.c, run once per block. Every  *|
|* call that matters is appended to the file named by KILN_FAKE_GPU_LOG.    *|
|*                                                                          *|
|* Environment: KILN_FAKE_CUDA_ARCH (compute capability as "86", default    *|
|* 80), KILN_FAKE_HIP_ARCH (gcnArchName, default "gfx942:sramecc+:xnack-"). *|
|* An image whose tag starts with "broken" fails to load.                   *|
|*                                                                          *|
\*===----------------------------------------------------------------------===*/

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FAKE_API __attribute__((visibility("default")))

static void logLine(const char *format, ...) {
  const char *path = getenv("KILN_FAKE_GPU_LOG");
  if (!path)
    return;
  FILE *file = fopen(path, "a");
  if (!file)
    return;
  va_list args;
  va_start(args, format);
  vfprintf(file, format, args);
  va_end(args);
  fputc('\n', file);
  fclose(file);
}

/*===----------------------------------------------------------------------===*
 * Kernels: host versions of TestKernels.c, called once per block
 *===----------------------------------------------------------------------===*/

typedef struct Grid {
  unsigned x, y, z, countX, countY, countZ;
} Grid;

static void *pointerArgument(void **parameters, int index) {
  return (void *)(uintptr_t)(*(const unsigned long long *)parameters[index]);
}
static uint32_t constantArgument(void **parameters, int index) {
  return *(const uint32_t *)parameters[index];
}
static uint64_t linearBlock(const Grid *grid) {
  return grid->x +
         (uint64_t)grid->countX * (grid->y + (uint64_t)grid->countY * grid->z);
}

static void addF32(void **parameters, const Grid *grid) {
  const float *a = pointerArgument(parameters, 0);
  const float *b = pointerArgument(parameters, 1);
  float *out = pointerArgument(parameters, 2);
  uint32_t count = constantArgument(parameters, 3);
  uint32_t perBlock = constantArgument(parameters, 4);
  uint64_t begin = linearBlock(grid) * perBlock, end = begin + perBlock;
  if (end > count)
    end = count;
  for (uint64_t i = begin; i < end; ++i)
    out[i] = a[i] + b[i];
}

static void copyBytes(void **parameters, const Grid *grid) {
  (void)grid;
  memcpy(pointerArgument(parameters, 1), pointerArgument(parameters, 0),
         constantArgument(parameters, 2));
}

static void countWorkgroups(void **parameters, const Grid *grid) {
  uint32_t *visits = pointerArgument(parameters, 0);
  uint32_t *errors = pointerArgument(parameters, 1);
  if (grid->countX != constantArgument(parameters, 2) ||
      grid->countY != constantArgument(parameters, 3) ||
      grid->countZ != constantArgument(parameters, 4)) {
    ++*errors;
    return;
  }
  ++visits[linearBlock(grid)];
}

/// A kernel's parameters: `pointers` device pointers, then `constants`
/// 32-bit push constants.
typedef struct Function {
  const char *name;
  int pointers;
  int constants;
  void (*run)(void **parameters, const Grid *grid);
} Function;

static Function kFunctions[] = {
    {"kiln_test_add_f32", 3, 2, addF32},
    {"kiln_test_copy_bytes", 2, 1, copyBytes},
    {"kiln_test_count_workgroups", 2, 4, countWorkgroups},
};

typedef struct Module {
  char tag[64];
} Module;

/*===----------------------------------------------------------------------===*
 * Streams: immediate, or recording into a graph
 *===----------------------------------------------------------------------===*/

enum { kMaxParameters = 16, kMaxRecorded = 256 };

typedef struct Operation {
  Function *function; /* NULL: a device-to-device copy. */
  Grid grid;
  uint64_t values[kMaxParameters];
  int parameterCount;
  void *destination;
  const void *source;
  size_t size;
} Operation;

typedef struct Graph {
  int count;
  Operation operations[kMaxRecorded];
} Graph;

typedef struct Stream {
  Graph *capture; /* Non-null while capturing. */
} Stream;

static void runOperation(const Operation *operation) {
  if (!operation->function) {
    memmove(operation->destination, operation->source, operation->size);
    return;
  }
  /* Constants are read as 32-bit values from the low bytes (the host is
     little-endian). */
  uint64_t values[kMaxParameters];
  void *parameters[kMaxParameters];
  memcpy(values, operation->values, sizeof(values));
  for (int i = 0; i < operation->parameterCount; ++i)
    parameters[i] = &values[i];
  Grid grid = operation->grid;
  for (grid.z = 0; grid.z < grid.countZ; ++grid.z)
    for (grid.y = 0; grid.y < grid.countY; ++grid.y)
      for (grid.x = 0; grid.x < grid.countX; ++grid.x)
        operation->function->run(parameters, &grid);
}

/* Copies the argument values, as the drivers do at launch time. Pointers
   are 8 bytes, constants 4 (the parameter list is pointers first). */
static int launch(Function *function, unsigned gridX, unsigned gridY,
                  unsigned gridZ, unsigned blockX, unsigned blockY,
                  unsigned blockZ, unsigned sharedMemory, Stream *stream,
                  void **parameters, const char *api) {
  Operation operation;
  memset(&operation, 0, sizeof(operation));
  operation.function = function;
  operation.grid.countX = gridX;
  operation.grid.countY = gridY;
  operation.grid.countZ = gridZ;
  operation.parameterCount = function->pointers + function->constants;
  for (int i = 0; i < operation.parameterCount; ++i)
    operation.values[i] = i < function->pointers
                              ? *(const uint64_t *)parameters[i]
                              : *(const uint32_t *)parameters[i];
  logLine("%s %s grid %ux%ux%u block %ux%ux%u shared %u%s", api, function->name,
          gridX, gridY, gridZ, blockX, blockY, blockZ, sharedMemory,
          stream && stream->capture ? " (captured)" : "");
  if (stream && stream->capture) {
    if (stream->capture->count == kMaxRecorded)
      return 1;
    stream->capture->operations[stream->capture->count++] = operation;
    return 0;
  }
  runOperation(&operation);
  return 0;
}

static int copyOnDevice(void *destination, const void *source, size_t size,
                        Stream *stream) {
  if (stream && stream->capture) {
    Operation operation;
    memset(&operation, 0, sizeof(operation));
    operation.destination = destination;
    operation.source = source;
    operation.size = size;
    if (stream->capture->count == kMaxRecorded)
      return 1;
    stream->capture->operations[stream->capture->count++] = operation;
    return 0;
  }
  memmove(destination, source, size);
  return 0;
}

static int loadModule(Module **out, const void *image, const char *api) {
  const char *text = image;
  const char *prefix = "kiln-fake-image ";
  if (strncmp(text, prefix, strlen(prefix)) != 0)
    return 1;
  Module *module = calloc(1, sizeof(Module));
  snprintf(module->tag, sizeof(module->tag), "%s", text + strlen(prefix));
  logLine("%s %s", api, module->tag);
  if (strncmp(module->tag, "broken", 6) == 0) {
    free(module);
    return 2;
  }
  *out = module;
  return 0;
}

static Function *findFunction(const char *name) {
  for (size_t i = 0; i < sizeof(kFunctions) / sizeof(kFunctions[0]); ++i)
    if (strcmp(kFunctions[i].name, name) == 0)
      return &kFunctions[i];
  return NULL;
}

static size_t allocations;

static void *allocate(size_t size, const char *api) {
  ++allocations;
  logLine("%s %zu (allocation %zu)", api, size, allocations);
  return calloc(1, size);
}

/*===----------------------------------------------------------------------===*
 * CUDA driver API
 *===----------------------------------------------------------------------===*/

typedef int CUresult;
typedef unsigned long long CUdeviceptr;
enum { kCudaInvalidValue = 1, kCudaInvalidPtx = 218, kCudaNotFound = 500 };

FAKE_API CUresult cuInit(unsigned flags) {
  (void)flags;
  return 0;
}
FAKE_API CUresult cuGetErrorName(CUresult error, const char **name) {
  *name = error == kCudaInvalidPtx ? "CUDA_ERROR_INVALID_PTX"
          : error == kCudaNotFound ? "CUDA_ERROR_NOT_FOUND"
                                   : "CUDA_ERROR_INVALID_VALUE";
  return 0;
}
FAKE_API CUresult cuGetErrorString(CUresult error, const char **text) {
  *text =
      error == kCudaInvalidPtx ? "a PTX JIT compilation failed" : "fake error";
  return 0;
}
FAKE_API CUresult cuDeviceGetCount(int *count) {
  *count = 1;
  return 0;
}
FAKE_API CUresult cuDeviceGet(int *device, int ordinal) {
  *device = ordinal;
  return ordinal == 0 ? 0 : kCudaInvalidValue;
}
FAKE_API CUresult cuDeviceGetAttribute(int *value, int attribute, int device) {
  (void)device;
  const char *arch = getenv("KILN_FAKE_CUDA_ARCH");
  int version = arch ? atoi(arch) : 80;
  if (attribute == 75)
    *value = version / 10;
  else if (attribute == 76)
    *value = version % 10;
  else
    return kCudaInvalidValue;
  return 0;
}
static int primaryContext;
FAKE_API CUresult cuDevicePrimaryCtxRetain(void **context, int device) {
  (void)device;
  *context = &primaryContext;
  logLine("cuDevicePrimaryCtxRetain");
  return 0;
}
FAKE_API CUresult cuDevicePrimaryCtxRelease_v2(int device) {
  (void)device;
  logLine("cuDevicePrimaryCtxRelease");
  return 0;
}
static int contextDepth;
FAKE_API CUresult cuCtxPushCurrent_v2(void *context) {
  (void)context;
  ++contextDepth;
  return 0;
}
FAKE_API CUresult cuCtxPopCurrent_v2(void **context) {
  *context = &primaryContext;
  --contextDepth;
  return 0;
}
/* Every call below runs with a context pushed; check that it is. */
static CUresult requireContext(void) {
  return contextDepth > 0 ? 0 : kCudaInvalidValue;
}
FAKE_API CUresult cuMemAlloc_v2(CUdeviceptr *pointer, size_t size) {
  *pointer = (CUdeviceptr)(uintptr_t)allocate(size, "cuMemAlloc");
  return requireContext();
}
FAKE_API CUresult cuMemFree_v2(CUdeviceptr pointer) {
  free((void *)(uintptr_t)pointer);
  return requireContext();
}
FAKE_API CUresult cuMemcpyHtoD_v2(CUdeviceptr destination, const void *source,
                                  size_t size) {
  memcpy((void *)(uintptr_t)destination, source, size);
  return requireContext();
}
FAKE_API CUresult cuMemcpyHtoDAsync_v2(CUdeviceptr destination,
                                       const void *source, size_t size,
                                       Stream *stream) {
  (void)stream;
  memcpy((void *)(uintptr_t)destination, source, size);
  return requireContext();
}
FAKE_API CUresult cuMemcpyDtoHAsync_v2(void *destination, CUdeviceptr source,
                                       size_t size, Stream *stream) {
  (void)stream;
  memcpy(destination, (const void *)(uintptr_t)source, size);
  return requireContext();
}
FAKE_API CUresult cuMemcpyDtoDAsync_v2(CUdeviceptr destination,
                                       CUdeviceptr source, size_t size,
                                       Stream *stream) {
  if (copyOnDevice((void *)(uintptr_t)destination,
                   (const void *)(uintptr_t)source, size, stream))
    return kCudaInvalidValue;
  return requireContext();
}
FAKE_API CUresult cuModuleLoadDataEx(Module **module, const void *image,
                                     unsigned optionCount, int *options,
                                     void **values) {
  int result = loadModule(module, image, "cuModuleLoadDataEx");
  if (result == 2) {
    /* Fill the error log as the JIT does, with a newline. */
    for (unsigned i = 0; i < optionCount; ++i)
      if (options[i] == 5)
        snprintf(values[i], 64, "ptxas fatal\n: broken image");
    return kCudaInvalidPtx;
  }
  return result ? kCudaInvalidValue : requireContext();
}
FAKE_API CUresult cuModuleUnload(Module *module) {
  logLine("cuModuleUnload %s", module->tag);
  free(module);
  return requireContext();
}
FAKE_API CUresult cuModuleGetFunction(Function **function, Module *module,
                                      const char *name) {
  (void)module;
  *function = findFunction(name);
  return *function ? 0 : kCudaNotFound;
}
FAKE_API CUresult cuFuncSetAttribute(Function *function, int attribute,
                                     int value) {
  logLine("cuFuncSetAttribute %s %d %d", function->name, attribute, value);
  return 0;
}
FAKE_API CUresult cuLaunchKernel(Function *function, unsigned gridX,
                                 unsigned gridY, unsigned gridZ,
                                 unsigned blockX, unsigned blockY,
                                 unsigned blockZ, unsigned sharedMemory,
                                 Stream *stream, void **parameters,
                                 void **extra) {
  (void)extra;
  if (requireContext())
    return kCudaInvalidValue;
  return launch(function, gridX, gridY, gridZ, blockX, blockY, blockZ,
                sharedMemory, stream, parameters, "cuLaunchKernel")
             ? kCudaInvalidValue
             : 0;
}
FAKE_API CUresult cuStreamCreate(Stream **stream, unsigned flags) {
  logLine("cuStreamCreate flags %u", flags);
  *stream = calloc(1, sizeof(Stream));
  return requireContext();
}
FAKE_API CUresult cuStreamDestroy_v2(Stream *stream) {
  free(stream);
  return requireContext();
}
FAKE_API CUresult cuStreamSynchronize(Stream *stream) {
  return stream->capture ? kCudaInvalidValue : requireContext();
}
FAKE_API CUresult cuStreamBeginCapture_v2(Stream *stream, int mode) {
  logLine("cuStreamBeginCapture mode %d", mode);
  stream->capture = calloc(1, sizeof(Graph));
  return requireContext();
}
FAKE_API CUresult cuStreamEndCapture(Stream *stream, Graph **graph) {
  *graph = stream->capture;
  stream->capture = NULL;
  logLine("cuStreamEndCapture %d operations", (*graph)->count);
  return requireContext();
}
FAKE_API CUresult cuGraphInstantiateWithFlags(Graph **executable, Graph *graph,
                                              unsigned long long flags) {
  (void)flags;
  *executable = malloc(sizeof(Graph));
  memcpy(*executable, graph, sizeof(Graph));
  return requireContext();
}
FAKE_API CUresult cuGraphLaunch(Graph *executable, Stream *stream) {
  (void)stream;
  logLine("cuGraphLaunch %d operations", executable->count);
  for (int i = 0; i < executable->count; ++i)
    runOperation(&executable->operations[i]);
  return requireContext();
}
FAKE_API CUresult cuGraphExecDestroy(Graph *executable) {
  free(executable);
  return 0;
}
FAKE_API CUresult cuGraphDestroy(Graph *graph) {
  free(graph);
  return 0;
}

/*===----------------------------------------------------------------------===*
 * HIP runtime API
 *===----------------------------------------------------------------------===*/

typedef int hipError_t;
enum { kHipInvalidValue = 1, kHipInvalidImage = 200, kHipNotFound = 500 };
static int currentHipDevice = -1;

FAKE_API hipError_t hipInit(unsigned flags) {
  (void)flags;
  return 0;
}
FAKE_API const char *hipGetErrorName(hipError_t error) {
  return error == kHipInvalidImage ? "hipErrorInvalidImage"
         : error == 0              ? "hipSuccess"
                                   : "hipErrorInvalidValue";
}
FAKE_API const char *hipGetErrorString(hipError_t error) {
  return error == kHipInvalidImage ? "invalid kernel image" : "fake error";
}
FAKE_API hipError_t hipGetDeviceCount(int *count) {
  *count = 1;
  return 0;
}
FAKE_API hipError_t hipGetDevice(int *device) {
  *device = currentHipDevice < 0 ? 0 : currentHipDevice;
  return 0;
}
FAKE_API hipError_t hipSetDevice(int device) {
  currentHipDevice = device;
  return device == 0 ? 0 : kHipInvalidValue;
}
/* Writes gcnArchName where ROCm 5's hipDeviceProp_t has it. */
FAKE_API hipError_t hipGetDeviceProperties(char *properties, int device) {
  (void)device;
  const char *arch = getenv("KILN_FAKE_HIP_ARCH");
  memset(properties, 0, 792);
  snprintf(properties + 396, 256, "%s", arch ? arch : "gfx942:sramecc+:xnack-");
  return 0;
}
/* Device 0 is current until a thread selects another. */
static hipError_t requireDevice(void) {
  return currentHipDevice <= 0 ? 0 : kHipInvalidValue;
}
FAKE_API hipError_t hipMalloc(void **pointer, size_t size) {
  *pointer = allocate(size, "hipMalloc");
  return requireDevice();
}
FAKE_API hipError_t hipFree(void *pointer) {
  free(pointer);
  return requireDevice();
}
FAKE_API hipError_t hipMemcpyHtoD(void *destination, void *source,
                                  size_t size) {
  memcpy(destination, source, size);
  return requireDevice();
}
FAKE_API hipError_t hipMemcpyHtoDAsync(void *destination, void *source,
                                       size_t size, Stream *stream) {
  (void)stream;
  memcpy(destination, source, size);
  return requireDevice();
}
FAKE_API hipError_t hipMemcpyDtoHAsync(void *destination, void *source,
                                       size_t size, Stream *stream) {
  (void)stream;
  memcpy(destination, source, size);
  return requireDevice();
}
FAKE_API hipError_t hipMemcpyDtoDAsync(void *destination, void *source,
                                       size_t size, Stream *stream) {
  (void)stream;
  memmove(destination, source, size);
  return requireDevice();
}
FAKE_API hipError_t hipModuleLoadData(Module **module, const void *image) {
  int result = loadModule(module, image, "hipModuleLoadData");
  return result ? kHipInvalidImage : requireDevice();
}
FAKE_API hipError_t hipModuleUnload(Module *module) {
  logLine("hipModuleUnload %s", module->tag);
  free(module);
  return requireDevice();
}
FAKE_API hipError_t hipModuleGetFunction(Function **function, Module *module,
                                         const char *name) {
  (void)module;
  *function = findFunction(name);
  return *function ? 0 : kHipNotFound;
}
FAKE_API hipError_t hipModuleLaunchKernel(Function *function, unsigned gridX,
                                          unsigned gridY, unsigned gridZ,
                                          unsigned blockX, unsigned blockY,
                                          unsigned blockZ,
                                          unsigned sharedMemory, Stream *stream,
                                          void **parameters, void **extra) {
  (void)extra;
  if (requireDevice())
    return kHipInvalidValue;
  return launch(function, gridX, gridY, gridZ, blockX, blockY, blockZ,
                sharedMemory, stream, parameters, "hipModuleLaunchKernel")
             ? kHipInvalidValue
             : 0;
}
FAKE_API hipError_t hipStreamCreateWithFlags(Stream **stream, unsigned flags) {
  logLine("hipStreamCreateWithFlags flags %u", flags);
  *stream = calloc(1, sizeof(Stream));
  return requireDevice();
}
FAKE_API hipError_t hipStreamDestroy(Stream *stream) {
  free(stream);
  return requireDevice();
}
FAKE_API hipError_t hipStreamSynchronize(Stream *stream) {
  (void)stream;
  return requireDevice();
}
