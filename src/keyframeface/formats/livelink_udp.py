"""Live Link UDP: the Live Link Face app's ARKit datagrams (Unreal listens on port 11111).

One datagram per frame, big-endian (docs/formats.md §3)::

    uint8   version (6)
    int32   length, UTF-8 device id
    int32   length, UTF-8 subject name
    int32   frame number      float32 sub-frame      int32 fps numerator      int32 fps denominator
    uint8   count (61)
    float32 x count           values in ORDER B (Unreal's EARFaceBlendShape: JawLeft before
                              JawRight, MouthLeft before MouthRight)

Everything in keyframeface is order A; ``encode_packet``/``decode_packet`` convert by name.
``read_gesichter`` reads LLV recordings (gzip: uint8 version, uint32 packet count, then per
packet a uint32 size and the datagram). ``stream_udp`` sends a timeline to a listener.
"""

from __future__ import annotations

import gzip
import math
import os
import struct
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from ..channels import N_CHANNELS, from_udp_order, to_udp_order
from ..errors import InputError
from .pacing import paced

__all__ = [
    "DEFAULT_PORT",
    "LiveLinkPacket",
    "decode_packet",
    "encode_packet",
    "fps_fraction",
    "read_gesichter",
    "stream_udp",
]

DEFAULT_PORT = 11111
VERSION = 6
MAX_RECORDING_BYTES = 256 << 20  # decompressed .gesichter size; more is refused, not inflated
_FRAME_TIME = struct.Struct(">ifiiB")  # frame, sub-frame, fps numerator, fps denominator, count
_VALUES = struct.Struct(f">{N_CHANNELS}f")


@dataclass(frozen=True)
class LiveLinkPacket:
    """One decoded datagram; ``values`` are converted to order A."""

    version: int
    device_id: str
    subject: str
    frame: int
    subframe: float
    fps_num: int
    fps_den: int
    values: np.ndarray  # (61,) float64 holding the wire's float32 values, order A

    @property
    def fps(self) -> float:
        return self.fps_num / self.fps_den


def encode_packet(values: np.ndarray, *, device_id: str, subject: str, frame: int, subframe: float = 0.0,
                  fps_num: int = 60, fps_den: int = 1, version: int = VERSION) -> bytes:
    """One datagram for (61,) order-A ``values`` (sent in order B, as float32, big-endian)."""
    v = np.asarray(values, dtype=float)
    if v.shape != (N_CHANNELS,):
        raise InputError(f"expected {N_CHANNELS} values, got shape {v.shape}", field="values")
    try:
        device, name = device_id.encode("utf-8"), subject.encode("utf-8")
    except UnicodeEncodeError:
        raise InputError("the device id or subject is not text (a lone surrogate)", field="subject") from None
    return b"".join([
        struct.pack(">Bi", version, len(device)), device,
        struct.pack(">i", len(name)), name,
        _FRAME_TIME.pack(frame, subframe, fps_num, fps_den, N_CHANNELS),
        _VALUES.pack(*to_udp_order(v)),
    ])


def decode_packet(data: bytes) -> LiveLinkPacket:
    """Parse one datagram; InputError saying which field is short or wrong."""
    offset = 0

    def take(n: int, field: str) -> bytes:
        nonlocal offset
        if n < 0 or offset + n > len(data):
            raise InputError(f"datagram of {len(data)} bytes ends inside it (needs {offset + max(n, 0)})",
                             field=field)
        chunk = data[offset:offset + n]
        offset += n
        return chunk

    def text(field: str) -> str:
        (length,) = struct.unpack(">i", take(4, field))
        try:
            return take(length, field).decode("utf-8")
        except UnicodeDecodeError:
            raise InputError("not UTF-8 text", field=field) from None

    (version,) = take(1, "version")
    if version != VERSION:
        raise InputError(f"version {version}; this reader knows Live Link Face version {VERSION}", field="version")
    device, subject = text("device_id"), text("subject")
    frame, subframe, num, den, count = _FRAME_TIME.unpack(take(_FRAME_TIME.size, "frame_time"))
    if num <= 0 or den <= 0:
        raise InputError(f"frame rate {num}/{den}; expected a positive numerator and denominator", field="fps")
    if not math.isfinite(subframe):
        raise InputError(f"sub-frame {subframe!r} is not a finite number", field="frame_time")
    if count != N_CHANNELS:
        raise InputError(f"{count} values, expected {N_CHANNELS}", field="count")
    values = np.array(_VALUES.unpack(take(_VALUES.size, "values")))
    bad = np.flatnonzero(~np.isfinite(values))
    if bad.size:
        raise InputError(f"value {bad[0]} (order B) is {values[bad[0]]!r}, not a finite number", field="values")
    if offset != len(data):
        raise InputError(f"{len(data) - offset} bytes after the values", field="values")
    return LiveLinkPacket(version, device, subject, frame, subframe, num, den, from_udp_order(values))


