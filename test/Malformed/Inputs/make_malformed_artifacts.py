#!/usr/bin/env python3
"""Writes the malformed-artifact corpus and its manifest.

Usage: make_malformed_artifacts.py KILN_COMPILE OUT_DIR

Compiles a small model with KILN_COMPILE, then writes broken copies of the
artifact: truncated, flipped (the checksum catches these), with each header
field wrong, and with payload fields changed under a recomputed checksum
(a huge arena, a wrong identifier, a root offset out of range). The
manifest (OUT_DIR/manifest.json) gives each its kiln-run arguments and
the error it must get; check_malformed.py runs them. The runtime's unit
tests (test/Unit/Runtime/ArtifactLoadTest.cpp) break every verifier check
in memory; this corpus checks what kiln-run makes of such files.
"""

import json
import os
import random
import struct
import subprocess
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper

HEADER = 64
MASK = (1 << 64) - 1
P1, P2, P3 = 0x9E3779B185EBCA87, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9
P4, P5 = 0x85EBCA77C2B2AE63, 0x27D4EB2F165667C5


def rotl(x, r):
    return ((x << r) | (x >> (64 - r))) & MASK


def xxh_round(acc, lane):
    return (rotl((acc + lane * P2) & MASK, 31) * P1) & MASK


def xxh64(data, seed=0):
    """XXH64, as runtime/src/artifact/format.h computes it."""
    n, i = len(data), 0
    u64 = lambda k: struct.unpack_from("<Q", data, k)[0]
    if n >= 32:
        v = [(seed + P1 + P2) & MASK, (seed + P2) & MASK, seed,
             (seed - P1) & MASK]
        while i + 32 <= n:
            v = [xxh_round(v[j], u64(i + 8 * j)) for j in range(4)]
            i += 32
        h = (rotl(v[0], 1) + rotl(v[1], 7) + rotl(v[2], 12) +
             rotl(v[3], 18)) & MASK
        for lane in v:
            h = (((h ^ xxh_round(0, lane)) * P1) + P4) & MASK
    else:
        h = (seed + P5) & MASK
    h = (h + n) & MASK
    while i + 8 <= n:
        h = (rotl(h ^ xxh_round(0, u64(i)), 27) * P1 + P4) & MASK
        i += 8
    if i + 4 <= n:
        h = (rotl(h ^ (struct.unpack_from("<I", data, i)[0] * P1) & MASK, 23)
             * P2 + P3) & MASK
        i += 4
    while i < n:
        h = (rotl(h ^ (data[i] * P5) & MASK, 11) * P1) & MASK
        i += 1
    h ^= h >> 33
    h = (h * P2) & MASK
    h ^= h >> 29
    h = (h * P3) & MASK
    return h ^ (h >> 32)


def reseal(data):
    """The artifact with its header's checksum recomputed."""
    data = bytearray(data)
    struct.pack_into("<Q", data, 24, xxh64(bytes(data[HEADER:])))
    return bytes(data)


def arena_field(data):
    """Offset in the file of the root table's arena_size (field 4)."""
    payload = data[HEADER:]
    table = struct.unpack_from("<I", payload, 0)[0]
    vtable = table - struct.unpack_from("<i", payload, table)[0]
    vtable_size = struct.unpack_from("<H", payload, vtable)[0]
    entry = 4 + 2 * 4
    assert entry + 2 <= vtable_size, "the model's arena size is not stored"
    field = struct.unpack_from("<H", payload, vtable + entry)[0]
    assert field != 0, "the model's arena size is not stored"
    return HEADER + table + field


class Corpus:
    def __init__(self, out, common):
        self.out, self.common, self.entries = out, common, []

    def add(self, name, data, match, args=()):
        path = os.path.join(self.out, name)
        with open(path, "wb") as f:
            f.write(data)
        self.entries.append({"file": path, "args": self.common + list(args),
                             "expect": "error", "match": match})

    def write_manifest(self):
        with open(os.path.join(self.out, "manifest.json"), "w") as f:
            json.dump(self.entries, f, indent=1)


