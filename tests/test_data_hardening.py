"""Hardening of capture and the data side (issue 15, items 4-6): options checked before any work, image and
frame size caps, truncated videos warned about, dataset ids that cannot collide, workers that die with their
parent, eval coverage, no output written over an input, import-results limits, Live Link timecodes, secrets in
URLs and configs, strict YAML."""

from __future__ import annotations

import json
import os
import signal
import struct
import subprocess
import sys
import time
import warnings
import zlib
from pathlib import Path

import numpy as np
import pytest

from keyframeface.capture import MAX_PIXELS, capture, read_frames
from keyframeface.channels import N_CHANNELS
from keyframeface.cli import main
from keyframeface.errors import InputError
from keyframeface.formats.livelink_csv import HEADER, read_livelink_csv, write_livelink_csv

ROOT = Path(__file__).resolve().parents[1]
ZERO_ROW = ",61," + ",".join(["0.0000000000"] * N_CHANNELS)


def _run(args: list[str], capsys) -> tuple[int, str, str]:
    """(exit status, stdout, stderr) of the CLI; argparse's own exit 2 counts as a status."""
    try:
        code = main(args)
    except SystemExit as exc:
        code = exc.code
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def _png_header(path: Path, width: int, height: int) -> Path:
    """A PNG whose header says width x height (the pixels never follow: a decompression bomb's first bytes)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64))
                     + chunk(b"IEND", b""))
    return path


def _take(tmp_path: Path, frames: int = 120, name: str = "take.csv") -> Path:
    rng = np.random.default_rng(0)
    values = np.clip(np.cumsum(rng.normal(0, 0.02, (frames, N_CHANNELS)), axis=0), 0, 1) * 0.5
    path = tmp_path / name
    write_livelink_csv(path, values, 30.0)
    return path


# ------------------------------------------------------------------ capture options


@pytest.mark.parametrize("option, value", [("--fps", "5000"), ("--fps", "1e-300"), ("--fps", "nan"),
                                           ("--start", "nan"), ("--start", "-1"), ("--end", "inf"),
                                           ("--end", "1" + "0" * 400), ("--start", "9" * 5000)])
def test_capture_options_exit_2_naming_the_option_before_any_work(tmp_path, capsys, option, value):
    folder = tmp_path / "frames"
    folder.mkdir()
    code, _, err = _run(["capture", str(folder), "-o", str(tmp_path / "out.csv"), option, value], capsys)
    assert code == 2 and option in err, err
    assert "9" * 100 not in err and "0" * 100 not in err
    assert not (tmp_path / "out.csv").exists()


@pytest.mark.parametrize("options, field", [({"start": float("nan")}, "--start"), ({"end": float("inf")}, "--end"),
                                            ({"fps": float("nan")}, "--fps"), ({"fps": 5000.0}, "--fps"),
                                            ({"fps": 1e-300}, "--fps"), ({"start": 2.0, "end": 1.0}, "--end")])
def test_library_capture_checks_options_before_touching_the_input(tmp_path, options, field):
    with pytest.raises(InputError) as caught:
        capture(tmp_path / "does-not-exist", **options)  # the option is named, not the missing file
    assert caught.value.field == field


def test_capture_output_type_is_checked_before_tracking(tmp_path, capsys):
    code, _, err = _run(["capture", str(tmp_path / "missing.mp4"), "-o", str(tmp_path / "out.txt")], capsys)
    assert code == 2 and "'.txt'" in err


@pytest.mark.parametrize("size", [(20000, 20000), (9000, 9000)])
def test_an_image_folder_with_a_huge_png_is_an_input_error_naming_the_file(tmp_path, size):
    folder = tmp_path / "frames"
    folder.mkdir()
    bomb = _png_header(folder / "0001.png", *size)
    _, count, frames = read_frames(folder)
    assert count == 1
    with warnings.catch_warnings(), pytest.raises(InputError) as caught:
        warnings.simplefilter("error")  # one clean error, no Pillow DecompressionBombWarning beside it
        next(frames)
    assert str(bomb) in str(caught.value)
    assert size[0] * size[1] > MAX_PIXELS


def test_capture_cli_on_a_png_bomb_exits_2(tmp_path, capsys):
    pytest.importorskip("mediapipe", reason="capture needs the track extra")
    folder = tmp_path / "frames"
    folder.mkdir()
    _png_header(folder / "0001.png", 20000, 20000)
    code, _, err = _run(["capture", str(folder), "-o", str(tmp_path / "out.csv"), "--quiet"], capsys)
    assert code == 2 and "0001.png" in err
    assert not (tmp_path / "out.csv").exists()


@pytest.mark.slow
def test_a_truncated_faststart_video_warns_naming_the_missing_frames(fixture_file, tmp_path, capsys):
    pytest.importorskip("mediapipe", reason="capture needs the track extra")
    import imageio_ffmpeg

    full, half = tmp_path / "full.mp4", tmp_path / "half.mp4"
    subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-y", "-i",
                    str(fixture_file("video", "carphone.mp4")), "-frames:v", "120", "-an", "-c:v", "libx264",
                    "-movflags", "+faststart", str(full)], check=True)
    data = full.read_bytes()
    half.write_bytes(data[: len(data) // 2])
    code, out, err = _run(["capture", str(full), "-o", str(tmp_path / "full.csv"), "--quiet"], capsys)
    assert code == 0 and "120 frames" in out and "missing" not in err
    code, out, err = _run(["capture", str(half), "-o", str(tmp_path / "half.csv"), "--quiet"], capsys)
    decoded = len(read_livelink_csv(tmp_path / "half.csv").values)
    assert code == 0 and 0 < decoded < 120
    assert f"promises 120 frames but only {decoded}" in err and f"{120 - decoded} frames missing" in err


# ------------------------------------------------------------------ keyframes options


@pytest.mark.parametrize("option, value", [("--rate", "nan"), ("--rate", "inf"), ("--rate", "-1"), ("--rate", "0"),
                                           ("--max-error", "nan"), ("--max-error", "-0.1"), ("--keys", "1"),
                                           ("--keys", "9" * 5000)])
def test_keyframes_options_exit_2(tmp_path, capsys, option, value):
    take = _take(tmp_path)
    code, _, err = _run(["keyframes", str(take), "-o", str(tmp_path / "k.json"), option, value], capsys)
    assert code == 2 and option in err and not (tmp_path / "k.json").exists()


@pytest.mark.parametrize("options, field", [({"rate": float("nan")}, "--rate"), ({"rate": -1.0}, "--rate"),
                                            ({"max_error": float("inf")}, "--max-error")])
def test_library_key_frames_refuses_bad_rates(tmp_path, options, field):
    from keyframeface.keyframes_extract import key_frames

    take = read_livelink_csv(_take(tmp_path))
    with pytest.raises(InputError) as caught:
        key_frames(take.values, take.fps, **options)
    assert caught.value.field == field


# ------------------------------------------------------------------ dataset


def _manifest(tmp_path: Path, lines: list[dict]) -> Path:
    path = tmp_path / "manifest.jsonl"
    path.write_text("".join(json.dumps(x) + "\n" for x in lines))
    return path


@pytest.mark.parametrize("ids, says", [(["a", "a-001"], "clip of line 1's 'a'"), (["a-0001", "a"], "clip of line 2"),
                                       (["Take", "take"], "only in case")])
def test_dataset_ids_that_could_share_a_folder_are_refused_before_any_work(tmp_path, capsys, ids, says):
    take = _take(tmp_path)
    manifest = _manifest(tmp_path, [{"id": i, "take": str(take), "background": "b", "emotion": "e"} for i in ids])
    code, _, err = _run(["dataset", "build", str(manifest), "-o", str(tmp_path / "ds"), "--workers", "1"], capsys)
    assert code == 2 and says in err and "field 'id'" in err, err
    assert not (tmp_path / "ds").exists()


@pytest.mark.parametrize("option, value", [("--workers", "0"), ("--workers", "nan"), ("--max-keys", "1"),
                                           ("--max-keys", "1" + "0" * 400)])
def test_dataset_build_options_exit_2(tmp_path, capsys, option, value):
    manifest = _manifest(tmp_path, [{"id": "a", "take": "x.csv", "background": "b", "emotion": "e"}])
    code, _, err = _run(["dataset", "build", str(manifest), "-o", str(tmp_path / "ds"), option, value], capsys)
    assert code == 2 and option in err and not (tmp_path / "ds").exists()


def test_no_command_writes_over_its_input(tmp_path, capsys):
    script = tmp_path / "s.yaml"
    script.write_text("background: A quiet office.\nemotion: Relief.\nkeyframes:\n  - The brows lift.\n")
    before = script.read_bytes()
    take = _take(tmp_path)
    link = tmp_path / "link.yaml"
    link.symlink_to(script)
    assert _run(["animate", str(script), "-o", str(tmp_path / "out"), "--no-preview"], capsys)[0] == 0
    csv_before = (tmp_path / "out" / "animation.csv").read_bytes()
    cases = [
        ["export-requests", str(script), "-o", str(script)],
        ["export-requests", str(script), "-o", str(link)],  # a link to the input is the input
        ["convert", str(take), "-o", str(take)],
        ["convert", str(tmp_path / "out"), "-o", str(tmp_path / "out" / "animation.csv")],
        ["keyframes", str(tmp_path / "out"), "-o", str(tmp_path / "out" / "keyframes.json")],
        ["capture", str(take), "-o", str(take)],
        ["import-results", str(tmp_path / "out" / "keyframes.json"), str(take), "-o", str(tmp_path / "out")],
        ["animate", str(tmp_path / "out" / "keyframes.json"), "-o", str(tmp_path / "out")],
        ["dataset", "build", str(tmp_path / "ds" / "manifest.jsonl"), "-o", str(tmp_path / "ds")],
    ]
    (tmp_path / "ds").mkdir()
    (tmp_path / "ds" / "manifest.jsonl").write_text("{}\n")
    for args in cases:
        code, _, err = _run(args, capsys)
        assert code == 2 and "would be written over the input" in err, (args, err)
    assert script.read_bytes() == before and (tmp_path / "out" / "animation.csv").read_bytes() == csv_before
    assert (tmp_path / "ds" / "manifest.jsonl").read_text() == "{}\n"
    # the README's own example still works: a new file beside the inputs
    assert _run(["convert", str(tmp_path / "out"), "-o", str(tmp_path / "out" / "face.glb")], capsys)[0] == 0


def test_dataset_export_never_writes_over_the_index(tmp_path, capsys):
    take = _take(tmp_path, frames=300)
    manifest = _manifest(tmp_path, [{"id": "a", "take": str(take), "background": "b", "emotion": "e"}])
    data = tmp_path / "ds"
    assert _run(["dataset", "build", str(manifest), "-o", str(data), "--workers", "1"], capsys)[0] == 0
    index = (data / "manifest.jsonl").read_bytes()
    (tmp_path / "link.jsonl").symlink_to(data / "manifest.jsonl")
    for out, extra in ((data / "manifest.jsonl", []), (data / "manifest.jsonl", ["--split", "0.5"]),
                       (tmp_path / "link.jsonl", [])):
        code, _, err = _run(["dataset", "export", str(data), "-o", str(out), *extra], capsys)
        assert code == 2 and "would be written over the input" in err, (out, extra, err)
        assert (data / "manifest.jsonl").read_bytes() == index
    from keyframeface.dataset import export_dataset

    with pytest.raises(InputError, match="would be written over"):  # the library refuses too
        export_dataset(data, data / "manifest.jsonl")
    assert _run(["dataset", "export", str(data), "-o", str(data / "train.jsonl")], capsys)[0] == 0


def _children(pid: int) -> list[int]:
    """Pids whose parent is ``pid`` (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and ".state" not in p.parts and p.name != "report.json"}


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_sigkill_of_dataset_build_leaves_no_worker_and_the_resumed_build_is_exact(tmp_path):
    take = _take(tmp_path, frames=2400)
    manifest = _manifest(tmp_path, [{"id": f"t{i}", "take": str(take), "background": "A session.",
                                     "emotion": "Calm.", "start": 5 * i} for i in range(8)])
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    command = [sys.executable, "-m", "keyframeface", "dataset", "build", str(manifest), "--workers", "2", "-o"]
    killed = tmp_path / "killed"
    proc = subprocess.Popen([*command, str(killed)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    workers: list[int] = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        workers = [p for p in _children(proc.pid)
                   if b"spawn_main" in Path(f"/proc/{p}/cmdline").read_bytes().replace(b"\0", b" ")]
        if len(workers) == 2:
            break
        time.sleep(0.05)
    assert len(workers) == 2 and proc.poll() is None, "the build never had its two workers"
    time.sleep(1.0)  # mid-build
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    proc.stderr.close()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(p) for p in workers):
        time.sleep(0.05)
    assert not [p for p in workers if _alive(p)], "workers outlived their killed parent"
    subprocess.run([*command, str(killed)], env=env, check=True, capture_output=True)
    fresh = tmp_path / "fresh"
    subprocess.run([*command, str(fresh)], env=env, check=True, capture_output=True)
    assert _tree(killed) == _tree(fresh)
    assert not [p for p in (killed / "items").iterdir() if p.name.startswith(".")]


# ------------------------------------------------------------------ eval


def test_eval_warns_when_most_of_the_gold_is_not_compared(tmp_path, capsys):
    gold = _take(tmp_path, frames=4030, name="gold.csv")
    short = tmp_path / "short.csv"
    write_livelink_csv(short, read_livelink_csv(gold).values[:45], 30.0)  # 1.5 s: its timecodes tell 30 fps
    code, _, err = _run(["eval", str(short), str(gold)], capsys)
    assert code == 0 and "only 45 of the gold's 4,030 frames were compared" in err
    code, out, _ = _run(["eval", str(short), str(gold), "--json"], capsys)
    assert json.loads(out)["gold_rows"] == 4030 and json.loads(out)["rows"] == 45
    code, _, err = _run(["eval", str(gold), str(gold)], capsys)
    assert code == 0 and "warning" not in err


# ------------------------------------------------------------------ import-results


@pytest.mark.parametrize("response, says", [
    ('{"Keyframe_one": {"JawOpen": ' + "1" * 400 + "}}", "JawOpen=" + "1" * 10),
    ('{"Keyframe_one": ' + "[" * 5000 + "]" * 5000 + "}", "deeper than 64"),
    ('{"Keyframe_one": {"JawOpen": 0.5, ' + "[" * 5000, "deeper than 64"),
    ('{"Keyframe_one": {"JawOpen": ' + "9" * 5000 + "}}", "not valid JSON"),
])
def test_import_results_on_hostile_answers_exits_2(tmp_path, capsys, response, says):
    script = tmp_path / "s.yaml"
    script.write_text("background: a\nemotion: b\nkeyframes:\n  - A smile.\n")
    results = tmp_path / "r.jsonl"
    results.write_text(json.dumps({"response": response}) + "\n")
    code, _, err = _run(["import-results", str(script), str(results), "-o", str(tmp_path / "o")], capsys)
    assert code == 2 and says in err and "r.jsonl:1" in err, err
    assert len(err) < 2000 and not (tmp_path / "o").exists()


# ------------------------------------------------------------------ Live Link timecodes


@pytest.mark.parametrize("timecodes, line", [
    (["00:00:00:00.000", "00:00:00:" + "9" * 8 + ".000"], 3),  # a huge frame field
    (["1" * 5000 + ":00:00:00.000", "00:00:00:01.000"], 2),  # 5,000-digit hours
    (["0_0", "0_1"], 2),
    (["\u0660\u0660:\u0660\u0660:\u0660\u0660:\u0660\u0660.000", "00:00:00:01.000"], 2),  # Arabic-Indic digits
    (["00:00:00:00.000", "00:61:00:01.000"], 3),  # minute 61
    (["00:00:00:00.000", ""], 3),
])
def test_timecodes_that_are_not_timecodes_are_input_errors(tmp_path, timecodes, line):
    path = tmp_path / "t.csv"
    path.write_text(HEADER + "\n" + "".join(tc + ZERO_ROW + "\n" for tc in timecodes), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_livelink_csv(path)
    assert caught.value.line == line and caught.value.field == "Timecode"
    assert len(str(caught.value)) < 400


@pytest.mark.parametrize("timecodes, says", [
    (["00:00:00:00.000", "00:00:00:01.000", "01:00:00:02.000", "01:00:00:03.000"], "jump ahead"),
    (["00:00:01:00.000", "00:00:00:29.000", "00:00:00:28.000"], "go backwards 2 time(s) (first: line 3"),
])
def test_timecodes_that_jump_are_read_in_file_order_with_a_warning(tmp_path, timecodes, says):
    path = tmp_path / "t.csv"
    path.write_text(HEADER + "\n" + "".join(tc + ZERO_ROW + "\n" for tc in timecodes))
    take = read_livelink_csv(path)
    assert len(take.values) == len(timecodes) and any(says in w for w in take.warnings), take.warnings


def test_a_take_across_midnight_is_not_a_jump(tmp_path):
    path = tmp_path / "t.csv"
    write_livelink_csv(path, np.zeros((90, N_CHANNELS)), 30.0, start_frame=24 * 3600 * 30 - 30)
    assert not [w for w in read_livelink_csv(path).warnings if "timecodes" in w]


# ------------------------------------------------------------------ secrets and strict YAML


@pytest.mark.parametrize("url", ["http://user:SECRETKEY1@127.0.0.1:9/v1", "http://127.0.0.1:9/v1?key=SECRETKEY1",
                                 "http://127.0.0.1:9/v1?a=b&key=SECRET%4BEY1",
                                 "http://u:SECRETKEY1@127.0.0.1:99999/v1"])
def test_a_key_in_the_llm_url_is_never_printed_nor_stored(tmp_path, capsys, monkeypatch, url):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "no-config"))
    scripts = tmp_path / "b.jsonl"
    scripts.write_text('{"background": "a", "emotion": "b", "keyframes": ["A smile."]}\n')
    config = tmp_path / "c.toml"
    config.write_text("[llm]\nretries = 0\n")  # one refused connection is enough to see the message
    options = ["--backend", "llm", "--llm-url", url, "--llm-model", "m", "--timeout", "1", "--config", str(config)]
    code, out, err = _run(["pose", "a smile", *options], capsys)
    assert code in (1, 2) and "SECRET" not in out + err, err
    code, out, err = _run(["batch", str(scripts), "-o", str(tmp_path / "b"), "--quiet", *options], capsys)
    assert code in (1, 2) and "SECRET" not in out + err
    report = tmp_path / "b" / "report.json"
    assert not report.exists() or "SECRET" not in report.read_text()


