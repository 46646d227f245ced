#!/usr/bin/env python3
"""Writes the malformed-model corpus and its manifest.

Usage: make_malformed_models.py OUT_DIR

Every model is written at test time, from the ONNX node tests, the demo
model and small hand-made graphs. OUT_DIR/manifest.json lists each input
with the kiln-compile arguments it runs with and what it must give:
"error" (exit status 1 and exactly one `error:` line, matching `match` when
given) or "any" (a mutation that may happen to be a valid model: exit 0,
or an error as above; never a crash). check_malformed.py runs them.

The importer's own error tests (test/Import/Inputs/make_bad_models.py) are
reused as they are: their models join the corpus under bad/.
"""

import json
import os
import random
import subprocess
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
NODE_TESTS = "/usr/share/libonnx-testdata/data/node"
GRAPH = ["--compile-to=graph"]

# Real models to truncate and flip: small ones of several kinds (weights,
# subgraphs, sequences) and the demo CNN.
SOURCES = [
    os.path.join(NODE_TESTS, name, "model.onnx")
    for name in ["test_add", "test_if", "test_loop11", "test_lstm_defaults",
                 "test_sequence_insert_at_back"]
] + [os.path.join(ROOT, "tools", "demo", "tiny_cnn.onnx")]


class Corpus:
    def __init__(self, out):
        self.out = out
        self.entries = []

    def add(self, name, data, expect="error", match=None, args=GRAPH):
        path = os.path.join(self.out, name)
        if data is not None:
            with open(path, "wb") as f:
                f.write(data if isinstance(data, bytes)
                        else data.SerializeToString())
        self.entries.append({"file": path, "args": list(args),
                             "expect": expect, "match": match})

    def write_manifest(self):
        with open(os.path.join(self.out, "manifest.json"), "w") as f:
            json.dump(self.entries, f, indent=1)


def model(nodes, inputs, outputs, initializers=(), opset=13, ir_version=8):
    graph = helper.make_graph(nodes, "bad", inputs, outputs, list(initializers))
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    m.ir_version = ir_version
    return m


def vi(name, shape, dtype=TensorProto.FLOAT):
    return helper.make_tensor_value_info(name, dtype, shape)


def relu_model(**kwargs):
    return model([helper.make_node("Relu", ["x"], ["y"], name="relu0")],
                 [vi("x", [2, 3])], [vi("y", [2, 3])], **kwargs)


def add_w(w, x_shape=(2, 3)):
    """x + w, with w an initializer."""
    return model([helper.make_node("Add", ["x", "w"], ["y"], name="add0")],
                 [vi("x", list(x_shape))], [vi("y", list(x_shape))], [w])


