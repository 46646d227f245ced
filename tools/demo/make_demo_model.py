#!/usr/bin/env python3
"""Writes the bundled demo model: a small image classifier in ONNX.

conv 3x3 (1 -> 8) -> relu -> max pool 2x2 -> conv 3x3 (8 -> 16) -> relu ->
max pool 2x2 -> flatten -> gemm (784 -> 10) -> softmax, on 1x1x28x28.
Weights are random (fixed seed); the input is a drawn "7". The files it
writes (tiny_cnn.onnx, input.npy) are committed; this script documents how
they were made.
"""

import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    rng = np.random.default_rng(0)
    init = lambda name, shape, scale: numpy_helper.from_array(
        (rng.standard_normal(shape) * scale).astype(np.float32), name)
    initializers = [
        init("conv1_w", (8, 1, 3, 3), 0.5), init("conv1_b", (8,), 0.1),
        init("conv2_w", (16, 8, 3, 3), 0.2), init("conv2_b", (16,), 0.1),
        init("fc_w", (10, 784), 0.05), init("fc_b", (10,), 0.1),
    ]
    nodes = [
        helper.make_node("Conv", ["image", "conv1_w", "conv1_b"], ["c1"],
                         name="conv1", pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["c1"], ["r1"], name="relu1"),
        helper.make_node("MaxPool", ["r1"], ["p1"], name="pool1",
                         kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("Conv", ["p1", "conv2_w", "conv2_b"], ["c2"],
                         name="conv2", pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["c2"], ["r2"], name="relu2"),
        helper.make_node("MaxPool", ["r2"], ["p2"], name="pool2",
                         kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("Flatten", ["p2"], ["flat"], name="flatten"),
        helper.make_node("Gemm", ["flat", "fc_w", "fc_b"], ["logits"],
                         name="fc", transB=1),
        helper.make_node("Softmax", ["logits"], ["probabilities"], name="softmax"),
    ]
    graph = helper.make_graph(
        nodes, "tiny_cnn",
        [helper.make_tensor_value_info("image", TensorProto.FLOAT, [1, 1, 28, 28])],
        [helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, [1, 10])],
        initializers)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)],
                              producer_name="kiln-demo")
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, os.path.join(HERE, "tiny_cnn.onnx"))

    image = np.zeros((1, 1, 28, 28), dtype=np.float32)
    image[0, 0, 6, 8:21] = 1.0  # the bar of a 7
    for i in range(14):
        image[0, 0, 7 + i, 20 - i // 2] = 1.0  # its stroke
    np.save(os.path.join(HERE, "input.npy"), image)


if __name__ == "__main__":
    main()
