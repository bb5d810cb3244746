#!/usr/bin/env bash
# The studio's 3D head view (and the API docs' Swagger UI): vendor the few three.js files it needs (npm `three`, MIT) into the package,
# and install `openfacefx` (MIT; ships three.js's facecap.glb ARKit head, "Face Cap by Bannaflak") with
# --no-deps. Nothing is loaded from a CDN; without these the page shows only the 2D rig. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION=0.187.0
DEST=src/keyframeface/web/static/vendor/three
if [ ! -f "$DEST/.version-$VERSION" ]; then
  command -v npm >/dev/null 2>&1 || { echo "note: npm not found; the studio's 3D view is off"; exit 0; }
  npm install --silent --no-audit --no-fund --prefix .cache/three "three@$VERSION" >/dev/null
  SRC=.cache/three/node_modules/three
  rm -rf "$DEST"
  for f in LICENSE build/three.module.js build/three.core.js \
           examples/jsm/loaders/GLTFLoader.js examples/jsm/loaders/KTX2Loader.js \
           examples/jsm/utils/BufferGeometryUtils.js examples/jsm/utils/SkeletonUtils.js \
           examples/jsm/utils/WorkerPool.js examples/jsm/math/ColorSpaces.js \
           examples/jsm/libs/ktx-parse.module.js examples/jsm/libs/zstddec.module.js \
           examples/jsm/libs/meshopt_decoder.module.js \
           examples/jsm/libs/basis/basis_transcoder.js examples/jsm/libs/basis/basis_transcoder.wasm; do
    mkdir -p "$DEST/$(dirname "$f")"
    cp "$SRC/$f" "$DEST/$f"
  done
  touch "$DEST/.version-$VERSION"
fi
# Swagger UI for the API docs at /docs, served from the package too (FastAPI's default loads it from a CDN).
SWAGGER=src/keyframeface/web/static/vendor/swagger
if [ ! -f "$SWAGGER/swagger-ui-bundle.js" ] && command -v npm >/dev/null 2>&1; then
  npm install --silent --no-audit --no-fund --prefix .cache/swagger swagger-ui-dist@5 >/dev/null
  mkdir -p "$SWAGGER"
  cp .cache/swagger/node_modules/swagger-ui-dist/{swagger-ui-bundle.js,swagger-ui.css,LICENSE} "$SWAGGER/"
fi
PY=${PYTHON:-.venv/bin/python}
"$PY" -c "import importlib.util, sys; sys.exit(0 if importlib.util.find_spec('openfacefx') else 1)" 2>/dev/null \
  || "$PY" -m pip install -q --no-deps openfacefx==0.24.0
