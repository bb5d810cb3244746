"""Annotations like the paper's (issue 16 item 4): perspectives, phrasings from a data table, the LLM/MLLM route."""

from __future__ import annotations

import base64
import io
import json
from pathlib import Path

import numpy as np
import pytest

from keyframeface.backends.engine.pose import pose_text
from keyframeface.channels import CHANNEL_INDEX, N_CHANNELS
from keyframeface.cli import main
from keyframeface.describe import DEGREES, annotate, phrasings
from keyframeface.evaluate import score
from keyframeface.formats.livelink_csv import read_livelink_csv, write_livelink_csv
from keyframeface.keyframes_extract import key_frames
from keyframeface.neutral import calibrate, estimate_neutral

SRC = Path(__file__).resolve().parents[1] / "src" / "keyframeface"


@pytest.fixture(scope="module")
def take_path():
    from conftest import fixture_path

    path = fixture_path("livelink_csv", "rom_take_a.csv")
    return path


@pytest.fixture(scope="module")
def keys(take_path):
    take = read_livelink_csv(take_path)
    values = calibrate(take.values, estimate_neutral(take.values, take.fps))
    return list(key_frames(values, take.fps, keys=24).values)


def _face(**channels: float) -> np.ndarray:
    v = np.zeros(N_CHANNELS)
    for name, x in channels.items():
        for side in ("Left", "Right"):
            if name + side in CHANNEL_INDEX:
                v[CHANNEL_INDEX[name + side]] = x
        if name in CHANNEL_INDEX:
            v[CHANNEL_INDEX[name]] = x
    return v


def _in_sequence(texts: list[str]) -> np.ndarray:
    posed, previous = [], None
    for text in texts:
        previous = pose_text(text, fallback=False, previous=previous).values
        posed.append(previous)
    return np.stack(posed)


def test_phrasings_live_in_the_data_table_not_in_python():
    import ast

    table = (SRC / "describe.yaml").read_text() + (SRC / "backends" / "engine" / "data" / "phrases.yaml").read_text()
    tree = ast.parse((SRC / "describe.py").read_text())
    docs = {ast.get_docstring(n, clean=False) for n in ast.walk(tree)
            if isinstance(n, (ast.Module, ast.FunctionDef, ast.ClassDef))}
    literals = " | ".join(n.value for n in ast.walk(tree)
                          if isinstance(n, ast.Constant) and isinstance(n.value, str) and n.value not in docs)
    for phrase in ("the mouth corners pull up", "the brows stay lowered", "the gaze returns to center",
                   "The face is neutral and relaxed.", "smile", "faint", "FACS"):
        assert phrase in table and phrase not in literals, phrase
    assert "barely" in DEGREES and "barely" not in literals  # degree words: the engine's degrees.yaml `say` column


def test_animator_names_the_expression_first_and_speaks_relative_to_the_previous_key():
    smile = _face(MouthSmile=0.35)
    worried = _face(MouthSmile=0.35, BrowDown=0.5)
    opened = _face(BrowDown=0.5, JawOpen=0.4)
    first, second, third = annotate([smile, worried, opened])
    assert first.startswith("A ") and first.rstrip(".").endswith("smile") and len(first.split()) <= 4
    assert "brows lower" in second and "while the mouth corners stay up" in second and "smile" not in second
    assert third.startswith("The mouth corners relax.") and "jaw drops open" in third
    assert "while the brows stay lowered" in third
    posed = _in_sequence([first, second, third])
    assert score(posed, np.stack([smile, worried, opened])).f1 >= 0.8


def test_animator_on_the_real_take_is_shorter_less_repetitive_and_still_faithful(keys):
    import re

    sized = r"\b(" + "|".join(w for w in [*DEGREES, *phrasings()["sizes"]] if w) + r"|a|an)\b"

    def clauses(text: str) -> list[str]:
        return [c.strip() for c in re.split(r"[.,;]| and | while ", re.sub(sized, "", text.lower())) if c.strip()]

    def repeated(texts: list[str]) -> float:
        return float(np.mean([sum(c in set(clauses(a)) for c in clauses(b)) / max(len(clauses(b)), 1)
                              for a, b in zip(texts, texts[1:])]))

    before, after = annotate(keys, "channels"), annotate(keys, "animator")
    words = [float(np.mean([len(t.split()) for t in x])) for x in (before, after)]
    assert words[1] < 0.8 * words[0]
    assert repeated(after) < 0.7 * repeated(before)
    assert np.mean(["barely" in t for t in after]) < np.mean(["barely" in t for t in before])
    s = score(_in_sequence(after), np.stack(keys))
    assert s.f1 >= 0.8, s


