"""SFT dataset: videos or takes -> described keyframe scripts -> chat lines in the release's request format.

``build_dataset(MANIFEST.jsonl, DATASET/)``: each manifest line is ``{"id", "video" | "take",
"background", "emotion"}`` (optional ``"start"``/``"end"`` seconds). Every line is checked before
any work (InputError naming line and field). Each item is captured (or read), its keys extracted
and described, and written as ``DATASET/items/<id>/{script.yaml, take.csv, keyframes.json}``; a take
with more keys than ``max_keys`` is split into clips ``<id>-001``, ``<id>-002`` ... at the quietest
keys between expressions. Items run in worker processes (one per core, or Ray tasks with ``ray``);
each is written to a staging folder and renamed, so a failure never corrupts the rest; finished
items are skipped on a re-run; failures go to ``DATASET/report.json``. ``DATASET/manifest.jsonl``
indexes the clips.

``export_dataset(DATASET/, OUT.jsonl)``: one chat line per keyframe, ``{"messages": [system, user,
assistant]}``: system and user exactly as ``export-requests items/<id>/script.yaml`` writes them
(so a LoRA trained on it serves through ``--prompt-style reference``), the assistant message the
release's answer ``{"Keyframe_one": {61 values}}``. ``split`` holds out a share of the items (by a
hash of the source id, so clips of one take never straddle) into ``<OUT stem>.val.jsonl``.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import re
import shutil
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ._io import atomic_write_text, refuse_overwrite
from ._limits import as_finite, loads_json, read_text_capped, split_lines
from .errors import InputError, KeyframeFaceError, MissingExtra, OutputError

__all__ = ["DEFAULT_MAX_KEYS", "BuildReport", "ManifestItem", "build_dataset", "export_dataset", "held_out_sources",
           "read_manifest", "split_take", "write_clip"]

DEFAULT_MAX_KEYS = 8  # keyframes per script (the release's scripts hold a handful)
DEFAULT_RATE = 0.5  # keys per second of take before splitting
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
_CLIP = re.compile(r"^(.+)-[0-9]{3,}$")  # a clip id of a split take: <item id>-001, -002 ...
_MAX_MANIFEST = 64 * 1024 * 1024


@dataclass(frozen=True)
class ManifestItem:
    """One manifest line, checked: where the face comes from and the words of its scene."""

    id: str
    source: str  # absolute path of the video or take
    kind: str  # "video" or "take"
    background: str
    emotion: str
    start: float | None = None
    end: float | None = None
    line: int = 0


@dataclass
class BuildReport:
    """What a build did: clips written per item, items skipped as done, failures with their reason."""

    built: dict[str, list[str]] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.failed

    def summary(self) -> str:
        clips = sum(len(c) for c in self.built.values())
        return (f"{len(self.built)} items built ({clips} clips), {len(self.skipped)} already done, "
                f"{len(self.failed)} failed" + "".join(f"\n  {i}: {e}" for i, e in self.failed.items()))


def read_manifest(path: str | os.PathLike) -> list[ManifestItem]:
    """Every manifest line checked (JSON object, id, exactly one of video/take, background, emotion)."""
    p = Path(path)
    text = read_text_capped(p, _MAX_MANIFEST, "manifest")
    items, seen = [], set()
    for number, line in enumerate(split_lines(text), 1):
        if not line.strip():
            continue
        obj = loads_json(line, path=str(p), line=number, what="not JSON")

        def fail(fieldname: str, message: str, number: int = number) -> None:
            raise InputError(message, path=str(p), line=number, field=fieldname or None)

        if not isinstance(obj, dict):
            fail("", "expected a JSON object")
        ident = obj.get("id")
        if not isinstance(ident, str) or not _ID.match(ident):
            fail("id", f"expected a name of letters, digits, '.', '_', '-' (got {ident!r:.60})")
        if ident in seen:
            fail("id", f"{ident!r} is used by an earlier line")
        seen.add(ident)
        sources = [k for k in ("video", "take") if k in obj]
        if len(sources) != 1:
            fail("video", 'expected exactly one of "video" (a video file or image folder) or "take" (a Live Link CSV)')
        kind = sources[0]
        where = obj[kind]
        if not isinstance(where, str) or not where.strip():
            fail(kind, "expected a path")
        for key in ("background", "emotion"):
            if not isinstance(obj.get(key), str) or not obj[key].strip():
                fail(key, "missing or empty: every item needs its scene's background and emotion")
        span = []
        for key in ("start", "end"):
            value = obj.get(key)
            if value is not None and ((seconds := as_finite(value)) is None or seconds < 0):
                fail(key, f"expected finite seconds >= 0, got {value!r:.40}")
            span.append(None if value is None else float(value))
        if None not in span and span[1] <= span[0]:
            fail("end", f"end {span[1]:g} must be after start {span[0]:g}")
        source = (p.parent / where).resolve()
        items.append(ManifestItem(ident, str(source), kind, obj["background"].strip(), obj["emotion"].strip(),
                                  span[0], span[1], number))
    if not items:
        raise InputError("the manifest has no items", path=str(p))
    _check_ids_apart(items, str(p))
    return items


def _check_ids_apart(items: list[ManifestItem], path: str) -> None:
    """InputError when two items could write the same folder: ids equal but for case (one folder on
    macOS/Windows), or an id that is a clip id of another item (``a-001`` beside a split ``a``)."""
    folded: dict[str, ManifestItem] = {}
    for item in items:
        other = folded.setdefault(item.id.casefold(), item)
        if other is not item:
            raise InputError(f"{item.id!r} differs from line {other.line}'s {other.id!r} only in case (one folder "
                             "on case-insensitive disks)", path=path, line=item.line, field="id")
    for item in items:
        match = _CLIP.match(item.id)
        other = folded.get(match.group(1).casefold()) if match else None
        if other is not None:
            raise InputError(f"{item.id!r} is the name of a clip of line {other.line}'s {other.id!r} (a take with "
                             f"many keys is split into {other.id}-001, {other.id}-002 ...): rename one",
                             path=path, line=item.line, field="id")


def build_dataset(manifest: str | os.PathLike, outdir: str | os.PathLike, *, workers: int | None = None,
                  max_keys: int = DEFAULT_MAX_KEYS, rate: float = DEFAULT_RATE, resume: bool = True,
                  ray: bool = False, progress: Callable[[str, str], None] | None = None,
                  neutral: str | None = None) -> BuildReport:
    """Build DATASET/ from a manifest (see the module doc); returns what was built, skipped and failed.

    ``neutral`` (auto | SECONDS | FILE) calibrates every item to its resting face (``keyframeface.neutral``).
    """
    items = read_manifest(manifest)
    rest = _neutral_spec(neutral)
    out = Path(outdir)
    refuse_overwrite([out / "manifest.jsonl", out / "report.json"], [manifest], field="manifest")
    try:
        (out / "items").mkdir(parents=True, exist_ok=True)
        (out / ".state").mkdir(exist_ok=True)
    except OSError as exc:  # a file in the way, a read-only place
        raise OutputError(f"cannot create the dataset folder: {exc.strerror or exc}", path=str(out)) from None
    for stale in (out / "items").glob(".stage-*"):  # what a killed run was writing (its pid is gone)
        shutil.rmtree(stale, ignore_errors=True)
    report = BuildReport()
    todo = []
    for item in items:
        state = out / ".state" / f"{item.id}.json"
        if resume and state.is_file():
            report.skipped.append(item.id)
        else:
            todo.append(item)
    results = (_run_ray(todo, out, max_keys, rate, progress, neutral=rest) if ray
               else _run_local(todo, out, max_keys, rate, workers, progress, neutral=rest))
    for ident, clips, error in results:
        if error is None:
            report.built[ident] = clips
        else:
            report.failed[ident] = error
    _write_index(items, out, report)
    return report


def _neutral_spec(spec: str | None):
    """The neutral option checked before any work: None, "auto", seconds (str) or the FILE's Neutral, read once."""
    if spec is None or str(spec).strip() == "auto":
        return spec
    from .neutral import read_neutral

    try:
        if float(spec) > 0:
            return str(float(spec))
    except ValueError:
        pass
    if not Path(spec).is_file():
        raise InputError(f"{spec!r}: expected auto, SECONDS > 0 or a neutral file (.neutral.json or a resting-face "
                         ".csv)", field="--neutral")
    return read_neutral(spec)