def main():
    compiler, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    # y = relu(x) + 1 over f32[64]: one kernel, an input, a constant.
    one = helper.make_tensor("one", TensorProto.FLOAT, [1], [1.0])
    graph = helper.make_graph(
        [helper.make_node("Relu", ["x"], ["r"], name="relu0"),
         helper.make_node("Add", ["r", "one"], ["y"], name="add0")],
        "small", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [64])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [64])], [one])
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model_path = os.path.join(out, "small.onnx")
    onnx.save(m, model_path)
    good_path = os.path.join(out, "small.kiln")
    subprocess.run([compiler, model_path, "-o", good_path], check=True)
    good = open(good_path, "rb").read()
    input_path = os.path.join(out, "x.npy")
    np.save(input_path, np.arange(64, dtype=np.float32))
    assert xxh64(good[HEADER:]) == struct.unpack_from("<Q", good, 24)[0], \
        "this script's XXH64 disagrees with the compiler's"

    corpus = Corpus(out, ["--device=cpu", "--quiet",
                          f"--input={input_path}"])
    size = len(good)
    rng = random.Random(20240611)

    corpus.add("empty.kiln", b"", "artifact is empty")
    for cut in [1, 8, 63]:
        corpus.add(f"header_cut{cut}.kiln", good[:cut], "shorter than")
    for cut in sorted({64, 65, 100} | {size * k // 16 for k in range(5, 16)}):
        corpus.add(f"cut{cut}.kiln", good[:cut], "payload size mismatch")
    corpus.add("appended.kiln", good + b"\0" * 16, "payload size mismatch")
    for k in range(12):
        offset = rng.randrange(HEADER, size)
        flipped = bytearray(good)
        flipped[offset] ^= 0x5A
        corpus.add(f"flip{offset}.kiln", bytes(flipped), "checksum mismatch")
    corpus.add("random64.kiln", bytes(rng.getrandbits(8) for _ in range(64)),
               "bad magic")
    corpus.add("random4096.kiln",
               bytes(rng.getrandbits(8) for _ in range(4096)), "bad magic")

    def header(offset, fmt, value, match, name):
        data = bytearray(good)
        struct.pack_into(fmt, data, offset, value)
        corpus.add(name, bytes(data), match)

    header(0, "<8s", b"KILNART1", "bad magic", "bad_magic.kiln")
    header(8, "<I", 0, "unsupported artifact format version 0",
           "version0.kiln")
    header(8, "<I", 2, "unsupported artifact format version 2",
           "version2.kiln")
    header(8, "<I", 0xFFFFFFFF, "unsupported artifact format version",
           "version_max.kiln")
    header(12, "<I", 1, "flags", "flags.kiln")
    header(16, "<Q", size, "payload size mismatch", "payload_size.kiln")
    header(16, "<Q", MASK, "payload size mismatch", "payload_size_max.kiln")
    header(40, "<B", 1, "reserved", "reserved.kiln")

    # Payload changes under a checksum that matches them.
    data = bytearray(good)
    data[HEADER + 4:HEADER + 8] = b"NLIK"
    corpus.add("identifier.kiln", reseal(data), "file identifier|KILN")
    data = bytearray(good)
    struct.pack_into("<I", data, HEADER, size * 4)
    corpus.add("root_offset.kiln", reseal(data),
               "failed flatbuffers verification")
    body = bytes(rng.getrandbits(8) for _ in range(size - HEADER))
    corpus.add("random_payload.kiln", reseal(good[:HEADER] + body),
               "file identifier|KILN|flatbuffers verification")
    arena = arena_field(good)
    for value, name in [(1 << 50, "arena_1pib"), (MASK, "arena_max")]:
        data = bytearray(good)
        struct.pack_into("<Q", data, arena, value)
        corpus.add(f"{name}.kiln", reseal(data),
                   f"the artifact needs a {value}-byte arena, more than the "
                   "[0-9]+ bytes of memory this process may use")
    data = bytearray(good)
    struct.pack_into("<Q", data, arena, 0)
    corpus.add("arena_zero.kiln", reseal(data), "outside|arena")
    # The limit of kiln-run's flag, on the good artifact.
    corpus.add("limit_arena.kiln", good,
               "more than the limit of 64 bytes \\(max_arena_bytes\\)",
               ["--max-arena-bytes=64"])
    corpus.write_manifest()
    return 0


if __name__ == "__main__":
    sys.exit(main())
