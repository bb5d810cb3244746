"""The 61 ARKit channels: names, both wire orders, ranges, mirror pairs, regions, spellings.

One source of truth. Every other module asks this file for channel facts and never
re-types a channel list.

Order A (``CHANNELS``) is the Live Link Face CSV column order, also the order the
KeyframeFace release writes and its model emits. Order B (``UDP_ORDER``) is the
Live Link UDP stream order (Unreal's EARFaceBlendShape): JawLeft before JawRight
and MouthLeft before MouthRight. Map between them by name, never by position.

Sides are the subject's own: ``EyeBlinkLeft`` closes the subject's left eye, which
appears on the viewer's right in a front view.

Pose conventions (the 9 signed values, unit ~radians, kept in [-1, 1]):
  * Pitch (HeadPitch, LeftEyePitch, RightEyePitch): positive = up, negative = down,
    as the KeyframeFace release writes it ("the gaze is lowered" -> pitch -0.2).
    Note: the iPhone's raw eye pitch has the opposite sign.
  * Yaw (HeadYaw, *EyeYaw): positive = toward the subject's right (as the iPhone's
    eye yaw in the real take: LeftEyeYaw rises with EyeLookInLeft).
  * Roll (HeadRoll): positive = top of the head tilts toward the subject's right shoulder.
"""

from __future__ import annotations

import re

import numpy as np

__all__ = [
    "BLENDSHAPES",
    "CHANNELS",
    "CHANNEL_INDEX",
    "HIGH",
    "LOW",
    "MIRROR",
    "MIRROR_INDEX",
    "N_BLENDSHAPES",
    "N_CHANNELS",
    "POSE",
    "REGIONS",
    "UDP_ORDER",
    "canonical_name",
    "clip",
    "mirror_values",
    "region_of",
    "to_udp_order",
    "from_udp_order",
]

# Order A: Live Link Face CSV columns (52 blendshapes, then 9 pose values).
BLENDSHAPES: tuple[str, ...] = (
    "EyeBlinkLeft", "EyeLookDownLeft", "EyeLookInLeft", "EyeLookOutLeft", "EyeLookUpLeft",
    "EyeSquintLeft", "EyeWideLeft",
    "EyeBlinkRight", "EyeLookDownRight", "EyeLookInRight", "EyeLookOutRight", "EyeLookUpRight",
    "EyeSquintRight", "EyeWideRight",
    "JawForward", "JawRight", "JawLeft", "JawOpen",
    "MouthClose", "MouthFunnel", "MouthPucker", "MouthRight", "MouthLeft",
    "MouthSmileLeft", "MouthSmileRight", "MouthFrownLeft", "MouthFrownRight",
    "MouthDimpleLeft", "MouthDimpleRight", "MouthStretchLeft", "MouthStretchRight",
    "MouthRollLower", "MouthRollUpper", "MouthShrugLower", "MouthShrugUpper",
    "MouthPressLeft", "MouthPressRight", "MouthLowerDownLeft", "MouthLowerDownRight",
    "MouthUpperUpLeft", "MouthUpperUpRight",
    "BrowDownLeft", "BrowDownRight", "BrowInnerUp", "BrowOuterUpLeft", "BrowOuterUpRight",
    "CheekPuff", "CheekSquintLeft", "CheekSquintRight", "NoseSneerLeft", "NoseSneerRight",
    "TongueOut",
)
POSE: tuple[str, ...] = (
    "HeadYaw", "HeadPitch", "HeadRoll",
    "LeftEyeYaw", "LeftEyePitch", "LeftEyeRoll",
    "RightEyeYaw", "RightEyePitch", "RightEyeRoll",
)
CHANNELS: tuple[str, ...] = BLENDSHAPES + POSE
N_BLENDSHAPES = len(BLENDSHAPES)  # 52
N_CHANNELS = len(CHANNELS)  # 61
CHANNEL_INDEX: dict[str, int] = {name: i for i, name in enumerate(CHANNELS)}


def _udp_order() -> tuple[str, ...]:
    """Order B: order A with JawLeft/JawRight and MouthLeft/MouthRight swapped."""
    names = list(CHANNELS)
    for a, b in (("JawRight", "JawLeft"), ("MouthRight", "MouthLeft")):
        i, j = names.index(a), names.index(b)
        names[i], names[j] = names[j], names[i]
    return tuple(names)


UDP_ORDER: tuple[str, ...] = _udp_order()
_A_TO_B = np.array([CHANNEL_INDEX[n] for n in UDP_ORDER])  # values_B = values_A[_A_TO_B]
_B_TO_A = np.argsort(_A_TO_B)

