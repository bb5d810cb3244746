"""The command-line contract other tools (and the held-out evaluation) call. Keep it stable."""

from __future__ import annotations

import csv
import json
import subprocess
import sys

import numpy as np
import pytest

from keyframeface.channels import CHANNELS, HIGH, LOW
from keyframeface.cli import main

SCRIPT = """\
background: A student waits outside an interview room and tries to hide their anxiety.
emotion: Anxiety concealed by a restrained smile.
fps: 30
seed: 7
keyframes:
  - description: The gaze is lowered, the inner brows lift slightly, and the lips press together.
    hold: 0.4
    duration: 1.2
  - description: The gaze rises and both mouth corners form a small restrained smile.
"""


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def script_file(tmp_path):
    p = tmp_path / "script.yaml"
    p.write_text(SCRIPT, encoding="utf-8")
    return p


def test_plan_json_is_a_list_of_strings(capsys):
    code, out, _ = run(capsys, "plan", "--background", "A surprise party in a dark living room",
                       "--emotion", "shock turning into delight", "--json")
    assert code == 0
    plan = json.loads(out)
    assert isinstance(plan, list) and 2 <= len(plan) <= 6
    assert all(isinstance(s, str) and len(s.split()) >= 4 for s in plan)


def test_plan_keyframe_count(capsys):
    code, out, _ = run(capsys, "plan", "--background", "A funeral", "--emotion", "quiet grief",
                       "--keyframes", "4", "--json")
    assert code == 0 and len(json.loads(out)) == 4


def test_pose_json_has_61_channels_in_order_and_range(capsys):
    code, out, _ = run(capsys, "pose", "the inner brows lift and the lips press together", "--json")
    assert code == 0
    values = json.loads(out)
    assert list(values) == list(CHANNELS)
    v = np.array([values[n] for n in CHANNELS])
    assert np.all(v >= LOW) and np.all(v <= HIGH)
    assert values["BrowInnerUp"] > 0.2 and values["BrowInnerUp"] > values["BrowDownLeft"] + 0.15
    assert values["MouthPressLeft"] > 0.15 and values["MouthPressRight"] > 0.15


def test_pose_explain_names_words(capsys):
    code, out, err = run(capsys, "pose", "a wide grin", "--json", "--explain")
    assert code == 0
    assert json.loads(out)["MouthSmileLeft"] > 0.3
    assert "MouthSmile" in err and "grin" in err


def test_animate_script_writes_the_three_files(capsys, tmp_path, script_file):
    out_dir = tmp_path / "out"
    code, out, err = run(capsys, "animate", str(script_file), "-o", str(out_dir), "--no-preview")
    assert code == 0, err
    assert sorted(p.name for p in out_dir.iterdir()) == ["animation.csv", "keyframes.json", "keyframes.jsonl"]
    with open(out_dir / "animation.csv", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0][:2] == ["Timecode", "BlendShapeCount"] and rows[0][2:] == list(CHANNELS)
    # 1.2 s transition + holds + lead-in: at least 1.6 s of frames at 30 fps
    assert len(rows) - 1 >= 48
    doc = json.loads((out_dir / "keyframes.json").read_text())
    assert [k["description"] for k in doc["keyframes"]][0].startswith("The gaze is lowered")
    lines = (out_dir / "keyframes.jsonl").read_text().splitlines()
    assert len(lines) == 2 and "Keyframe_one" in json.loads(lines[0])["response"]


def test_animate_from_options_plans_keyframes(capsys, tmp_path):
    out_dir = tmp_path / "o"
    code, _, err = run(capsys, "animate", "--background", "A child opens a birthday present",
                       "--emotion", "pure delight", "-o", str(out_dir), "--no-preview", "--fps", "24")
    assert code == 0, err
    doc = json.loads((out_dir / "keyframes.json").read_text())
    assert 2 <= len(doc["keyframes"]) <= 6 and doc["fps"] == 24


def test_same_seed_same_bytes_other_seed_differs(capsys, tmp_path, script_file):
    outs = []
    for name, seed in (("a", "3"), ("b", "3"), ("c", "4")):
        assert run(capsys, "animate", str(script_file), "-o", str(tmp_path / name), "--seed", seed,
                   "--no-preview")[0] == 0
        outs.append((tmp_path / name / "animation.csv").read_bytes())
    assert outs[0] == outs[1]
    assert outs[0] != outs[2]


