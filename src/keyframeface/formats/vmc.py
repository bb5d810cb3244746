"""VMC protocol output (OSC over UDP), what VTuber apps (VSeeFace, VNyan, Warudo, VMagicMirror) read.

One OSC bundle per frame, built with python-osc:

    /VMC/Ext/Blend/Val  (name: str, value: float)   x 52, ARKit "perfect sync" clip names (EyeBlinkLeft ...)
    /VMC/Ext/Bone/Pos   ("Head", px py pz, qx qy qz qw)   head rotation from HeadYaw/Pitch/Roll (radians)
    /VMC/Ext/Blend/Apply

Spec: https://protocol.vmc.info/specification (Unity's left-handed frame: +y up, +z forward).
Our head signs: yaw + toward the subject's right, pitch + up, roll + toward the right shoulder.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..channels import BLENDSHAPES, CHANNEL_INDEX, N_BLENDSHAPES, N_CHANNELS
from ..errors import InputError, MissingExtra
from .pacing import paced

__all__ = ["DEFAULT_PORT", "VMCFrame", "VMCSender", "decode_frame", "encode_frame", "stream_vmc"]

DEFAULT_PORT = 39539
_HEAD = [CHANNEL_INDEX[n] for n in ("HeadYaw", "HeadPitch", "HeadRoll")]


@dataclass(frozen=True)
class VMCFrame:
    """One decoded frame: blendshape values by name, the head quaternion (x, y, z, w), whether Apply came."""

    blendshapes: dict[str, float]
    head: tuple[float, float, float, float] | None
    applied: bool


def encode_frame(values: np.ndarray) -> bytes:
    """(61,) order-A values -> one OSC bundle datagram (52 Blend/Val, the Head bone, Blend/Apply)."""
    try:
        from pythonosc.osc_bundle_builder import IMMEDIATELY, OscBundleBuilder
        from pythonosc.osc_message_builder import OscMessageBuilder
    except ImportError:  # pragma: no cover - python-osc is a dependency of the web extra
        raise MissingExtra("VMC output", "all", "python-osc") from None
    v = np.asarray(values, dtype=float)
    if v.shape != (N_CHANNELS,):
        raise InputError(f"expected {N_CHANNELS} values, got shape {v.shape}", field="values")
    bundle = OscBundleBuilder(IMMEDIATELY)
    for name, value in zip(BLENDSHAPES, v[:N_BLENDSHAPES]):
        msg = OscMessageBuilder("/VMC/Ext/Blend/Val")
        msg.add_arg(name, "s")
        msg.add_arg(float(value), "f")
        bundle.add_content(msg.build())
    qx, qy, qz, qw = head_quaternion(*v[_HEAD])
    bone = OscMessageBuilder("/VMC/Ext/Bone/Pos")
    bone.add_arg("Head", "s")
    for x in (0.0, 0.0, 0.0, qx, qy, qz, qw):
        bone.add_arg(float(x), "f")
    bundle.add_content(bone.build())
    bundle.add_content(OscMessageBuilder("/VMC/Ext/Blend/Apply").build())
    return bundle.build().dgram


def decode_frame(data: bytes) -> VMCFrame:
    """Read a datagram ``encode_frame`` (or any VMC sender) wrote; InputError when it is not OSC."""
    from pythonosc.osc_bundle import OscBundle
    from pythonosc.osc_message import OscMessage

    try:
        items = list(OscBundle(data)) if OscBundle.dgram_is_bundle(data) else [OscMessage(data)]
    except Exception as exc:  # noqa: BLE001 - python-osc raises assorted ParseError kinds
        raise InputError(f"not an OSC packet: {exc}", field="datagram") from None
    blend: dict[str, float] = {}
    head, applied = None, False
    for item in items:
        if item.address == "/VMC/Ext/Blend/Val":
            blend[str(item.params[0])] = float(item.params[1])
        elif item.address == "/VMC/Ext/Bone/Pos" and item.params and item.params[0] == "Head":
            head = tuple(float(x) for x in item.params[4:8])  # type: ignore[assignment]
        elif item.address == "/VMC/Ext/Blend/Apply":
            applied = True
    return VMCFrame(blend, head, applied)


def head_quaternion(yaw: float, pitch: float, roll: float) -> tuple[float, float, float, float]:
    """Head yaw/pitch/roll (radians, our signs) -> a Unity quaternion (x, y, z, w), applied Y then X then Z."""
    # Unity is left-handed (x right, y up, z forward; the avatar faces +z, its right hand at +x): a positive
    # turn about +y takes +z toward +x (toward its right); about +x it looks down; about +z the top tips left.
    hy, hp, hr = yaw / 2, -pitch / 2, -roll / 2
    cy, sy, cp, sp, cr, sr = math.cos(hy), math.sin(hy), math.cos(hp), math.sin(hp), math.cos(hr), math.sin(hr)
    # q = qy * qx * qz: Unity's Quaternion.Euler order (z first, then x, then y).
    w = cy * cp * cr + sy * sp * sr
    x = cy * sp * cr + sy * cp * sr
    y = sy * cp * cr - cy * sp * sr
    z = cy * cp * sr - sy * sp * cr
    return x, y, z, w


class VMCSender:
    """A UDP socket that sends one VMC bundle per ``send`` to host:port."""

    def __init__(self, host: str = "127.0.0.1", port: int = DEFAULT_PORT, *, broadcast: bool = False) -> None:
        from .udp import udp_destination

        self._dest = udp_destination(host, port, broadcast=broadcast)  # InputError naming a bad host, now
        self.address = self._dest.address

    def send(self, values: np.ndarray) -> None:
        """Send one frame of (61,) values (OutputError naming udp://host:port when the kernel refuses it)."""
        self._dest.sendto(encode_frame(values))

    def close(self) -> None:
        """Close the socket."""
        self._dest.close()

    def __enter__(self) -> VMCSender:  # noqa: PYI034
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def stream_vmc(values: np.ndarray, fps: float, host: str = "127.0.0.1", port: int = DEFAULT_PORT, *,
               realtime: bool = True, broadcast: bool = False) -> int:
    """Send (frames, 61) values as VMC bundles, frame i at i / fps seconds (no drift); returns how many."""
    v = np.asarray(values, dtype=float)
    if v.ndim != 2 or v.shape[1] != N_CHANNELS:
        raise InputError(f"expected (frames, {N_CHANNELS}) values, got shape {v.shape}", field="values")
    with VMCSender(host, port, broadcast=broadcast) as sender:
        for i in paced(len(v), fps, realtime=realtime):
            sender.send(v[i])
    return len(v)