# Ranges per channel, order A: blendshapes [0, 1], pose [-1, 1].
LOW = np.array([0.0] * N_BLENDSHAPES + [-1.0] * len(POSE))  # (61,)
HIGH = np.ones(N_CHANNELS)  # (61,)


def _mirror_name(name: str) -> str:
    """Name of the channel on the other side of the face (itself when central)."""
    for a, b in (("Left", "Right"), ("Right", "Left")):
        if name.startswith(a + "Eye"):  # LeftEyeYaw <-> RightEyeYaw
            return b + name[len(a):]
        if name.endswith(a):
            return name[: -len(a)] + b
    return name


MIRROR: dict[str, str] = {n: _mirror_name(n) for n in CHANNELS}
MIRROR_INDEX = np.array([CHANNEL_INDEX[MIRROR[n]] for n in CHANNELS])
# Channels whose sign flips when the face is mirrored left<->right (yaw and roll).
_MIRROR_SIGN = np.array([-1.0 if n.endswith(("Yaw", "Roll")) else 1.0 for n in CHANNELS])

# Regions, for grouping in plots, explanations and the planner.
REGIONS: dict[str, tuple[str, ...]] = {
    "brows": ("BrowDownLeft", "BrowDownRight", "BrowInnerUp", "BrowOuterUpLeft", "BrowOuterUpRight"),
    "eyes": ("EyeBlinkLeft", "EyeBlinkRight", "EyeSquintLeft", "EyeSquintRight", "EyeWideLeft", "EyeWideRight"),
    "gaze": (
        "EyeLookDownLeft", "EyeLookInLeft", "EyeLookOutLeft", "EyeLookUpLeft",
        "EyeLookDownRight", "EyeLookInRight", "EyeLookOutRight", "EyeLookUpRight",
        "LeftEyeYaw", "LeftEyePitch", "LeftEyeRoll", "RightEyeYaw", "RightEyePitch", "RightEyeRoll",
    ),
    "cheeks": ("CheekPuff", "CheekSquintLeft", "CheekSquintRight"),
    "nose": ("NoseSneerLeft", "NoseSneerRight"),
    "jaw": ("JawForward", "JawRight", "JawLeft", "JawOpen"),
    "mouth": tuple(n for n in BLENDSHAPES if n.startswith("Mouth")),
    "tongue": ("TongueOut",),
    "head": ("HeadYaw", "HeadPitch", "HeadRoll"),
}
_REGION_OF = {n: r for r, names in REGIONS.items() for n in names}
assert sorted(_REGION_OF) == sorted(CHANNELS), "every channel belongs to exactly one region"


def region_of(name: str) -> str:
    """The region ('brows', 'mouth', ...) a canonical channel name belongs to."""
    return _REGION_OF[name]


def _key(name: str) -> str:
    """Spelling-free key: lower case, no separators, `_L`/`_R` suffixes expanded."""
    s = name.strip()
    s = re.sub(r"[_\-. ]([LR])$", lambda m: "Left" if m.group(1) == "L" else "Right", s)
    return re.sub(r"[^a-z0-9]", "", s.lower())


# Every accepted spelling maps through _key to the canonical (PascalCase, Live Link) name.
_ALIASES: dict[str, str] = {_key(n): n for n in CHANNELS}
_ALIASES.update({
    # MediaPipe / Face Cap variants that differ by more than case or separators.
    "browinnerupleft": "BrowInnerUp",
    "browinnerupright": "BrowInnerUp",
    "cheekpuffleft": "CheekPuff",
    "cheekpuffright": "CheekPuff",
    "headyawangle": "HeadYaw",
    "headpitchangle": "HeadPitch",
    "headrollangle": "HeadRoll",
})


def canonical_name(name: str) -> str | None:
    """Live Link spelling of a channel name in any accepted spelling, else None.

    Accepts PascalCase (``JawOpen``), camelCase (``jawOpen``), ``_L``/``_R``
    suffixes (``eyeBlink_L``), snake/kebab case and MediaPipe names. MediaPipe's
    ``_neutral`` is not a channel and returns None.
    """
    return _ALIASES.get(_key(name))


def clip(values: np.ndarray) -> np.ndarray:
    """Clamp (..., 61) values into each channel's range."""
    return np.clip(values, LOW, HIGH)


def mirror_values(values: np.ndarray) -> np.ndarray:
    """Swap the subject's left and right for (..., 61) values (flips yaw and roll)."""
    return values[..., MIRROR_INDEX] * _MIRROR_SIGN


def to_udp_order(values: np.ndarray) -> np.ndarray:
    """(..., 61) order A -> order B (Live Link UDP)."""
    return values[..., _A_TO_B]


def from_udp_order(values: np.ndarray) -> np.ndarray:
    """(..., 61) order B (Live Link UDP) -> order A."""
    return values[..., _B_TO_A]
