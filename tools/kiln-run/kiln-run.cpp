//===- kiln-run.cpp - Run a .kiln artifact from the command line ----------===//
//
// Loads an artifact, binds inputs from .npy or TensorProto files, runs it
// on a device, prints the outputs (and optionally writes them as .npy),
// and benchmarks it. Links only the Kiln runtime, so that it can be copied
// with libkiln_runtime.so to a machine that has nothing but a GPU driver.
//
// Every user error ends the program with one line `error: <message>` on
// stderr and exit code 1.
//
//===----------------------------------------------------------------------===//

#include "TensorFiles.h"
#include "kiln/runtime.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cinttypes>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <string>
#include <sys/stat.h>
#include <vector>

using namespace kiln::run;

namespace {

const char *const kUsage =
    "usage: kiln-run ART.kiln [options]\n"
    "\n"
    "Runs a Kiln artifact and prints its outputs.\n"
    "\n"
    "options:\n"
    "  --device=cpu|cuda|hip|auto  device to run on (default: auto)\n"
    "  --threads=N                 CPU threads, the caller included (default:\n"
    "                              one per core)\n"
    "  --input=[NAME=]FILE         an input, .npy or ONNX TensorProto .pb;\n"
    "                              without NAME, inputs bind in signature "
    "order\n"
    "  --output-dir=DIR            write output_K.npy for each output K\n"
    "  --benchmark=N               time N runs after one warm-up run\n"
    "  --benchmark-json=FILE       write the benchmark's times as JSON\n"
    "  --per-dispatch              time each dispatch; print a table\n"
    "  --cuda-graph                on CUDA, replay the commands as a graph\n"
    "  --skip-checksum             do not verify the artifact's checksum\n"
    "  --max-arena-bytes=N         refuse an artifact whose arena is larger\n"
    "                              (default 0: the device's limit; the CPU's\n"
    "                              is the memory this process may use)\n"
    "  --quiet                     do not print output values\n"
    "  --help, --version\n";

/// Reports a user error and gives the exit code. Messages are forced onto
/// one line: runtime messages may quote driver logs.
int fail(const char *format, ...) __attribute__((format(printf, 1, 2)));
int fail(const char *format, ...) {
  char message[2048];
  va_list args;
  va_start(args, format);
  std::vsnprintf(message, sizeof(message), format, args);
  va_end(args);
  for (char *c = message; *c; ++c)
    if (*c == '\n' || *c == '\r')
      *c = ' ';
  std::fprintf(stderr, "error: %s\n", message);
  return 1;
}

/// fail() with a runtime status's message; frees the status.
int failWith(kiln_status_t status) {
  std::string message = kiln_status_message(status);
  kiln_status_free(status);
  return fail("%s", message.c_str());
}

//===----------------------------------------------------------------------===//
// Options
//===----------------------------------------------------------------------===//

struct InputArgument {
  std::string name; // Empty: positional.
  std::string path;
};

struct Options {
  std::string artifact;
  kiln_device_kind_t device = KILN_DEVICE_AUTO;
  std::uint32_t threads = 0;
  std::vector<std::string> inputs; // Raw --input values.
  std::string outputDir;
  std::uint64_t benchmarkRuns = 0;
  std::string benchmarkJson;
  bool perDispatch = false;
  bool cudaGraph = false;
  bool skipChecksum = false;
  bool quiet = false;
  std::uint64_t maxArenaBytes = 0; // 0: the device's limit.
};

/// Parses an unsigned integer in [minimum, maximum].
bool parseCount(const char *text, std::uint64_t minimum, std::uint64_t maximum,
                std::uint64_t *out) {
  if (!*text || *text == '-' || *text == '+')
    return false;
  char *end = nullptr;
  errno = 0;
  unsigned long long value = std::strtoull(text, &end, 10);
  if (errno != 0 || *end != '\0' || value < minimum || value > maximum)
    return false;
  *out = value;
  return true;
}

/// Returns the value of "--name=value" if `argument` is that option.
const char *optionValue(const char *argument, const char *name) {
  std::size_t length = std::strlen(name);
  if (std::strncmp(argument, name, length) == 0 && argument[length] == '=')
    return argument + length + 1;
  return nullptr;
}

/// Parses argv; returns -1 to go on, else an exit code.
int parseOptions(int argc, char **argv, Options &options) {
  for (int i = 1; i < argc; ++i) {
    const char *argument = argv[i];
    const char *value;
    std::uint64_t number;
    if (!std::strcmp(argument, "--help") || !std::strcmp(argument, "-h")) {
      std::fputs(kUsage, stdout);
      return 0;
    } else if (!std::strcmp(argument, "--version")) {
      std::printf("kiln-run (Kiln runtime %s)\n", kiln_runtime_version());
      return 0;
    } else if ((value = optionValue(argument, "--device"))) {
      if (!std::strcmp(value, "auto"))
        options.device = KILN_DEVICE_AUTO;
      else if (!std::strcmp(value, "cpu"))
        options.device = KILN_DEVICE_CPU;
      else if (!std::strcmp(value, "cuda"))
        options.device = KILN_DEVICE_CUDA;
      else if (!std::strcmp(value, "hip"))
        options.device = KILN_DEVICE_HIP;
      else
        return fail("unknown device '%s' (expected cpu, cuda, hip or auto)",
                    value);
    } else if ((value = optionValue(argument, "--threads"))) {
      if (!parseCount(value, 1, 1024, &number))
        return fail("--threads expects a number from 1 to 1024, got '%s'",
                    value);
      options.threads = std::uint32_t(number);
    } else if ((value = optionValue(argument, "--input"))) {
      if (!*value)
        return fail("--input expects [NAME=]FILE");
      options.inputs.push_back(value);
    } else if ((value = optionValue(argument, "--output-dir"))) {
      if (!*value)
        return fail("--output-dir expects a directory");
      options.outputDir = value;
    } else if ((value = optionValue(argument, "--benchmark"))) {
      if (!parseCount(value, 1, 1000000, &number))
        return fail("--benchmark expects a number of runs from 1 to 1000000, "
                    "got '%s'",
                    value);
      options.benchmarkRuns = number;
    } else if ((value = optionValue(argument, "--benchmark-json"))) {
      if (!*value)
        return fail("--benchmark-json expects a file");
      options.benchmarkJson = value;
    } else if (!std::strcmp(argument, "--per-dispatch")) {
      options.perDispatch = true;
    } else if (!std::strcmp(argument, "--cuda-graph")) {
      options.cudaGraph = true;
    } else if ((value = optionValue(argument, "--max-arena-bytes"))) {
      if (!parseCount(value, 0, UINT64_MAX, &number))
        return fail("--max-arena-bytes expects a number of bytes, got '%s'",
                    value);
      options.maxArenaBytes = number;
    } else if (!std::strcmp(argument, "--skip-checksum")) {
      options.skipChecksum = true;
    } else if (!std::strcmp(argument, "--quiet") ||
               !std::strcmp(argument, "-q")) {
      options.quiet = true;
    } else if (argument[0] == '-' && argument[1] != '\0') {
      return fail("unknown option '%s' (see --help)", argument);
    } else if (options.artifact.empty()) {
      options.artifact = argument;
    } else {
      return fail("more than one artifact given ('%s' and '%s')",
                  options.artifact.c_str(), argument);
    }
  }
  if (options.artifact.empty())
    return fail("no artifact given (usage: kiln-run ART.kiln [options])");
  if (!options.benchmarkJson.empty() && options.benchmarkRuns == 0)
    return fail("--benchmark-json needs --benchmark=N");
  return -1;
}

//===----------------------------------------------------------------------===//
// Inputs
//===----------------------------------------------------------------------===//

/// Splits each --input into NAME and FILE: a prefix before '=' is a name
/// when the model has an input of that name (file names may hold '=').
int classifyInputs(const Options &options,
                   const std::vector<kiln_tensor_info_t> &signature,
                   std::vector<InputArgument> &out) {
  bool named = false, positional = false;
  for (const std::string &value : options.inputs) {
    InputArgument argument;
    std::size_t equals = value.find('=');
    if (equals != std::string::npos) {
      std::string prefix = value.substr(0, equals);
      bool known = false;
      for (const kiln_tensor_info_t &tensor : signature)
        known |= prefix == tensor.name;
      struct stat info;
      if (known) {
        argument.name = prefix;
        argument.path = value.substr(equals + 1);
      } else if (::stat(value.c_str(), &info) == 0) {
        argument.path = value;
      } else {
        std::string names;
        for (const kiln_tensor_info_t &tensor : signature)
          names += std::string(names.empty() ? "" : ", ") + tensor.name;
        return fail("unknown input name '%s' (the model's inputs: %s)",
                    prefix.c_str(), names.empty() ? "none" : names.c_str());
      }
    } else {
      argument.path = value;
    }
    (argument.name.empty() ? positional : named) = true;
    out.push_back(argument);
  }
  if (named && positional)
    return fail("mix of named (--input=NAME=FILE) and positional inputs; use "
                "one form");
  return -1;
}

/// Reads and checks every input against the signature, in signature order.
int bindInputs(const Options &options,
               const std::vector<kiln_tensor_info_t> &signature,
               std::vector<HostTensor> &tensors) {
  std::vector<InputArgument> arguments;
  if (int code = classifyInputs(options, signature, arguments); code >= 0)
    return code;
  std::vector<const InputArgument *> bound(signature.size(), nullptr);
  if (!arguments.empty() && arguments[0].name.empty()) {
    if (arguments.size() > signature.size())
      return fail("%zu inputs given, the model has %zu", arguments.size(),
                  signature.size());
    for (std::size_t i = 0; i < arguments.size(); ++i)
      bound[i] = &arguments[i];
  } else {
    for (const InputArgument &argument : arguments)
      for (std::size_t i = 0; i < signature.size(); ++i)
        if (argument.name == signature[i].name) {
          if (bound[i])
            return fail("input '%s' given twice", argument.name.c_str());
          bound[i] = &argument;
        }
  }
  tensors.resize(signature.size());
  for (std::size_t i = 0; i < signature.size(); ++i) {
    const kiln_tensor_info_t &expected = signature[i];
    if (!bound[i])
      return fail("missing input %zu '%s' (%s%s); pass --input=%s=FILE", i,
                  expected.name, kiln_element_type_name(expected.element_type),
                  formatShape(expected.shape, expected.rank).c_str(),
                  expected.name);
    std::string error;
    HostTensor &tensor = tensors[i];
    if (!readTensorFile(bound[i]->path, tensor, error))
      return fail("%s", error.c_str());
    // bfloat16 data often travels as its uint16 bit patterns (numpy has no
    // bfloat16; the ONNX test data of opset 17 stores it so): accept those.
    if (tensor.type == KILN_U16 && expected.element_type == KILN_BF16)
      tensor.type = KILN_BF16;
    if (tensor.type != expected.element_type)
      return fail("input '%s' is %s, but %s holds %s", expected.name,
                  kiln_element_type_name(expected.element_type),
                  bound[i]->path.c_str(), kiln_element_type_name(tensor.type));
    if (tensor.shape.size() != expected.rank ||
        !std::equal(tensor.shape.begin(), tensor.shape.end(), expected.shape))
      return fail(
          "input '%s' has shape %s, but %s holds %s", expected.name,
          formatShape(expected.shape, expected.rank).c_str(),
          bound[i]->path.c_str(),
          formatShape(tensor.shape.data(), tensor.shape.size()).c_str());
  }
  return -1;
}

//===----------------------------------------------------------------------===//
// Outputs
//===----------------------------------------------------------------------===//

/// Element `index` of a tensor as text.
std::string formatElement(kiln_element_type_t type, const std::uint8_t *data,
                          std::size_t index) {
  char text[64];
  auto load = [&](auto value) {
    std::memcpy(&value, data + index * sizeof(value), sizeof(value));
    return value;
  };
  switch (type) {
  case KILN_F16:
    std::snprintf(text, sizeof(text), "%g", halfToFloat(load(std::uint16_t())));
    return text;
  case KILN_BF16:
    std::snprintf(text, sizeof(text), "%g",
                  bfloat16ToFloat(load(std::uint16_t())));
    return text;
  case KILN_F32:
    std::snprintf(text, sizeof(text), "%g", double(load(float())));
    return text;
  case KILN_F64:
    std::snprintf(text, sizeof(text), "%g", load(double()));
    return text;
  case KILN_BOOL:
    return data[index] ? "true" : "false";
  case KILN_I8:
    return std::to_string(load(std::int8_t()));
  case KILN_I16:
    return std::to_string(load(std::int16_t()));
  case KILN_I32:
    return std::to_string(load(std::int32_t()));
  case KILN_I64:
    return std::to_string(load(std::int64_t()));
  case KILN_U8:
    return std::to_string(load(std::uint8_t()));
  case KILN_U16:
    return std::to_string(load(std::uint16_t()));
  case KILN_U32:
    return std::to_string(load(std::uint32_t()));
  case KILN_U64:
    return std::to_string(load(std::uint64_t()));
  }
  return "?";
}

void printOutputs(const std::vector<kiln_tensor_info_t> &signature,
                  const std::vector<ByteBuffer> &buffers) {
  constexpr std::size_t kShown = 8;
  for (std::size_t i = 0; i < signature.size(); ++i) {
    const kiln_tensor_info_t &tensor = signature[i];
    std::size_t elementSize = kiln_element_size(tensor.element_type);
    std::size_t count = elementSize ? tensor.size_bytes / elementSize : 0;
    std::string values;
    for (std::size_t e = 0; e < std::min(count, kShown); ++e)
      values += (e ? ", " : "") +
                formatElement(tensor.element_type, buffers[i].data(), e);
    if (count > kShown)
      values += ", ...";
    std::printf("output %zu '%s': %s%s = [%s]\n", i, tensor.name,
                kiln_element_type_name(tensor.element_type),
                formatShape(tensor.shape, tensor.rank).c_str(), values.c_str());
  }
}

int writeOutputs(const std::string &directory,
                 const std::vector<kiln_tensor_info_t> &signature,
                 const std::vector<ByteBuffer> &buffers) {
  struct stat info;
  if (::stat(directory.c_str(), &info) != 0) {
    if (::mkdir(directory.c_str(), 0777) != 0)
      return fail("cannot create output directory '%s': %s", directory.c_str(),
                  std::strerror(errno));
  } else if (!S_ISDIR(info.st_mode)) {
    return fail("'%s' is not a directory", directory.c_str());
  }
  for (std::size_t i = 0; i < signature.size(); ++i) {
    const kiln_tensor_info_t &tensor = signature[i];
    std::vector<std::uint8_t> bytes;
    std::string error;
    if (!encodeNpy(tensor.element_type, tensor.shape, tensor.rank,
                   buffers[i].data(), tensor.size_bytes, bytes, error))
      return fail("%s", error.c_str());
    std::string path = directory + "/output_" + std::to_string(i) + ".npy";
    std::FILE *file = std::fopen(path.c_str(), "wb");
    bool written = file && std::fwrite(bytes.data(), 1, bytes.size(), file) ==
                               bytes.size();
    if (file)
      written &= std::fclose(file) == 0;
    if (!written)
      return fail("cannot write '%s': %s", path.c_str(), std::strerror(errno));
  }
  return -1;
}

//===----------------------------------------------------------------------===//
// Timing
//===----------------------------------------------------------------------===//

struct Summary {
  double minimum = 0, median = 0, p90 = 0;
};

/// Minimum, median and 90th percentile (nearest rank) of `times`.
Summary summarize(std::vector<double> times) {
  Summary summary;
  if (times.empty())
    return summary;
  std::sort(times.begin(), times.end());
  std::size_t n = times.size();
  summary.minimum = times.front();
  summary.median = n % 2 ? times[n / 2] : (times[n / 2 - 1] + times[n / 2]) / 2;
  std::size_t rank = std::size_t(std::ceil(0.9 * double(n)));
  summary.p90 = times[std::max<std::size_t>(rank, 1) - 1];
  return summary;
}

struct DispatchTime {
  std::string name;
  /// Over the benchmark's runs; the minimum is what a dispatch takes when
  /// nothing else shares the machine.
  double medianMs, minMs;
};

std::string jsonString(const std::string &text) {
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') {
      quoted += '\\';
      quoted += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char escape[8];
      std::snprintf(escape, sizeof(escape), "\\u%04x", unsigned(c));
      quoted += escape;
    } else {
      quoted += c;
    }
  }
  return quoted + "\"";
}

