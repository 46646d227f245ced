"""The CUDA target's artifact check for test/Target/compile_all.py: per
architecture one PTX executable for it and one cubin (an ELF image for
NVIDIA GPUs, which exists only when ptxas assembled the PTX), each listing
every dispatch's kernel with a launchable block."""

import re
import struct

EM_CUDA = 190


def check(dispatches, executables, archs):
    cuda = [e for e in executables if e["device"] == "cuda"]
    for arch in archs:
        for fmt in ("Ptx", "Cubin"):
            matching = [e for e in cuda if e["arch"] == arch and e["format"] == fmt]
            if len(matching) != 1:
                return f"{len(matching)} {fmt} executable(s) for {arch}"
            e = matching[0]
            if len(e["kernels"]) != dispatches:
                return f"{arch} {fmt}: {len(e['kernels'])} kernels for {dispatches} dispatches"
            for k in e["kernels"]:
                threads = k["block"][0] * k["block"][1] * k["block"][2]
                if not 1 <= threads <= 1024:
                    return f"{arch}: kernel {k['symbol']} has a block of {threads} threads"
            data = e["data"]
            if fmt == "Ptx":
                text = data.rstrip(b"\0").decode(errors="replace")
                if not re.search(rf"^\.target {arch}\b", text, re.M):
                    return f"{arch} PTX is not for {arch}"
                for k in e["kernels"]:
                    if not re.search(rf"\.entry {re.escape(k['symbol'])}\(", text):
                        return f"{arch} PTX has no entry {k['symbol']}"
                if ".extern .func" in text:
                    return f"{arch} PTX calls an external function"
            elif data[:4] != b"\x7fELF" or struct.unpack_from("<H", data, 0x12)[0] != EM_CUDA:
                return f"{arch} cubin is not an NVIDIA ELF image"
    return None