def test_no_life_is_smooth_and_seed_free(capsys, tmp_path, script_file):
    for name, seed in (("a", "1"), ("b", "2")):
        run(capsys, "animate", str(script_file), "-o", str(tmp_path / name), "--seed", seed, "--no-life",
            "--no-preview")
    assert (tmp_path / "a" / "animation.csv").read_bytes() == (tmp_path / "b" / "animation.csv").read_bytes()


@pytest.mark.parametrize("body, needle", [
    ("background: b\nemotion: e\nfps: 0\n", "field 'fps'"),
    ("background: b\nemotion: e\nkeyframes:\n  - description: ''\n", "keyframes[0].description"),
    ("background: b\n", "field 'emotion'"),
])
def test_bad_script_exit_2_no_outputs(capsys, tmp_path, body, needle):
    p = tmp_path / "bad.yaml"
    p.write_text(body)
    out_dir = tmp_path / "out"
    code, out, err = run(capsys, "animate", str(p), "-o", str(out_dir))
    assert code == 2
    assert needle in err and "bad.yaml" in err and "Traceback" not in err
    assert not out_dir.exists() or not any(out_dir.iterdir())


def test_bad_options_exit_2(capsys, tmp_path):
    with pytest.raises(SystemExit) as info:
        main(["animate", "--background", "b", "--emotion", "e", "-o", str(tmp_path / "x"), "--fps", "-5"])
    assert info.value.code == 2
    assert "--fps" in capsys.readouterr().err
    code, _, err = run(capsys, "animate", "-o", str(tmp_path / "y"))
    assert code == 2 and "--background" in err
    code, _, err = run(capsys, "pose", "   ", "--json")
    assert code == 2 and "DESCRIPTION" in err


@pytest.mark.slow
def test_fresh_process_entry_point_and_help(tmp_path):
    res = subprocess.run([sys.executable, "-m", "keyframeface", "--help"], capture_output=True, text=True)
    assert res.returncode == 0 and "animate" in res.stdout and "pose" in res.stdout
    for cmd in ("animate", "plan", "pose", "demo", "render", "batch", "export-requests", "import-results"):
        res = subprocess.run([sys.executable, "-m", "keyframeface", cmd, "--help"], capture_output=True, text=True)
        assert res.returncode == 0, (cmd, res.stderr)
    res = subprocess.run([sys.executable, "-m", "keyframeface", "animate", str(tmp_path / "missing.yaml"),
                          "-o", str(tmp_path / "o")], capture_output=True, text=True)
    assert res.returncode == 2 and "missing.yaml" in res.stderr and "Traceback" not in res.stderr


def test_demo_writes_and_reports(capsys, tmp_path):
    code, out, err = run(capsys, "demo", "-o", str(tmp_path / "demo"), "--no-preview")
    assert code == 0, err
    assert (tmp_path / "demo" / "animation.csv").exists()
    assert f"wrote {tmp_path / 'demo' / 'animation.csv'}" in out


def test_channels_listing(capsys):
    code, out, _ = run(capsys, "channels", "--json")
    rows = json.loads(out)
    assert [r["name"] for r in rows] == list(CHANNELS)
    jaw_left = next(r for r in rows if r["name"] == "JawLeft")
    assert jaw_left["index_csv"] == 16 and jaw_left["index_udp"] == 15


def test_convert_to_gltf_and_csv(capsys, tmp_path, script_file):
    out_dir = tmp_path / "out"
    assert run(capsys, "animate", str(script_file), "-o", str(out_dir), "--no-preview")[0] == 0
    code, out, err = run(capsys, "convert", str(out_dir), "-o", str(tmp_path / "face.gltf"))
    assert code == 0, err
    doc = json.loads((tmp_path / "face.gltf").read_text())
    assert doc["meshes"][0]["extras"]["targetNames"][:2] == ["EyeBlinkLeft", "EyeLookDownLeft"]
    assert any(c["target"]["path"] == "weights" for c in doc["animations"][0]["channels"])
    code, _, _ = run(capsys, "convert", str(out_dir / "keyframes.json"), "-o", str(tmp_path / "again.csv"))
    assert code == 0 and (tmp_path / "again.csv").read_text().startswith("Timecode,BlendShapeCount,")
    code, _, err = run(capsys, "convert", str(out_dir), "-o", str(tmp_path / "x.fbx"))
    assert code == 2 and ".fbx" in err and not (tmp_path / "x.fbx").exists()