def _run_local(todo: list[ManifestItem], out: Path, max_keys: int, rate: float, workers: int | None,
               progress: Callable[[str, str], None] | None, **options) -> list[tuple[str, list[str], str | None]]:
    workers = max(1, min(workers or os.cpu_count() or 1, len(todo) or 1))
    results = []
    if workers == 1:
        for item in todo:
            results.append(build_item(item, str(out), max_keys, rate, **options))
            if progress:
                progress(item.id, "failed" if results[-1][2] else "done")
        return results
    import multiprocessing

    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                             initializer=_die_with_parent, initargs=(os.getpid(),)) as pool:
        futures = {pool.submit(build_item, item, str(out), max_keys, rate, **options): item for item in todo}
        for future in as_completed(futures):
            results.append(future.result())
            if progress:
                progress(futures[future].id, "failed" if results[-1][2] else "done")
    return results


def _die_with_parent(parent: int) -> None:
    """Worker initializer: end this worker when the build process dies (even by SIGKILL).

    Linux: prctl(PR_SET_PDEATHSIG, SIGKILL). Elsewhere (or if prctl fails): a daemon thread that
    polls the parent pid once a second."""
    import signal
    import sys

    armed = False
    if sys.platform.startswith("linux"):
        import ctypes

        try:
            armed = ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL, 0, 0, 0) == 0  # 1 = PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            armed = False
    if os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(1)
    if not armed:
        import threading
        import time

        def watch() -> None:
            while os.getppid() == parent:
                time.sleep(1.0)
            os._exit(1)

        threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _run_ray(todo: list[ManifestItem], out: Path, max_keys: int, rate: float,
             progress: Callable[[str, str], None] | None = None, **options) -> list[tuple[str, list[str], str | None]]:
    """The same items as Ray tasks on RAY_ADDRESS's cluster (else a local one); a lost task fails only its item."""
    try:
        import ray
    except ImportError as exc:
        raise MissingExtra("dataset build --ray", "ray", "ray") from exc
    started = not ray.is_initialized()
    if started:
        ray.init(log_to_driver=False)
    try:
        task = ray.remote(max_retries=1)(build_item)
        pending = {task.remote(item, str(out), max_keys, rate, **options): item for item in todo}
        results = []
        while pending:
            done, _ = ray.wait(list(pending), num_returns=1)
            item = pending.pop(done[0])
            try:
                results.append(ray.get(done[0]))
            except Exception as exc:  # noqa: BLE001 - a crashed worker or lost node fails this item only
                results.append((item.id, [], f"{type(exc).__name__} (Ray task): {str(exc).strip()[:300]}"))
            if progress:
                progress(item.id, "failed" if results[-1][2] else "done")
        return results
    finally:
        if started:
            ray.shutdown()


