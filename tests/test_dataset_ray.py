"""`dataset build --ray` on a real local Ray cluster (a head started on 127.0.0.1 as on a cluster's head node)."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.ray]
pytest.importorskip("ray", reason="ray is not installed (pip install 'keyframeface[ray]')")

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


_TOKEN = secrets.token_hex(32)  # this cluster's own token: never ~/.ray/auth_token, which other heads may rewrite


def _env() -> dict[str, str]:
    env = dict(os.environ, RAY_USAGE_STATS_ENABLED="0", RAY_AUTH_MODE="token", RAY_AUTH_TOKEN=_TOKEN,
               PYTHONPATH=os.pathsep.join(
        [str(ROOT / "src")] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]))
    env.pop("RAY_ADDRESS", None)
    env.pop("RAY_AUTH_TOKEN_PATH", None)
    return env


@pytest.fixture(scope="module")
def ray_head():
    """`ray start --head --block` in its own process group; torn down by signalling that group only."""
    ray = shutil.which("ray", path=str(Path(sys.executable).parent)) or shutil.which("ray")
    if ray is None:
        pytest.skip("the `ray` command is not on PATH")
    port = _free_port()
    temp = tempfile.mkdtemp(prefix="kfray-", dir="/tmp")  # short: Ray's socket paths must fit 107 bytes
    log = open(Path(temp) / "head.log", "w+")  # a file, not a pipe: an unread pipe would stall the head when full
    head = subprocess.Popen(
        [ray, "start", "--head", "--block", "--node-ip-address", "127.0.0.1", "--port", str(port),
         "--num-cpus", "2", "--include-dashboard=false", "--disable-usage-stats", "--temp-dir", temp],
        env=_env(), stdout=log, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    address = f"127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                probe = subprocess.run([ray, "status", "--address", address], env=_env(), capture_output=True,
                                       text=True, timeout=60)
            except subprocess.TimeoutExpired:
                probe = None
            if probe is not None and probe.returncode == 0 and "node_" in probe.stdout:
                break
            if head.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                pytest.fail(f"the Ray head did not start: {log.read()[-2000:]}")
            time.sleep(2)
        yield address, Path(temp)
    finally:
        try:
            os.killpg(head.pid, signal.SIGTERM)  # `ray start --block` stops the processes it started
            head.wait(60)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(head.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        log.close()
        shutil.rmtree(temp, ignore_errors=True)


def _build(manifest: Path, out: Path, *extra: str, address: str | None = None) -> subprocess.CompletedProcess:
    env = _env()
    if address:
        env["RAY_ADDRESS"] = address
    return subprocess.run([sys.executable, "-m", "keyframeface", "dataset", "build", str(manifest), "-o", str(out),
                           *extra], env=env, capture_output=True, text=True, timeout=600)


def test_ray_build_equals_the_local_build_and_one_failure_never_stops_the_rest(ray_head, fixture_file, tmp_path):
    take = fixture_file("livelink_csv", "rom_take_a.csv")
    lines = [
        {"id": "rom", "take": str(take), "background": "A range-of-motion session.", "emotion": "Focus.", "end": 30},
        {"id": "gone", "video": str(tmp_path / "missing.mp4"), "background": "x", "emotion": "y"},
    ]
    try:
        import mediapipe  # noqa: F401

        from keyframeface.render.tracker import model_path

        model_path()
        lines.insert(1, {"id": "talk", "video": str(fixture_file("video", "carphone.mp4")),
                         "background": "A man on the phone.", "emotion": "Calm talk."})
    except Exception:  # noqa: BLE001 - without the tracker, the take and the failure still run on Ray
        pass
    manifest = tmp_path / "manifest.jsonl"
    manifest.write_text("".join(json.dumps(x) + "\n" for x in lines))

    address, session = ray_head
    on_ray = _build(manifest, tmp_path / "ray", "--ray", "--max-keys", "6", "--neutral", "auto", address=address)
    assert on_ray.returncode == 1, on_ray.stderr[-3000:]  # one item failed, the others were built
    local = _build(manifest, tmp_path / "local", "--workers", "1", "--max-keys", "6", "--neutral", "auto")
    assert local.returncode == 1, local.stderr[-3000:]

    report = json.loads((tmp_path / "ray" / "report.json").read_text())
    assert set(report["failed"]) == {"gone"} and "missing.mp4" in report["failed"]["gone"]
    assert set(report["built"]) == {x["id"] for x in lines} - {"gone"}
    index = (tmp_path / "ray" / "manifest.jsonl").read_text()
    assert index == (tmp_path / "local" / "manifest.jsonl").read_text() and index.count("\n") >= 3
    for entry in map(json.loads, index.splitlines()):
        for name in ("script.yaml", "keyframes.json", "take.csv", "take.neutral.json"):
            ours = (tmp_path / "ray" / entry["path"] / name).read_text()
            assert ours == (tmp_path / "local" / entry["path"] / name).read_text(), (entry["id"], name)
    assert "done: rom" in on_ray.stderr and "failed: gone" in on_ray.stderr  # progress, item by item
    workers = list(session.glob("session_*/logs/worker-*"))
    assert workers, "no Ray worker ran on the started head (did the build start a cluster of its own?)"