def test_facs_and_emotion_perspectives():
    smile = _face(MouthSmile=0.5, CheekSquint=0.3)
    facs, = annotate([smile], "facs")
    assert facs.startswith("FACS ") and "12C" in facs and "lip corner puller" in facs
    left = _face()
    left[CHANNEL_INDEX["MouthSmileLeft"]] = 0.7
    assert "L12" in annotate([left], "facs")[0]
    assert annotate([_face()], "facs")[0] == phrasings()["facs"]["none"]
    reading, = annotate([smile], "emotion", emotion="Quiet pride after a win.")
    assert "Quiet pride after a win" in reading
    assert any(w in reading for w in ("happiness", "joy", "amusement", "delight"))


def _built(take_path: Path, tmp_path: Path) -> Path:
    manifest = tmp_path / "manifest.jsonl"
    manifest.write_text(json.dumps({"id": "a", "take": str(take_path), "background": "A session.",
                                    "emotion": "Calm focus.", "end": 12}) + "\n")
    data = tmp_path / "data"
    assert main(["dataset", "build", str(manifest), "-o", str(data), "--workers", "1"]) == 0
    return data


def test_dataset_export_with_another_perspective(take_path, tmp_path):
    data = _built(take_path, tmp_path)
    lines = {}
    for perspective in ("script", "facs", "emotion"):
        out = tmp_path / f"{perspective}.jsonl"
        assert main(["dataset", "export", str(data), "-o", str(out), "--perspective", perspective]) == 0
        lines[perspective] = [json.loads(x)["messages"] for x in out.read_text().splitlines()]
    assert len(lines["facs"]) == len(lines["script"]) >= 2
    assert all("FACS " in m[1]["content"] for m in lines["facs"])
    assert all("Calm focus" in m[1]["content"] for m in lines["emotion"])
    assert [m[2] for m in lines["facs"]] == [m[2] for m in lines["script"]]  # same answers, other words


def test_dataset_export_annotated_by_an_llm(server, take_path, tmp_path):
    from replay_server import Reply

    data = _built(take_path, tmp_path)
    server.when(lambda body: True, Reply(content=json.dumps({"description": "A calm, attentive face."})))
    out = tmp_path / "llm.jsonl"
    assert main(["dataset", "export", str(data), "-o", str(out), "--perspective", "llm", "--llm-url", server.url,
                 "--llm-model", "m"]) == 0
    lines = [json.loads(x)["messages"] for x in out.read_text().splitlines()]
    assert lines and all("A calm, attentive face." in m[1]["content"] for m in lines)
    assert len(server.chat_requests()) == len(lines)
    assert main(["dataset", "export", str(data), "-o", str(tmp_path / "x.jsonl"), "--perspective", "llm"]) == 2


