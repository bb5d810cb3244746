"""The face rig and the preview writers: every blendshape shows, in its place and on its side; files are real."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from PIL import Image

from keyframeface.channels import BLENDSHAPES, CHANNEL_INDEX, N_CHANNELS, region_of
from keyframeface.data import Keyframe, KeyframeSpec, Script, Timeline
from keyframeface.formats.livelink_csv import write_livelink_csv
from keyframeface.render import (contact_sheet, draw_face, plot_curves, render_frames, render_input, write_previews,
                                 write_side_by_side, write_video)
from keyframeface.render.video import write_frames

SIZE = 256
CHANGED = 24  # a pixel counts as changed when a colour channel moves by more than this (0..255)
MIN_PIXELS = 25  # at 256 x 256: a visible change, not anti-aliasing noise


def pose(**channels: float) -> np.ndarray:
    """(61,) values with the named channels set, the rest neutral."""
    v = np.zeros(N_CHANNELS)
    for name, x in channels.items():
        v[CHANNEL_INDEX[name]] = x
    return v


def image(**channels: float) -> np.ndarray:
    return np.asarray(draw_face(pose(**channels), SIZE)).astype(int)


NEUTRAL = image()


def changed(img: np.ndarray) -> np.ndarray:
    """(H, W) bool: pixels that differ visibly from the neutral face."""
    return np.abs(img - NEUTRAL).max(axis=2) > CHANGED


def centroid(mask: np.ndarray) -> tuple[float, float]:
    """(x, y) mean position of the True pixels, as fractions of the size."""
    ys, xs = np.nonzero(mask)
    return xs.mean() / mask.shape[1], ys.mean() / mask.shape[0]


# Where on the image (fractions of the height) each region's change must be centred. Eyes sit
# at ~0.44 of the height, the mouth at ~0.62: upper face above 0.5, lower face below it.
REGION_Y = {
    "brows": (0.2, 0.45), "eyes": (0.3, 0.5), "gaze": (0.35, 0.5), "cheeks": (0.4, 0.75),
    "nose": (0.45, 0.65), "jaw": (0.5, 0.95), "mouth": (0.5, 0.8), "tongue": (0.55, 0.85),
}


@pytest.mark.parametrize("name", BLENDSHAPES)
def test_every_blendshape_changes_the_drawing_in_its_place_and_side(name):
    mask = changed(image(**{name: 1.0}))
    assert mask.sum() >= MIN_PIXELS, f"{name} changes only {mask.sum()} pixels"
    x, y = centroid(mask)
    lo, hi = REGION_Y[region_of(name)]
    assert lo <= y <= hi, f"{name} changes centred at y={y:.2f}, expected {lo}..{hi}"
    # The subject's left is the viewer's right (x > 0.5) in a front view.
    if name.endswith("Left"):
        assert x > 0.5 + 0.005, f"{name} changes centred at x={x:.3f}, expected the viewer's right"
    elif name.endswith("Right"):
        assert x < 0.5 - 0.005, f"{name} changes centred at x={x:.3f}, expected the viewer's left"
    else:
        assert abs(x - 0.5) < 0.06, f"{name} is central but changes centred at x={x:.3f}"


def test_changes_grow_with_the_value():
    for name in ("JawOpen", "EyeBlinkLeft", "BrowInnerUp", "MouthSmileRight"):
        counts = [changed(image(**{name: v})).sum() for v in (0.25, 0.5, 1.0)]
        assert counts[0] < counts[1] < counts[2], (name, counts)


# Colour masks to check directions.
def sclera(img: np.ndarray) -> np.ndarray:
    return (img.min(axis=2) > 235) & (np.arange(SIZE)[:, None] < SIZE * 0.55)


def lips(img: np.ndarray) -> np.ndarray:
    r, g, b = img[..., 0], img[..., 1], img[..., 2]
    return (r > 150) & (r - g > 70) & (b < 140)


def brow_pixels(img: np.ndarray) -> np.ndarray:
    r, g, b = img[..., 0], img[..., 1], img[..., 2]
    band = (np.arange(SIZE)[:, None] > SIZE * 0.25) & (np.arange(SIZE)[:, None] < SIZE * 0.42)
    return (r < 110) & (g < 75) & (b < 55) & band


def dark_inside(img: np.ndarray) -> np.ndarray:
    r, g, b = img[..., 0], img[..., 1], img[..., 2]
    return (r < 100) & (g < 40) & (b < 45) & (np.arange(SIZE)[:, None] > SIZE * 0.55)


def halves(mask: np.ndarray) -> tuple[int, int]:
    """(viewer's left, viewer's right) pixel counts."""
    return int(mask[:, : SIZE // 2].sum()), int(mask[:, SIZE // 2:].sum())


def test_blink_closes_the_subjects_own_eye():
    left_view, right_view = halves(sclera(NEUTRAL))
    l2, r2 = halves(sclera(image(EyeBlinkLeft=1.0)))
    assert r2 < 0.1 * right_view and l2 > 0.9 * left_view  # subject's left eye = viewer's right
    l3, r3 = halves(sclera(image(EyeBlinkRight=1.0)))
    assert l3 < 0.1 * left_view and r3 > 0.9 * right_view


def test_wide_opens_and_squint_narrows_the_eye():
    base = halves(sclera(NEUTRAL))[1]
    assert halves(sclera(image(EyeWideLeft=1.0)))[1] > 1.15 * base
    assert halves(sclera(image(EyeSquintLeft=1.0)))[1] < 0.85 * base


def test_smile_raises_and_frown_lowers_the_subjects_corner():
    def corner_y(img: np.ndarray, right: bool) -> float:
        ys, xs = np.nonzero(lips(img))
        edge = xs >= np.percentile(xs, 92) if right else xs <= np.percentile(xs, 8)
        return float(ys[edge].mean())

    base = corner_y(NEUTRAL, True)
    assert corner_y(image(MouthSmileLeft=1.0), True) < base - 4  # up (y down in images)
    assert corner_y(image(MouthFrownLeft=1.0), True) > base + 4
    base_r = corner_y(NEUTRAL, False)
    assert corner_y(image(MouthSmileRight=1.0), False) < base_r - 4


def test_brows_raise_and_lower():
    inner = np.abs(np.arange(SIZE) - SIZE / 2)[None, :] < 0.15 * SIZE  # the inner ends of both brows
    assert centroid(brow_pixels(image(BrowInnerUp=1.0)) & inner)[1] < centroid(brow_pixels(NEUTRAL) & inner)[1] - 0.02
    cols = np.arange(SIZE)[None, :]
    outer = (cols > 0.6 * SIZE) & (cols < 0.74 * SIZE)  # outer end of the subject's left brow, short of the hair
    raised = brow_pixels(image(BrowOuterUpLeft=1.0)) & outer
    assert centroid(raised)[1] < centroid(brow_pixels(NEUTRAL) & outer)[1] - 0.01
    down = brow_pixels(image(BrowDownLeft=1.0, BrowDownRight=1.0)) & inner
    assert centroid(down)[1] > centroid(brow_pixels(NEUTRAL) & inner)[1] + 0.01


def test_jaw_open_parts_the_lips_and_mouth_close_keeps_them_together():
    assert dark_inside(NEUTRAL).sum() == 0
    open_only = dark_inside(image(JawOpen=0.6)).sum()
    held = dark_inside(image(JawOpen=0.6, MouthClose=0.6)).sum()
    assert open_only > 300
    assert held < 0.05 * open_only
    # The chin still drops when the lips are held together.
    assert changed(image(JawOpen=0.6, MouthClose=0.6))[int(SIZE * 0.8):].sum() > 50


def test_gaze_follows_eyelook_and_eye_yaw_pitch():
    def iris_x(img: np.ndarray) -> float:
        r, g, b = img[..., 0], img[..., 1], img[..., 2]
        iris = (g > r + 15) & (g > b + 15) & (np.arange(SIZE)[None, :] > SIZE // 2)  # viewer's right eye
        return centroid(iris)[0]

    def iris_y(img: np.ndarray) -> float:
        r, g, b = img[..., 0], img[..., 1], img[..., 2]
        return centroid((g > r + 15) & (g > b + 15))[1]

    x0, y0 = iris_x(NEUTRAL), iris_y(NEUTRAL)
    assert iris_x(image(EyeLookOutLeft=1.0)) > x0 + 0.01  # out = toward the subject's left = viewer's right
    assert iris_x(image(EyeLookInLeft=1.0)) < x0 - 0.01
    assert iris_y(image(EyeLookUpLeft=1.0, EyeLookUpRight=1.0)) < y0 - 0.005
    assert iris_y(image(EyeLookDownLeft=1.0, EyeLookDownRight=1.0)) > y0 + 0.005
    # With no EyeLook*, yaw > 0 turns the eye toward the subject's right (viewer's left), pitch > 0 up.
    assert iris_x(image(LeftEyeYaw=0.4)) < x0 - 0.01
    assert iris_y(image(LeftEyePitch=0.3, RightEyePitch=0.3)) < y0 - 0.005
    # EyeLook* wins over yaw when both are set (captured takes flip the pitch sign).
    assert iris_x(image(EyeLookOutLeft=1.0, LeftEyeYaw=0.4)) > x0 + 0.01


def test_head_pose_turns_nods_and_tilts():
    def features_x(img: np.ndarray) -> float:
        return centroid(img.max(axis=2) < 90)[0]

    x0 = features_x(NEUTRAL)
    assert features_x(image(HeadYaw=0.4)) < x0 - 0.02  # toward the subject's right = viewer's left
    assert features_x(image(HeadYaw=-0.4)) > x0 + 0.02
    y0 = centroid(sclera(NEUTRAL))[1]
    assert centroid(sclera(image(HeadPitch=0.3)))[1] < y0 - 0.01  # pitch > 0 looks up
    tilt = sclera(image(HeadRoll=0.3))
    # Roll > 0 tilts the top toward the subject's right shoulder: the viewer's right eye rises.
    assert centroid(tilt[:, SIZE // 2:])[1] < centroid(tilt[:, : SIZE // 2])[1] - 0.02


def test_tongue_out_shows_the_tongue_below_the_lips():
    r, g, b = (image(TongueOut=1.0)[..., k] for k in range(3))
    tongue = (r > 190) & (g > 80) & (g < 115) & (b > 90) & (b < 125)
    below_lips = np.nonzero(lips(NEUTRAL))[0].max() + 1
    assert tongue[below_lips:].sum() > 80


def test_render_frames_matches_draw_face_and_handles_nan():
    values = np.zeros((3, N_CHANNELS))
    values[1, CHANNEL_INDEX["JawOpen"]] = 1.0
    values[2] = np.nan  # missing data draws neutral, never crashes
    frames = list(render_frames(values, 128))
    assert [f.shape for f in frames] == [(128, 128, 3)] * 3 and frames[0].dtype == np.uint8
    assert np.array_equal(frames[1], np.asarray(draw_face(values[1], 128)))
    assert np.array_equal(frames[2], frames[0])


def take(frames: int = 20) -> np.ndarray:
    t = np.linspace(0, 1, frames)
    v = np.zeros((frames, N_CHANNELS))
    v[:, CHANNEL_INDEX["JawOpen"]] = t
    v[:, CHANNEL_INDEX["EyeBlinkLeft"]] = t[::-1]
    return v


def test_mp4_is_decodable_by_ffmpeg_with_every_frame(tmp_path):
    import imageio_ffmpeg

    path = write_video(tmp_path / "a.mp4", take(20), 30.0, size=128, progress=False)
    assert imageio_ffmpeg.count_frames_and_secs(str(path))[0] == 20
    reader = imageio_ffmpeg.read_frames(str(path))
    meta = next(reader)
    assert tuple(meta["size"]) == (128, 128)
    first = np.frombuffer(next(reader), np.uint8).reshape(128, 128, 3).astype(int)
    expected = np.asarray(draw_face(take(20)[0], 128)).astype(int)
    assert np.abs(first - expected).mean() < 6  # lossy, but the same picture


def test_gif_and_png_outputs(tmp_path):
    gif = write_video(tmp_path / "a.gif", take(8), 10.0, size=96, progress=False)
    with Image.open(gif) as im:
        assert im.n_frames == 8 and im.size == (96, 96)
    one = write_video(tmp_path / "one.png", take(1), 30.0, size=96, progress=False)
    with Image.open(one) as im:
        assert im.size == (96, 96)
    grid = write_video(tmp_path / "grid.png", take(40), 30.0, size=96, progress=False)
    with Image.open(grid) as im:
        assert im.size[0] == 4 * 96 and im.size[1] >= 3 * 96  # 12 frames, 4 per row, captions under


def test_side_by_side_is_frame_synchronised(tmp_path):
    import imageio_ffmpeg

    path = write_side_by_side(tmp_path / "sbs.mp4", take(20), take(12), 30.0, labels=("ours", "take"), size=64,
                              progress=False)
    n, _ = imageio_ffmpeg.count_frames_and_secs(str(path))
    assert n == 20  # the shorter one holds its last frame
    meta = next(imageio_ffmpeg.read_frames(str(path)))
    assert meta["size"][0] == 128


def test_a_failing_render_leaves_no_file(tmp_path):
    def broken():
        yield np.zeros((64, 64, 3), np.uint8)
        raise RuntimeError("boom")

    for name in ("x.mp4", "x.gif"):
        with pytest.raises(RuntimeError):
            write_frames(tmp_path / name, broken(), 2, 30.0, (64, 64), progress=False)
    assert list(tmp_path.iterdir()) == []
    (tmp_path / "keep.mp4").write_bytes(b"old")
    bad = np.zeros((3, 10))  # wrong shape: refused before anything is written
    with pytest.raises(ValueError):
        write_video(tmp_path / "keep.mp4", bad, 30.0)
    assert (tmp_path / "keep.mp4").read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.mp4"]


def keyframes(n: int = 3) -> list[Keyframe]:
    words = ["a polite smile that does not reach the eyes", "brows knit, lips pressed together, gaze drops",
             "a slow breath out and the jaw loosens slightly, then a small nod of resolve"]
    out = []
    for i in range(n):
        v = pose(MouthSmileLeft=0.5 * i, BrowDownLeft=0.3 * i, JawOpen=0.1 * i)
        out.append(Keyframe(KeyframeSpec(words[i % 3]), v, "test"))
    return out


def test_contact_sheet_has_a_cell_per_keyframe(tmp_path):
    path = contact_sheet(tmp_path / "k.png", keyframes(3), background="An interview room.", emotion="anxiety",
                         size=160)
    with Image.open(path) as im:
        w, h = im.size
        assert w == 3 * 160 and 160 + 40 < h < 160 + 300
        assert np.asarray(im.convert("L")).std() > 20  # not blank


def test_curve_plot_has_a_panel_per_active_region(tmp_path):
    v = take(60)
    one = plot_curves(tmp_path / "one.png", v[:, :], 30.0, (0.5, 1.5), title="t")
    v[:, CHANNEL_INDEX["HeadYaw"]] = np.sin(np.linspace(0, 6, 60)) * 0.3  # one more region, signed
    two = plot_curves(tmp_path / "two.png", v, 30.0, (0.5, 1.5), title="t")
    with Image.open(one) as a, Image.open(two) as b:
        assert a.size[0] == b.size[0] >= 800
        assert b.size[1] > a.size[1] > 200  # jaw + eyes, then + head


def test_write_previews_writes_the_three_files(tmp_path):
    keys = keyframes(2)
    values = np.repeat(np.stack([k.values for k in keys]), 15, axis=0)
    animation = SimpleNamespace(script=Script("An interview room.", "anxiety"), keyframes=tuple(keys),
                                timeline=Timeline(30.0, values, (0.0, 0.5), tuple(keys)))
    paths = write_previews(animation, tmp_path)
    assert [p.name for p in paths] == ["preview.mp4", "keyframes.png", "curves.png"]
    assert all(p.stat().st_size > 1000 for p in paths)


def test_render_input_from_a_live_link_csv(tmp_path):
    import imageio_ffmpeg

    csv = tmp_path / "take.csv"
    write_livelink_csv(csv, take(30), 30.0)
    grid = render_input(csv, tmp_path / "grid.png", size=96)
    with Image.open(grid) as im:
        assert im.size[0] == 4 * 96
    video = render_input(csv, tmp_path / "v.mp4", size=96, compare=csv)
    assert imageio_ffmpeg.count_frames_and_secs(str(video))[0] == 30


def test_render_input_rejects_unknown_outputs(tmp_path):
    from keyframeface.errors import InputError

    csv = tmp_path / "take.csv"
    write_livelink_csv(csv, take(3), 30.0)
    with pytest.raises(InputError, match=r"\.avi"):
        render_input(csv, tmp_path / "x.avi")
    with pytest.raises(InputError):
        render_input(tmp_path / "missing.csv", tmp_path / "x.mp4")


def test_real_take_renders(fixture_file, tmp_path):
    from keyframeface.formats.livelink_csv import read_livelink_csv

    take_ = read_livelink_csv(fixture_file("livelink_csv", "rom_take_a.csv"))
    frames = list(render_frames(take_.values[::400], 96))
    assert len(frames) == len(take_.values[::400]) and all(f.std() > 20 for f in frames)


@pytest.mark.parametrize("suffix", [".mp4", ".png"])
def test_render_input_from_an_animate_folder(tmp_path, suffix):
    pytest.importorskip("keyframeface.formats.keyframes_json")
    from keyframeface.formats.keyframes_json import write_keyframes_json

    folder = tmp_path / "out"
    folder.mkdir()
    keys = keyframes(2)
    write_livelink_csv(folder / "animation.csv", take(30), 30.0)
    script = Script("An interview room.", "anxiety")
    write_keyframes_json(folder / "keyframes.json", script, keys, [0.0, 0.5], planned_by="script")
    out = render_input(folder, tmp_path / f"r{suffix}", size=96)
    assert Path(out).stat().st_size > 1000


def test_render_input_from_a_keyframes_json_alone(tmp_path):
    pytest.importorskip("keyframeface.formats.keyframes_json")
    import imageio_ffmpeg

    from keyframeface.formats.keyframes_json import write_keyframes_json

    path = tmp_path / "keyframes.json"
    write_keyframes_json(path, Script("An interview room.", "anxiety"), keyframes(2), [0.0, 1.0], planned_by="script")
    video = render_input(path, tmp_path / "k.mp4", size=64)  # the dense timeline is rebuilt from the keys
    assert imageio_ffmpeg.count_frames_and_secs(str(video))[0] > 10
    sheet = render_input(path, tmp_path / "k.png", size=128)  # keys -> contact sheet
    with Image.open(sheet) as im:
        assert im.size[0] == 2 * 128


def test_wrong_shapes_are_refused():
    from keyframeface.errors import InputError

    with pytest.raises(InputError, match=r"\(61,\)"):
        draw_face(np.zeros(52))
    with pytest.raises(InputError, match=r"\(frames, 61\)"):
        list(render_frames(np.zeros(61)))
