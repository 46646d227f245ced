#!/usr/bin/env python3
"""Writes docs/ops.md: the ONNX ops Kiln imports, by opset, with conformance.

Nothing in the page is typed by hand. It is derived from:

- the ONNX schemas (`onnx.defs`, the same ONNX release as the libonnx the
  importer links), for every op of the default domain and each version of
  it up to the newest opset the importer accepts (`kMaxSupportedOpset` in
  compiler/Import/OnnxImporter.h);
- the importer's dispatch, read from its sources as it is written there:
  the dedicated importers of compiler/Import/OpImporters.cpp (`getRegistry`,
  "applies to schema versions below N") and of SequenceImporters.cpp
  (`lookupSequenceImporter`, every version), the op types GraphImporter.cpp
  imports from other domains, and otherwise the generic path of
  NodeImporter.cpp, which binds a node to `graph.<mnemonic>` with the
  opset-17 signature and works only where that op is registered;
- the graph ops registered by the dialect: llvm-tblgen's JSON dump of
  dialects/Graph/IR/GraphOps.td;
- the conformance ratchet, test/conformance/expected-pass.txt, with each
  ONNX node test case counted for every op type its model holds (subgraphs
  included), as run_conformance.py's per-op report does.

Usage:
  gen-op-list.py            rewrite docs/ops.md
  gen-op-list.py --check    exit 1, with a diff, when docs/ops.md is stale
"""

import argparse
import difflib
import glob
import json
import os
import re
import subprocess
import sys

import onnx
import onnx.defs

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUTPUT = os.path.join(ROOT, "docs", "ops.md")
NODE_TESTS = "/usr/share/libonnx-testdata/data/node"
DEFAULT_TBLGEN = "/usr/lib/llvm-22/bin/llvm-tblgen"
LLVM_INCLUDE = "/usr/lib/llvm-22/include"


def read(path):
    with open(os.path.join(ROOT, path)) as f:
        return f.read()


def fail(message):
    """The sources no longer look as this script expects: say so loudly."""
    sys.exit(f"gen-op-list.py: {message}")


#===----------------------------------------------------------------------===#
# What the sources say
#===----------------------------------------------------------------------===#


def max_supported_opset():
    match = re.search(r"kMaxSupportedOpset\s*=\s*(\d+)",
                      read("compiler/Import/OnnxImporter.h"))
    if not match:
        fail("kMaxSupportedOpset not found in compiler/Import/OnnxImporter.h")
    return int(match.group(1))


def registered_graph_ops(tblgen):
    """The mnemonics of every graph op, as ODS defines them."""
    cmd = [tblgen, "--dump-json", "-I", LLVM_INCLUDE, "-I", ROOT,
           os.path.join(ROOT, "dialects/Graph/IR/GraphOps.td")]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        fail(f"{' '.join(cmd)} failed:\n{proc.stderr}")
    records = json.loads(proc.stdout)
    return {records[name]["opName"] for name in records["!instanceof"]["Op"]}


def dedicated_importers():
    """{op type: [(before version, function)]}: lookupOpImporter's table.

    A sequence importer applies to every version, like an entry with a
    bound past any opset.
    """
    src = read("compiler/Import/OpImporters.cpp")
    body = src[src.find("getRegistry()"):]
    table = {}
    for op, entries in re.findall(
            r'\{"(\w+)",\s*\{((?:\{\d+,\s*\w+\},?\s*)+)\}\}', body):
        table[op] = [(int(v), fn) for v, fn in
                     re.findall(r"\{(\d+),\s*(\w+)\}", entries)]
    if "Constant" not in table:
        fail("the importer registry of OpImporters.cpp was not found")
    src = read("compiler/Import/SequenceImporters.cpp")
    body = src[src.find("lookupSequenceImporter("):]
    sequences = re.findall(r'\{"(\w+)",\s*(\w+)\}', body)
    if not sequences:
        fail("lookupSequenceImporter's table was not found")
    for op, fn in sequences:
        table[op] = [(sys.maxsize, fn)]
    return table


def mnemonic_exceptions():
    src = read("compiler/Import/NodeImporter.cpp")
    body = src[src.find("getGraphMnemonic("):]
    body = body[:body.find("};")]
    return dict(re.findall(r'\{"(\w+)",\s*"(\w+)"\}', body))


def graph_mnemonic(op_type, exceptions):
    """getGraphMnemonic of NodeImporter.cpp: MatMul -> mat_mul."""
    if op_type in exceptions:
        return exceptions[op_type]
    out = []
    for i, c in enumerate(op_type):
        if c.isupper() and i > 0:
            prev = op_type[i - 1]
            next_lower = i + 1 < len(op_type) and op_type[i + 1].islower()
            if prev.islower() or prev.isdigit() or (prev.isupper() and next_lower):
                out.append("_")
        out.append(c.lower())
    return "".join(out)