def build_item(item: ManifestItem, outdir: str, max_keys: int = DEFAULT_MAX_KEYS,
               rate: float = DEFAULT_RATE, neutral=None) -> tuple[str, list[str], str | None]:
    """Capture/read, calibrate, extract, split, describe and write one item: (id, clip ids, error or None).

    Never raises. ``neutral``: None, "auto", seconds or a Neutral (see ``build_dataset``).
    """
    out = Path(outdir)
    stage = out / "items" / f".stage-{item.id}-{os.getpid()}"
    try:
        values, fps = _face(item)
        if neutral is not None:
            from .neutral import Neutral, calibrate, resolve_neutral

            neutral = neutral if isinstance(neutral, Neutral) else resolve_neutral(neutral, values, fps)
            values = calibrate(values, neutral)
        clips = _clips(values, fps, max_keys, rate)
        shutil.rmtree(stage, ignore_errors=True)
        stage.mkdir(parents=True)
        names = [item.id] if len(clips) == 1 else [f"{item.id}-{k:03d}" for k in range(1, len(clips) + 1)]
        for name, (a, b) in zip(names, clips):
            write_clip(stage / name, values[a:b], fps, max_keys, ident=item.id, background=item.background,
                       emotion=item.emotion, source=item.source, neutral=neutral)
        for name in names:
            target = out / "items" / name
            shutil.rmtree(target, ignore_errors=True)
            os.replace(stage / name, target)
        atomic_write_text(out / ".state" / f"{item.id}.json", json.dumps({"clips": names}) + "\n")
        return item.id, names, None
    except KeyframeFaceError as exc:
        return item.id, [], f"{type(exc).__name__}: {exc}"
    except Exception as exc:  # noqa: BLE001 - one bad item never stops the others
        return item.id, [], f"{type(exc).__name__}: {exc}"
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def _face(item: ManifestItem) -> tuple[np.ndarray, float]:
    if item.kind == "take":
        from .keyframes_extract import read_take

        values, fps = read_take(item.source)
        if item.start is not None or item.end is not None:
            a = round((item.start or 0.0) * fps)
            b = len(values) if item.end is None else round(item.end * fps) + 1
            values = values[a:b]
        return values, fps
    from .capture import capture

    cap = capture(item.source, start=item.start, end=item.end)
    return cap.values, cap.fps


