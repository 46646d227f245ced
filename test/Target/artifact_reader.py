"""Reads the executables of a .kiln artifact, without flatbuffers' Python
package: the 64-byte file header, then the flatbuffer of
runtime/schema/artifact.fbs, of which only what the target tests need is
decoded (field numbers follow the schema's declaration order)."""

import struct

HEADER_SIZE = 64
FORMATS = {0: "ElfSharedObject", 1: "Ptx", 2: "Cubin", 3: "Hsaco"}

# Field numbers in artifact.fbs.
ARTIFACT_DISPATCHES, ARTIFACT_EXECUTABLES = 6, 7
EXECUTABLE_DEVICE, EXECUTABLE_ARCH, EXECUTABLE_FORMAT = 0, 1, 2
EXECUTABLE_DATA, EXECUTABLE_KERNELS = 3, 4
KERNEL_SYMBOL, KERNEL_GRID, KERNEL_BLOCK, KERNEL_SHARED = 0, 1, 2, 3


class Table:
    def __init__(self, buf, pos):
        self.buf, self.pos = buf, pos
        self.vtable = pos - struct.unpack_from("<i", buf, pos)[0]
        self.vsize = struct.unpack_from("<H", buf, self.vtable)[0]

    def _field(self, index):
        entry = 4 + 2 * index
        if entry >= self.vsize:
            return None
        offset = struct.unpack_from("<H", self.buf, self.vtable + entry)[0]
        return self.pos + offset if offset else None

    def _indirect(self, at):
        return at + struct.unpack_from("<I", self.buf, at)[0]

    def scalar(self, index, fmt, default=0):
        at = self._field(index)
        return default if at is None else struct.unpack_from(fmt, self.buf, at)[0]

    def vector(self, index):
        """(start, length) of a vector field, or None."""
        at = self._field(index)
        if at is None:
            return None
        start = self._indirect(at)
        return start + 4, struct.unpack_from("<I", self.buf, start)[0]

    def string(self, index):
        v = self.vector(index)
        return None if v is None else self.buf[v[0]:v[0] + v[1]].decode()

    def bytes(self, index):
        v = self.vector(index)
        return b"" if v is None else self.buf[v[0]:v[0] + v[1]]

    def uints(self, index):
        v = self.vector(index)
        return [] if v is None else list(struct.unpack_from(f"<{v[1]}I", self.buf, v[0]))

    def tables(self, index):
        v = self.vector(index)
        if v is None:
            return []
        return [Table(self.buf, self._indirect(v[0] + 4 * i)) for i in range(v[1])]


def read_executables(path):
    """The artifact's dispatch count and its executables, each a dict with
    device, arch, format, data and kernels (symbol, grid, block,
    shared_memory_bytes)."""
    with open(path, "rb") as f:
        buf = f.read()[HEADER_SIZE:]
    root = Table(buf, struct.unpack_from("<I", buf, 0)[0])
    executables = []
    for e in root.tables(ARTIFACT_EXECUTABLES):
        executables.append({
            "device": e.string(EXECUTABLE_DEVICE),
            "arch": e.string(EXECUTABLE_ARCH),
            "format": FORMATS.get(e.scalar(EXECUTABLE_FORMAT, "<B"), "?"),
            "data": e.bytes(EXECUTABLE_DATA),
            "kernels": [{"symbol": k.string(KERNEL_SYMBOL), "grid": k.uints(KERNEL_GRID),
                         "block": k.uints(KERNEL_BLOCK),
                         "shared_memory_bytes": k.scalar(KERNEL_SHARED, "<I")}
                        for k in e.tables(EXECUTABLE_KERNELS)],
        })
    return len(root.tables(ARTIFACT_DISPATCHES)), executables