def read_gesichter(path: str | os.PathLike) -> list[bytes]:
    """The datagrams of an LLV ``.gesichter`` recording (gzip container), in order."""
    name = os.fspath(path)
    data = _inflate(path, name)
    if len(data) < 5:
        raise InputError("shorter than its 5-byte header", path=name)
    _version, count = struct.unpack(">BI", data[:5])
    packets, offset = [], 5
    for i in range(count):
        if offset + 4 > len(data):
            raise InputError(f"ends before packet {i} of {count}", path=name)
        (size,) = struct.unpack(">I", data[offset:offset + 4])
        offset += 4
        if offset + size > len(data):
            raise InputError(f"packet {i} of {count} is cut short", path=name)
        packets.append(data[offset:offset + size])
        offset += size
    if offset != len(data):
        raise InputError(f"{len(data) - offset} bytes after the {count} packets", path=name)
    return packets


def _inflate(path: str | os.PathLike, name: str) -> bytes:
    """The decompressed bytes of a gzip file, at most MAX_RECORDING_BYTES; InputError otherwise."""
    import zlib

    try:
        with gzip.open(path, "rb") as f:
            data = f.read(MAX_RECORDING_BYTES + 1)
    except FileNotFoundError:
        raise InputError("file not found", path=name) from None
    except (OSError, EOFError, zlib.error) as e:  # not gzip, truncated, corrupt
        raise InputError(f"not a readable gzip recording: {e or type(e).__name__}", path=name) from None
    if len(data) > MAX_RECORDING_BYTES:
        raise InputError(f"decompresses to more than {MAX_RECORDING_BYTES:,} bytes; refused", path=name)
    return data


def fps_fraction(fps: float) -> tuple[int, int]:
    """Frame rate as Live Link's (numerator, denominator): 30 -> (30, 1), 29.97 -> (30000, 1001)."""
    if not (math.isfinite(fps) and fps > 0):
        raise InputError(f"{fps!r} is not a positive frame rate", field="fps")
    for ntsc in (24, 30, 60, 120):
        if abs(fps - ntsc * 1000 / 1001) < 0.005:
            return ntsc * 1000, 1001
    frac = Fraction(fps).limit_denominator(1001)
    return frac.numerator, frac.denominator


def stream_udp(values: np.ndarray, fps: float, host: str = "127.0.0.1", port: int = DEFAULT_PORT, *,
               subject: str = "keyframeface", device_id: str = "keyframeface", start_frame: int = 0,
               realtime: bool = True, broadcast: bool = False) -> int:
    """Send (frames, 61) order-A ``values`` as Live Link datagrams; returns how many were sent.

    With ``realtime`` frame i leaves at i / fps seconds after the first (no drift), else as
    fast as the socket takes them.
    """
    v = np.asarray(values, dtype=float)
    if v.ndim != 2 or v.shape[1] != N_CHANNELS:
        raise InputError(f"expected (frames, {N_CHANNELS}) values, got shape {v.shape}", field="values")
    num, den = fps_fraction(fps)
    from .udp import udp_destination

    destination = udp_destination(host, port, broadcast=broadcast)  # InputError naming a bad host, before sending
    try:
        for i in paced(len(v), fps, realtime=realtime):
            destination.sendto(encode_packet(v[i], device_id=device_id, subject=subject, frame=start_frame + i,
                                             fps_num=num, fps_den=den))
    finally:
        destination.close()
    return len(v)
