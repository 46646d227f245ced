"""The ROCm target's artifact check for test/Target/compile_all.py: per
architecture one code object, checked with llvm-readelf: an AMDGPU ELF
(EM_AMDGPU), NT_AMDGPU_METADATA naming the architecture, code object v5,
a .kd kernel descriptor for every dispatch's kernel, no undefined
symbols."""

import os
import re
import subprocess
import tempfile

READELF = "/usr/lib/llvm-22/bin/llvm-readelf"


def readelf(*args):
    """llvm-readelf with `args` (paths and flags): exit status and output."""
    proc = subprocess.run([READELF, *args], capture_output=True, text=True)
    return proc.returncode, proc.stdout + proc.stderr


def check_object(text, arch, kernels):
    """What is wrong with one code object, from its llvm-readelf output."""
    if "EM_AMDGPU" not in text:
        return "not an AMDGPU ELF"
    if not re.search(r"ABI Version:\s+3\b", text):
        return "not code object v5 (ELF ABI version 3)"
    target = re.search(r"amdhsa\.target:\s+amdgcn-amd-amdhsa--(gfx\w+)", text)
    if "NT_AMDGPU_METADATA" not in text or not target:
        return "no NT_AMDGPU_METADATA with an amdhsa.target"
    if target.group(1) != arch:
        return f"metadata names {target.group(1)}"
    symbols = text
    undefined = [l.split()[-1] for l in symbols.splitlines()
                 if re.search(r"\sUND\s+\S", l)]
    if undefined:
        return f"undefined symbol {undefined[0]}"
    names = set(re.findall(r"\s(\S+)$", symbols, re.M))
    for k in kernels:
        if k["symbol"] + ".kd" not in names:
            return f"kernel {k['symbol']} has no .kd descriptor"
    return None


def check(dispatches, executables, archs):
    hip = [e for e in executables if e["device"] == "hip"]
    with tempfile.TemporaryDirectory() as tmp:
        paths = {}
        for arch in archs:
            matching = [e for e in hip if e["arch"] == arch and e["format"] == "Hsaco"]
            if len(matching) != 1:
                return f"{len(matching)} code object(s) for {arch}"
            e = matching[0]
            if len(e["kernels"]) != dispatches:
                return f"{arch}: {len(e['kernels'])} kernels for {dispatches} dispatches"
            paths[arch] = os.path.join(tmp, arch + ".hsaco")
            with open(paths[arch], "wb") as f:
                f.write(e["data"])
        # One llvm-readelf for every architecture's object: its output has
        # a "File: PATH" header per object.
        rc, text = readelf(*paths.values(), "--file-header", "--notes",
                           "--symbols", "--dyn-symbols")
        if rc:
            return f"llvm-readelf failed: {text.strip()[:200]}"
        starts = {arch: text.find(f"File: {path}\n") for arch, path in paths.items()}
        if any(start < 0 for start in starts.values()):
            return "llvm-readelf did not read every code object"
        bounds = sorted(starts.values()) + [len(text)]
        for arch, start in starts.items():
            section = text[start:bounds[bounds.index(start) + 1]]
            e = [x for x in hip if x["arch"] == arch and x["format"] == "Hsaco"][0]
            reason = check_object(section, arch, e["kernels"])
            if reason:
                return f"{arch} code object: {reason}"
    return None
