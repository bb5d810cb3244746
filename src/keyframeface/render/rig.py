"""A 2D front-view face rig: 61 ARKit channels -> an anti-aliased cartoon face.

Conventions (front view, as the viewer sees it):
  * Face space: x to the viewer's right, y down, z toward the viewer; unit = half the
    head width. The eyes sit at y ~ 0, the chin at y ~ 1.16.
  * The subject's LEFT (EyeBlinkLeft, MouthSmileLeft, BrowOuterUpLeft, ...) is the
    VIEWER'S RIGHT (+x). In code the side sign ``s`` is +1 for Left, -1 for Right.
  * Head pose follows channels.py: yaw > 0 turns toward the subject's right (features
    slide to the viewer's left), pitch > 0 looks up, roll > 0 tilts the top of the head
    toward the subject's right shoulder (the viewer's left).
  * Gaze comes from each eye's EyeLook* blendshapes. That eye's yaw/pitch drive it only
    when its EyeLook* are ~0, because captured iPhone takes flip the eye pitch sign.

How it draws: every feature is a numpy polygon or polyline in face space, lifted to 3D
by a depth map, turned by the head pose, projected orthographically (a 2.5D turn with
foreshortening) and drawn with Pillow at ``SUPERSAMPLE`` times the size, then reduced
with a box filter for anti-aliasing.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

import numpy as np
from PIL import Image, ImageDraw

from ..channels import CHANNELS, HIGH, LOW, N_CHANNELS
from ..errors import InputError

__all__ = ["SUPERSAMPLE", "draw_face", "render_frames"]

SUPERSAMPLE = 3  # drawn at 3x then box-reduced: 9 samples per pixel
SCALE = 0.28  # face units -> fraction of the image size
CENTER_Y = 0.44  # head centre height, fraction of the image size
PIVOT = np.array([0.0, 0.55, -0.35])  # head rotation centre (top of the neck), face units
MAX_POSE = np.array([0.8, 0.6, 0.6])  # yaw, pitch, roll drawn at most (radians)

# Colours (RGB; RGBA where blended).
BACKGROUND_TOP, BACKGROUND_BOTTOM = (214, 224, 232), (160, 178, 196)
SKIN, SKIN_SHADE, SKIN_LINE = (241, 200, 168), (222, 172, 138), (176, 112, 86)
OUTLINE = (120, 72, 56)
HAIR, HAIR_LINE = (92, 58, 38), (60, 36, 24)
SHIRT, SHIRT_LINE = (70, 104, 150), (44, 68, 104)
SCLERA, IRIS, PUPIL, LASH = (248, 247, 242), (92, 128, 78), (22, 18, 16), (46, 28, 22)
BROW = (88, 56, 38)
LIP_UPPER, LIP_LOWER, LIP_LINE = (184, 88, 92), (204, 106, 110), (112, 42, 48)
MOUTH_INSIDE, TEETH, TONGUE, TONGUE_LINE = (74, 22, 28), (246, 243, 232), (214, 96, 108), (170, 60, 74)
NOSTRIL = (120, 62, 52)
BLUSH = (236, 120, 112, 60)
SHADOW = (150, 80, 60, 46)
HIGHLIGHT = (255, 255, 255, 70)

_CIRCLE = np.stack([np.cos(np.linspace(0, 2 * np.pi, 28, endpoint=False)),
                    np.sin(np.linspace(0, 2 * np.pi, 28, endpoint=False))], axis=1)  # (28, 2)
_SIDES = ((1.0, "Left"), (-1.0, "Right"))  # (s, suffix): s = +1 is the subject's left = viewer's right

# Jaw outline, viewer's left temple -> chin -> right temple (the cranium ellipse covers the top).
_JAW_HALF = np.array([[0.99, -0.35], [0.99, 0.0], [0.96, 0.3], [0.9, 0.56], [0.77, 0.8],
                      [0.56, 1.0], [0.3, 1.12], [0.0, 1.16]])
_CRANIUM_C, _CRANIUM_AB = np.array([0.0, -0.22, 0.0]), (1.0, 1.14)  # ellipsoid, depth semi-axis 1.0
_HAIRLINE = np.array([[-1.0, -0.1], [-0.93, -0.5], [-0.68, -0.76], [-0.3, -0.86], [0.05, -0.84],
                      [0.12, -0.78], [0.45, -0.82], [0.8, -0.64], [0.96, -0.32], [1.0, -0.1]])
_EYE_U = np.linspace(-1.0, 1.0, 15)  # eye samples: inner corner (-1) -> outer corner (+1)
_BROW_U = np.linspace(0.0, 1.0, 9)  # brow samples: inner end (0) -> outer end (1)
_MOUTH_T = np.linspace(-1.0, 1.0, 17)  # mouth samples: viewer's left corner -> right corner
_ARC = np.linspace(0.0, np.pi, 13)

EYE_X, EYE_Y, EYE_W = 0.37, -0.02, 0.19  # eye centre |x|, y, half width
MOUTH_Y, MOUTH_W = 0.66, 0.26  # lip line height, half width
NOSE_Y = 0.39  # nostril height
BROW_Y = -0.2  # brow base height (the arch rises above it)


def _smooth(x: np.ndarray | float) -> np.ndarray | float:
    """Smoothstep on [0, 1]."""
    x = np.clip(x, 0.0, 1.0)
    return x * x * (3.0 - 2.0 * x)


def _jaw_outline() -> np.ndarray:
    """(n, 2) jaw outline from the viewer's left temple round the chin to the right temple."""
    half = _JAW_HALF
    # Densify with linear interpolation along the polyline, then a light smoothing pass.
    seg = np.linspace(0, len(half) - 1, 25)
    dense = np.stack([np.interp(seg, np.arange(len(half)), half[:, k]) for k in (0, 1)], axis=1)
    for _ in range(3):
        dense[1:-1] = 0.25 * dense[:-2] + 0.5 * dense[1:-1] + 0.25 * dense[2:]
    left = dense * [-1.0, 1.0]
    return np.concatenate([left, dense[::-1][1:]])  # (49, 2)