def other_domain_ops():
    """[(op type, domain)] that GraphImporter.cpp imports outside ai.onnx."""
    src = read("compiler/Import/GraphImporter.cpp")
    domains = dict(re.findall(r'constexpr llvm::StringLiteral (\w+) = "([\w.]+)"',
                              read("compiler/Import/GradientImporter.h")))
    found = re.findall(r'domain == (\w+) && node\.op_type\(\) == "(\w+)"', src)
    return [(op, domains[name]) for name, op in found if name in domains]


#===----------------------------------------------------------------------===#
# Conformance
#===----------------------------------------------------------------------===#


def node_cases_per_op():
    """{op type: [case name]} over the ONNX node test models."""
    def walk(graph, ops):
        for node in graph.node:
            ops.add(node.op_type)
            for attr in node.attribute:
                if attr.HasField("g"):
                    walk(attr.g, ops)
                for g in attr.graphs:
                    walk(g, ops)

    cases = {}
    paths = sorted(glob.glob(os.path.join(NODE_TESTS, "*", "model.onnx")))
    if not paths:
        fail(f"no ONNX node tests under {NODE_TESTS} (Debian's libonnx-testdata)")
    for path in paths:
        case = os.path.basename(os.path.dirname(path))
        ops = set()
        walk(onnx.load(path, load_external_data=False).graph, ops)
        for op in ops:
            cases.setdefault(op, []).append(case)
    return cases


def expected_passes():
    with open(os.path.join(ROOT, "test/conformance/expected-pass.txt")) as f:
        return {line.strip() for line in f
                if line.strip() and not line.startswith("#")}


#===----------------------------------------------------------------------===#
# The table
#===----------------------------------------------------------------------===#


def ranges(opsets):
    """[1, 2, 3, 7] -> "1-3, 7"."""
    out, start = [], None
    for i, v in enumerate(opsets):
        if start is None:
            start = v
        if i + 1 == len(opsets) or opsets[i + 1] != v + 1:
            out.append(str(start) if start == v else f"{start}-{v}")
            start = None
    return ", ".join(out)


def describe_op(op_type, schemas, max_opset, graph_ops, table, exceptions):
    """One op: which model opsets import it, and how each version goes.

    Returns (opsets, versions, notes), opsets empty when no version imports.
    """
    latest = schemas[-1]
    mnemonic = graph_mnemonic(op_type, exceptions)
    versions, notes, opsets = [], [], []
    dropped = {}
    for k, schema in enumerate(schemas):
        since = schema.since_version
        until = (schemas[k + 1].since_version - 1 if k + 1 < len(schemas)
                 else max_opset)
        fn = next((fn for before, fn in table.get(op_type, [])
                   if since < before), None)
        if fn:
            versions.append((since, f"`{fn}`"))
            opsets += range(since, until + 1)
            continue
        if mnemonic not in graph_ops:
            versions.append((since, "none"))
            continue
        inputs = [i.name for i in schema.inputs]
        latest_inputs = [i.name for i in latest.inputs]
        if inputs != latest_inputs:
            versions.append((since, "generic, not counted"))
            notes.append(
                f"{op_type}-{since} has inputs ({', '.join(inputs)}), opset "
                f"{max_opset} has ({', '.join(latest_inputs)}): the generic "
                f"path would bind them by position")
            continue
        versions.append((since, "generic"))
        opsets += range(since, until + 1)
        extra = sorted(set(schema.attributes) - set(latest.attributes))
        if extra:
            dropped.setdefault(", ".join(f"`{a}`" for a in extra), []).append(since)
    for attrs, sinces in dropped.items():
        which = ", ".join(f"{op_type}-{s}" for s in sinces)
        notes.append(f"{which}: attribute {attrs} ignored")
    deprecated = [s.since_version for s in schemas if s.deprecated]
    if deprecated:
        notes.append(f"deprecated by ONNX from opset {deprecated[0]}")
    return opsets, group_versions(versions), notes


def group_versions(versions):
    """[(1, a), (6, a), (7, b)] -> "1, 6: a; 7: b"."""
    runs = []
    for since, label in versions:
        if runs and runs[-1][1] == label:
            runs[-1][0].append(str(since))
        else:
            runs.append(([str(since)], label))
    return "; ".join(f"{', '.join(sinces)}: {label}" for sinces, label in runs)