def _clips(values: np.ndarray, fps: float, max_keys: int, rate: float) -> list[tuple[int, int]]:
    """Frame ranges [a, b) of the clips: split at the quietest keys so each clip needs at most ``max_keys``."""
    from .keyframes_extract import key_frames, tail_frames

    ex = key_frames(values, fps, rate=rate)
    frames = ex.frames.tolist()
    if len(frames) <= max_keys:
        return [(0, len(values))]
    bs = values[:, :52]
    activity = np.abs(bs - np.percentile(bs, 5, axis=0)).sum(axis=1)
    cuts, start = [], 0  # indices into frames where a clip ends and the next begins
    while len(frames) - start > max_keys:
        window = range(start + 2, min(start + max_keys, len(frames) - 2) + 1)
        if not window:
            break
        cut = min(window, key=lambda k: activity[frames[k]])
        cuts.append(cut)
        start = cut
    tail = tail_frames(fps)
    bounds = [0] + [frames[c] for c in cuts] + [len(values) - 1]
    return [(a, min(len(values), b + 1 + (tail if i + 2 < len(bounds) else 0)))
            for i, (a, b) in enumerate(itertools.pairwise(bounds))]


def split_take(values: np.ndarray, fps: float, folder: str | os.PathLike, *, max_keys: int = DEFAULT_MAX_KEYS,
               rate: float = DEFAULT_RATE, ident: str = "clip", background: str = "", emotion: str = "",
               source: str = "", neutral=None) -> list[str]:
    """Split a take at its quietest keys into scripts of at most ``max_keys`` keys: FOLDER/<ident>-NNN/.

    ``neutral``: the Neutral the values are calibrated against (stored in each clip), or None.
    """
    if max_keys < 2:
        raise InputError(f"{max_keys} not >= 2", field="--max-keys")
    out = Path(folder)
    clips = _clips(values, fps, max_keys, rate)
    names = [f"{ident}-{k:03d}" for k in range(1, len(clips) + 1)]
    stage = out / f".stage-{ident}-{os.getpid()}"
    shutil.rmtree(stage, ignore_errors=True)
    stage.mkdir(parents=True)
    try:
        for name, (a, b) in zip(names, clips):
            write_clip(stage / name, values[a:b], fps, max_keys, ident=ident, background=background,
                       emotion=emotion, source=source, neutral=neutral)
        for name in names:
            shutil.rmtree(out / name, ignore_errors=True)
            os.replace(stage / name, out / name)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return names


def write_clip(folder: Path, values: np.ndarray, fps: float, max_keys: int, *, ident: str, background: str,
               emotion: str, source: str, neutral=None) -> None:
    """One clip folder: take.csv, keyframes.json (at most ``max_keys`` described keys) and script.yaml.

    With a ``neutral`` (the values are calibrated against it) also take.neutral.json, and keyframes.json's
    ``extra.neutral``, so the calibration can be undone.
    """
    import yaml

    from .formats.keyframes_json import write_keyframes_json
    from .formats.livelink_csv import write_livelink_csv
    from .keyframes_extract import take_keyframes, tail_frames

    folder.mkdir()
    script, keyframes, times, timing, extra = take_keyframes(  # a script holds max_keys (fewer if it is that short)
        values, fps, background=background, emotion=emotion, source=source,
        keys=max(2, min(max_keys, len(values) - tail_frames(fps))), neutral=neutral)
    extra["id"] = ident
    write_livelink_csv(folder / "take.csv", values, fps)
    if neutral is not None:
        from .neutral import sidecar_path, write_neutral

        write_neutral(sidecar_path(folder / "take.csv"), neutral)
    write_keyframes_json(folder / "keyframes.json", script, keyframes, times, planned_by="capture",
                         extra=extra, timing=timing)
    doc = {"background": script.background, "emotion": script.emotion, "fps": float(fps),
           "keyframes": [{"description": k.spec.description, "hold": round(h, 6), "duration": round(d, 6)}
                         for k, (h, d) in zip(keyframes, timing)]}
    atomic_write_text(folder / "script.yaml", yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=120))


def _write_index(items: list[ManifestItem], out: Path, report: BuildReport) -> None:
    lines = []
    for item in items:
        state = out / ".state" / f"{item.id}.json"
        if not state.is_file():
            continue
        for clip in json.loads(state.read_text(encoding="utf-8"))["clips"]:
            keys = out / "items" / clip / "keyframes.json"
            doc = json.loads(keys.read_text(encoding="utf-8"))
            lines.append(json.dumps({"id": clip, "source_id": item.id, "path": f"items/{clip}",
                                     "background": item.background, "emotion": item.emotion,
                                     "keyframes": len(doc["keyframes"]), "fps": doc["fps"],
                                     "frames": doc.get("extra", {}).get("frames")}, ensure_ascii=False))
    atomic_write_text(out / "manifest.jsonl", "".join(line + "\n" for line in lines))
    atomic_write_text(out / "report.json", json.dumps(
        {"built": report.built, "skipped": report.skipped, "failed": report.failed}, indent=1) + "\n")


