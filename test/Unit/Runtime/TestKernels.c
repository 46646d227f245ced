/*===- TestKernels.c - CPU kernels for the runtime tests ------------------===*\
|*                                                                          *|
|* A real shared object implementing the CPU kernel ABI of artifact.fbs,    *|
|* embedded by the tests into artifacts they build:                         *|
|*   void kernel(void **bindings, const uint32_t *constants,                *|
|*               uint32_t wg_x, uint32_t wg_y, uint32_t wg_z,               *|
|*               uint32_t count_x, uint32_t count_y, uint32_t count_z);     *|
|*                                                                          *|
\*===----------------------------------------------------------------------===*/

#include <stdint.h>

#define KILN_TEST_KERNEL __attribute__((visibility("default")))

/* Built twice: the variant adds this to every sum, so that a test can tell
   two loaded executables apart. */
#ifndef KILN_TEST_ADD_BIAS
#define KILN_TEST_ADD_BIAS 0.0f
#endif

static uint64_t linearWorkgroup(uint32_t x, uint32_t y, uint32_t z,
                                uint32_t countX, uint32_t countY) {
  return x + (uint64_t)countX * (y + (uint64_t)countY * z);
}

/// out[i] = a[i] + b[i] over f32 buffers. Bindings: a, b, out. Constants:
/// the element count, then the elements of one workgroup; workgroup w
/// (linearized x-fastest) covers [w * per_workgroup, (w+1) * per_workgroup).
KILN_TEST_KERNEL void kiln_test_add_f32(void **bindings,
                                        const uint32_t *constants, uint32_t x,
                                        uint32_t y, uint32_t z, uint32_t countX,
                                        uint32_t countY, uint32_t countZ) {
  (void)countZ;
  const float *a = (const float *)bindings[0];
  const float *b = (const float *)bindings[1];
  float *out = (float *)bindings[2];
  uint64_t begin = linearWorkgroup(x, y, z, countX, countY) * constants[1];
  uint64_t end = begin + constants[1];
  if (end > constants[0])
    end = constants[0];
  for (uint64_t i = begin; i < end; ++i)
    out[i] = a[i] + b[i] + KILN_TEST_ADD_BIAS;
}

/// Copies constants[0] bytes from bindings[0] to bindings[1]; one workgroup.
KILN_TEST_KERNEL void kiln_test_copy_bytes(void **bindings,
                                           const uint32_t *constants,
                                           uint32_t x, uint32_t y, uint32_t z,
                                           uint32_t countX, uint32_t countY,
                                           uint32_t countZ) {
  (void)x, (void)y, (void)z, (void)countX, (void)countY, (void)countZ;
  const unsigned char *source = (const unsigned char *)bindings[0];
  unsigned char *destination = (unsigned char *)bindings[1];
  for (uint32_t i = 0; i < constants[0]; ++i)
    destination[i] = source[i];
}

/// Counts visits of each workgroup: bindings[0] holds one uint32 per
/// workgroup, bindings[1] one error counter, bumped when an id lies outside
/// the grid or the grid differs from constants[0..2]. constants[3] is busy
/// work per workgroup, so that launches last long enough for every worker
/// thread to take part.
KILN_TEST_KERNEL void kiln_test_count_workgroups(
    void **bindings, const uint32_t *constants, uint32_t x, uint32_t y,
    uint32_t z, uint32_t countX, uint32_t countY, uint32_t countZ) {
  uint32_t *visits = (uint32_t *)bindings[0];
  uint32_t *errors = (uint32_t *)bindings[1];
  if (x >= countX || y >= countY || z >= countZ || countX != constants[0] ||
      countY != constants[1] || countZ != constants[2]) {
    __atomic_fetch_add(errors, 1, __ATOMIC_RELAXED);
    return;
  }
  volatile uint32_t busy = 0;
  for (uint32_t i = 0; i < constants[3]; ++i)
    busy += i;
  __atomic_fetch_add(&visits[linearWorkgroup(x, y, z, countX, countY)], 1,
                     __ATOMIC_RELAXED);
}
