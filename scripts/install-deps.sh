#!/usr/bin/env bash
#===- install-deps.sh - Kiln's Debian packages -------------------------===#
#
# Installs the Debian packages Kiln needs to build and test. Idempotent: when
# every package is already installed it does nothing (no apt-get update, no
# network). Used by every target of the top-level Makefile.
#
# Usage: scripts/install-deps.sh [--with-torch]
#   --with-torch  also install Debian's torch and torchvision (used by the
#                 model tests to export networks and compute references).
#
#===--------------------------------------------------------------------===#
set -euo pipefail

packages=(
  llvm-22-dev llvm-22-tools clang-22 lld-22 libclang-rt-22-dev
  libmlir-22-dev mlir-22-tools
  cmake ninja-build ccache make
  libonnx-dev libprotobuf-dev protobuf-compiler
  libflatbuffers-dev flatbuffers-compiler
  libgtest-dev libonnx-testdata
  python3 python3-venv python3-onnx python3-numpy
  rocm-device-libs libamdhip64-dev
)
if [[ "${1:-}" == "--with-torch" ]]; then
  packages+=(python3-torch python3-torchvision)
fi

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  if [[ "$status" != "install ok installed" ]]; then
    missing+=("$p")
  fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi

echo "install-deps: installing ${#missing[@]} missing Debian package(s): ${missing[*]}"
sudo=""
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1; then
    sudo="sudo"
  else
    echo "error: these Debian packages are missing and this user cannot install them: ${missing[*]}" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