_JAW = _jaw_outline()


def _depth(p: np.ndarray) -> np.ndarray:
    """Depth z (toward the viewer) of face-surface points (n, 2): a rounded face plus a nose."""
    x, y = p[:, 0], p[:, 1]
    z = 0.95 * np.sqrt(np.maximum(1.0 - (x / 1.02) ** 2, 0.0))
    z *= 1.0 - 0.25 * np.maximum(y - 0.7, 0.0) - 0.2 * np.maximum(-0.5 - y, 0.0)
    return z + 0.28 * np.exp(-(x / 0.11) ** 2 - ((y - 0.22) / 0.2) ** 2)


class _Pose:
    """Head rotation (yaw, pitch, roll) and face-space -> pixel projection."""

    def __init__(self, yaw: float, pitch: float, roll: float, size: int) -> None:
        cy, sy, cp, sp, cr, sr = np.cos(yaw), np.sin(yaw), np.cos(pitch), np.sin(pitch), np.cos(roll), np.sin(roll)
        ry = np.array([[cy, 0, -sy], [0, 1, 0], [sy, 0, cy]])  # yaw > 0: front moves to -x
        rp = np.array([[1, 0, 0], [0, cp, -sp], [0, sp, cp]])  # pitch > 0: front moves up (-y)
        rr = np.array([[cr, sr, 0], [-sr, cr, 0], [0, 0, 1]])  # roll > 0: top moves to -x
        self.rot = rr @ rp @ ry  # (3, 3)
        self.rows = self.rot[:2].tolist()
        self.rot_pr = rr @ rp  # pitch and roll only
        self.yaw_cos, self.yaw_sin = cy, sy
        self.roll2 = rr[:2, :2]
        self.pitch_cos, self.pitch_sin = cp, sp
        self.scale = SCALE * size
        self.offset = (size / 2.0, CENTER_Y * size)

    def project(self, p: np.ndarray, z: np.ndarray | None = None) -> np.ndarray:
        """Face-space points (n, 2) (depth from the face surface unless given) -> pixels (n, 2)."""
        z = _depth(p) if z is None else z
        (a, b, c), (d, e, f) = self.rows  # the rotation's first two rows, as floats (fast scalar maths)
        x, y, z = p[:, 0], p[:, 1] - PIVOT[1], z - PIVOT[2]  # PIVOT[0] is 0
        out = np.empty((len(p), 2))
        out[:, 0] = (a * x + b * y + c * z) * self.scale + self.offset[0]
        out[:, 1] = (d * x + e * y + f * z + PIVOT[1]) * self.scale + self.offset[1]
        return out

    def silhouette(self, p: np.ndarray, half_depth: np.ndarray, centre_z: np.ndarray) -> np.ndarray:
        """Outline points (n, 2) of horizontal elliptic slices of the head -> pixels (n, 2).

        Each point is the side of a slice with half-width |x|, ``half_depth`` and its centre
        at depth ``centre_z``: under yaw the outline is the slice's silhouette, not the point
        itself, so a turned head keeps its width where a real one would.
        """
        cz = centre_z - PIVOT[2]
        x = np.sign(p[:, 0]) * np.hypot(p[:, 0] * self.yaw_cos, half_depth * self.yaw_sin) - cz * self.yaw_sin
        p3 = np.column_stack([x, p[:, 1] - PIVOT[1], cz * self.yaw_cos])
        q = p3 @ self.rot_pr.T + PIVOT
        return q[:, :2] * self.scale + self.offset

    def cranium(self, grow: float = 1.0, angles: np.ndarray | None = None) -> np.ndarray:
        """Silhouette of the skull ellipsoid (pixels): invariant to yaw, squashed by pitch, turned by roll."""
        a, b = _CRANIUM_AB
        b_eff = np.hypot(b * self.pitch_cos, 1.0 * self.pitch_sin)
        centre = self.project(_CRANIUM_C[None, :2], np.zeros(1))[0]
        ang = np.linspace(0, 2 * np.pi, 48, endpoint=False) if angles is None else angles
        pts = np.stack([a * grow * np.cos(ang), b_eff * grow * np.sin(ang)], axis=1) @ self.roll2.T
        return pts * self.scale + centre


