#!/usr/bin/env python3
"""Writes the .npy and TensorProto files that TensorFilesTest.cpp reads.

numpy and the onnx package write them, so the tests check kiln-run's
readers against independent writers. Run with Debian's python3 (numpy,
onnx) from this folder:  /usr/bin/python3 make_tensor_files.py
"""

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def save_npy(name, array, version=None):
    with open(name, "wb") as f:
        np.lib.format.write_array(f, array, version=version,
                                  allow_pickle=False)


def save_pb(name, tensor):
    with open(name, "wb") as f:
        f.write(tensor.SerializeToString())


# .npy: one file per dtype family and header version.
save_npy("f32_2x3.npy", (np.arange(6, dtype=np.float32) * 0.5).reshape(2, 3))
save_npy("f32_2x3_v2.npy", (np.arange(6, dtype=np.float32) * 0.5).reshape(2, 3),
         version=(2, 0))
save_npy("f32_2x3_v3.npy", (np.arange(6, dtype=np.float32) * 0.5).reshape(2, 3),
         version=(3, 0))
save_npy("i64_scalar.npy", np.array(-7, dtype=np.int64))
save_npy("bool_4.npy", np.array([True, False, True, True]))
save_npy("f16_3.npy", np.array([1.0, -2.5, 65504.0], dtype=np.float16))
save_npy("u8_0x3.npy", np.zeros((0, 3), dtype=np.uint8))
save_npy("i8_5.npy", np.array([-128, -1, 0, 1, 127], dtype=np.int8))
save_npy("f32_fortran.npy",
         np.asfortranarray(np.arange(6, dtype=np.float32).reshape(2, 3)))
save_npy("f64_big_endian.npy", np.arange(3, dtype=">f8"))
save_npy("structured.npy", np.zeros(2, dtype=[("a", "<i4"), ("b", "<f4")]))

# TensorProto: raw_data (numpy_helper) and each typed field (make_tensor
# without raw).
save_pb("f32_2x3_raw.pb", numpy_helper.from_array(
    (np.arange(6, dtype=np.float32) * 0.5).reshape(2, 3), name="x"))
save_pb("f32_2x3_typed.pb", helper.make_tensor(
    "x", TensorProto.FLOAT, [2, 3], [0.0, 0.5, 1.0, 1.5, 2.0, 2.5]))
save_pb("i8_5_typed.pb", helper.make_tensor(
    "q", TensorProto.INT8, [5], [-128, -1, 0, 1, 127]))
save_pb("f16_3_typed.pb", helper.make_tensor(
    "h", TensorProto.FLOAT16, [3],
    np.array([1.0, -2.5, 65504.0], dtype=np.float16)))
save_pb("bool_4_typed.pb", helper.make_tensor(
    "b", TensorProto.BOOL, [4], [True, False, True, True]))
save_pb("i64_2_typed.pb", helper.make_tensor(
    "n", TensorProto.INT64, [2], [-5, 1 << 40]))
save_pb("f64_2_typed.pb", helper.make_tensor(
    "d", TensorProto.DOUBLE, [2], [0.25, -1e300]))
save_pb("u32_2_typed.pb", helper.make_tensor(
    "u", TensorProto.UINT32, [2], [7, 4000000000]))
save_pb("string_typed.pb", helper.make_tensor(
    "s", TensorProto.STRING, [1], [b"hello"]))
external = numpy_helper.from_array(np.zeros(4, dtype=np.float32), name="e")
external.data_location = TensorProto.EXTERNAL
external.ClearField("raw_data")
entry = external.external_data.add()
entry.key, entry.value = "location", "weights.bin"
save_pb("external.pb", external)
