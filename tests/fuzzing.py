"""Shared pieces of the property-based (hypothesis) reader tests, tests/test_fuzz_*.py.

Inputs are real files (tests/fixtures, the bundled example, files we write) mutated the
way a hostile tester does: bytes flipped, cut, repeated, and hostile tokens spliced in
(numbers beyond float range, thousand-digit integers, NaN, U+2028, invalid UTF-8, lone
surrogate escapes, deep nesting, YAML alias bombs). Every reader must then raise only the
project's own errors (naming where), never hang, and write nothing on failure.

The default suite runs a bounded, derandomized number of examples per reader (fast, the
same every run); ``KEYFRAMEFACE_FUZZ=long`` runs many more with fresh randomness, and
``KEYFRAMEFACE_FUZZ_EXAMPLES=N`` sets the count directly:

    KEYFRAMEFACE_FUZZ=long .venv/bin/python -m pytest -q tests/test_fuzz_*.py
"""

from __future__ import annotations

import atexit
import itertools
import os
import shutil
import tempfile
from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

LONG = os.environ.get("KEYFRAMEFACE_FUZZ") == "long"
EXAMPLES = int(os.environ.get("KEYFRAMEFACE_FUZZ_EXAMPLES") or (3000 if LONG else 150))
FIXTURES = Path(__file__).resolve().parent / "fixtures"

FUZZ = settings(max_examples=EXAMPLES, deadline=timedelta(seconds=5), derandomize=not LONG, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture, HealthCheck.filter_too_much])

HOSTILE: tuple[bytes, ...] = (
    b"1e39", b"-1e400", b"9" * 5000, b"1" + b"0" * 400, b"NaN", b"Infinity", b"nan", b"inf", b"-inf",
    b".inf", b"1e-300", b"-5", b"0", b"1e7", b"1e300", b"99999999999999999999", b"-0.0",
    b"\xff\xfe", b"\xc3\x28", b"\xe2\x80\xa8", b"\xc2\x85", b"\x0c", b"\x00", b"\\ud800", b"\\udfff",
    b"[" * 300, b"{" * 300, b"]", b"}", b"&a [*a,*a,*a,*a]", b"*a", b"!!python/object/apply:os.system ['x']",
    b"\r", b"\n", b"\r\n", b",", b":", b'"', b"'", b"-", b"#", b"\t", b" " * 50, b"\xef\xbb\xbf",
    b"JawOpem", b"BlendShapeCount", b"Timecode", b"99:99:99:99.999", b"true", b"null", b"[]", b"{}",
)


@st.composite
def mutated(draw: st.DrawFn, seed: bytes, max_ops: int = 4) -> bytes:
    """``seed`` after up to ``max_ops`` mutations: hostile token splices, byte flips, cuts, repeats."""
    data = bytearray(seed)
    for _ in range(draw(st.integers(0, max_ops))):
        op = draw(st.sampled_from(("splice", "replace", "flip", "cut", "repeat", "truncate")))
        at = draw(st.integers(0, len(data)))
        if op in ("splice", "replace"):
            token = draw(st.sampled_from(HOSTILE) | st.binary(max_size=8))
            end = at + (draw(st.integers(0, 12)) if op == "replace" else 0)
            data[at:end] = token
        elif op == "flip" and data:
            i = min(at, len(data) - 1)
            data[i] = draw(st.integers(0, 255))
        elif op == "cut":
            del data[at:at + draw(st.integers(1, 40))]
        elif op == "repeat":
            piece = data[at:at + draw(st.integers(1, 60))]
            data[at:at] = piece * draw(st.integers(1, 20))
        elif op == "truncate":
            del data[at:]
    return bytes(data)


def fixture(*parts: str) -> Path:
    """A file of tests/fixtures (they ship with the repository; a missing one fails loudly)."""
    path = FIXTURES.joinpath(*parts)
    if not path.is_file():
        raise FileNotFoundError(f"tests/fixtures/{'/'.join(parts)} is missing: the fixtures ship with the repository")
    return path


_SCRATCH = Path(tempfile.mkdtemp(prefix="kff-fuzz-"))
atexit.register(shutil.rmtree, _SCRATCH, True)
_COUNTER = itertools.count()


def scratch_file(data: bytes, suffix: str) -> Path:
    """``data`` written as input<suffix> in a fresh, empty folder (the previous example's is removed)."""
    for old in _SCRATCH.iterdir():
        shutil.rmtree(old, ignore_errors=True)
    folder = _SCRATCH / str(next(_COUNTER))
    folder.mkdir()
    path = folder / f"input{suffix}"
    path.write_bytes(data)
    return path