@lru_cache(maxsize=8)
def _backdrop(size: int, k: int) -> Image.Image:
    """Background gradient, shoulders and neck, which do not move (cached per size)."""
    w = size * k
    ramp = np.linspace(0.0, 1.0, w)[:, None, None]
    grad = (1 - ramp) * np.array(BACKGROUND_TOP) + ramp * np.array(BACKGROUND_BOTTOM)  # (w, 1, 3)
    img = Image.fromarray(np.repeat(grad, w, axis=1).astype(np.uint8))
    d = ImageDraw.Draw(img)
    sc, off = SCALE * w, np.array([w / 2.0, CENTER_Y * w])

    def px(p: np.ndarray) -> list[float]:
        return (np.asarray(p) * sc + off).ravel().tolist()

    t = np.linspace(-1, 1, 21)
    shoulders = np.concatenate([np.stack([2.0 * t, 1.62 + 0.28 * t**2], 1), [[2.2, 2.2], [-2.2, 2.2]]])
    d.polygon(px(shoulders), fill=SHIRT, outline=SHIRT_LINE, width=max(1, k))
    neck = np.array([[-0.43, 0.5], [-0.47, 1.45], [-0.2, 1.72], [0.2, 1.72], [0.47, 1.45], [0.43, 0.5]])
    d.polygon(px(neck), fill=SKIN_SHADE, outline=OUTLINE, width=max(1, int(0.012 * sc)))
    collar = np.stack([0.5 * t, 1.55 + 0.22 * (1 - t**2)], 1)
    d.line(px(collar), fill=SHIRT_LINE, width=max(1, int(0.02 * sc)), joint="curve")
    return img


def draw_face(values: np.ndarray, size: int = 256) -> Image.Image:
    """Draw one face for (61,) channel values (order A) as a ``size`` x ``size`` RGB image."""
    return _Painter(size).draw(_checked(values, 1))


def render_frames(values: np.ndarray, size: int = 256) -> Iterator[np.ndarray]:
    """Yield one (size, size, 3) uint8 frame per row of (frames, 61) values."""
    from .._deadline import check

    painter = _Painter(size)
    for row in _checked(values, 2):
        check()  # a studio request past its time limit stops here (no-op elsewhere)
        yield np.asarray(painter.draw(row))


def _checked(values: np.ndarray, ndim: int) -> np.ndarray:
    """``values`` as float, refusing anything but (61,) or (frames, 61)."""
    v = np.asarray(values, dtype=float)
    if v.ndim != ndim or v.shape[-1] != N_CHANNELS:
        want = "(61,)" if ndim == 1 else "(frames, 61)"
        raise InputError(f"need {want} channel values in order A, got shape {v.shape}", field="values")
    return v