def conformance_cell(op_type, cases, passes):
    names = cases.get(op_type, [])
    if not names:
        return "no cases"
    passed = sum(f"node/{c}" in passes for c in names)
    return f"{passed}/{len(names)}"


def generate(tblgen):
    max_opset = max_supported_opset()
    graph_ops = registered_graph_ops(tblgen)
    table = dedicated_importers()
    exceptions = mnemonic_exceptions()
    cases = node_cases_per_op()
    passes = expected_passes()

    by_op = {}
    for schema in onnx.defs.get_all_schemas_with_history():
        if schema.domain == "" and schema.since_version <= max_opset:
            by_op.setdefault(schema.name, []).append(schema)

    imported, rejected = [], []
    for op_type in sorted(by_op):
        schemas = sorted(by_op[op_type], key=lambda s: s.since_version)
        opsets, versions, notes = describe_op(
            op_type, schemas, max_opset, graph_ops, table, exceptions)
        row = (op_type, ranges(opsets), versions,
               conformance_cell(op_type, cases, passes), "; ".join(notes))
        (imported if opsets else rejected).append(row)

    lines = [
        "# Supported ONNX ops",
        "",
        "<!-- Generated by scripts/gen-op-list.py; do not edit. -->",
        "",
        f"Generated by `scripts/gen-op-list.py` from the importer's sources, "
        f"the ONNX {onnx.__version__} schemas and the conformance ratchet "
        f"(`test/conformance/expected-pass.txt`). `make test` fails when "
        f"this page is stale; regenerate it with "
        f"`/usr/bin/python3 scripts/gen-op-list.py`.",
        "",
        f"Kiln imports models of ONNX opsets 1 to {max_opset} (default "
        f"domain). {len(imported)} of the {len(imported) + len(rejected)} op "
        f"types of those opsets are imported.",
        "",
        "How to read the table:",
        "",
        "- **opsets**: the model opsets (`opset_import` of the default "
        "domain) whose version of the op the importer takes.",
        "- **versions**: each schema version of the op (its `since_version`) "
        "and the importer that takes it: a dedicated function of "
        "`compiler/Import/` (`OpImporters.cpp`, `SequenceImporters.cpp`, "
        "`ControlFlowImporters.cpp`), or `generic`: `importGenericNode` "
        f"binds the node to the graph op with the opset-{max_opset} "
        "signature. A version whose inputs differ from the "
        f"opset-{max_opset} ones reaches the generic path too, but is not "
        "counted as supported (see its note).",
        "- **node tests**: ONNX backend node test cases whose model holds "
        "the op (a case with several op types counts for each), passing / "
        "all, as listed in the conformance ratchet. `no cases`: the ONNX "
        "test data has none.",
        "",
        "| op | opsets | versions | node tests | notes |",
        "|---|---|---|---|---|",
    ]
    lines += [f"| {' | '.join(row)} |" for row in imported]

    lines += ["", "## Other domains", "",
              "The importer takes these ops of other domains; a node of any "
              "other domain fails with `unsupported domain`.", "",
              "| op | domain | node tests |", "|---|---|---|"]
    for op_type, domain in other_domain_ops():
        lines.append(f"| {op_type} | `{domain}` | "
                     f"{conformance_cell(op_type, cases, passes)} |")

    lines += [
        "",
        "## Not imported",
        "",
        f"ONNX op types of opsets 1 to {max_opset} that no importer takes: "
        "the graph dialect has no op for them and no dedicated importer "
        "rewrites them. A model using one fails with "
        "`error: node '...' (OpType): unsupported op 'OpType'`.",
        "",
        "| op | node tests |",
        "|---|---|",
    ]
    lines += [f"| {row[0]} | {row[3]} |" for row in rejected]
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true",
                        help="compare with docs/ops.md instead of writing it")
    parser.add_argument("--llvm-tblgen", default=DEFAULT_TBLGEN,
                        help=f"the llvm-tblgen to run (default {DEFAULT_TBLGEN})")
    args = parser.parse_args()
    text = generate(args.llvm_tblgen)
    if not args.check:
        with open(OUTPUT, "w") as f:
            f.write(text)
        return 0
    current = read(OUTPUT) if os.path.exists(OUTPUT) else ""
    if current == text:
        return 0
    diff = difflib.unified_diff(current.splitlines(), text.splitlines(),
                                "docs/ops.md", "generated", lineterm="", n=1)
    print("\n".join(list(diff)[:60]))
    print("error: docs/ops.md is stale; regenerate it with "
          "/usr/bin/python3 scripts/gen-op-list.py", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
