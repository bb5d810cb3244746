"""Property-based tests of the numeric options of capture, keyframes and dataset, of Live Link CSV
timecodes and of the answers import-results reads (issue 15, items 5-6).

Any text given to an option either parses to a finite number in the documented range or is refused by
argparse with exit 2 naming the option (never a traceback, never thousands of digits echoed back); the
library's own checks (capture.check_options, key_frames) agree on floats of every kind. A timecode column
is read only when every timecode is ``HH:MM:SS:FF[.fff]`` in ASCII digits; anything else is an InputError
naming the line and the Timecode field, whichever of the reader's two parsers meets it. Hostile tokens
spliced into the answer inside a results line (not only into the line's own JSON) give InputError or a
valid keyframe: 400-digit values, deep nesting, NaN are the LLM route's answer limits on this surface too.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

pytest.importorskip("hypothesis", reason="the fuzz tests need hypothesis (the dev extra)")

from fuzzing import FUZZ, HOSTILE
from hypothesis import given
from hypothesis import strategies as st

from fuzzing import mutated, scratch_file

from keyframeface.capture import MAX_FPS, MIN_FPS, check_options
from keyframeface.channels import N_CHANNELS
from keyframeface.cli import _build_parser
from keyframeface.errors import InputError
from keyframeface.formats.livelink_csv import HEADER, read_livelink_csv
from keyframeface.keyframes_extract import key_frames

# (command words, option, kind, low, high): the ranges the help texts state
OPTIONS = [
    (["capture", "V", "-o", "o.csv"], "--start", float, 0, 1e7),
    (["capture", "V", "-o", "o.csv"], "--end", float, 0, 1e7),
    (["capture", "V", "-o", "o.csv"], "--fps", float, 1, 240),
    (["keyframes", "T", "-o", "k.json"], "--rate", float, 0.01, 60),
    (["keyframes", "T", "-o", "k.json"], "--keys", int, 2, 216000),
    (["keyframes", "T", "-o", "k.json"], "--max-error", float, 0, 2),
    (["dataset", "build", "M", "-o", "D"], "--workers", int, 1, 256),
    (["dataset", "build", "M", "-o", "D"], "--max-keys", int, 2, 64),
    (["dataset", "export", "D", "-o", "t.jsonl"], "--split", float, 0, 0.99),
]

number_texts = st.one_of(
    st.sampled_from([h.decode("utf-8", "replace") for h in HOSTILE]),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(min_value=-10**30, max_value=10**30).map(str),
    st.text(alphabet="0123456789.eE+-_ nainfINF\u0660\u00b9", max_size=30),
)


@FUZZ
@given(st.sampled_from(OPTIONS), number_texts)
def test_every_validated_option_parses_in_range_or_exits_2_naming_itself(capsys, option, text):
    words, name, kind, low, high = option
    try:
        args = _build_parser().parse_args([*words, f"{name}={text}"])
    except SystemExit as exc:
        err = capsys.readouterr().err
        assert exc.code == 2 and name in err and "Traceback" not in err
        assert len(err) < 2000
        return
    value = getattr(args, name.lstrip("-").replace("-", "_"))
    assert isinstance(value, kind) and not isinstance(value, bool)
    assert math.isfinite(value) and low <= value <= high


floats = st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True), st.integers(-10**6, 10**6))


@FUZZ
@given(floats, floats, floats)
def test_capture_check_options_accepts_only_finite_in_range_values(start, end, fps):
    try:
        check_options(start, end, fps)
    except InputError as exc:
        assert exc.field in ("--start", "--end", "--fps")
        return
    for value in (start, end, fps):
        assert value is None or math.isfinite(value)
    assert start is None or start >= 0
    assert end is None or end > (start or 0)
    assert fps is None or MIN_FPS <= fps <= MAX_FPS


TAKE = np.clip(np.cumsum(np.random.default_rng(1).normal(0, 0.03, (150, N_CHANNELS)), axis=0), 0, 1) * 0.5


@FUZZ
@given(st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True)),
       st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True)))
def test_key_frames_rate_and_max_error_are_checked(rate, max_error):
    try:
        extraction = key_frames(TAKE, 30.0, rate=rate, max_error=max_error)
    except InputError as exc:
        assert exc.field in ("--rate", "--max-error")
        bad_rate = rate is not None and not (math.isfinite(rate) and rate > 0)
        bad_error = max_error is not None and not (math.isfinite(max_error) and max_error >= 0)
        too_many = rate is not None and not bad_rate and "keys fit" in str(exc)  # more keys than the take has frames
        assert bad_rate or bad_error or too_many
        return
    assert 2 <= len(extraction.frames) <= len(TAKE)  # at most one key a frame (extracted keys are not capped at 64)


TIMECODE = re.compile(r"^\d{1,6}:[0-5]\d:[0-5]\d[:;]\d{1,3}(\.\d{0,9})?$", re.ASCII)  # the documented form
timecodes = st.one_of(
    st.builds(lambda h, m, s, f, frac: f"{h:02d}:{m:02d}:{s:02d}:{f:02d}{frac}", st.integers(0, 10**7),
              st.integers(0, 99), st.integers(0, 99), st.integers(0, 10**5),
              st.sampled_from(["", ".", ".000", ".5", ".1234567890"])),
    st.text(alphabet="0123456789:;._ \u0660\u0661\uff10", max_size=20),
)


@FUZZ
@given(st.lists(timecodes, min_size=1, max_size=6))
def test_timecodes_are_read_only_when_every_one_is_a_timecode(codes):
    row = ",61," + ",".join(["0.0000000000"] * N_CHANNELS)
    path = scratch_file((HEADER + "\n" + "".join(c + row + "\n" for c in codes)).encode("utf-8"), ".csv")
    try:
        take = read_livelink_csv(path)
    except InputError as exc:
        assert exc.field == "Timecode" and exc.line is not None
        bad = next(i for i, c in enumerate(codes) if not TIMECODE.match(c.strip()))
        assert exc.line == bad + 2
        return
    assert all(TIMECODE.match(c.strip()) for c in codes) or not any(c.strip() for c in codes)
    assert len(take.values) == len(codes) and 1 <= take.fps <= 240


ANSWER = ('{"Keyframe_one": {"JawOpen": 0.2, "MouthSmileLeft": 0.5, "MouthSmileRight": 0.5, "BrowInnerUp": 0.3}}'
          .encode())


def _valued(value: str, depth: int, closed: bool) -> bytes:
    """An answer whose JawOpen value is ``value``, nested ``depth`` lists deep (closed or cut off)."""
    body = '{"Keyframe_one": ' + "[" * depth + '{"JawOpen": ' + value + ', "MouthSmileLeft": 0.5}'
    return (body + ("]" * depth + "}" if closed else "")).encode("utf-8", "replace")


hostile_answers = st.one_of(
    mutated(ANSWER, max_ops=3),
    st.builds(_valued, st.sampled_from([h.decode("utf-8", "replace") for h in HOSTILE]) | st.floats().map(repr),
              st.integers(0, 3000), st.booleans()),
)


@FUZZ
@given(hostile_answers)
def test_import_results_reads_hostile_answers_into_input_errors_or_keyframes(answer):
    import json

    from keyframeface.channels import HIGH, LOW
    from keyframeface.data import KeyframeSpec, Script
    from keyframeface.formats.reference import read_results

    script = Script(background="b", emotion="e", keyframes=(KeyframeSpec("A smile."),))
    line = json.dumps({"response": answer.decode("utf-8", "replace")}) + "\n"
    path = scratch_file(line.encode("utf-8"), ".jsonl")
    try:
        (keyframe,) = read_results(path, script)
    except InputError as exc:
        assert str(path) in str(exc) and len(str(exc)) < 5000
        return
    assert np.isfinite(keyframe.values).all() and ((keyframe.values >= LOW) & (keyframe.values <= HIGH)).all()