def test_settings_repr_and_endpoint_keep_the_url_secret(tmp_path):
    from keyframeface.backends.llm.config import LLMSettings

    s = LLMSettings(url="http://u:SECRETKEY1@h:8000/v1?key=SECRETKEY2", model="m")
    assert "SECRET" not in repr(s)
    assert s.endpoint == "http://u:SECRETKEY1@h:8000/v1/chat/completions?key=SECRETKEY2"  # the query stays last


def test_a_yaml_config_syntax_error_never_echoes_the_key(tmp_path, capsys):
    config = tmp_path / "c.yaml"
    config.write_text("llm:\n  url: http://127.0.0.1:9/v1\n  api_key: sk-SECRETKEY\"x: [\n  model: m\n")
    code, _, err = _run(["pose", "a smile", "--backend", "llm", "--config", str(config)], capsys)
    assert code == 2 and "c.yaml" in err and "SECRET" not in err, err


@pytest.mark.parametrize("text, says", [
    ("background: a\nemotion: b\nbackground: c\n", "'background' given twice"),
    ("background: a\nemotion: b\nfps: 1:30\n", "base-60"),
    ("background: a\nemotion: b\nkeyframes:\n  - description: x\n    hold: 1:00.5\n", "base-60"),
])
def test_yaml_scripts_refuse_duplicate_keys_and_base_60(tmp_path, text, says):
    from keyframeface.script import load_script

    path = tmp_path / "s.yaml"
    path.write_text(text)
    with pytest.raises(InputError, match=says) as caught:
        load_script(path)
    assert caught.value.line == len(text.splitlines())