def _frames_folder(tmp_path: Path, count: int) -> Path:
    """An image-folder 'video' whose frame i is a flat colour that encodes i."""
    from PIL import Image

    folder = tmp_path / "frames"
    folder.mkdir()
    for i in range(count):
        Image.new("RGB", (64, 48), (i % 256, i // 256, 77)).save(folder / f"{i:05d}.png")
    return folder


def test_llm_route_attaches_each_keyframes_frame_as_an_image(server, take_path, tmp_path, capsys):
    from replay_server import Reply

    take = read_livelink_csv(take_path)
    short = tmp_path / "take.csv"
    write_livelink_csv(short, take.values[:300], take.fps)
    video = _frames_folder(tmp_path, 300)
    server.when(lambda body: True, Reply(content=json.dumps({"description": "A small restrained smile."})))
    assert main(["describe", str(short), "--json", "--llm-url", server.url, "--llm-model", "vlm",
                 "--video", str(video), "--emotion", "Shy delight."]) == 0
    texts = json.loads(capsys.readouterr().out)
    expected = key_frames(take.values[:300], take.fps).frames.tolist()
    assert texts == ["A small restrained smile."] * len(expected)
    requests = server.chat_requests()
    assert len(requests) == len(expected)
    from PIL import Image

    for request, frame in zip(requests, expected):
        body = request.body
        assert body["model"] == "vlm"
        parts = body["messages"][-1]["content"]
        text = next(p["text"] for p in parts if p["type"] == "text")
        assert "Shy delight." in text and "FACS" in text
        url = next(p["image_url"]["url"] for p in parts if p["type"] == "image_url")
        assert url.startswith("data:image/png;base64,")
        pixel = Image.open(io.BytesIO(base64.b64decode(url.split(",", 1)[1]))).convert("RGB").getpixel((5, 5))
        assert pixel[0] + 256 * pixel[1] == frame  # the keyframe's own frame
    # the next key's request carries the previous annotation
    assert "A small restrained smile." in requests[1].body["messages"][-1]["content"][0]["text"]


def test_llm_route_without_images_and_a_junk_answer(server, take_path, tmp_path, capsys):
    from replay_server import Reply

    keys = tmp_path / "keyframes.json"
    assert main(["keyframes", str(take_path), "-o", str(keys), "--keys", "3", "--emotion", "Calm."]) == 0
    server.when(lambda body: True, Reply(content=json.dumps({"description": "The brows lift."})))
    capsys.readouterr()
    assert main(["describe", str(keys), "--llm-url", server.url, "--llm-model", "m", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == ["The brows lift."] * 3
    assert all(isinstance(r.body["messages"][-1]["content"], str) for r in server.chat_requests())
    server._rules.clear()
    server.when(lambda body: True, Reply(content=json.dumps({"description": ""})))
    assert main(["describe", str(keys), "--llm-url", server.url, "--llm-model", "m"]) != 0
    assert "no description" in capsys.readouterr().err
    assert main(["describe", str(keys), "--video", str(take_path)]) == 2  # --video without an LLM


def test_animator_says_symmetric_actions_once_and_sides_only_when_the_face_is_asymmetric():
    nearly = _face()
    nearly[CHANNEL_INDEX["EyeBlinkLeft"]], nearly[CHANNEL_INDEX["EyeBlinkRight"]] = 0.8, 0.55  # both clearly close
    one = _face()
    one[CHANNEL_INDEX["EyeBlinkLeft"]], one[CHANNEL_INDEX["EyeBlinkRight"]] = 0.8, 0.1  # a wink
    both, wink = annotate([nearly]), annotate([one])
    assert "the eyes close" in both[0].lower() and "left" not in both[0] and "right" not in both[0]
    assert "left eye" in wink[0]
    posed = pose_text(wink[0], fallback=False).values
    assert posed[CHANNEL_INDEX["EyeBlinkLeft"]] > posed[CHANNEL_INDEX["EyeBlinkRight"]] + 0.3


def test_a_smile_with_squinting_eyes_is_named_a_duchenne_smile_first():
    warm = _face(MouthSmile=0.6, CheekSquint=0.5, EyeSquint=0.45)
    note, = annotate([warm])
    assert note.startswith("A ") and "Duchenne smile" in note.split(",")[0].split(" and ")[0]
    assert score(pose_text(note, fallback=False).values, warm).f1 >= 0.8


def test_many_parts_gone_relax_at_once_and_what_holds_is_said_again():
    first = _face(BrowInnerUp=0.6, JawOpen=0.5, MouthPucker=0.4, CheekPuff=0.4, EyeWide=0.5)
    second = _face(BrowInnerUp=0.6, EyeBlink=0.7)
    notes = annotate([first, second])
    for part in ("brows", "jaw", "pucker", "puff", "widen"):  # every salient part (>= 0.3) of the face is said
        assert part in notes[0], (part, notes[0])
    assert notes[1].startswith(phrasings()["animator"]["rest"].capitalize() + ".") and "eyes close" in notes[1]
    posed = _in_sequence(notes)
    assert posed[1][CHANNEL_INDEX["BrowInnerUp"]] >= 0.3  # said again: the brows did not relax with the rest
    assert score(posed, np.stack([first, second])).f1 >= 0.8


def test_the_brows_and_a_gaze_turning_two_ways_are_said_in_one_phrase_each():
    face = _face(BrowInnerUp=0.5, BrowOuterUp=0.5)
    face[CHANNEL_INDEX["EyeLookDownLeft"]] = face[CHANNEL_INDEX["EyeLookDownRight"]] = 0.5
    face[CHANNEL_INDEX["EyeLookOutLeft"]] = face[CHANNEL_INDEX["EyeLookInRight"]] = 0.5
    note, = annotate([face])
    assert "the brows lift" in note.lower() and "inner" not in note and "outer" not in note
    assert note.lower().count("the gaze") == 1 and "down and to the left" in note
