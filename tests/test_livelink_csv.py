"""Live Link Face CSV: exact layout, timecodes, round trip, the real take, any column order, errors, atomicity."""

from __future__ import annotations

import os
import re

import numpy as np
import pytest

from keyframeface import _io
from keyframeface.channels import CHANNEL_INDEX, CHANNELS, HIGH, LOW
from keyframeface.errors import InputError
from keyframeface.formats.livelink_csv import read_livelink_csv, write_livelink_csv

RNG = np.random.default_rng(1)
NUMBER = re.compile(r"^-?\d\.\d{10}$")


def random_values(n: int) -> np.ndarray:
    return RNG.uniform(LOW, HIGH, (n, len(CHANNELS)))


def test_header_and_rows_exactly_like_the_app(tmp_path, fixture_file):
    real_header = fixture_file("livelink_csv", "rom_take_a.csv").open().readline()
    path = tmp_path / "take.csv"
    values = random_values(50)
    write_livelink_csv(path, values, 30.0)
    text = path.read_bytes().decode()
    lines = text.split("\n")
    assert lines[0] + "\n" == real_header
    assert text.endswith("\n") and lines[-1] == "" and len(lines) == 52  # header + 50 rows + final newline
    for line, row in zip(lines[1:-1], values):
        fields = line.split(",")
        assert len(fields) == 63 and fields[1] == "61"
        assert all(NUMBER.match(f) for f in fields[2:])
        assert np.allclose([float(f) for f in fields[2:]], row, atol=0.5e-10, rtol=0)


def test_ten_decimals_match_python_formatting(tmp_path):
    values = np.round(random_values(200), 7)  # exactly-halfway cases are impossible at 7 decimals
    values[0, :5] = [0.0, 1.0, -1.0, -0.0, -1e-13]
    write_livelink_csv(tmp_path / "t.csv", values, 30.0)
    rows = (tmp_path / "t.csv").read_text().split("\n")[1:-1]
    expected = [",".join("%.10f" % (0.0 if abs(x) < 5e-11 else x) for x in row) for row in values]
    assert [r.split(",", 2)[2] for r in rows] == expected


@pytest.mark.parametrize("fps", [24.0, 25.0, 30.0, 60.0])
def test_timecodes_follow_the_frame_rate(tmp_path, fps):
    n = int(fps * 3) + 5
    write_livelink_csv(tmp_path / "t.csv", random_values(n), fps, start_frame=7)
    codes = [line.split(",")[0] for line in (tmp_path / "t.csv").read_text().split("\n")[1:-1]]
    seconds = []
    for i, code in enumerate(codes):
        m = re.fullmatch(r"(\d\d):(\d\d):(\d\d):(\d\d)\.(\d\d\d)", code)
        assert m, code
        hh, mm, ss, ff, sub = map(int, m.groups())
        assert ff < fps and sub == 0
        seconds.append(hh * 3600 + mm * 60 + ss + ff / fps)
        assert seconds[-1] == pytest.approx((7 + i) / fps)
    assert np.all(np.diff(seconds) > 0)
    assert read_livelink_csv(tmp_path / "t.csv").fps == fps


def test_non_integer_rate_keeps_timecodes_monotone(tmp_path):
    write_livelink_csv(tmp_path / "t.csv", random_values(400), 29.97)
    take = read_livelink_csv(tmp_path / "t.csv")
    assert take.fps == 29.97
    assert take.timecodes[0] == "00:00:00:00.000" and take.timecodes[1] == "00:00:00:01.001"
    assert take.timecodes == tuple(sorted(take.timecodes))


def test_round_trip_values(tmp_path):
    values = random_values(1000)
    write_livelink_csv(tmp_path / "t.csv", values, 30.0)
    take = read_livelink_csv(tmp_path / "t.csv")
    assert take.values.shape == values.shape
    assert np.abs(take.values - values).max() <= 1e-9
    assert take.missing == () and take.ignored == ()