class _Painter:
    """Draws faces at one size; holds the per-size constants."""

    def __init__(self, size: int) -> None:
        self.size, self.k = int(size), SUPERSAMPLE
        self.big = self.size * self.k
        self.unit = SCALE * self.big  # pixels per face unit at the drawing resolution

    def w(self, units: float) -> int:
        """Line width in drawing pixels for a width in face units."""
        return max(1, int(round(units * self.unit)))

    def draw(self, values: np.ndarray) -> Image.Image:
        """Render (61,) values."""
        v = np.clip(np.nan_to_num(values), LOW, HIGH)  # missing data (NaN) draws neutral
        c = dict(zip(CHANNELS, v.tolist()))
        yaw, pitch, roll = np.clip([c["HeadYaw"], c["HeadPitch"], c["HeadRoll"]], -MAX_POSE, MAX_POSE)
        pose = _Pose(yaw, pitch, roll, self.big)
        img = _backdrop(self.size, self.k).copy()
        d = ImageDraw.Draw(img)
        da = ImageDraw.Draw(img, "RGBA")  # blended strokes: shading, creases, blush
        mouth = _mouth_geometry(c)
        self._head(d, da, c, pose, mouth)
        self._cheeks(da, c, pose)
        for s, side in _SIDES:
            self._brow(d, da, c, pose, s, side)
            self._eye(d, da, c, pose, s, side)
        self._nose(d, da, c, pose)
        self._mouth(d, da, c, pose, mouth)
        return img.reduce(self.k)

    # -- head ---------------------------------------------------------------------------------
    def _head(self, d, da, c: dict, pose: _Pose, mouth: dict) -> None:
        """Ears, skull and jaw (JawOpen/Left/Right/Forward, CheekPuff), hair."""
        jaw = _JAW.copy()
        wy = np.clip((jaw[:, 1] - 0.42) / 0.74, 0.0, 1.0) ** 1.3  # how much each point rides the jaw
        jaw[:, 1] += wy * (mouth["jaw_drop"] + 0.05 * c["JawForward"])
        jaw[:, 0] += wy * mouth["jaw_shift"] + np.sign(jaw[:, 0]) * wy * 0.04 * c["JawForward"]
        puff = c["CheekPuff"] * np.exp(-((jaw[:, 1] - 0.55) / 0.38) ** 2)
        jaw[:, 0] += np.sign(jaw[:, 0]) * 0.2 * puff
        for s in (1.0, -1.0):  # ears, drawn first so the head covers their inner part
            ear = _CIRCLE * [0.13, 0.24] + [s * 0.97, 0.08]
            d.polygon(pose.project(ear, np.full(len(ear), -0.1)).ravel().tolist(), fill=SKIN_SHADE, outline=OUTLINE,
                      width=self.w(0.012))
        # Slices: round (depth = width) at the temples, flatter and further forward toward the chin.
        jaw_px = pose.silhouette(jaw, np.abs(jaw[:, 0]) * (1 - 0.3 * wy), 0.6 * wy).ravel().tolist()
        skull_px = pose.cranium().ravel().tolist()
        line = self.w(0.022)
        for poly in (skull_px, jaw_px):  # a dark, slightly larger union first = the outline
            d.polygon(poly, fill=OUTLINE, outline=OUTLINE, width=line)
        for poly in (skull_px, jaw_px):
            d.polygon(poly, fill=SKIN_SHADE)
        # Lit face: the same union shrunk and lifted (light from above) leaves a shaded rim below and at the sides.
        centre = pose.project(np.array([[0.0, 0.1]]))[0]
        for poly in (skull_px, jaw_px):
            lit = (np.reshape(poly, (-1, 2)) - centre) * 0.955 + centre - [0.0, 0.025 * self.unit]
            d.polygon(lit.ravel().tolist(), fill=SKIN)
        # Hair: the hairline (on the face surface) plus the skull silhouette over the top.
        top = pose.cranium(1.06, np.linspace(0.3, -np.pi - 0.3, 22))  # down to the ears: sideburns
        hair = np.concatenate([pose.project(_HAIRLINE), top])
        d.polygon(hair.ravel().tolist(), fill=HAIR, outline=HAIR_LINE, width=self.w(0.012))
        # Chin crease under the lower lip, deeper with MouthShrugLower (mentalis).
        x = np.linspace(-0.13, 0.13, 7) + mouth["jaw_shift"]
        crease = np.stack([x, mouth["chin_crease_y"] - 1.2 * (x - mouth["jaw_shift"]) ** 2], 1)
        alpha = int(60 + 150 * c["MouthShrugLower"])
        da.line(pose.project(crease).ravel().tolist(), fill=(*SKIN_LINE, alpha), width=self.w(0.012), joint="curve")
        if c["MouthShrugLower"] > 0.02:  # chin boss dimpling
            for dx in (-0.07, 0.0, 0.07):
                dot = _CIRCLE * 0.018 + [mouth["jaw_shift"] + dx, mouth["chin_crease_y"] + 0.1]
                da.polygon(pose.project(dot).ravel().tolist(), fill=(*SKIN_LINE, int(110 * c["MouthShrugLower"])))

    def _cheeks(self, da, c: dict, pose: _Pose) -> None:
        """Blush that CheekSquint lifts and CheekPuff swells, with a crease under the eye on squint."""
        puff = c["CheekPuff"]
        for s, side in _SIDES:
            sq = c["CheekSquint" + side]
            smile = c["MouthSmile" + side]
            centre = [s * (0.52 + 0.06 * puff), 0.32 - 0.09 * sq - 0.04 * smile + 0.05 * puff]
            blob = _CIRCLE * [0.17 + 0.07 * puff, 0.12 + 0.05 * puff] + centre
            da.polygon(pose.project(blob).ravel().tolist(), fill=(*BLUSH[:3], int(BLUSH[3] + 50 * puff + 30 * sq)))
            if puff > 0.02:  # highlight on the round, stretched cheek
                hl = _CIRCLE * [0.07, 0.045] + [s * 0.55, 0.35]
                da.polygon(pose.project(hl).ravel().tolist(), fill=(255, 255, 255, int(90 * puff)))
            if sq > 0.02:  # the raised cheek bunches into a crease under the eye
                u = np.linspace(0, 1, 7)
                arc = np.stack([s * (EYE_X - 0.16 + 0.36 * u), 0.2 - 0.07 * sq - 0.06 * np.sin(np.pi * u)], 1)
                da.line(pose.project(arc).ravel().tolist(), fill=(*SKIN_LINE, int(200 * sq)), width=self.w(0.014),
                        joint="curve")

    # -- brows --------------------------------------------------------------------------------
    def _brow(self, d, da, c: dict, pose: _Pose, s: float, side: str) -> None:
        """Brow as a tapered band: BrowInnerUp lifts the inner end, BrowOuterUp the outer, BrowDown lowers and knits."""
        u = _BROW_U
        inner, outer, down = c["BrowInnerUp"], c["BrowOuterUp" + side], c["BrowDown" + side]
        x = s * (0.1 + 0.52 * u) - s * 0.07 * down * (1 - u)
        y = BROW_Y - 0.06 * np.sin(np.pi * (0.2 + 0.7 * u)) + 0.03 * u
        y = y - 0.15 * inner * (1 - u) ** 1.4 - 0.04 * inner
        y = y - 0.13 * outer * u**1.2 - 0.03 * outer
        y = y + 0.1 * down * (1 - 0.8 * u)  # inner end down most: the knitted V
        half = 0.036 * (1 - u) + 0.014 * u + 0.004
        top = np.stack([x, y - half], 1)
        bottom = np.stack([x, y + half], 1)
        d.polygon(pose.project(np.concatenate([top, bottom[::-1]])).ravel().tolist(), fill=BROW)
        if down > 0.03:  # knitted brows: vertical creases between them
            crease = np.array([[s * 0.06, -0.26], [s * 0.045, -0.12]])
            da.line(pose.project(crease).ravel().tolist(), fill=(*SKIN_LINE, int(220 * down)), width=self.w(0.014))
        lift = max(inner, outer)
        if lift > 0.03:  # forehead wrinkles; the inner lift wrinkles the middle, the outer the sides
            for row in range(2):
                xs = np.linspace(0.0, 0.55, 6) * s
                w_in, w_out = inner * (1 - xs * s / 0.55), outer * xs * s / 0.55
                ys = -0.53 - 0.09 * row - 0.03 * np.sin(np.pi * xs * s / 0.55) - 0.03 * (w_in + w_out)
                alpha = int(190 * min(1.0, 0.8 * inner + 0.6 * outer))
                da.line(pose.project(np.stack([xs, ys], 1)).ravel().tolist(), fill=(*SKIN_LINE, alpha),
                        width=self.w(0.011), joint="curve")

    # -- eyes ---------------------------------------------------------------------------------
    def _eye(self, d, da, c: dict, pose: _Pose, s: float, side: str) -> None:
        """Sclera between two lids, iris and pupil that follow the gaze, lash line and crease."""
        blink, squint, wide = c["EyeBlink" + side], c["EyeSquint" + side], c["EyeWide" + side]
        up, down = c["EyeLookUp" + side], c["EyeLookDown" + side]
        look_in, look_out = c["EyeLookIn" + side], c["EyeLookOut" + side]
        cheek = c["CheekSquint" + side]
        if up + down + look_in + look_out > 0.02:
            gx, gy = s * (look_out - look_in), down - up  # face-space gaze, -1..1
        else:  # no EyeLook*: that eye's yaw (> 0 toward the subject's right = -x) and pitch (> 0 up)
            eye = "LeftEye" if side == "Left" else "RightEye"
            gx, gy = -c[eye + "Yaw"] / 0.6, -c[eye + "Pitch"] / 0.4
        gx, gy = float(np.clip(gx, -1, 1)), float(np.clip(gy, -1, 1))

        u = _EYE_U
        x = s * (EYE_X + EYE_W * u)
        bell = 1 - u**2
        rest_up = EYE_Y - 0.088 * bell**0.75 * (1 + 0.15 * (u < 0) * -u) - 0.012 * u
        rest_lo = EYE_Y + 0.055 * bell - 0.012 * u
        mid = EYE_Y - 0.012 * u  # the line through both corners
        closed = mid + 0.045 * bell  # where the lids meet in a blink, just above the lower lid
        lid_up = 1 + 1.1 * wide - 0.3 * squint + 0.15 * max(-gy, 0) - 0.4 * max(gy, 0)  # x upper lid height
        lid_lo = 1 - 0.65 * squint - 0.3 * cheek + 0.3 * wide + 0.9 * max(gy, 0)  # x lower lid depth
        y_up = mid + (rest_up - mid) * max(lid_up, 0.0)
        y_lo = mid + (rest_lo - mid) * max(lid_lo, 0.0)
        y_up = y_up + (closed - y_up) * blink
        y_lo = y_lo + (closed - y_lo) * blink
        open_up = (1 - blink) * lid_up  # how open the upper lid is (0 = shut)
        y_lo = np.maximum(y_lo, y_up)

        # Socket shadow above the eye, then the sclera.
        sock = np.concatenate([np.stack([x, y_up - 0.005], 1), np.stack([x, y_up - 0.05 - 0.04 * bell], 1)[::-1]])
        da.polygon(pose.project(sock).ravel().tolist(), fill=(*SHADOW[:3], int(SHADOW[3] * min(1.0, open_up))))
        opening = np.concatenate([np.stack([x, y_up], 1), np.stack([x, y_lo], 1)[::-1]])
        if open_up > 0.02:
            d.polygon(pose.project(opening).ravel().tolist(), fill=SCLERA)
            order = np.argsort(x)
            xs, up_s, lo_s = x[order], y_up[order], y_lo[order]
            centre = np.array([s * EYE_X + 0.1 * gx, EYE_Y - 0.01 + 0.075 * gy])
            for radius, colour in ((0.074, IRIS), (0.034, PUPIL), (0.016, (255, 255, 255))):
                shift = np.array([0.025, -0.03]) if radius < 0.02 else 0.0
                disc = _CIRCLE * radius + centre + shift
                # Clip the disc into the opening: clamp each point between the lids at its x.
                disc[:, 1] = np.clip(disc[:, 1], np.interp(disc[:, 0], xs, up_s), np.interp(disc[:, 0], xs, lo_s))
                d.polygon(pose.project(disc).ravel().tolist(), fill=colour)
        # Lash line (thick upper lid), thin lower lid, crease above that rides the lid.
        d.line(pose.project(np.stack([x, y_up], 1)).ravel().tolist(), fill=LASH, width=self.w(0.024),
               joint="curve")
        if open_up > 0.02:
            da.line(pose.project(np.stack([x, y_lo], 1)).ravel().tolist(), fill=(*SKIN_LINE, 200),
                    width=self.w(0.01), joint="curve")
        if open_up < 0.5:  # a closing lid: lashes hang down from the lid edge
            k = np.arange(3, len(u) - 2, 2)
            tips = np.stack([x[k] + s * 0.012, y_up[k] + 0.035 * (1 - 2 * max(open_up, 0.0))], 1)
            for base, tip in zip(np.stack([x[k], y_up[k]], 1), tips):
                d.line(pose.project(np.stack([base, tip])).ravel().tolist(), fill=LASH, width=self.w(0.01))
        lash = np.array([[s * (EYE_X + EYE_W), y_up[-1]], [s * (EYE_X + EYE_W + 0.05), y_up[-1] - 0.035]])
        d.line(pose.project(lash).ravel().tolist(), fill=LASH, width=self.w(0.016))
        crease_y = np.minimum(rest_up - 0.035 - 0.02 * wide, y_up - 0.02) - 0.01 * bell
        crease = np.stack([x[2:-2], crease_y[2:-2]], 1)
        alpha = int(150 * min(1.0, max(open_up, 0.0)))  # the crease flattens out as the lid closes
        da.line(pose.project(crease).ravel().tolist(), fill=(*SKIN_LINE, alpha), width=self.w(0.011), joint="curve")

    # -- nose ---------------------------------------------------------------------------------
    def _nose(self, d, da, c: dict, pose: _Pose) -> None:
        """Bridge shading, tip, alar wings and nostrils; NoseSneer lifts and flares its side."""
        bridge = np.array([[-0.055, -0.02], [-0.06, 0.14], [-0.08, 0.3]])
        da.line(pose.project(bridge).ravel().tolist(), fill=(*SKIN_LINE, 90), width=self.w(0.018), joint="curve")
        under = np.stack([0.15 * np.cos(_ARC), NOSE_Y + 0.035 + 0.02 * np.sin(_ARC)], 1)
        da.polygon(pose.project(under).ravel().tolist(), fill=SHADOW)
        tip = _CIRCLE * [0.06, 0.04] + [0.02, 0.3]
        da.polygon(pose.project(tip).ravel().tolist(), fill=HIGHLIGHT)
        for s, side in _SIDES:
            sneer = c["NoseSneer" + side]
            lift, flare = -0.05 * sneer, 0.025 * sneer
            a = np.linspace(-0.6 * np.pi, 0.55 * np.pi, 9)
            wing = np.stack([s * (0.1 + flare + 0.05 * np.cos(a)), NOSE_Y - 0.025 + lift + 0.045 * np.sin(a)], 1)
            d.line(pose.project(wing).ravel().tolist(), fill=OUTLINE, width=self.w(0.014), joint="curve")
            nostril = _CIRCLE * [0.032 * (1 + 0.4 * sneer), 0.014 * (1 + 0.6 * sneer)] + [
                s * (0.06 + 0.6 * flare), NOSE_Y + lift * 0.8]
            d.polygon(pose.project(nostril).ravel().tolist(), fill=NOSTRIL)
            if sneer > 0.03:  # bunny lines on the side of the bridge
                for k in range(2):
                    wr = np.array([[s * 0.04, 0.1 + 0.06 * k], [s * 0.13, 0.06 + 0.06 * k]])
                    da.line(pose.project(wr).ravel().tolist(), fill=(*SKIN_LINE, int(220 * sneer)),
                            width=self.w(0.012))
        septum = np.stack([0.045 * np.cos(_ARC), NOSE_Y + 0.01 + 0.012 * np.sin(_ARC)], 1)
        d.line(pose.project(septum).ravel().tolist(), fill=OUTLINE, width=self.w(0.01), joint="curve")

    # -- mouth --------------------------------------------------------------------------------
    def _mouth(self, d, da, c: dict, pose: _Pose, m: dict) -> None:
        """Inner mouth, teeth, tongue, lips, and the folds and wrinkles around them."""
        xu, xl = m["x_upper"], m["x_lower"]
        yuo, yui, yli, ylo = m["upper_outer"], m["upper_inner"], m["lower_inner"], m["lower_outer"]
        # Nasolabial folds: from the nose wing to just outside each corner, deeper with smile/sneer.
        for s, side, corner in ((1.0, "Left", -1), (-1.0, "Right", 0)):  # corner: index into the lip arrays
            depth = c["MouthSmile" + side] + 0.7 * c["NoseSneer" + side] + 0.5 * c["MouthUpperUp" + side]
            depth += 0.4 * c["CheekSquint" + side] + 0.3 * c["MouthStretch" + side]
            cx, cy = xu[corner], yuo[corner]
            pts = np.array([[s * 0.17, NOSE_Y - 0.02], [s * 0.24 + 0.3 * (cx - s * 0.24), 0.5 * (NOSE_Y + cy)],
                            [cx + s * 0.06, cy + 0.03]])
            da.line(pose.project(pts).ravel().tolist(), fill=(*SKIN_LINE, int(min(255, 60 + 190 * depth))),
                    width=self.w(0.012 + 0.008 * min(depth, 1.0)), joint="curve")
            if c["MouthDimple" + side] > 0.02:  # dimple: a short crease just outside the corner
                dim = np.array([[cx + s * 0.04, cy - 0.04], [cx + s * 0.05, cy + 0.03]])
                da.line(pose.project(dim).ravel().tolist(), fill=(*SKIN_LINE, int(230 * c["MouthDimple" + side])),
                        width=self.w(0.016))
        upper_in = np.stack([xu, yui], 1)
        lower_in = np.stack([xl, yli], 1)
        if np.max(yli - yui) > 0.004:  # lips part: the inside of the mouth shows
            d.polygon(pose.project(np.concatenate([upper_in, lower_in[::-1]])).ravel().tolist(), fill=MOUTH_INSIDE)
            order_u, order_l = np.argsort(xu), np.argsort(xl)

            def inside(xs: np.ndarray, top: np.ndarray, bottom: np.ndarray) -> np.ndarray:
                """Polygon of a band clipped to the mouth opening (clamped between the inner lip lines)."""
                lo = np.interp(xs, xu[order_u], yui[order_u])
                hi = np.interp(xs, xl[order_l], yli[order_l])
                t = np.clip(top, lo, hi)
                b = np.clip(bottom, t, hi)
                return np.concatenate([np.stack([xs, t], 1), np.stack([xs, b], 1)[::-1]])

            tx = np.linspace(-0.16, 0.16, 9) + m["jaw_shift"]
            tongue_top = MOUTH_Y + 0.07 + 0.8 * m["jaw_drop"] + 0.5 * (tx - m["jaw_shift"]) ** 2
            d.polygon(pose.project(inside(tx, tongue_top, tongue_top + 0.3)).ravel().tolist(), fill=TONGUE)
            low_top = MOUTH_Y + 0.018 + m["jaw_drop"] + 0.6 * (tx - m["jaw_shift"]) ** 2 - 0.02 * c["JawForward"]
            d.polygon(pose.project(inside(tx, low_top, low_top + 0.05)).ravel().tolist(), fill=TEETH)
            ux = np.linspace(-0.17, 0.17, 9)
            up_edge = MOUTH_Y + 0.014 - 0.7 * ux**2
            d.polygon(pose.project(inside(ux, up_edge - 0.08, up_edge)).ravel().tolist(), fill=TEETH)
        upper = np.concatenate([np.stack([xu, yuo], 1), upper_in[::-1]])
        lower = np.concatenate([lower_in, np.stack([xl, ylo], 1)[::-1]])
        d.polygon(pose.project(lower).ravel().tolist(), fill=LIP_LOWER, outline=LIP_LINE, width=self.w(0.006))
        d.polygon(pose.project(upper).ravel().tolist(), fill=LIP_UPPER, outline=LIP_LINE, width=self.w(0.006))
        d.line(pose.project(upper_in).ravel().tolist(), fill=LIP_LINE, width=self.w(0.012), joint="curve")
        shine = _CIRCLE * [0.06, 0.014] + [float(np.mean(xl)), float(np.mean(0.4 * yli + 0.6 * ylo)) - 0.006]
        da.polygon(pose.project(shine).ravel().tolist(), fill=HIGHLIGHT)
        pucker = c["MouthPucker"] + 0.5 * c["MouthFunnel"]
        if pucker > 0.05:  # purse wrinkles above the upper lip
            for dx in (-0.09, -0.03, 0.03, 0.09):
                x0 = dx * m["width"] / MOUTH_W
                seg = np.array([[x0, float(np.min(yuo)) - 0.012], [x0 * 1.4, float(np.min(yuo)) - 0.07]])
                da.line(pose.project(seg).ravel().tolist(), fill=(*SKIN_LINE, int(180 * min(pucker, 1))),
                        width=self.w(0.008))
        tongue = c["TongueOut"]
        if tongue > 0.01:  # the tongue comes out over the lower lip
            length = 0.03 + 0.2 * tongue
            cx = float(np.mean(xl))
            top = float(np.interp(cx, xu[np.argsort(xu)], yui[np.argsort(xu)])) + 0.01
            shape = np.stack([cx + 0.095 * np.cos(_ARC), top + 0.02 + length * np.sin(_ARC)], 1)
            shape = np.concatenate([[[cx + 0.08, top]], shape, [[cx - 0.08, top]]])
            d.polygon(pose.project(shape).ravel().tolist(), fill=TONGUE, outline=TONGUE_LINE, width=self.w(0.008))
            mid = np.array([[cx, top + 0.02], [cx, top + 0.02 + 0.6 * length]])
            da.line(pose.project(mid).ravel().tolist(), fill=(*TONGUE_LINE, 160), width=self.w(0.008))