int writeBenchmarkJson(const std::string &path, std::uint64_t runs,
                       const Summary &summary,
                       const std::vector<double> &times, bool perDispatch,
                       const std::vector<DispatchTime> &dispatches) {
  std::string json = "{\"runs\":" + std::to_string(runs);
  char number[64];
  std::snprintf(number, sizeof(number), ",\"median_ms\":%.6f", summary.median);
  json += number;
  std::snprintf(number, sizeof(number), ",\"min_ms\":%.6f", summary.minimum);
  json += number;
  std::snprintf(number, sizeof(number), ",\"p90_ms\":%.6f", summary.p90);
  json += number;
  // Every run's time, so that callers can pool runs across invocations.
  json += ",\"times_ms\":[";
  for (std::size_t i = 0; i < times.size(); ++i) {
    std::snprintf(number, sizeof(number), "%s%.6f", i ? "," : "", times[i]);
    json += number;
  }
  json += "]";
  if (perDispatch) {
    json += ",\"per_dispatch\":[";
    for (std::size_t i = 0; i < dispatches.size(); ++i) {
      json += std::string(i ? "," : "") +
              "{\"name\":" + jsonString(dispatches[i].name);
      std::snprintf(number, sizeof(number), ",\"median_ms\":%.6f",
                    dispatches[i].medianMs);
      json += number;
      std::snprintf(number, sizeof(number), ",\"min_ms\":%.6f}",
                    dispatches[i].minMs);
      json += number;
    }
    json += "]";
  }
  json += "}\n";
  std::FILE *file = std::fopen(path.c_str(), "w");
  bool written = file && std::fputs(json.c_str(), file) >= 0;
  if (file)
    written &= std::fclose(file) == 0;
  if (!written)
    return fail("cannot write '%s': %s", path.c_str(), std::strerror(errno));
  return -1;
}

