#!/usr/bin/env bash
# Maintainers only: refresh the studio's vendored browser files, which are committed under
# src/keyframeface/web/static/vendor/ (so a wheel built from any clone carries them; nothing is loaded from a CDN):
# the few three.js files the 3D head needs (npm `three`, MIT) and Swagger UI for /docs (npm `swagger-ui-dist`,
# Apache-2.0). The Face Cap head itself ships in src/keyframeface/assets/. Change a version here, run this, commit.
set -euo pipefail
cd "$(dirname "$0")/.."
THREE=0.187.0
SWAGGER_UI=5.36.0
command -v npm >/dev/null 2>&1 || { echo "npm not found" >&2; exit 1; }
DEST=src/keyframeface/web/static/vendor/three
npm install --silent --no-audit --no-fund --prefix .cache/three "three@$THREE" >/dev/null
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
echo "three $THREE (npm), MIT: see LICENSE" > "$DEST/VERSION"
SWAGGER=src/keyframeface/web/static/vendor/swagger
npm install --silent --no-audit --no-fund --prefix .cache/swagger "swagger-ui-dist@$SWAGGER_UI" >/dev/null
rm -rf "$SWAGGER"
mkdir -p "$SWAGGER"
cp .cache/swagger/node_modules/swagger-ui-dist/{swagger-ui-bundle.js,swagger-ui.css,LICENSE} "$SWAGGER/"
echo "swagger-ui-dist $SWAGGER_UI (npm), Apache-2.0: see LICENSE" > "$SWAGGER/VERSION"