def export_dataset(dataset: str | os.PathLike, output: str | os.PathLike, *, fmt: str = "swift",
                   split: float = 0.0, perspective: str = "script", llm=None) -> dict[str, int]:
    """Write one chat line per keyframe (see the module doc); returns lines written per file.

    ``perspective``: "script" uses script.yaml's descriptions; animator, channels, facs or emotion writes
    that perspective from the keyframes' values (``describe.annotate``) in their place; "llm" asks the
    OpenAI-compatible server of ``llm`` (LLMSettings) to annotate them (``annotate_llm``).
    """
    if perspective == "llm" and llm is None:
        raise InputError("the llm perspective needs a server: give --llm-url and --llm-model", field="--perspective")
    from .formats.keyframes_json import read_keyframes_json
    from .formats.reference import DECIMALS, answer_key, reference_messages
    from .script import load_script

    if fmt not in ("swift", "openai"):
        raise InputError(f"unknown format {fmt!r}: expected swift or openai", field="--format")
    if not 0.0 <= split < 1.0:
        raise InputError(f"{split:g} not in [0, 1)", field="--split")
    root = Path(dataset)
    index = root / "manifest.jsonl"
    if not index.is_file():
        raise InputError("no manifest.jsonl (expected a folder written by `dataset build`)", path=str(root))
    out = Path(output)
    val_path = out.with_name(out.stem + ".val" + out.suffix)
    refuse_overwrite([out, val_path] if split > 0 else [out], [index, root])
    entries = [(number, loads_json(line, path=str(index), line=number, what="not JSON"))
               for number, line in enumerate(split_lines(index.read_text(encoding="utf-8")), 1) if line.strip()]
    held_out = held_out_sources([str(e.get("source_id", e.get("id"))) for _, e in entries if isinstance(e, dict)],
                                split)
    train, val = [], []
    for number, entry in entries:
        if not isinstance(entry, dict) or not isinstance(entry.get("path"), str) or not isinstance(entry.get("id"), str):
            raise InputError('expected {"id": ..., "path": "items/<id>", ...}', path=str(index), line=number)
        folder = root / entry["path"]
        script = load_script(str(folder / "script.yaml"))
        _, keyframes, _ = read_keyframes_json(folder / "keyframes.json")
        if len(keyframes) != len(script.keyframes):
            raise InputError(f"{len(keyframes)} keyframes but {len(script.keyframes)} in script.yaml",
                             path=str(folder / "keyframes.json"), field="keyframes")
        if perspective != "script":
            import dataclasses

            from .describe import annotate

            if perspective == "llm":
                from .annotate_llm import annotate_llm

                texts = annotate_llm([k.values for k in keyframes], llm, background=script.background,
                                     emotion=script.emotion)
            else:
                texts = annotate([k.values for k in keyframes], perspective, emotion=script.emotion)
            script = dataclasses.replace(script, keyframes=tuple(
                dataclasses.replace(spec, description=text) for spec, text in zip(script.keyframes, texts)))
        held = entry.get("source_id", entry["id"]) in held_out
        for i, keyframe in enumerate(keyframes):
            values = {name: round(float(v), DECIMALS) + 0.0 for name, v in keyframe.as_dict().items()}
            answer = json.dumps({answer_key(i): values}, ensure_ascii=False, separators=(",", ":"))
            messages = reference_messages(script, i) + [{"role": "assistant", "content": answer}]
            (val if held else train).append(json.dumps({"messages": messages}, ensure_ascii=False,
                                                       separators=(",", ":")))
    out = Path(output)
    atomic_write_text(out, "".join(line + "\n" for line in train))
    counts = {str(out): len(train)}
    if split > 0:
        atomic_write_text(val_path, "".join(line + "\n" for line in val))
        counts[str(val_path)] = len(val)
    return counts


def held_out_sources(source_ids: list[str], split: float) -> set[str]:
    """The source ids ``export_dataset(split=...)`` holds out (by hash; a small dataset still gets one)."""
    sources = sorted(set(source_ids), key=_bucket)
    held_out = {s for s in sources if _bucket(s) < split}
    if split > 0 and not held_out and len(sources) > 1:
        held_out = {sources[0]}
    return held_out


def _bucket(ident: str) -> float:
    """A stable number in [0, 1) from an id (the same split on every machine and run)."""
    return int(hashlib.sha1(ident.encode("utf-8")).hexdigest()[:8], 16) / 16**8