void printDispatchTable(std::vector<DispatchTime> dispatches) {
  std::sort(dispatches.begin(), dispatches.end(),
            [](const DispatchTime &a, const DispatchTime &b) {
              return a.medianMs > b.medianMs;
            });
  double total = 0, totalMin = 0;
  std::size_t width = 8;
  for (const DispatchTime &dispatch : dispatches) {
    total += dispatch.medianMs;
    totalMin += dispatch.minMs;
    width = std::max(width, dispatch.name.size());
  }
  std::printf("%-*s %12s %7s %10s\n", int(width), "dispatch", "median ms",
              "%", "min ms");
  for (const DispatchTime &dispatch : dispatches)
    std::printf("%-*s %12.4f %6.1f%% %10.4f\n", int(width),
                dispatch.name.c_str(), dispatch.medianMs,
                total > 0 ? 100.0 * dispatch.medianMs / total : 0.0,
                dispatch.minMs);
  std::printf("%-*s %12.4f %6.1f%% %10.4f\n", int(width), "total", total,
              total > 0 ? 100.0 : 0.0, totalMin);
}

//===----------------------------------------------------------------------===//
// Main
//===----------------------------------------------------------------------===//

/// Owns the runtime objects of one invocation.
struct Runtime {
  kiln_context_t *context = nullptr;
  kiln_artifact_t *artifact = nullptr;
  kiln_session_t *session = nullptr;
  ~Runtime() {
    kiln_session_release(session);
    kiln_artifact_release(artifact);
    kiln_context_release(context);
  }
};