def test_hours_and_midnight_wrap(tmp_path):
    start = (23 * 3600 + 59 * 60 + 59) * 30
    write_livelink_csv(tmp_path / "t.csv", random_values(60), 30.0, start_frame=start)
    take = read_livelink_csv(tmp_path / "t.csv")
    assert take.timecodes[0] == "23:59:59:00.000" and take.timecodes[30] == "00:00:00:00.000"
    assert take.fps == 30.0


def test_real_take(fixture_file):
    take = read_livelink_csv(fixture_file("livelink_csv", "rom_take_a.csv"))
    assert take.values.shape == (4030, 61)
    assert take.fps == 30.0  # rows at 30 Hz, FF counting at 60
    assert take.timecodes[0] == "13:13:04:31.652" and take.timecodes[-1] == "13:15:18:54.561"
    v = take.values
    assert v[:, :52].min() >= 0 and v[:, :52].max() <= 1.01  # the app lets EyeLookIn reach 1.003
    assert (v[:, CHANNEL_INDEX["HeadYaw"]] == 0).all()  # head tracking was off
    assert np.abs(v[:, 55:]).max() < 0.7  # eye angles in radians
    assert v[0, 0] == 0.1236470118 and v[-1, CHANNEL_INDEX["RightEyeRoll"]] == 0.0167454109
    assert v[:, CHANNEL_INDEX["JawOpen"]].max() > 0.9  # a range-of-motion take opens the jaw


def edit_columns(text: str, order: list[int], header: list[str] | None = None) -> str:
    lines = text.rstrip("\n").split("\n")
    rows = [line.split(",") for line in lines]
    if header is not None:
        rows[0] = header
    return "\n".join(",".join(row[j] for j in order) for row in rows) + "\n"


def test_shuffled_columns_other_spellings_and_crlf(tmp_path, fixture_file):
    path = fixture_file("livelink_csv", "rom_take_a.csv")
    reference = read_livelink_csv(path).values
    text = path.read_text()
    order = list(RNG.permutation(63))
    shuffled = tmp_path / "shuffled.csv"
    shuffled.write_text(edit_columns(text, order))
    assert np.array_equal(read_livelink_csv(shuffled).values, reference)

    header = text.split("\n", 1)[0].split(",")
    camel = ["Timecode", "BlendshapeCount"] + [n[0].lower() + n[1:] for n in header[2:]]
    respelled = tmp_path / "respelled.csv"
    respelled.write_bytes(edit_columns(text, list(range(63)), camel).replace("\n", "\r\n").encode())
    take = read_livelink_csv(respelled)
    assert np.array_equal(take.values, reference) and take.fps == 30.0


def test_lower_case_blendshapecount_of_the_release(tmp_path):
    path = tmp_path / "release.csv"
    path.write_text("Timecode,BlendshapeCount," + ",".join(CHANNELS) + "\n"
                    + "".join(f"00:00:{i:02d}:00.000,61," + ",".join(["0.1"] * 61) + "\n" for i in range(3)))
    take = read_livelink_csv(path)
    assert take.values.shape == (3, 61) and (take.values == 0.1).all()
    assert take.fps == 1.0  # one keyframe per second, as the release writes


def test_missing_and_extra_columns(tmp_path):
    path = tmp_path / "partial.csv"
    path.write_text("Timecode,JawOpen,mouthSmile_L,Confidence\n00:00:00:00.000,0.5,0.25,0.9\n"
                    "00:00:00:01.000,0.6,0.5,0.9\n")
    take = read_livelink_csv(path)
    assert take.values[:, CHANNEL_INDEX["JawOpen"]].tolist() == [0.5, 0.6]
    assert take.values[:, CHANNEL_INDEX["MouthSmileLeft"]].tolist() == [0.25, 0.5]
    assert take.values.sum() == pytest.approx(1.85)
    assert len(take.missing) == 59 and "EyeBlinkLeft" in take.missing
    assert take.ignored == ("Confidence",)