def _mouth_geometry(c: dict) -> dict:
    """Lip lines (face space) from the mouth and jaw channels; also the jaw drop/shift the head uses.

    Four lines over samples t (-1 viewer's left corner .. +1 viewer's right corner = the
    subject's left corner): upper outer, upper inner, lower inner, lower outer. Lips are
    closed when the inner lines coincide.
    """
    t = _MOUTH_T
    prof = np.sqrt(np.clip(1 - t**2, 0, 1))  # 1 at the middle, 0 at the corners
    bell = 1 - t**2
    jaw_open, close = c["JawOpen"], c["MouthClose"]
    pucker, funnel, puff, tongue = c["MouthPucker"], c["MouthFunnel"], c["CheekPuff"], c["TongueOut"]
    press_extra = max(0.0, close - jaw_open)  # MouthClose beyond JawOpen presses the lips together
    jaw_drop = 0.42 * jaw_open + 0.02 * c["JawForward"]
    jaw_shift = 0.13 * (c["JawLeft"] - c["JawRight"])
    lip_gap = 0.3 * max(0.0, jaw_open - close)  # MouthClose keeps the lips together while the jaw opens
    x_mid = 0.13 * (c["MouthLeft"] - c["MouthRight"])  # MouthLeft moves the mouth to the subject's left (+x)
    width = MOUTH_W * (1 - 0.42 * pucker - 0.28 * funnel - 0.12 * puff - 0.08 * press_extra - 0.1 * jaw_open)

    x = x_mid + width * t
    y = MOUTH_Y + 0.01 * t**2 - 0.02 * c["MouthShrugLower"] - 0.01 * c["MouthShrugUpper"]
    y = y + 0.06 * jaw_open * (1 - 0.7 * min(close, jaw_open) / max(jaw_open, 1e-6)) * (1 - prof)
    th_up = 0.055 * prof**0.8 * (1 + 0.35 * pucker + 0.3 * funnel) * (1 - 0.85 * c["MouthRollUpper"])
    th_lo = 0.075 * prof**0.9 * (1 + 0.3 * pucker + 0.3 * funnel + 0.25 * c["JawForward"]) * (
        1 - 0.85 * c["MouthRollLower"])
    th_up = th_up + 0.03 * c["MouthShrugUpper"] * prof - 0.012 * press_extra * prof
    th_lo = th_lo + 0.025 * c["MouthShrugLower"] * prof - 0.015 * press_extra * prof
    bow = 0.012 * np.exp(-(t / 0.1) ** 2) - 0.01 * np.exp(-((np.abs(t) - 0.25) / 0.14) ** 2)  # cupid's bow
    gap_up = (0.035 * funnel + 0.02 * tongue) * prof
    gap_lo = lip_gap * prof + (0.045 * funnel + 0.045 * tongue) * prof
    dx = np.zeros_like(t)
    dy = np.zeros_like(t)
    for s, side in _SIDES:
        corner = np.clip((s * t + 1) / 2, 0, 1) ** 3  # 1 at this side's corner, 0 at the other
        half = np.exp(-((t - s * 0.45) / 0.42) ** 2)  # the lip on this side
        smile, frown = c["MouthSmile" + side], c["MouthFrown" + side]
        dimple, stretch, press = c["MouthDimple" + side], c["MouthStretch" + side], c["MouthPress" + side]
        dx += s * corner * (0.07 * smile + 0.015 * press)
        dy += corner * -0.1 * smile
        # Frown (depressor anguli oris) pulls this half of the lips down and outward, stretch
        # (risorius) outward, dimple (buccinator) back and a little up: the whole half-lip
        # widens (a face tracker reads these only so, not from a moved corner alone).
        half_lip = np.clip(s * t, 0.0, 1.0)
        dx += s * (0.14 * frown + 0.15 * stretch + 0.09 * dimple) * half_lip
        dy += (0.12 * frown + 0.06 * stretch - 0.02 * dimple) * half_lip**2
        thin = 1 - half * (0.55 * press + 0.3 * stretch)
        th_up, th_lo = th_up * thin, th_lo * thin
        gap_up = gap_up + half * (0.065 * c["MouthUpperUp" + side] + 0.02 * c["NoseSneer" + side]) * prof**0.5
        gap_lo = gap_lo + half * 0.075 * c["MouthLowerDown" + side] * prof**0.5
    x = x + dx
    y = y + dy
    upper_inner = y - gap_up
    lower_inner = y + gap_lo
    shift = jaw_shift * bell  # the lower lip rides the jaw sideways, corners stay
    return {
        "x_upper": x,
        "x_lower": x + shift,
        "upper_inner": upper_inner,
        "upper_outer": upper_inner - th_up - 0.006 * prof - bow * prof,
        "lower_inner": lower_inner,
        "lower_outer": lower_inner + th_lo + 0.2 * min(jaw_open, close) * prof,  # stretched when held shut
        "jaw_drop": jaw_drop,
        "jaw_shift": jaw_shift,
        "width": width,
        "chin_crease_y": MOUTH_Y + 0.19 + jaw_drop - 0.03 * c["MouthShrugLower"],
    }