def test_yaml_configs_refuse_duplicate_keys_and_base_60(tmp_path):
    from keyframeface.backends.llm.config import resolve_settings

    for body, says in (("llm:\n  model: a\n  model: b\n", "given twice"), ("llm:\n  timeout: 1:30\n", "base-60")):
        config = tmp_path / "c.yaml"
        config.write_text(body)
        with pytest.raises(InputError, match=says):
            resolve_settings("http://127.0.0.1:9/v1", "m", config=config)


def test_quoted_and_ordinary_values_still_read(tmp_path):
    from keyframeface.script import load_script

    path = tmp_path / "s.yaml"
    path.write_text('background: "1:30 before the interview"\nemotion: b\nfps: 90\n')
    script = load_script(path)
    assert script.fps == 90 and script.background.startswith("1:30")


@pytest.mark.parametrize("where", ["FILE", "FILE/sub"])
def test_dataset_build_into_a_file_exits_2(tmp_path, capsys, where):
    (tmp_path / "FILE").write_text("mine")
    manifest = _manifest(tmp_path, [{"id": "a", "take": str(_take(tmp_path)), "background": "b", "emotion": "e"}])
    code, _, err = _run(["dataset", "build", str(manifest), "-o", str(tmp_path / where), "--workers", "1"], capsys)
    assert code == 2 and "OutputError" in err and (tmp_path / "FILE").read_text() == "mine"


@pytest.mark.parametrize("span, field", [({"start": 1e400}, "start"), ({"end": -1}, "end"),
                                         ({"start": 5, "end": 2}, "end"), ({"start": 10 ** 400}, "start")])
def test_manifest_spans_must_be_finite_and_ordered(tmp_path, capsys, span, field):
    line = {"id": "a", "take": str(_take(tmp_path)), "background": "b", "emotion": "e", **span}
    path = tmp_path / "manifest.jsonl"
    path.write_text(json.dumps(line).replace("Infinity", "1e400") + "\n")
    code, _, err = _run(["dataset", "build", str(path), "-o", str(tmp_path / "ds")], capsys)
    assert code == 2 and f"field '{field}'" in err and "manifest.jsonl:1" in err, err
    assert not (tmp_path / "ds").exists()
