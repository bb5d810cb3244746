"""The wheel and sdist built from a clean clone, installed into a fresh venv: a user's first minutes, end to end.

Slow (a build, two pip installs from the package index, a server): it runs in scripts/test.sh, not in the fast tier.
The sdist is built first and the wheel from it, so both are checked: a file missing from the sdist fails too.
With SOURCE_DATE_EPOCH set to the commit's time the wheel is reproducible: the same bytes built straight from the clone.
"""

from __future__ import annotations

import hashlib
import os
import re
import shlex
import socket
import subprocess
import sys
import time
import tomllib
import zipfile
from pathlib import Path

import httpx
import pytest

from keyframeface.assets import ASSETS

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[1]
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
VIDEO = ROOT / "tests" / "fixtures" / "video" / "carphone.mp4"
# Files the studio, capture and the encoder need at run time, as they must appear in the wheel.
SHIPPED = ["keyframeface/assets/face_landmarker.task", "keyframeface/assets/facecap.glb",
           "keyframeface/assets/minilm-tokenizer.json", "keyframeface/assets/README.md",
           "keyframeface/assets/LICENSE-Apache-2.0.txt", "keyframeface/web/static/index.html",
           "keyframeface/web/static/vendor/three/LICENSE", "keyframeface/web/static/vendor/three/build/three.module.js",
           "keyframeface/web/static/vendor/three/build/three.core.js",
           "keyframeface/web/static/vendor/three/examples/jsm/loaders/GLTFLoader.js",
           "keyframeface/web/static/vendor/three/examples/jsm/libs/meshopt_decoder.module.js",
           "keyframeface/web/static/vendor/three/examples/jsm/libs/basis/basis_transcoder.wasm",
           "keyframeface/web/static/vendor/swagger/swagger-ui-bundle.js",
           "keyframeface/web/static/vendor/swagger/swagger-ui.css", "keyframeface/web/static/vendor/swagger/LICENSE"]


def run(*argv: str | Path, cwd: Path, ok: bool = True, timeout: float = 900,
        **extra_env: str) -> subprocess.CompletedProcess[str]:
    """Run a command outside this checkout (no PYTHONPATH), returning its result; ``ok`` asserts exit status 0."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")} | extra_env
    result = subprocess.run([str(a) for a in argv], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    if ok:
        assert result.returncode == 0, f"{argv}: exit {result.returncode}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, Path]:
    """(wheel, sdist) built by `python -m build` from a clean clone of this repository's HEAD."""
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: there is no clean clone to build from")
    pytest.importorskip("build", reason="the wheel test needs `build` (the dev extra)")
    work = tmp_path_factory.mktemp("wheel")
    run("git", "clone", "--quiet", "--no-hardlinks", ROOT, work / "clone", cwd=work)
    epoch = run("git", "log", "-1", "--format=%ct", cwd=work / "clone").stdout.strip()
    run(sys.executable, "-m", "build", "--outdir", work / "dist", work / "clone", cwd=work, SOURCE_DATE_EPOCH=epoch)
    run(sys.executable, "-m", "build", "--wheel", "--outdir", work / "again", work / "clone", cwd=work,
        SOURCE_DATE_EPOCH=epoch)
    (wheel,) = (work / "dist").glob("keyframeface-*.whl")
    (sdist,) = (work / "dist").glob("keyframeface-*.tar.gz")
    (again,) = (work / "again").glob("keyframeface-*.whl")
    assert again.read_bytes() == wheel.read_bytes(), "the wheel from the clone differs from the wheel from the sdist"
    return wheel, sdist


def test_the_wheel_carries_the_studio_assets_and_model_files(built):
    wheel, sdist = built
    assert wheel.name == f"keyframeface-{VERSION}-py3-none-any.whl" and sdist.name == f"keyframeface-{VERSION}.tar.gz"
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
        missing = [n for n in SHIPPED if n not in names]
        assert not missing, missing
        for name, digest in ASSETS.items():
            assert hashlib.sha256(z.read(f"keyframeface/assets/{name}")).hexdigest() == digest, name
    assert not any(n.startswith("tests/") for n in names)


def test_a_fresh_venv_runs_animate_capture_and_the_studio(built, tmp_path):
    wheel, _ = built
    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", venv, cwd=tmp_path)
    python, cli = venv / "bin" / "python", venv / "bin" / "keyframeface"
    run(python, "-m", "pip", "install", "-q", wheel, cwd=tmp_path)

    assert run(cli, "--version", cwd=tmp_path).stdout.strip() == f"keyframeface {VERSION}"
    run(cli, "animate", "--background", "A student waits outside an interview room.",
        "--emotion", "Anxiety concealed by a restrained smile.", "-o", tmp_path / "out", cwd=tmp_path)
    assert {"animation.csv", "keyframes.json", "preview.mp4"} <= {p.name for p in (tmp_path / "out").iterdir()}

    # Without the track extra, capture says exactly what to run; running that makes capture work.
    missing = run(cli, "capture", VIDEO, "-o", tmp_path / "take.csv", cwd=tmp_path, ok=False)
    assert missing.returncode == 3 and not (tmp_path / "take.csv").exists(), missing.stderr
    advice = re.search(r"(\S+ -m pip install \S+)\s*$", missing.stderr)
    assert advice and shlex.split(advice.group(1))[0] == str(python), missing.stderr
    assert shlex.split(advice.group(1))[-1] == f"{wheel}[track]", missing.stderr
    run(*shlex.split(advice.group(1)), "-q", cwd=tmp_path)
    run(cli, "capture", VIDEO, "-o", tmp_path / "take.csv", cwd=tmp_path)
    assert len((tmp_path / "take.csv").read_text().splitlines()) == 1 + 120  # header + one row per frame

    # Everything the README shows: the studio with its 3D head and API docs, and the sentence encoder.
    run(python, "-m", "pip", "install", "-q", f"{wheel}[all]", cwd=tmp_path)
    run(python, "-c", "from keyframeface.backends.engine import fallback; assert fallback.available(); "
                      "assert fallback._encoder()(['the brows lift']).shape == (1, 384)", cwd=tmp_path)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    server = subprocess.Popen([str(cli), "serve", "--port", str(port)], cwd=tmp_path, env=env,
                              stderr=subprocess.PIPE, text=True)
    try:
        banner = server.stderr.readline()  # printed only once the server listens
        assert f"studio on http://127.0.0.1:{port}/" in banner, banner
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            assert client.get("/").status_code == 200
            info = client.get("/api/info").json()
            assert info["version"] == VERSION and info["head3d"] is True
            head = client.get("/assets/facecap.glb")
            assert head.status_code == 200 and hashlib.sha256(head.content).hexdigest() == ASSETS["facecap.glb"]
            assert client.get("/static/vendor/three/build/three.module.js").status_code == 200
            docs = client.get("/docs")
            assert docs.status_code == 200 and "/static/vendor/swagger/swagger-ui-bundle.js" in docs.text
            assert client.get("/static/vendor/swagger/swagger-ui-bundle.js").status_code == 200
            assert client.post("/api/pose", json={"description": "a broad smile"}).status_code == 200
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