std::vector<kiln_tensor_info_t> describe(const kiln_artifact_t *artifact,
                                         bool outputs) {
  std::size_t count = outputs ? kiln_artifact_output_count(artifact)
                              : kiln_artifact_input_count(artifact);
  std::vector<kiln_tensor_info_t> infos(count);
  for (std::size_t i = 0; i < count; ++i)
    kiln_status_free(outputs
                         ? kiln_artifact_output_info(artifact, i, &infos[i])
                         : kiln_artifact_input_info(artifact, i, &infos[i]));
  return infos;
}

const char *deviceName(kiln_device_kind_t kind) {
  switch (kind) {
  case KILN_DEVICE_CPU:
    return "cpu";
  case KILN_DEVICE_CUDA:
    return "cuda";
  case KILN_DEVICE_HIP:
    return "hip";
  case KILN_DEVICE_AUTO:
    break;
  }
  return "auto";
}

int run(const Options &options) {
  Runtime runtime;
  kiln_context_options_t contextOptions;
  kiln_context_options_initialize(&contextOptions);
  contextOptions.cpu_threads = options.threads;
  if (kiln_status_t status =
          kiln_context_create(&contextOptions, &runtime.context))
    return failWith(status);

  kiln_artifact_options_t artifactOptions;
  kiln_artifact_options_initialize(&artifactOptions);
  if (options.skipChecksum)
    artifactOptions.flags |= KILN_ARTIFACT_FLAG_SKIP_CHECKSUM;
  if (kiln_status_t status = kiln_artifact_load_file(
          options.artifact.c_str(), &artifactOptions, &runtime.artifact))
    return failWith(status);

  std::vector<kiln_tensor_info_t> inputInfos =
      describe(runtime.artifact, false);
  std::vector<kiln_tensor_info_t> outputInfos =
      describe(runtime.artifact, true);
  std::vector<HostTensor> inputs;
  if (int code = bindInputs(options, inputInfos, inputs); code >= 0)
    return code;

  kiln_session_options_t sessionOptions;
  kiln_session_options_initialize(&sessionOptions);
  sessionOptions.device = options.device;
  sessionOptions.max_arena_bytes = options.maxArenaBytes;
  if (options.perDispatch)
    sessionOptions.flags |= KILN_SESSION_FLAG_PROFILE;
  if (options.cudaGraph)
    sessionOptions.flags |= KILN_SESSION_FLAG_CUDA_GRAPH;
  if (kiln_status_t status = kiln_session_create(
          runtime.context, runtime.artifact, &sessionOptions, &runtime.session))
    return failWith(status);

  std::vector<kiln_buffer_t> inputBuffers;
  for (HostTensor &tensor : inputs)
    inputBuffers.push_back({tensor.data.data(), tensor.data.size()});
  std::vector<ByteBuffer> outputs(outputInfos.size());
  std::vector<kiln_buffer_t> outputBuffers;
  for (std::size_t i = 0; i < outputInfos.size(); ++i) {
    if (!outputs[i].allocate(outputInfos[i].size_bytes))
      return fail("cannot allocate %zu bytes for output '%s'",
                  outputInfos[i].size_bytes, outputInfos[i].name);
    outputBuffers.push_back({outputs[i].data(), outputInfos[i].size_bytes});
  }

  std::size_t dispatchCount = kiln_session_dispatch_count(runtime.session);
  std::vector<std::vector<double>> dispatchTimes(dispatchCount);
  auto runOnce = [&]() -> kiln_status_t {
    kiln_status_t status = kiln_session_run(
        runtime.session, inputBuffers.data(), inputBuffers.size(),
        outputBuffers.data(), outputBuffers.size());
    for (std::size_t d = 0; !status && d < dispatchCount; ++d) {
      std::uint64_t nanoseconds = 0;
      status =
          kiln_session_dispatch_time(runtime.session, d, nullptr, &nanoseconds);
      dispatchTimes[d].push_back(double(nanoseconds) / 1e6);
    }
    return status;
  };

  // The first run gives the outputs and warms the benchmark up.
  if (kiln_status_t status = runOnce())
    return failWith(status);
  if (!options.quiet) {
    std::printf("device: %s\narena: %llu bytes\n",
                deviceName(kiln_session_device(runtime.session)),
                static_cast<unsigned long long>(
                    kiln_artifact_arena_size(runtime.artifact)));
    printOutputs(outputInfos, outputs);
  }
  if (!options.outputDir.empty())
    if (int code = writeOutputs(options.outputDir, outputInfos, outputs);
        code >= 0)
      return code;

  std::vector<double> runTimes;
  if (options.benchmarkRuns) {
    for (std::vector<double> &times : dispatchTimes)
      times.clear();
    runTimes.reserve(options.benchmarkRuns);
    for (std::uint64_t i = 0; i < options.benchmarkRuns; ++i) {
      auto start = std::chrono::steady_clock::now();
      if (kiln_status_t status = runOnce())
        return failWith(status);
      std::chrono::duration<double, std::milli> elapsed =
          std::chrono::steady_clock::now() - start;
      runTimes.push_back(elapsed.count());
    }
    Summary summary = summarize(runTimes);
    std::printf("benchmark: %" PRIu64 " runs, min %.4f ms, median %.4f ms, "
                "p90 %.4f ms\n",
                options.benchmarkRuns, summary.minimum, summary.median,
                summary.p90);
  }

  std::vector<DispatchTime> dispatches;
  for (std::size_t d = 0; d < dispatchCount; ++d) {
    const char *name = nullptr;
    kiln_status_free(
        kiln_session_dispatch_time(runtime.session, d, &name, nullptr));
    Summary times = summarize(dispatchTimes[d]);
    dispatches.push_back({name ? name : "?", times.median, times.minimum});
  }
  if (options.perDispatch)
    printDispatchTable(dispatches);
  if (!options.benchmarkJson.empty())
    if (int code = writeBenchmarkJson(
            options.benchmarkJson, options.benchmarkRuns, summarize(runTimes),
            runTimes, options.perDispatch, dispatches);
        code >= 0)
      return code;
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  Options options;
  if (int code = parseOptions(argc, argv, options); code >= 0)
    return code;
  return run(options);
}
