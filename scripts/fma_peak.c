/* fma_peak.c - The machine's single-thread FMA throughput, for make bench.
 *
 * Runs many independent vector FMA chains (enough to cover the FMA
 * latency on two ports) and reports GFLOP/s. Built by scripts/bench.py
 * with clang -O2 -march=native; not part of Kiln.
 */
#include <stdio.h>
#include <time.h>

#if defined(__AVX512F__)
#define LANES 16
#elif defined(__AVX2__) || defined(__AVX__)
#define LANES 8
#else
#define LANES 4
#endif
typedef float vec __attribute__((vector_size(LANES * 4)));

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

int main(void) {
  enum { CHAINS = 12 };
  vec acc[CHAINS], a, b;
  for (int i = 0; i < LANES; ++i) {
    a[i] = 1.0000001f;
    b[i] = 1e-7f;
  }
  for (int c = 0; c < CHAINS; ++c)
    acc[c] = b * (float)c;
  const long iterations = 100000000L / LANES;
  double best = 0;
  for (int repeat = 0; repeat < 5; ++repeat) {
    double start = now();
    for (long i = 0; i < iterations; ++i) {
#pragma clang loop unroll(full)
      for (int c = 0; c < CHAINS; ++c)
        acc[c] = acc[c] * a + b;
      __asm__ volatile("" : "+x"(acc[0]), "+x"(acc[1]), "+x"(acc[2]),
                       "+x"(acc[3]));
    }
    double seconds = now() - start;
    double gflops = 2.0 * CHAINS * LANES * (double)iterations / seconds / 1e9;
    if (gflops > best)
      best = gflops;
  }
  float sum = 0;
  for (int c = 0; c < CHAINS; ++c)
    for (int i = 0; i < LANES; ++i)
      sum += acc[c][i];
  printf("%.2f %d %g\n", best, LANES, sum);
  return 0;
}
