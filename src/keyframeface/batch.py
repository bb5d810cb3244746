"""Batch: many scripts (JSONL, one per line) -> one output folder per script, concurrently.

    run_batch(SCRIPTS.jsonl, OUTDIR, backend_options={"backend": "llm", "url": ..., "model": ...})

    OUTDIR/<id>/animation.csv, keyframes.json, keyframes.jsonl (what `animate` writes)
    OUTDIR/<id>/.batch-done.json   written last: the item is complete (what resume checks)
    OUTDIR/report.json             counts, and per failure: id, line, error
    OUTDIR/.cache/                 LLM answers keyed by the full request (re-runs send nothing)

Items run on a pool of ``concurrency`` threads driven by asyncio; the pipeline is
sync and spends its time waiting on the server, so threads scale like the server
does. A bad line or a failing item is recorded and never stops the others.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import hashlib
import json
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ._io import atomic_write_text
from ._limits import (
    MAX_JSON_BYTES,
    MAX_SCRIPT_BYTES,
    decode_utf8,
    loads_json,
    read_bytes_capped,
)
from .data import Script
from .errors import InputError, KeyframeFaceError, OutputError

__all__ = ["BatchReport", "ItemFailure", "run_batch"]

DONE_MARKER = ".batch-done.json"
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")  # safe as a folder name everywhere
_RESERVED = {"report.json"}  # names the batch itself writes in OUTDIR
MAX_SCRIPTS_BYTES = 64 * MAX_JSON_BYTES  # a SCRIPTS.jsonl file (1 GiB)


@dataclass(frozen=True)
class ItemFailure:
    """One script that produced no output: its id (None for an unreadable line), line and why."""

    id: str | None
    line: int
    error: str


@dataclass(frozen=True)
class BatchReport:
    """What a batch run did; also written to ``OUTDIR/report.json``."""

    scripts: Path
    outdir: Path
    total: int  # non-blank lines in SCRIPTS.jsonl
    done: int  # items animated by this run
    skipped: int  # items already complete (resume)
    failures: tuple[ItemFailure, ...] = ()
    seconds: float = 0.0
    items: tuple[dict, ...] = field(default=(), repr=False)  # per item: id, line, status

    @property
    def ok(self) -> bool:
        return not self.failures

    @property
    def report_path(self) -> Path:
        return self.outdir / "report.json"

    def summary(self) -> str:
        """One line for the terminal."""
        text = (f"batch {self.scripts}: {self.total} scripts, {self.done} done, {self.skipped} already finished, "
                f"{len(self.failures)} failed in {self.seconds:.1f} s -> {self.outdir}")
        return text + (f" (see {self.report_path})" if self.failures else "")

    def as_dict(self) -> dict[str, Any]:
        return {"scripts": str(self.scripts), "outdir": str(self.outdir), "total": self.total, "done": self.done,
                "skipped": self.skipped, "failed": len(self.failures), "seconds": round(self.seconds, 3),
                "warnings": sum(i.get("warnings", 0) for i in self.items),
                "failures": [vars(f) for f in self.failures], "items": list(self.items)}


@dataclass(frozen=True)
class _Item:
    id: str
    line: int
    script: Script
    digest: str  # sha256 of the script line's data: a changed script is redone


def run_batch(scripts_path: Path, outdir: Path, *, backend_options: dict, concurrency: int = 4,
              progress: bool = True, resume: bool = True, preview: bool = False, life: bool = True) -> BatchReport:
    """Animate every script in ``scripts_path`` into ``outdir/<id>/``; never stops at one failure.

    ``backend_options``: ``{"backend": "engine" | "llm" | ..., **options for get_backend}``; for
    the LLM, ``cache_dir`` defaults to ``outdir/.cache``. ``resume`` skips items whose outputs
    are complete and whose script is unchanged.
    """
    from .backends import get_backend
    from .pipeline import Pipeline

    if concurrency < 1:
        raise InputError(f"{concurrency} is not a positive number of parallel items", field="concurrency")
    from .outputs import clean_stale

    start = time.perf_counter()
    scripts_path, outdir = Path(scripts_path), Path(outdir)
    if not str(outdir).strip() or (outdir.exists() and not outdir.is_dir()):
        raise OutputError("is not a folder; give the folder the items go in", path=str(outdir))
    items, failures = _read_scripts(scripts_path)
    try:
        outdir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create: {exc.strerror or exc}", path=str(outdir)) from None
    clean_stale(outdir)  # staging folders of killed earlier runs
    options = dict(backend_options)
    name = options.pop("backend", "engine")
    if name == "llm":
        options.setdefault("cache_dir", outdir / ".cache")
    pending = [it for it in items if not (resume and _complete(outdir / it.id, it, preview))]
    statuses = {it.id: "skipped" for it in items}
    repairs: dict[str, int] = {}  # per item: warnings (answers repaired, values clamped) of this run
    if pending:
        backend = get_backend(name, **options)
        pipeline = Pipeline(backend, life=life)
        try:
            results = asyncio.run(_run_all(pending, lambda it: _animate(pipeline, it, outdir, preview),
                                           concurrency, progress))
        finally:
            getattr(backend, "close", lambda: None)()
        from .backends.llm.config import scrub

        secrets = getattr(getattr(backend, "settings", None), "secrets", ())  # the LLM's key and URL secrets
        for item, (error, notes) in zip(pending, results):
            statuses[item.id] = "failed" if error else "done"
            repairs[item.id] = notes
            if error:
                failures.append(ItemFailure(item.id, item.line, scrub(error, *secrets) or ""))
    report = BatchReport(
        scripts=scripts_path, outdir=outdir, total=len(items) + sum(f.id is None for f in failures),
        done=sum(s == "done" for s in statuses.values()), skipped=sum(s == "skipped" for s in statuses.values()),
        failures=tuple(sorted(failures, key=lambda f: f.line)), seconds=time.perf_counter() - start,
        items=tuple({"id": it.id, "line": it.line, "status": statuses[it.id], "warnings": repairs.get(it.id, 0)}
                    for it in items))
    try:
        atomic_write_text(report.report_path, json.dumps(report.as_dict(), indent=1, ensure_ascii=False) + "\n")
    except OSError as exc:
        raise OutputError(f"cannot write: {exc.strerror or exc}", path=str(report.report_path)) from None
    return report


def _read_scripts(path: Path) -> tuple[list[_Item], list[ItemFailure]]:
    """Valid items and per-line failures (bad JSON, bad script, bad or duplicate id)."""
    from .script import script_from_dict

    blob = read_bytes_capped(path, MAX_SCRIPTS_BYTES, "scripts JSONL")
    items: list[_Item] = []
    failures: list[ItemFailure] = []
    seen: dict[str, int] = {}
    # Split bytes on b"\n" only: a bad byte, U+2028 or U+0085 spoils one line, never the batch.
    for number, raw in enumerate(blob.split(b"\n"), 1):
        if not raw.strip():
            continue
        try:
            if len(raw) > MAX_SCRIPT_BYTES:
                raise InputError(f"{len(raw):,} bytes; one script may be at most {MAX_SCRIPT_BYTES:,}",
                                 path=str(path), line=number)
            line = decode_utf8(raw, str(path), number - 1)
            record = loads_json(line, path=str(path), line=number, what="not JSON")
            script = script_from_dict(record, source=str(path), line=number)
            raw_id = record.get("id", f"line-{number:05d}")
            if isinstance(raw_id, bool) or not isinstance(raw_id, (str, int)) or (
                    isinstance(raw_id, int) and not 0 <= raw_id < 10**18):
                raise InputError(f"{str(raw_id)[:60]!r} is not a usable id (a text or a whole number >= 0)",
                                 path=str(path), line=number, field="id")
            item_id = str(raw_id)
            if not _ID.match(item_id) or item_id.lower() in _RESERVED:
                raise InputError(f"{item_id[:60]!r} is not a usable id (letters, digits, '.', '_', '-'; "
                                 f"not {', '.join(sorted(_RESERVED))})", path=str(path), line=number, field="id")
            if item_id in seen:
                raise InputError(f"id {item_id!r} already used on line {seen[item_id]}", path=str(path),
                                 line=number, field="id")
        except InputError as exc:
            failures.append(ItemFailure(None, number, str(exc)))
            continue
        seen[item_id] = number
        digest = hashlib.sha256(json.dumps(record, sort_keys=True).encode()).hexdigest()
        items.append(_Item(item_id, number, script, digest))
    return items, failures


async def _run_all(items: list[_Item], work, concurrency: int, progress: bool) -> list[tuple[str | None, int]]:
    """Run ``work`` over items on ``concurrency`` threads; (error or None, warnings) in item order."""
    from ._console import progress_bar

    loop = asyncio.get_running_loop()
    with concurrent.futures.ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="batch") as pool, \
            progress_bar(len(items), "batch", "script", enabled=progress, delay=0, leave=True) as bar:
        futures = [loop.run_in_executor(pool, work, it) for it in items]
        for future in asyncio.as_completed(futures):
            error, _ = await future
            bar.update()
            if error:
                bar.set_postfix_str("some failed, see report.json", refresh=False)
        return [f.result() for f in futures]


def _animate(pipeline, item: _Item, outdir: Path, preview: bool) -> tuple[str | None, int]:
    """Animate one item into its folder; (the error text or None on success, how many warnings)."""
    from .outputs import write_outputs

    folder = outdir / item.id
    marker = folder / DONE_MARKER
    notes = 0
    try:
        marker.unlink(missing_ok=True)
        animation = pipeline.run(item.script)
        notes = sum(len(k.warnings) for k in animation.keyframes)
        files = write_outputs(animation, folder, preview=preview)
        atomic_write_text(marker, json.dumps({"line": item.line, "script_sha256": item.digest, "preview": preview,
                                              "files": [p.name for p in files]}, indent=1) + "\n")
    except KeyframeFaceError as exc:
        return str(exc), notes
    except Exception as exc:  # a bug on one item must not sink the batch; report it with its type
        return f"{type(exc).__name__}: {exc}", notes
    return None, notes


def _complete(folder: Path, item: _Item, preview: bool) -> bool:
    """True when the folder holds every file of a finished run of this same script."""
    try:
        done = json.loads((folder / DONE_MARKER).read_text(encoding="utf-8"))
        return (done["script_sha256"] == item.digest and (done["preview"] or not preview)
                and all((folder / name).is_file() for name in done["files"]))
    except (OSError, ValueError, KeyError, TypeError):
        return False

