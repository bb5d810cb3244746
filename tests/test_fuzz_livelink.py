"""Property-based tests of the Live Link readers: Face CSV, UDP datagrams, .gesichter recordings.

Seeded from the real iPhone take and LLV recordings in tests/fixtures and from a CSV we write; see tests/fuzzing.py for the mutations and for longer runs.
"""

from __future__ import annotations

import gzip
import struct

import numpy as np
import pytest

pytest.importorskip("hypothesis", reason="the fuzz tests need hypothesis (the dev extra)")
pytestmark = pytest.mark.slow  # hypothesis runs 150 examples per reader

from fuzzing import FUZZ, fixture, mutated, scratch_file
from hypothesis import given
from hypothesis import strategies as st

from keyframeface.channels import HIGH, LOW, N_CHANNELS
from keyframeface.errors import InputError
from keyframeface.formats.livelink_csv import read_livelink_csv, write_livelink_csv
from keyframeface.formats.livelink_udp import (
    decode_packet,
    encode_packet,
    read_gesichter,
)

TAKE = fixture("livelink_csv", "rom_take_a.csv")
DAO = fixture("livelink_udp", "dao.gesichter")


def _head(path, lines: int) -> bytes:
    return b"".join(path.read_bytes().splitlines(keepends=True)[:lines])


def _ours() -> bytes:
    path = scratch_file(b"", ".csv")
    rng = np.random.default_rng(0)
    write_livelink_csv(path, rng.uniform(0, 1, (6, N_CHANNELS)) * (HIGH - LOW) + LOW, 30.0)
    return path.read_bytes()


OURS = _ours()
REAL = _head(TAKE, 12)


def _check_csv(data: bytes) -> None:
    path = scratch_file(data, ".csv")
    try:
        take = read_livelink_csv(path)
    except InputError as exc:
        assert str(path) in str(exc), exc
        return
    assert take.values.shape[1] == N_CHANNELS and np.isfinite(take.values).all()
    assert ((take.values >= LOW) & (take.values <= HIGH)).all()  # out-of-range is clamped and said
    assert 1 <= take.fps <= 240


@FUZZ
@given(mutated(OURS))
def test_csv_reader_on_our_csv_raises_only_input_errors(data):
    _check_csv(data)


@FUZZ
@given(mutated(REAL))
def test_csv_reader_on_the_real_take_raises_only_input_errors(data):
    _check_csv(data)


@FUZZ
@given(st.lists(st.sampled_from([b"Timecode", b"BlendShapeCount", b"JawOpen", b"JawOpem", b"EyeBlinkLeft",
                                 b"jawOpen", b"eyeBlink_L", b"", b"x"]), min_size=1, max_size=6),
       st.lists(st.lists(st.sampled_from([b"0.5", b"1e39", b"-1e39", b"nan", b"9" * 400, b"", b"00:00:00:01.000",
                                          b"0.1234567890", b"-0.5", b"2", b"abc"]), min_size=1, max_size=6),
                max_size=4))
def test_csv_of_any_header_and_cells_raises_only_input_errors(header, rows):
    _check_csv(b"\n".join([b",".join(header), *(b",".join(r) for r in rows)]) + b"\n")


PACKETS = read_gesichter(DAO)[:3]


@FUZZ
@given(st.sampled_from(PACKETS).flatmap(mutated))
def test_packet_decoder_raises_only_input_errors(data):
    try:
        packet = decode_packet(data)
    except InputError as exc:
        assert exc.field, exc  # names the field that is short or wrong
        return
    assert packet.version == 6 and packet.fps_den > 0 and packet.fps > 0
    assert np.isfinite(packet.values).all() and packet.values.shape == (N_CHANNELS,)


def _recording(packets: list[bytes]) -> bytes:
    return struct.pack(">BI", 6, len(packets)) + b"".join(struct.pack(">I", len(p)) + p for p in packets)


@FUZZ
@given(st.one_of(mutated(gzip.compress(_recording(PACKETS[:2]))), mutated(_recording(PACKETS[:2])).map(gzip.compress)))
def test_gesichter_reader_raises_only_input_errors(data):
    path = scratch_file(data, ".gesichter")
    try:
        packets = read_gesichter(path)
    except InputError as exc:
        assert str(path) in str(exc), exc
        return
    assert all(isinstance(p, bytes) for p in packets)


def test_gesichter_gzip_bomb_is_refused_without_inflating_it(tmp_path):
    path = tmp_path / "bomb.gesichter"
    with gzip.open(path, "wb", compresslevel=1) as f:
        block = b"\0" * (1 << 20)
        for _ in range(300):  # 300 MB inflated, ~300 KB on disk
            f.write(block)
    with pytest.raises(InputError, match="more than"):
        read_gesichter(path)


@FUZZ
@given(mutated(OURS), st.integers(40, 5000))
def test_streamed_reading_agrees_with_whole_reading(data, block):
    """Big files are read block by block; on any input that must give what reading it whole gives."""
    from keyframeface.formats import livelink_csv

    path = scratch_file(data, ".csv")
    outcomes = []
    saved = livelink_csv.STREAM_BYTES, livelink_csv.CHUNK_BYTES
    for stream_bytes, chunk in ((1 << 40, saved[1]), (0, block)):
        livelink_csv.STREAM_BYTES, livelink_csv.CHUNK_BYTES = stream_bytes, chunk
        try:
            take = read_livelink_csv(path)
            outcomes.append((take.values, take.timecodes, take.fps))
        except InputError as exc:
            outcomes.append(str(exc))
        finally:
            livelink_csv.STREAM_BYTES, livelink_csv.CHUNK_BYTES = saved
    whole, streamed = outcomes
    if isinstance(whole, str) or isinstance(streamed, str):
        assert whole == streamed
    else:
        assert np.array_equal(whole[0], streamed[0]) and whole[1:] == streamed[1:]
