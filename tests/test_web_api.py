"""The studio's REST API, over HTTP against a real uvicorn on a free loopback port."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import numpy as np
import pytest

pytest.importorskip("fastapi", reason="the web extra (fastapi, uvicorn) is not installed")

from studio_server import StudioServer

from keyframeface.channels import CHANNEL_INDEX
from keyframeface.cli import main
from keyframeface.formats.keyframes_json import read_keyframes_json
from keyframeface.formats.livelink_csv import read_livelink_csv
from keyframeface.formats.livelink_udp import decode_packet
from keyframeface.web.cache import SizedLRU
from keyframeface.web.studio import Studio

SCRIPT = {
    "background": "A student waits outside an interview room.",
    "emotion": "Anxiety concealed by a restrained smile.",
    "keyframes": [
        "The gaze is lowered and the inner brows lift slightly.",
        {"description": "Both mouth corners form a small restrained smile.", "hold": 0.5},
        "The jaw drops open in surprise.",
    ],
    "seed": 5,
}


@pytest.fixture(scope="module")
def studio():
    with StudioServer() as server, httpx.Client(base_url=server.url, timeout=60) as client:
        yield client


def test_page_and_docs_are_served(studio):
    page = studio.get("/")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    for needed in ('for="background">Background', 'for="emotion">Emotion', ">Animate<", ">CSV<", ">JSON<",
                   ">GLB<", ">MP4<", "Stream"):
        assert needed in page.text
    assert "http://" not in page.text.replace("http://127.0.0.1", "")  # no CDN
    assert studio.get("/static/studio.js").status_code == 200
    assert studio.get("/docs").status_code == 200
    paths = studio.get("/openapi.json").json()["paths"]
    assert {"/api/plan", "/api/pose", "/api/animate"} <= set(paths)


def test_plan_returns_descriptions(studio):
    r = studio.post("/api/plan", json={"background": "A surprise party", "emotion": "shock turning into joy",
                                       "keyframes": 3})
    assert r.status_code == 200
    descriptions = r.json()["keyframes"]
    assert len(descriptions) == 3 and all(isinstance(d, str) and d.strip() for d in descriptions)


def test_pose_returns_61_values_and_the_words(studio):
    r = studio.post("/api/pose", json={"description": "the jaw drops wide open"})
    assert r.status_code == 200
    body = r.json()
    assert len(body["values"]) == 61 and body["values"]["JawOpen"] > 0.3
    assert any(e["channel"] == "JawOpen" and "jaw" in e["words"] for e in body["explanation"])


def test_pose_and_animate_take_an_intensity_field(studio):
    written = studio.post("/api/pose", json={"description": "a broad grin, the head turned left"}).json()["values"]
    r = studio.post("/api/pose", json={"description": "a broad grin, the head turned left", "intensity": 0.5})
    assert r.status_code == 200
    half = r.json()["values"]
    assert half["MouthSmileLeft"] == pytest.approx(written["MouthSmileLeft"] / 2, abs=1e-6)
    assert half["HeadYaw"] == written["HeadYaw"] != 0  # head and gaze stay as written
    r = studio.post("/api/pose", json={"description": "a grin", "intensity": 2.5})
    assert r.status_code == 422 and r.json()["field"] == "intensity"
    r = studio.post("/api/animate", json={**SCRIPT, "intensity": 0})
    assert r.status_code == 200
    values = r.json()["keyframes"][1]["values"]
    assert values["MouthSmileLeft"] == 0


def test_animate_csv_is_byte_identical_to_the_cli(studio, tmp_path):
    r = studio.post("/api/animate", json=SCRIPT)
    assert r.status_code == 200
    body = r.json()
    script = tmp_path / "script.json"
    script.write_text(json.dumps(SCRIPT), encoding="utf-8")
    assert main(["animate", str(script), "-o", str(tmp_path / "out"), "--no-preview"]) == 0
    served = studio.get(body["files"]["csv"])
    assert served.status_code == 200
    assert served.content == (tmp_path / "out" / "animation.csv").read_bytes()
    times = [k["time"] for k in body["keyframes"]]
    assert len(times) == 3 and times == sorted(times) and len(set(times)) == 3
    assert body["frames"] == read_livelink_csv(tmp_path / "out" / "animation.csv").frames
    assert body["keyframes"][1]["hold"] == 0.5


@pytest.mark.slow
def test_downloads_are_the_named_formats(studio, tmp_path):
    body = studio.post("/api/animate", json=SCRIPT).json()
    files = {kind: studio.get(url) for kind, url in body["files"].items()}
    assert all(f.status_code == 200 for f in files.values())
    assert files["glb"].content[:4] == b"glTF"
    assert files["mp4"].content[4:8] == b"ftyp"
    (tmp_path / "keyframes.json").write_bytes(files["json"].content)
    _, keyframes, _ = read_keyframes_json(tmp_path / "keyframes.json")
    assert keyframes[0].spec.description == SCRIPT["keyframes"][0]
    assert len(files["jsonl"].content.splitlines()) == 3
    assert 'filename="animation.csv"' in files["csv"].headers["content-disposition"]


def test_editing_one_keyframe_changes_only_it(studio):
    body = studio.post("/api/animate", json=SCRIPT).json()
    edited = studio.post(f"/api/animations/{body['id']}/keyframes/1",
                         json={"description": "A wide open-mouthed grin.", "hold": 0.5})
    assert edited.status_code == 200
    after = edited.json()
    assert after["id"] != body["id"]
    before_keys, after_keys = body["keyframes"], after["keyframes"]
    assert after_keys[1]["description"] == "A wide open-mouthed grin."
    assert after_keys[1]["values"] != before_keys[1]["values"]
    for i in (0, 2):
        assert after_keys[i]["values"] == before_keys[i]["values"]
        assert after_keys[i]["description"] == before_keys[i]["description"]


def test_an_edit_keeps_the_intensity_and_scales_each_keyframe_once(studio):
    full = studio.post("/api/animate", json=SCRIPT).json()
    half = studio.post("/api/animate", json={**SCRIPT, "intensity": 0.5}).json()
    edited = studio.post(f"/api/animations/{half['id']}/keyframes/2", json={"description": "A wide grin."}).json()
    grin = studio.post("/api/animate", json={**SCRIPT, "keyframes": SCRIPT["keyframes"][:2] + ["A wide grin."],
                                             "intensity": 0.5}).json()
    smile = full["keyframes"][1]["values"]["MouthSmileLeft"]
    assert smile > 0.1 and half["keyframes"][1]["values"]["MouthSmileLeft"] == pytest.approx(smile / 2, abs=1e-4)
    assert edited["keyframes"][1]["values"] == half["keyframes"][1]["values"]  # replayed, not scaled again
    assert edited["keyframes"][2]["values"] == grin["keyframes"][2]["values"]  # re-posed at the same intensity
    assert "motion" in edited["keyframes"][2] and edited["keyframes"][2]["motion"]["lockstep"] is False


def test_face_frames_are_images_that_change(studio):
    body = studio.post("/api/animate", json=SCRIPT).json()
    first = studio.get(body["frame_url"].replace("{n}", "0"))
    key = studio.get(body["frame_url"].replace("{n}", str(body["keyframes"][2]["frame"])))
    assert first.status_code == key.status_code == 200
    assert first.content[:2] == b"\xff\xd8" and first.content != key.content
    assert studio.get(body["frame_url"].replace("{n}", "99999")).json()["field"] == "frame"


@pytest.mark.parametrize("payload, field", [
    ({"background": "x", "emotion": "y", "fps": -3}, "fps"),
    ({"background": "x", "emotion": "y", "fps": "fast"}, "fps"),
    ({"background": "x", "emotion": "y", "keyframes": [{"description": "a", "hold": "long"}]}, "keyframes[0].hold"),
    ({"background": "x", "emotion": "y", "keyframes": [{"description": "a", "hold": -1}]}, "keyframes[0].hold"),
    ({"background": "x"}, "emotion"),
    ({"background": "x", "emotion": "y", "colour": "red"}, "colour"),
    ({"background": "", "emotion": "y"}, "background"),
    ({"background": "x", "emotion": "y", "seed": 1.5}, "seed"),
])
def test_bad_animate_input_names_the_field(studio, payload, field):
    r = studio.post("/api/animate", json=payload)
    assert 400 <= r.status_code < 500
    body = r.json()
    assert body["field"] == field, body
    assert field.split(".")[-1].split("[")[0] in body["error"]


def test_bad_bodies_get_json_4xx(studio):
    r = studio.post("/api/animate", content=b"{not json", headers={"content-type": "application/json"})
    assert r.status_code == 400 and "JSON" in r.json()["error"]
    r = studio.post("/api/pose", json={"description": "   "})
    assert r.status_code == 422 and r.json()["field"] == "description"
    r = studio.get("/api/animations/nope/values")
    assert r.status_code == 404 and r.json()["field"] == "id"
    r = studio.post("/api/plan", json={"background": "x", "emotion": "y", "keyframes": 0})
    assert r.status_code == 422 and r.json()["field"] == "keyframes"


def test_bodies_over_one_megabyte_get_413(studio):
    big = {"background": "x" * 1_100_000, "emotion": "y"}
    r = studio.post("/api/animate", json=big)
    assert r.status_code == 413 and r.json()["field"] == "body"

    def chunks():  # no Content-Length: the limit is counted as the body arrives
        for _ in range(12):
            yield b"x" * 100_000

    r = studio.post("/api/animate", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413


def test_a_request_over_the_time_limit_gets_504():
    studio = Studio()
    result = studio.animate(SCRIPT)  # rendering its MP4 takes far longer than 50 ms
    with StudioServer(studio=studio, time_limit=0.05) as server:
        r = httpx.get(server.url + result.summary()["files"]["mp4"], timeout=60)
    assert r.status_code == 504 and "limit" in r.json()["error"]


def test_results_cache_is_bounded_and_old_ids_expire():
    studio = Studio(cache_bytes=400_000)  # results get half: room for a few animations only
    ids = [studio.animate({**SCRIPT, "seed": s}).id for s in range(12)]
    assert studio.results.nbytes <= 200_000 and len(studio.results) < 12
    with StudioServer(studio=studio) as server:
        assert httpx.get(f"{server.url}/api/animations/{ids[-1]}").status_code == 200
        gone = httpx.get(f"{server.url}/api/animations/{ids[0]}")
    assert gone.status_code == 404 and "animate again" in gone.json()["error"]


def test_sized_lru_evicts_least_recently_used():
    cache: SizedLRU[str] = SizedLRU(10)
    cache.put("a", "A", 4)
    cache.put("b", "B", 4)
    assert cache.get("a") == "A"  # a is now the most recent
    cache.put("c", "C", 4)  # 12 > 10: b goes
    assert "b" not in cache and cache.get("a") == "A" and cache.get("c") == "C" and cache.nbytes == 8
    cache.put("huge", "H", 11)  # never fits
    assert "huge" not in cache and cache.nbytes == 8


@pytest.mark.slow
def test_concurrent_clients_all_succeed(studio):
    def client(k: int) -> list[int]:
        with httpx.Client(base_url=str(studio.base_url), timeout=120) as c:
            return [c.post("/api/animate", json={**SCRIPT, "seed": 100 + 2 * k + j}).status_code for j in range(2)]

    with ThreadPoolExecutor(16) as pool:
        codes = [code for codes in pool.map(client, range(16)) for code in codes]
    assert codes == [200] * 32


def test_stream_toggle_sends_live_link_packets(studio):
    body = studio.post("/api/animate", json=SCRIPT).json()
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.settimeout(5)
        port = sock.getsockname()[1]
        r = studio.post("/api/stream", json={"id": body["id"], "start_frame": 10, "port": port})
        assert r.status_code == 200
        packets = [decode_packet(sock.recv(2048)) for _ in range(3)]
        assert studio.delete("/api/stream").json() == {"streaming": False}
    assert [p.frame for p in packets] == [10, 11, 12]
    values = np.array(studio.get(body["values_url"]).json()["values"])
    assert np.allclose(packets[0].values, values[10], atol=1e-4)
    bad = studio.post("/api/stream", json={"id": body["id"], "protocol": "smoke-signals"})
    assert bad.status_code == 422 and bad.json()["field"] == "protocol"


@pytest.mark.slow
def test_live_mode_from_the_api(studio):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.settimeout(5)
        started = studio.post("/api/live", json={"port": sock.getsockname()[1], "fps": 60})
        assert started.status_code == 200 and started.json()["live"] is True
        assert decode_packet(sock.recv(2048)).values[CHANNEL_INDEX["JawOpen"]] == 0.0  # idle packets flow
        said = studio.post("/api/live/say", json={"line": "the jaw drops wide open"})
        assert said.status_code == 200 and said.json()["values"]["JawOpen"] > 0.3
        jaw = 0.0
        for _ in range(120):
            jaw = max(jaw, decode_packet(sock.recv(2048)).values[CHANNEL_INDEX["JawOpen"]])
        assert jaw > 0.3
        assert studio.get("/api/live/face.jpg").content[:2] == b"\xff\xd8"
        assert studio.post("/api/live/say", json={"line": "emotion: quiet joy"}).json() == {"emotion": "quiet joy"}
        assert studio.delete("/api/live").json() == {"live": False}
    r = studio.post("/api/live/say", json={"line": "a smile"})
    assert r.status_code == 422 and r.json()["field"] == "live"
    r = studio.post("/api/live", json={"fps": 0})
    assert r.status_code == 422 and r.json()["field"] == "fps"


@pytest.mark.slow
def test_the_serve_command_runs_the_studio():
    from studio_server import free_port

    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "keyframeface", "serve", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                page = httpx.get(f"http://127.0.0.1:{port}/", timeout=5)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise
                time.sleep(0.1)
        assert page.status_code == 200 and "Animate" in page.text
        pose = httpx.post(f"http://127.0.0.1:{port}/api/pose", json={"description": "a broad smile"}, timeout=30)
        assert pose.json()["values"]["MouthSmileLeft"] > 0.2
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    bad = subprocess.run([sys.executable, "-m", "keyframeface", "serve", "--port", "0"], capture_output=True,
                         text=True, timeout=60, check=False)
    assert bad.returncode == 2 and "--port" in bad.stderr
