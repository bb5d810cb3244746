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
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ._io import atomic_write_text
from .data import Script
from .errors import InputError, KeyframeFaceError

__all__ = ["BatchReport", "ItemFailure", "run_batch"]

DONE_MARKER = ".batch-done.json"
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")  # safe as a folder name everywhere


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
    start = time.perf_counter()
    scripts_path, outdir = Path(scripts_path), Path(outdir)
    items, failures = _read_scripts(scripts_path)
    options = dict(backend_options)
    name = options.pop("backend", "engine")
    if name == "llm":
        options.setdefault("cache_dir", outdir / ".cache")
    pending = [it for it in items if not (resume and _complete(outdir / it.id, it, preview))]
    statuses = {it.id: "skipped" for it in items}
    if pending:
        backend = get_backend(name, **options)
        pipeline = Pipeline(backend, life=life)
        try:
            results = asyncio.run(_run_all(pending, lambda it: _animate(pipeline, it, outdir, preview),
                                           concurrency, progress))
        finally:
            getattr(backend, "close", lambda: None)()
        for item, error in zip(pending, results):
            statuses[item.id] = "failed" if error else "done"
            if error:
                failures.append(ItemFailure(item.id, item.line, error))
    report = BatchReport(
        scripts=scripts_path, outdir=outdir, total=len(items) + sum(f.id is None for f in failures),
        done=sum(s == "done" for s in statuses.values()), skipped=sum(s == "skipped" for s in statuses.values()),
        failures=tuple(sorted(failures, key=lambda f: f.line)), seconds=time.perf_counter() - start,
        items=tuple({"id": it.id, "line": it.line, "status": statuses[it.id]} for it in items))
    atomic_write_text(report.report_path, json.dumps(report.as_dict(), indent=1, ensure_ascii=False) + "\n")
    return report


def _read_scripts(path: Path) -> tuple[list[_Item], list[ItemFailure]]:
    """Valid items and per-line failures (bad JSON, bad script, bad or duplicate id)."""
    from .script import script_from_dict

    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read scripts: {exc.strerror or exc}", path=str(path)) from None
    items: list[_Item] = []
    failures: list[ItemFailure] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            try:
                data = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"not JSON: {exc.msg} (column {exc.colno})", path=str(path), line=number) from None
            script = script_from_dict(data, source=str(path), line=number)
            item_id = str(data.get("id", f"line-{number:05d}"))
            if not _ID.match(item_id) or isinstance(data.get("id"), (bool, float, dict, list)):
                raise InputError(f"{data.get('id')!r} is not a usable id (letters, digits, '.', '_', '-')",
                                 path=str(path), line=number, field="id")
            if item_id in seen:
                raise InputError(f"id {item_id!r} already used on line {seen[item_id]}", path=str(path),
                                 line=number, field="id")
        except InputError as exc:
            failures.append(ItemFailure(None, number, str(exc)))
            continue
        seen[item_id] = number
        digest = hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()
        items.append(_Item(item_id, number, script, digest))
    return items, failures


async def _run_all(items: list[_Item], work, concurrency: int, progress: bool) -> list[str | None]:
    """Run ``work`` over items on ``concurrency`` threads; errors (or None) in item order."""
    from tqdm import tqdm

    loop = asyncio.get_running_loop()
    with concurrent.futures.ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="batch") as pool, \
            tqdm(total=len(items), file=sys.stderr, disable=not progress, unit="script", desc="batch") as bar:
        futures = [loop.run_in_executor(pool, work, it) for it in items]
        for future in asyncio.as_completed(futures):
            error = await future
            bar.update()
            if error:
                bar.set_postfix_str("some failed, see report.json", refresh=False)
        return [f.result() for f in futures]


def _animate(pipeline, item: _Item, outdir: Path, preview: bool) -> str | None:
    """Animate one item into its folder; the error text, or None on success."""
    from .outputs import write_outputs

    folder = outdir / item.id
    marker = folder / DONE_MARKER
    try:
        marker.unlink(missing_ok=True)
        animation = pipeline.run(item.script)
        files = write_outputs(animation, folder, preview=preview)
        atomic_write_text(marker, json.dumps({"line": item.line, "script_sha256": item.digest, "preview": preview,
                                              "files": [p.name for p in files]}, indent=1) + "\n")
    except KeyframeFaceError as exc:
        return str(exc)
    except Exception as exc:  # a bug on one item must not sink the batch; report it with its type
        return f"{type(exc).__name__}: {exc}"
    return None


def _complete(folder: Path, item: _Item, preview: bool) -> bool:
    """True when the folder holds every file of a finished run of this same script."""
    try:
        done = json.loads((folder / DONE_MARKER).read_text(encoding="utf-8"))
        return (done["script_sha256"] == item.digest and (done["preview"] or not preview)
                and all((folder / name).is_file() for name in done["files"]))
    except (OSError, ValueError, KeyError, TypeError):
        return False

