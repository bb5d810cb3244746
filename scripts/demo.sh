#!/usr/bin/env bash
# Fresh machine -> everything the README shows, then the end-to-end demo on the embedded engine (offline, CPU).
# README's first command. After it, every README command works in .venv (serve, capture, render --3d, ...).
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
# The package with the `all` extra: sentence encoder, MediaPipe capture, the studio, render --3d (Playwright).
# The model files (FaceLandmarker, MiniLM tokenizer, Face Cap head) and three.js ship inside keyframeface.
.venv/bin/pip install -q '.[all]'
# render --3d drives Debian's Chromium (not a pip package); everything else works without it.
if ! command -v chromium >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo -n"
  { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq chromium; } >/dev/null 2>&1 \
    || echo "note: chromium not installed (apt-get install chromium); render --3d will say so"
fi
exec .venv/bin/keyframeface demo "$@"
