#!/usr/bin/env python3
"""Writes the malformed models the importer's error tests feed kiln-compile.

Usage: make_bad_models.py OUT_DIR. Each model is small and broken in one
way; the lit tests check the one error line each gets.
"""

import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def model(nodes, inputs, outputs, initializers=(), opset=13, domain_opsets=()):
    graph = helper.make_graph(nodes, "bad", inputs, outputs, list(initializers))
    opsets = [helper.make_opsetid("", opset)] + list(domain_opsets)
    m = helper.make_model(graph, opset_imports=opsets)
    m.ir_version = 8
    return m


def vi(name, shape, dtype=TensorProto.FLOAT):
    return helper.make_tensor_value_info(name, dtype, shape)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    save = lambda m, name: onnx.save(m, os.path.join(out, name))
    good = model([helper.make_node("Relu", ["x"], ["y"], name="relu0")],
                 [vi("x", [2, 3])], [vi("y", [2, 3])])
    save(good, "good.onnx")
    data = good.SerializeToString()
    with open(os.path.join(out, "empty.onnx"), "wb"):
        pass
    with open(os.path.join(out, "random.onnx"), "wb") as f:
        f.write(np.random.default_rng(7).bytes(4096))
    with open(os.path.join(out, "truncated.onnx"), "wb") as f:
        f.write(data[: len(data) // 2])
    save(model([helper.make_node("Relu", ["nothing"], ["y"], name="relu0")],
               [vi("x", [2, 3])], [vi("y", [2, 3])]), "dangling.onnx")
    save(model([helper.make_node("Relu", ["b"], ["a"], name="first"),
                helper.make_node("Relu", ["a"], ["b"], name="second")],
               [vi("x", [2, 3])], [vi("b", [2, 3])]), "cycle.onnx")
    save(model([helper.make_node("Add", ["x", "w"], ["y"], name="add0")],
               [vi("x", [2, 3])], [vi("y", [2, 3])]), "missing_initializer.onnx")
    save(model([helper.make_node("FrobnicateMore", ["x"], ["y"], name="frob")],
               [vi("x", [2, 3])], [vi("y", [2, 3])]), "unknown_op.onnx")
    save(model([helper.make_node("Relu", ["x"], ["y"], name="relu0",
                                 domain="com.example")],
               [vi("x", [2, 3])], [vi("y", [2, 3])],
               domain_opsets=[helper.make_opsetid("com.example", 1)]),
         "unknown_domain.onnx")
    save(model([helper.make_node("Relu", ["x"], ["y"], name="relu0")],
               [vi("x", [2, 3])], [vi("y", [2, 3])], opset=21), "new_opset.onnx")
    save(model([helper.make_node("Identity", ["x"], ["y"], name="id0")],
               [vi("x", [2], TensorProto.STRING)], [vi("y", [2], TensorProto.STRING)]),
         "string_input.onnx")
    save(model([helper.make_node("MatMul", ["a", "b"], ["y"], name="mm0")],
               [vi("a", [2, 3]), vi("b", [4, 5])], [vi("y", [2, 5])]),
         "matmul_mismatch.onnx")
    shape = numpy_helper.from_array(np.array([7, 5], dtype=np.int64), "shape")
    save(model([helper.make_node("Reshape", ["x", "shape"], ["y"], name="reshape0")],
               [vi("x", [2, 3])], [vi("y", [7, 5])], [shape]), "reshape_mismatch.onnx")
    save(model([helper.make_node("Relu", ["x"], ["y"], name="relu0")],
               [vi("x", [1 << 40, 1 << 40])], [vi("y", [1 << 40, 1 << 40])]),
         "overflow.onnx")
    node = helper.make_node("Elu", ["x"], ["y"], name="elu0")
    node.attribute.extend([helper.make_attribute("alpha", 3)])  # INT, not FLOAT
    save(model([node], [vi("x", [2, 3])], [vi("y", [2, 3])]), "bad_attribute.onnx")
    w = TensorProto(name="w", data_type=TensorProto.FLOAT, dims=[2, 3])
    w.data_location = TensorProto.EXTERNAL
    w.external_data.add(key="location", value="../../etc/passwd")
    save(model([helper.make_node("Add", ["x", "w"], ["y"], name="add0")],
               [vi("x", [2, 3])], [vi("y", [2, 3])], [w]), "external_outside.onnx")
    w2 = TensorProto(name="w", data_type=TensorProto.FLOAT, dims=[2, 3])
    w2.data_location = TensorProto.EXTERNAL
    w2.external_data.add(key="location", value="weights.bin")
    w2.external_data.add(key="offset", value="16")
    with open(os.path.join(out, "weights.bin"), "wb") as f:
        f.write(b"\0" * 20)
    save(model([helper.make_node("Add", ["x", "w"], ["y"], name="add0")],
               [vi("x", [2, 3])], [vi("y", [2, 3])], [w2]), "external_past_end.onnx")
    return 0


if __name__ == "__main__":
    sys.exit(main())
