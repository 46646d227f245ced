#!/usr/bin/env python3
"""Checks that the hand-written docs name only things that exist.

Reads README.md and docs/*.md (not docs/reference/, which is generated and
has its own test) and looks at every `code span`:

- a path under one of the source folders (`compiler/Import/NodeImporter.cpp`,
  `targets/CPU/`) must exist in the tree;
- a pass or pipeline name of ours (`graph-infer-shapes`,
  `kiln-tile-workgroups`, `-dispatch-form-regions`) must be one that
  `kiln-opt --help` lists;
- a long option (`--dump-ir=DIR`) must be one that `kiln-compile --help`,
  `kiln-run --help` or `kiln-opt --help` lists, or that a script of ours
  parses;
- a bare file name (`NodeImporter.cpp`) must be the name of a file in the
  tree, or a `--dump-ir` file (`02-dispatch.mlir`) whose stage name the
  driver or a target writes, or one of the few example names below.

Spans that are patterns rather than names (holding `<`, `{`, `*`, `...` or
`NN`) are skipped. Prints every dangling name with its file and line, and
exits 1 if there is one.

Usage:
  check-doc-refs.py [--build-dir build]
"""

import argparse
import glob
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SOURCE_FOLDERS = ("compiler/", "dialects/", "targets/", "runtime/", "test/",
                  "tools/", "scripts/", "docs/")
# Our pass and pipeline names start with these; tools and build targets
# that share a prefix are not passes.
PASS_PREFIXES = ("graph-", "dispatch-", "kiln-", "exec-", "convert-graph-")
NOT_PASSES = {"kiln-compile", "kiln-opt", "kiln-run", "kiln-doc",
              "kiln-fuzz-import", "kiln-fuzz-artifact",
              "kiln-fuzz-import-replay", "kiln-fuzz-artifact-replay"}
# Where the options of our scripts (and of the tools the build runs) are
# written.
# File names the docs use for examples and outside files.
EXAMPLE_FILES = {"abs.mlir", "mm.mlir", "artifact_generated.h", "cuda.h"}
FILE_NAME = r"[\w.+-]+\.(cpp|h|hpp|td|py|mlir|fbs|c|test|sh|ll)"
# Where the stage names of --dump-ir files are written.
DUMP_SOURCES = ["compiler/Driver/*.cpp", "targets/*/*.cpp"]
SCRIPT_GLOBS = ["scripts/*.py", "scripts/*.sh", "test/**/*.py",
                "**/CMakeLists.txt"]


def doc_files():
    files = [os.path.join(ROOT, "README.md")]
    files += sorted(glob.glob(os.path.join(ROOT, "docs", "*.md")))
    return files


def code_spans(path):
    """(line number, text) of every inline code span, outside fenced blocks."""
    spans = []
    fenced = False
    with open(path) as f:
        for number, line in enumerate(f, 1):
            if line.lstrip().startswith("```"):
                fenced = not fenced
                continue
            if fenced or line.startswith("    "):
                continue
            for match in re.finditer(r"`([^`]+)`", line):
                spans.append((number, match.group(1)))
    return spans


def help_text(build, tool):
    exe = os.path.join(build, "bin", tool)
    if not os.path.exists(exe):
        sys.exit(f"check-doc-refs.py: {exe} is missing; build first")
    proc = subprocess.run([exe, "--help"], capture_output=True, text=True)
    return proc.stdout + proc.stderr


def known_passes(opt_help):
    return set(re.findall(r"^\s+--?([a-z0-9-]+)\s", opt_help, re.M))


def known_options(helps):
    options = set()
    for text in helps:
        options.update(re.findall(r"(--[a-z][a-z0-9-]*)", text))
    for pattern in SCRIPT_GLOBS:
        for path in glob.glob(os.path.join(ROOT, pattern), recursive=True):
            with open(path, errors="replace") as f:
                options.update(re.findall(r"(--[a-z][a-z0-9-]*)", f.read()))
    return options


def tree_file_names():
    """Names of the files in the source tree (not in build folders)."""
    names = set()
    for folder, subfolders, files in os.walk(ROOT):
        subfolders[:] = [d for d in subfolders
                         if not d.startswith(".") and not d.startswith("build")]
        names.update(files)
    return names


def dump_stage_literals():
    text = ""
    for pattern in DUMP_SOURCES:
        for path in glob.glob(os.path.join(ROOT, pattern)):
            with open(path) as f:
                text += f.read()
    return set(re.findall(r'"([\w.-]+)"', text))


def known_file_name(name, tree_names, stages):
    if name in tree_names or name in EXAMPLE_FILES:
        return True
    if re.fullmatch(r"[A-Z]+\.\w+", name):  # FILE.mlir: a placeholder
        return True
    # --dump-ir files: NN-stage, or NN-target-stage for a target's stages.
    stage = re.sub(r"^(\d\d|NN)-", "", name)
    return stage in stages or stage.split("-", 1)[-1] in stages


def is_pattern(text):
    return any(s in text for s in ("<", "{", "*", "...", "NN", "|"))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build-dir", default=os.path.join(ROOT, "build"))
    args = parser.parse_args()
    build = os.path.abspath(args.build_dir)

    opt_help = help_text(build, "kiln-opt")
    passes = known_passes(opt_help)
    options = known_options([opt_help, help_text(build, "kiln-compile"),
                             help_text(build, "kiln-run")])

    tree_names = tree_file_names()
    stages = dump_stage_literals()
    problems = []
    for doc in doc_files():
        rel = os.path.relpath(doc, ROOT)
        for number, span in code_spans(doc):
            if is_pattern(span):
                continue
            for word in span.split():
                word = word.rstrip(".,;:)")
                # A path, possibly with a trailing `:line` or an option.
                if word.startswith(SOURCE_FOLDERS) and "=" not in word:
                    path = word.split(":")[0]
                    if not os.path.exists(os.path.join(ROOT, path)):
                        problems.append(f"{rel}:{number}: no file '{path}'")
                    continue
                if re.fullmatch(FILE_NAME, word):
                    if not known_file_name(word, tree_names, stages):
                        problems.append(f"{rel}:{number}: no file '{word}'")
                    continue
                if re.match(r"--[a-z]", word):
                    name = word.split("=")[0].split("[")[0]
                    if name not in options:
                        problems.append(f"{rel}:{number}: no option '{name}'")
                    continue
                name = word.lstrip("-").split("{")[0]
                if (word == span.strip() and name.startswith(PASS_PREFIXES)
                        and name not in NOT_PASSES
                        and re.fullmatch(r"[a-z0-9-]+", name)
                        and name not in passes):
                    problems.append(f"{rel}:{number}: no pass '{name}'")
    for problem in problems:
        print(problem)
    if problems:
        print(f"check-doc-refs.py: {len(problems)} dangling names; fix the "
              "docs (or the code) so that they agree")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
