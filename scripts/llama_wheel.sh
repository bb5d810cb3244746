#!/usr/bin/env bash
# Build llama-cpp-python once, portable, and print the folder holding its wheel (for pip --find-links).
# Why: pip's own wheel cache ignores CMAKE_ARGS and a default build uses -march=native, which on some x86 CPUs
# (AVX-512/AMX advertised but not enabled for the process) crashes with SIGILL at the first batched matmul.
# Usage: bash scripts/llama_wheel.sh [PIP]   (PIP defaults to .venv/bin/pip)
set -euo pipefail
PIP=${1:-.venv/bin/pip}
VERSION=0.3.35
FLAGS="-DGGML_NATIVE=OFF -DGGML_AVX512=OFF -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF"
DIR="${XDG_CACHE_HOME:-$HOME/.cache}/keyframeface/wheels/llama-cpp-python-$VERSION-avx2"
if ! ls "$DIR"/llama_cpp_python-"$VERSION"-*.whl >/dev/null 2>&1; then
  mkdir -p "$DIR.tmp"
  CMAKE_ARGS="$FLAGS" "$PIP" wheel -q --no-cache-dir --no-deps "llama-cpp-python==$VERSION" -w "$DIR.tmp" >&2
  rm -rf "$DIR" && mv "$DIR.tmp" "$DIR"
fi
echo "$DIR"