def mutations(corpus, rng):
    """Truncated and flipped copies of real models."""
    for source in SOURCES:
        data = open(source, "rb").read()
        stem = os.path.basename(os.path.dirname(source)) \
            if source.endswith("model.onnx") else "tiny_cnn"
        size = len(data)
        # Offsets: the first bytes, then spread over the whole file.
        cuts = sorted({1, 7} | {size * k // 7 for k in range(1, 7)})
        for cut in cuts:
            if 0 < cut < size:
                corpus.add(f"{stem}.cut{cut}.onnx", data[:cut])
        for k in range(6):
            offset = rng.randrange(size)
            flipped = bytearray(data)
            flipped[offset] ^= 0xFF
            corpus.add(f"{stem}.flip{offset}.onnx", bytes(flipped), "any")


def garbage(corpus, rng):
    corpus.add("zero_byte.onnx", b"\0")
    corpus.add("one_byte.onnx", b"\x08")
    for size in [16, 100, 65536]:
        corpus.add(f"random{size}.onnx", bytes(rng.getrandbits(8)
                                               for _ in range(size)))
    # A valid protobuf wire format of the wrong message: a TensorProto.
    tensor = numpy_helper.from_array(np.ones([2, 2], np.float32), "t")
    corpus.add("tensorproto.onnx", tensor)
    # A length-delimited field whose length runs past the end.
    corpus.add("overlong_field.onnx", b"\x3a\xff\xff\xff\x0f" + b"\0" * 8)
    # Deep nesting of the graph field (field 7) inside itself.
    corpus.add("nested.onnx", b"\x3a\x02" * 4096)


def versions(corpus):
    for opset, match in [(0, "invalid ONNX opset version 0"),
                         (-5, "invalid ONNX opset version -5"),
                         (18, "newer than the opsets Kiln supports"),
                         (1 << 62, "newer than the opsets Kiln supports")]:
        corpus.add(f"opset{opset}.onnx", relu_model(opset=opset),
                   match=match)
    m = relu_model()
    del m.opset_import[:]
    m.opset_import.extend([helper.make_opsetid("com.example", 1)])
    corpus.add("no_default_opset.onnx", m, match="imports no opset")
    m = relu_model()
    m.ClearField("graph")
    corpus.add("no_graph.onnx", m, match="has no graph")
    m = relu_model()
    m.functions.add().name = "f"
    corpus.add("local_function.onnx", m, match="model-local functions")


def sizes(corpus):
    """Huge and negative dimensions, in every place a model declares them."""
    huge = TensorProto(name="w", data_type=TensorProto.FLOAT, dims=[1 << 40])
    corpus.add("initializer_huge.onnx", add_w(huge, [1 << 40]),
               match="past the limit on tensor sizes|past the limit on "
                     "tensor data")
    w = TensorProto(name="w", data_type=TensorProto.FLOAT, dims=[1 << 33])
    corpus.add("initializer_32gib.onnx", add_w(w, [2, 3]),
               match="initializer 'w' needs 34359738368 bytes, past the "
                     "limit on tensor data")
    w = TensorProto(name="w", data_type=TensorProto.FLOAT, dims=[1 << 62, 4])
    corpus.add("initializer_overflow.onnx", add_w(w),
               match="has more elements than Kiln supports")
    w = TensorProto(name="w", data_type=TensorProto.FLOAT, dims=[-1, 3])
    corpus.add("initializer_negative.onnx", add_w(w),
               match="initializer 'w' has negative dimension -1")
    w = numpy_helper.from_array(np.ones([2, 3], np.float32), "w")
    w.raw_data = w.raw_data[:-4]
    corpus.add("initializer_short_raw.onnx", add_w(w),
               match="20 bytes of raw data for 24 bytes")
    w = TensorProto(name="w", data_type=TensorProto.FLOAT, dims=[2, 3])
    w.float_data.extend([1.0] * 5)
    corpus.add("initializer_few_values.onnx", add_w(w),
               match="has 5 values for 6 elements")
    # The limit, lowered by the flag, on a model that is fine by default.
    w = numpy_helper.from_array(np.ones([2, 3], np.float32), "w")
    corpus.add("limit_initializer.onnx", add_w(w, [1, 3]),
               args=GRAPH + ["--max-tensor-bytes=16"],
               match="initializer 'w' needs 24 bytes, past the limit on "
                     "tensor data \\(16 bytes; raise it with "
                     "--max-tensor-bytes\\)")
    # The limit is on the total: two initializers of 24 bytes each fit a
    # limit of 40 alone, not together.
    a = numpy_helper.from_array(np.ones([2, 3], np.float32), "a")
    b = numpy_helper.from_array(np.ones([2, 3], np.float32), "b")
    corpus.add("limit_total.onnx",
               model([helper.make_node("Add", ["a", "b"], ["y"], name="add0")],
                     [], [vi("y", [2, 3])], [a, b]),
               args=GRAPH + ["--max-tensor-bytes=40"],
               match="initializer 'b' needs 24 bytes, which with the 24 "
                     "bytes of tensor data before it is past the limit on "
                     "tensor data \\(40 bytes; raise it with "
                     "--max-tensor-bytes\\)")
    # A Constant node's tensor counts against the same budget.
    node = helper.make_node("Constant", [], ["c"], name="const0",
                            value=TensorProto(name="v",
                                              data_type=TensorProto.FLOAT,
                                              dims=[1 << 36]))
    corpus.add("constant_huge.onnx",
               model([node, helper.make_node("Relu", ["c"], ["y"])], [],
                     [vi("y", [1 << 36])]),
               match="node 'const0' \\(Constant\\): attribute 'value' needs "
                     "274877906944 bytes, past the limit")
    # Declared input types.
    corpus.add("input_huge.onnx",
               model([helper.make_node("Relu", ["x"], ["y"], name="relu0")],
                     [vi("x", [1 << 30, 1 << 10])], [vi("y", [1 << 30, 1 << 10])]),
               match="input 'x' needs 4398046511104 bytes, past the limit on "
                     "tensor sizes")
    corpus.add("input_negative.onnx",
               model([helper.make_node("Relu", ["x"], ["y"], name="relu0")],
                     [vi("x", [2, -3])], [vi("y", [2, 3])]),
               match="input 'x' has negative dimension -3")
    corpus.add("limit_input.onnx", relu_model(),
               args=GRAPH + ["--max-tensor-bytes=20"],
               match="input 'x' needs 24 bytes, past the limit")
    # Shapes that grow past the limit inside the graph.
    shape = numpy_helper.from_array(np.array([1 << 20, 1 << 20], np.int64),
                                    "shape")
    corpus.add("constantofshape_huge.onnx",
               model([helper.make_node("ConstantOfShape", ["shape"], ["y"],
                                       name="fill0")],
                     [], [vi("y", [1 << 20, 1 << 20])], [shape]),
               match="node 'fill0' \\(ConstantOfShape\\): a value of type "
                     "'tensor<1048576x1048576xf32>' needs 4398046511104 bytes")
    shape = numpy_helper.from_array(np.array([1 << 24, 1 << 24], np.int64),
                                    "shape")
    corpus.add("expand_huge.onnx",
               model([helper.make_node("Expand", ["x", "shape"], ["y"],
                                       name="expand0")],
                     [vi("x", [1, 1])], [vi("y", [1 << 24, 1 << 24])],
                     [shape]),
               match="node 'expand0' \\(Expand\\): a value of type")
    # Every value fits, the planned arena does not: x and y are 4 MiB each.
    corpus.add("limit_arena.onnx",
               model([helper.make_node("Relu", ["x"], ["y"], name="relu0")],
                     [vi("x", [1024, 1024])], [vi("y", [1024, 1024])]),
               args=["-o", "/dev/null", "--max-tensor-bytes=6000000"],
               match="the planned arena needs 8388608 bytes, past the limit")


def structure(corpus):
    """Cycles, dangling names, duplicates, bad attributes and subgraphs."""
    relu = lambda i, o, n: helper.make_node("Relu", [i], [o], name=n)
    corpus.add("cycle3.onnx",
               model([relu("c", "a", "n0"), relu("a", "b", "n1"),
                      relu("b", "c", "n2")], [vi("x", [2])], [vi("c", [2])]),
               match="node is part of a cycle")
    corpus.add("self_loop.onnx",
               model([helper.make_node("Add", ["x", "y"], ["y"], name="n0")],
                     [vi("x", [2])], [vi("y", [2])]),
               match="node reads its own output 'y'")
    corpus.add("dangling_output.onnx",
               model([relu("x", "y", "n0")], [vi("x", [2])], [vi("z", [2])]),
               match="graph output 'z' names no value")
    corpus.add("defined_twice.onnx",
               model([relu("x", "y", "n0"), relu("x", "y", "n1")],
                     [vi("x", [2])], [vi("y", [2])]),
               match="value 'y' is defined twice")
    w = numpy_helper.from_array(np.ones([2], np.float32), "w")
    corpus.add("initializer_twice.onnx",
               model([helper.make_node("Add", ["x", "w"], ["y"])],
                     [vi("x", [2])], [vi("y", [2])], [w, w]),
               match="initializer 'w' is defined twice")
    w = numpy_helper.from_array(np.ones([2], np.float32), "")
    corpus.add("initializer_unnamed.onnx",
               model([relu("x", "y", "n0")], [vi("x", [2])], [vi("y", [2])],
                     [w]),
               match="an initializer has no name")
    corpus.add("too_many_inputs.onnx",
               model([helper.make_node("Relu", ["x", "x"], ["y"], name="n0")],
                     [vi("x", [2])], [vi("y", [2])]),
               match="has 2 inputs, but Relu-.* takes 1 to 1")
    corpus.add("missing_attribute.onnx",
               model([helper.make_node("Cast", ["x"], ["y"], name="n0")],
                     [vi("x", [2])], [vi("y", [2])]),
               match="missing required attribute 'to'")
    node = helper.make_node("Relu", ["x"], ["y"], name="n0")
    node.attribute.extend([helper.make_attribute("frob", 1)])
    corpus.add("unknown_attribute.onnx",
               model([node], [vi("x", [2])], [vi("y", [2])]),
               match="unknown attribute 'frob'")
    node = helper.make_node("Elu", ["x"], ["y"], name="n0", alpha=1.0)
    node.attribute.extend([helper.make_attribute("alpha", 2.0)])
    corpus.add("attribute_twice.onnx",
               model([node], [vi("x", [2])], [vi("y", [2])]),
               match="attribute 'alpha' is given twice")
    # Subgraphs: a branch that reads an undefined name, a branch with the
    # wrong number of outputs, a Loop body without its inputs.
    cond = vi("cond", [], TensorProto.BOOL)
    then_graph = helper.make_graph([relu("nowhere", "t", "t0")], "then", [],
                                   [vi("t", [2])])
    else_graph = helper.make_graph([relu("x", "e", "e0")], "else", [],
                                   [vi("e", [2])])
    corpus.add("if_dangling.onnx",
               model([helper.make_node("If", ["cond"], ["y"], name="if0",
                                       then_branch=then_graph,
                                       else_branch=else_graph)],
                     [cond, vi("x", [2])], [vi("y", [2])]),
               match="input 'nowhere' names no value")
    two = helper.make_graph([relu("x", "t", "t0"), relu("x", "u", "t1")],
                            "then", [], [vi("t", [2]), vi("u", [2])])
    corpus.add("if_output_count.onnx",
               model([helper.make_node("If", ["cond"], ["y"], name="if0",
                                       then_branch=two,
                                       else_branch=else_graph)],
                     [cond, vi("x", [2])], [vi("y", [2])]))
    body = helper.make_graph([relu("x", "y", "b0")], "body", [],
                             [vi("y", [2])])
    trip = numpy_helper.from_array(np.array(3, np.int64), "trip")
    corpus.add("loop_bad_body.onnx",
               model([helper.make_node("Loop", ["trip", ""], ["y"],
                                       name="loop0", body=body)],
                     [vi("x", [2])], [vi("y", [2])], [trip]))
    # A sequence split into more chunks than fit.
    split = numpy_helper.from_array(np.array([1 << 62, 1 << 62], np.int64),
                                    "split")
    corpus.add("split_to_sequence_overflow.onnx",
               model([helper.make_node("SplitToSequence", ["x", "split"],
                                       ["s"], name="split0"),
                      helper.make_node("ConcatFromSequence", ["s"], ["y"],
                                       axis=0, name="concat0")],
                     [vi("x", [4])], [vi("y", [4])], [split], opset=13),
               match="node 'concat0' \\(ConcatFromSequence\\): a sequence "
                     "whose elements differ in shape")


def external(corpus, out):
    """External data in every wrong place."""
    with open(os.path.join(out, "weights.bin"), "wb") as f:
        f.write(b"\0" * 24)
    os.makedirs(os.path.join(out, "folder.bin"), exist_ok=True)
    link = os.path.join(out, "escape.bin")
    if not os.path.lexists(link):
        os.symlink("/etc/hostname", link)

    def ext(name, **entries):
        w = TensorProto(name="w", data_type=TensorProto.FLOAT, dims=[2, 3])
        w.data_location = TensorProto.EXTERNAL
        for key, value in entries.items():
            w.external_data.add(key=key, value=str(value))
        return w

    cases = [
        ("absolute", ext("w", location="/etc/passwd"), "not a relative path"),
        ("dotdot", ext("w", location="../weights.bin"),
         "outside the model's folder"),
        ("deep_dotdot", ext("w", location="a/../../../../etc/passwd"),
         "outside the model's folder"),
        ("symlink", ext("w", location="escape.bin"),
         "outside the model's folder"),
        ("missing_file", ext("w", location="nothing.bin"),
         "cannot open external data file 'nothing.bin'"),
        ("directory", ext("w", location="folder.bin"),
         "external data file 'folder.bin'"),
        ("no_location", ext("w"), "not a relative path"),
        ("offset_past_end", ext("w", location="weights.bin", offset=8),
         "external data range \\[8, 32\\) is past the end"),
        ("offset_huge", ext("w", location="weights.bin",
                            offset=(1 << 64) - 1),
         "external data range \\[18446744073709551615, "
         "18446744073709551615 \\+ 24\\) is past the end"),
        ("offset_overflows", ext("w", location="weights.bin", offset=1 << 64),
         "not a number"),
        ("offset_negative", ext("w", location="weights.bin", offset=-8),
         "not a number"),
        ("length_mismatch", ext("w", location="weights.bin", length=12),
         "external data of 12 bytes for 24 bytes"),
        ("length_huge", ext("w", location="weights.bin", length=1 << 63),
         "external data of 9223372036854775808 bytes for 24 bytes"),
    ]
    for name, w, match in cases:
        corpus.add(f"external_{name}.onnx", add_w(w), match=match)
    # The limit holds before anything is read.
    huge = TensorProto(name="w", data_type=TensorProto.FLOAT, dims=[1 << 33])
    huge.data_location = TensorProto.EXTERNAL
    huge.external_data.add(key="location", value="weights.bin")
    corpus.add("external_huge.onnx", add_w(huge, [1]),
               match="initializer 'w' needs 34359738368 bytes, past the limit "
                     "on tensor data")


def reused(corpus, out):
    """The importer error tests' models, each checked the same way here."""
    bad = os.path.join(out, "bad")
    subprocess.run([sys.executable,
                    os.path.join(ROOT, "test", "Import", "Inputs",
                                 "make_bad_models.py"), bad], check=True)
    for name in sorted(os.listdir(bad)):
        if name.endswith(".onnx") and name != "good.onnx":
            corpus.add(os.path.join("bad", name), None)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    rng = random.Random(20240610)
    corpus = Corpus(out)
    mutations(corpus, rng)
    garbage(corpus, rng)
    versions(corpus)
    sizes(corpus)
    structure(corpus)
    external(corpus, out)
    reused(corpus, out)
    corpus.write_manifest()
    return 0


if __name__ == "__main__":
    sys.exit(main())