def test_default_fps_when_timecodes_cannot_tell(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("JawOpen\n0.1\n0.2\n")
    assert read_livelink_csv(path).fps == 30.0
    assert read_livelink_csv(path, fps=24.0).fps == 24.0


def write_bad(tmp_path, body: str) -> str:
    path = tmp_path / "take.csv"
    path.write_text(body)
    return path


def good_row(i: int) -> list[str]:
    return [f"00:00:00:{i:02d}.000", "61"] + ["0.0000000000"] * 61


@pytest.mark.parametrize("row,message", [
    (10, r"take\.csv:12: field 'JawOpen': 'abc' is not a number"),
    (2, r"take\.csv:4: field 'JawOpen': 'nan' is not a finite number"),
])
def test_bad_number_names_file_line_and_field(tmp_path, row, message):
    rows = [good_row(i) for i in range(20)]
    rows[row][2 + CHANNEL_INDEX["JawOpen"]] = "abc" if "abc" in message else "nan"
    path = write_bad(tmp_path, "Timecode,BlendShapeCount," + ",".join(CHANNELS) + "\n"
                     + "".join(",".join(r) + "\n" for r in rows))
    with pytest.raises(InputError, match=message) as e:
        read_livelink_csv(path)
    assert e.value.line == row + 2 and e.value.field == "JawOpen"


def test_wrong_column_count(tmp_path):
    rows = [good_row(i) for i in range(5)]
    rows[2] = rows[2][:-1]
    path = write_bad(tmp_path, "Timecode,BlendShapeCount," + ",".join(CHANNELS) + "\n"
                     + "".join(",".join(r) + "\n" for r in rows))
    with pytest.raises(InputError, match=r"take\.csv:4: expected 63 fields as in the header, got 62"):
        read_livelink_csv(path)


@pytest.mark.parametrize("body,message", [
    ("", r"take\.csv:1: empty file"),
    ("\n\n", r"take\.csv:1: empty file"),
    ("00:00:00:00.000,61,0.1,0.2\n", r"take\.csv:1: no header"),
    ("Timecode,BlendShapeCount," + ",".join(CHANNELS) + "\n", r"take\.csv:2: no data rows"),
    ("JawOpen,jaw_open\n0.1,0.2\n", r"take\.csv:1: field 'jaw_open': channel JawOpen appears twice"),
])
def test_empty_or_headerless(tmp_path, body, message):
    with pytest.raises(InputError, match=message):
        read_livelink_csv(write_bad(tmp_path, body))


def test_missing_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="nope.csv"):
        read_livelink_csv(tmp_path / "nope.csv")


def test_writer_rejects_bad_values(tmp_path):
    values = random_values(3)
    values[1, CHANNEL_INDEX["JawOpen"]] = np.nan
    with pytest.raises(InputError, match="JawOpen"):
        write_livelink_csv(tmp_path / "t.csv", values, 30.0)
    with pytest.raises(InputError):
        write_livelink_csv(tmp_path / "t.csv", values[:, :60], 30.0)
    with pytest.raises(InputError):
        write_livelink_csv(tmp_path / "t.csv", random_values(3), 0.0)
    assert not (tmp_path / "t.csv").exists()


def test_error_mid_write_leaves_no_file_and_keeps_the_old_one(tmp_path, monkeypatch):
    path = tmp_path / "take.csv"
    write_livelink_csv(path, random_values(10), 30.0)
    before = path.read_bytes()
    real_fdopen = os.fdopen

    class DiskFull:
        """A file whose write puts half the bytes down, then fails like a full disk."""

        def __init__(self, f):
            self.f = f

        def write(self, data):
            self.f.write(data[: len(data) // 2])
            raise OSError(28, "No space left on device")

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.f.close()

    monkeypatch.setattr(_io.os, "fdopen", lambda *a, **k: DiskFull(real_fdopen(*a, **k)))
    with pytest.raises(OSError):
        write_livelink_csv(path, random_values(1000), 30.0)
    with pytest.raises(OSError):
        write_livelink_csv(tmp_path / "new.csv", random_values(1000), 30.0)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["take.csv"]  # no partial file, no temp file


def test_release_csv_fixture(fixture_file):
    take = read_livelink_csv(fixture_file("reference", "example_result.csv"))
    assert take.values.shape == (2, 61) and take.missing == ()
    assert take.timecodes == ("00:00:00:00.000", "00:00:01:00.000") and take.fps == 1.0
    assert take.values[0, CHANNEL_INDEX["EyeLookDownLeft"]] == 0.2