def test_replacing_descriptions_in_keyframes_json_never_changes_convert_no_life(capsys, tmp_path):
    """Timing is data: keyframes.json carries each keyframe's motion, so new words change nothing."""
    script = tmp_path / "s.yaml"
    script.write_text("background: A kitchen.\nemotion: Delight.\nkeyframes:\n  - A calm face.\n"
                      "  - Her eyes snap wide while a smile slowly spreads.\n  - She nods three times.\n",
                      encoding="utf-8")
    out_dir = tmp_path / "out"
    assert run(capsys, "animate", str(script), "-o", str(out_dir), "--no-preview")[0] == 0
    path = out_dir / "keyframes.json"
    assert run(capsys, "convert", str(path), "-o", str(tmp_path / "a.csv"), "--no-life")[0] == 0
    doc = json.loads(path.read_text())
    assert doc["keyframes"][2]["motion"]["cycles"][0]["periods"] == 3
    for k, words in zip(doc["keyframes"], ("He freezes, then suddenly laughs.", "Slowly, slowly.", "She stops.")):
        k["description"] = words
    path.write_text(json.dumps(doc), encoding="utf-8")
    assert run(capsys, "convert", str(path), "-o", str(tmp_path / "b.csv"), "--no-life")[0] == 0
    assert (tmp_path / "a.csv").read_text() == (tmp_path / "b.csv").read_text()


def test_stream_sends_live_link_packets_over_udp(capsys, tmp_path, script_file):
    import socket

    from keyframeface.formats.livelink_csv import read_livelink_csv
    from keyframeface.formats.livelink_udp import decode_packet

    out_dir = tmp_path / "out"
    assert run(capsys, "animate", str(script_file), "-o", str(out_dir), "--no-preview")[0] == 0
    frames = read_livelink_csv(out_dir / "animation.csv").values
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 22)
        port = sock.getsockname()[1]
        code, out, _ = run(capsys, "stream", str(out_dir), "--port", str(port), "--fast", "--subject", "Ada")
        assert code == 0 and f"sent {len(frames)} packets" in out
        sock.settimeout(2)
        packets = [decode_packet(sock.recv(2048)) for _ in range(len(frames))]
    assert [p.frame for p in packets] == list(range(len(frames)))
    assert packets[0].subject == "Ada"
    got = np.array([p.values for p in packets])
    assert np.allclose(got, frames, atol=1e-6)


def test_render_command_writes_gif_and_sheet(capsys, tmp_path, script_file):
    out_dir = tmp_path / "out"
    assert run(capsys, "animate", str(script_file), "-o", str(out_dir), "--no-preview")[0] == 0
    code, out, err = run(capsys, "render", str(out_dir), "-o", str(tmp_path / "a.gif"), "--size", "96",
                         "--fps", "15")
    assert code == 0, err
    from PIL import Image

    with Image.open(tmp_path / "a.gif") as gif:
        assert gif.n_frames > 10 and gif.size[0] >= 96
    code, _, err = run(capsys, "render", str(out_dir), "-o", str(tmp_path / "sheet.png"))
    assert code == 0, err
    code, _, err = run(capsys, "render", str(tmp_path / "nope"), "-o", str(tmp_path / "x.mp4"))
    assert code == 2 and "nope" in err and not (tmp_path / "x.mp4").exists()


def test_plan_explain_names_the_cue_behind_each_clause(capsys):
    code, out, _ = run(capsys, "plan", "--background", "An old man reads a letter from his late wife.",
                       "--emotion", "tender grief", "--explain")
    assert code == 0
    assert "scene: reading" in out and "letter" in out  # the scene wrote a clause, and says so
    assert "<- emotion:" in out
