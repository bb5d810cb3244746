"""Score a served model on a dataset's held-out scripts, beside the embedded engine.

For every keyframe of the held-out clips (the items ``dataset export --split`` holds out, or named ones):
ask the model the LLM backend's question (its prompts and client; no retries, temperature 0: the model's
own first answer), read the answer with the backend's reader, and compare the values with the clip's captured keyframe:

    parsed   share of answers read as 61 in-range values (the reader's small repairs allowed)
    clean    share read with no repair at all (nothing clamped, missing, truncated or unknown)
    mae, mae_active, precision, recall, f1   over the parsed answers (evaluate.score)

The embedded engine poses the same scripts (in sequence, as ``animate`` does) and gets the same numbers.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from .._limits import loads_json, split_lines
from ..errors import InputError

__all__ = ["dumps", "format_report", "heldout_clips", "score_backends"]


def heldout_clips(dataset: str | os.PathLike, *, split: float = 0.1, items: list[str] | None = None) -> list[Path]:
    """Folders ``DATASET/items/<clip>`` to score: the named clips/sources, else those ``split`` holds out."""
    from ..dataset import held_out_sources

    root = Path(dataset)
    index = root / "manifest.jsonl"
    if not index.is_file():
        raise InputError("no manifest.jsonl (expected a folder written by `dataset build`)", path=str(root))
    entries = [loads_json(line, path=str(index), line=n, what="not JSON")
               for n, line in enumerate(split_lines(index.read_text(encoding="utf-8")), 1) if line.strip()]
    entries = [e for e in entries if isinstance(e, dict) and isinstance(e.get("path"), str)]
    if items:
        known = {e["id"] for e in entries} | {e.get("source_id") for e in entries}
        unknown = [i for i in items if i not in known]
        if unknown:
            raise InputError(f"no clip or source named {', '.join(unknown)} in the dataset", path=str(index),
                             field="--items")
        chosen = [e for e in entries if e["id"] in items or e.get("source_id") in items]
    else:
        if not 0 < split < 1:
            raise InputError(f"{split:g} not in (0, 1): give --split or --items", field="--split")
        held = held_out_sources([str(e.get("source_id", e["id"])) for e in entries], split)
        chosen = [e for e in entries if str(e.get("source_id", e["id"])) in held]
    if not chosen:
        raise InputError("no held-out clips (a dataset of one source has none: use --items)", path=str(index))
    return [root / e["path"] for e in chosen]


def score_backends(clips: list[Path], *, url: str | None = None, model: str | None = None,
                   style: str = "compact", structured: str = "none", max_tokens: int = 512, limit: int | None = None,
                   engine: bool = True, progress: Callable[[str], None] | None = None) -> dict:
    """The numbers of the module doc for the model at ``url`` (when given) and the engine (when ``engine``)."""
    from ..backends.engine import EngineBackend
    from ..evaluate import score
    from ..formats.keyframes_json import read_keyframes_json
    from ..script import load_script

    say = progress or (lambda _line: None)
    jobs = []  # (script, index, gold values)
    for folder in clips:
        script = load_script(str(folder / "script.yaml"))
        _, keyframes, _ = read_keyframes_json(folder / "keyframes.json")
        if len(keyframes) != len(script.keyframes):
            raise InputError(f"{len(keyframes)} keyframes but {len(script.keyframes)} in script.yaml",
                             path=str(folder / "keyframes.json"), field="keyframes")
        jobs += [(folder.name, script, i, k.values) for i, k in enumerate(keyframes)]
    jobs = jobs[:limit] if limit else jobs
    report: dict = {"clips": len({j[0] for j in jobs}), "keyframes": len(jobs)}
    if url:
        from ..backends.llm import LLMBackend, prompts
        from ..formats.answers import AnswerError, parse_keyframe
        from ..formats.reference import answer_key

        with LLMBackend(url=url, model=model or "trained", prompt_style=style, structured=structured, retries=0,
                        temperature=0.0, max_tokens=max_tokens, timeout=300) as llm:
            preds, golds, clean, failures, started = [], [], 0, [], time.monotonic()
            for n, (clip, script, i, gold) in enumerate(jobs, 1):
                # One request, read by the backend's own reader; a server that fails (not an unreadable
                # answer) is an error of the run, never a miss of the model.
                text = llm.client.chat(prompts.pose_messages(script, i, style), schema=prompts.pose_schema(style, i),
                                       model=llm.settings.model, name="keyframe")
                try:
                    reading = parse_keyframe(text, expected=answer_key(i), sparse=style == "compact")
                except AnswerError as exc:
                    failures.append(f"{clip} keyframe {i + 1}: {str(exc)[:160]}")
                    say(f"model {n}/{len(jobs)}: {clip} keyframe {i + 1}: unreadable")
                    continue
                preds.append(reading.values)
                golds.append(gold)
                clean += not reading.warnings
                say(f"model {n}/{len(jobs)}: {clip} keyframe {i + 1}: read"
                    + (f" ({len(reading.warnings)} repairs)" if reading.warnings else ""))
            report["model"] = {"name": model, "url": url, "style": style, "structured": structured,
                               "parsed": round(len(preds) / len(jobs), 4), "clean": round(clean / len(jobs), 4),
                               "seconds_per_answer": round((time.monotonic() - started) / len(jobs), 3),
                               **_scores(score, preds, golds), "failures": failures[:20]}
    if engine:
        backend, preds, golds, previous = EngineBackend(), [], [], {}
        for clip, script, i, gold in jobs:
            before = previous.get(clip, [])
            keyframe = backend.pose(script, i, before)
            previous[clip] = before + [keyframe]
            preds.append(keyframe.values)
            golds.append(gold)
        report["engine"] = {"parsed": 1.0, "clean": 1.0, **_scores(score, preds, golds)}
    return report


def _scores(score: Callable, preds: list[np.ndarray], golds: list[np.ndarray]) -> dict:
    if not preds:
        return {"mae": None, "mae_active": None, "precision": None, "recall": None, "f1": None}
    s = score(np.array(preds), np.array(golds)).as_dict()
    return {k: s[k] for k in ("mae", "mae_active", "precision", "recall", "f1")}


def format_report(report: dict) -> str:
    """A small table of the report for the terminal."""
    lines = [f"{report['keyframes']} held-out keyframes in {report['clips']} clips",
             f"{'':10} {'parsed':>7} {'clean':>7} {'MAE':>7} {'MAE act':>8} {'F1':>6}"]
    for who in ("model", "engine"):
        r = report.get(who)
        if r is None:
            continue
        def f(v: float | None, w: int) -> str:
            return f"{v:>{w}.3f}" if v is not None else f"{'-':>{w}}"
        lines.append(f"{(r.get('name') or who)[:10]:10} {f(r['parsed'], 7)} {f(r['clean'], 7)} {f(r['mae'], 7)} "
                     f"{f(r['mae_active'], 8)} {f(r['f1'], 6)}")
    return "\n".join(lines)


def dumps(report: dict) -> str:
    """The report as indented JSON."""
    return json.dumps(report, indent=1)
