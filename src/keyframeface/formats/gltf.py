"""glTF 2.0 morph-target animation: a tiny stand-in mesh whose 52 morph targets carry the Live Link names.

A DCC tool or web viewer that retargets by target name (three.js, Babylon, Blender read
``mesh.extras.targetNames``) can copy the animation onto a real face rig. The file holds:

* one mesh: a flat grid (``GRID`` x ``GRID`` vertices, 0.2 m wide) with one morph target
  per channel; target k lifts a small bump at its own spot on the grid, so every target is
  distinct and visible;
* ``mesh.extras.targetNames``: the channel names, in the order of the targets;
* one animation: sampler times in seconds (frame / fps), LINEAR interpolation, channel
  ``target.path = "weights"`` (frames x targets floats), plus the head pose as the node's
  ``rotation`` (yaw about +Y, pitch about +X, roll about +Z; glTF is +Y up, +Z toward the
  viewer, so the subject's right is -X: yaw and pitch flip sign, roll keeps it).

``embed=True`` writes one self-contained ``.gltf`` (data: URI); a ``.glb`` path writes the
binary container; ``embed=False`` writes ``name.gltf`` + ``name.bin``. Plain json/struct/base64:
no dependency. Khronos glTF 2.0 spec, §3.7.2.2 (morph targets), §3.11 (animations).
"""

from __future__ import annotations

import base64
import json
import math
import os
import struct
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from .._io import atomic_write_bytes, atomic_write_text
from ..channels import BLENDSHAPES, CHANNEL_INDEX
from ..errors import InputError

__all__ = ["GRID", "write_gltf"]

GRID = 9  # vertices per side of the stand-in mesh
_FLOAT, _USHORT = 5126, 5123  # glTF componentType
_ARRAY_BUFFER, _ELEMENT_ARRAY_BUFFER = 34962, 34963  # bufferView targets


def write_gltf(path: str | os.PathLike, values: np.ndarray, fps: float, *, names: Sequence[str] = BLENDSHAPES,
               embed: bool = True, head: bool = True) -> None:
    """Write (frames, 61) order-A ``values`` as a glTF morph-target animation, atomically.

    ``names`` picks the channels that become morph targets (default: the 52 blendshapes).
    ``head`` also animates the node's rotation from HeadYaw/HeadPitch/HeadRoll (radians).
    """
    v = np.asarray(values, dtype=float)
    if v.ndim != 2 or v.shape[1] != len(CHANNEL_INDEX) or len(v) == 0:
        raise InputError(f"expected (frames >= 1, {len(CHANNEL_INDEX)}) values, got shape {v.shape}", field="values")
    if not (math.isfinite(fps) and fps > 0):
        raise InputError(f"{fps!r} is not a positive frame rate", field="fps")
    unknown = [n for n in names if n not in CHANNEL_INDEX]
    if unknown or not names:
        raise InputError(f"not channel names: {unknown}" if unknown else "no names", field="names")
    if not np.isfinite(v).all():
        raise InputError("values must be finite", field="values")

    blob = _Blob()
    positions, indices = _grid()
    doc = _document(blob, positions, indices, v, fps, list(names), head)
    data = blob.bytes()
    target = Path(path)
    if target.suffix.lower() == ".glb":
        atomic_write_bytes(target, _glb(doc, data))
        return
    if embed:
        doc["buffers"] = [{"byteLength": len(data),
                           "uri": "data:application/octet-stream;base64," + base64.b64encode(data).decode()}]
    else:
        bin_path = target.with_suffix(".bin")
        doc["buffers"] = [{"byteLength": len(data), "uri": bin_path.name}]
        atomic_write_bytes(bin_path, data)
    atomic_write_text(target, json.dumps(doc, indent=1) + "\n")


class _Blob:
    """The one binary buffer: each added array gets a 4-byte aligned bufferView."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self.views: list[dict] = []
        self.size = 0

    def add(self, array: np.ndarray, target: int | None = None) -> int:
        """Append ``array`` (little-endian float32/uint16) and return its bufferView index."""
        raw = np.ascontiguousarray(array).astype(array.dtype.newbyteorder("<"), copy=False).tobytes()
        view = {"buffer": 0, "byteOffset": self.size, "byteLength": len(raw)}
        if target is not None:
            view["target"] = target
        pad = -len(raw) % 4
        self.parts.append(raw + b"\0" * pad)
        self.size += len(raw) + pad
        self.views.append(view)
        return len(self.views) - 1

    def bytes(self) -> bytes:
        return b"".join(self.parts)


def _document(blob: _Blob, positions: np.ndarray, indices: np.ndarray, v: np.ndarray, fps: float,
              names: list[str], head: bool) -> dict:
    """The glTF JSON (without ``buffers``) with its binary data appended to ``blob``."""
    accessors: list[dict] = []

    def accessor(array: np.ndarray, kind: str, target: int | None = None, bounds: bool = False) -> int:
        comp = _USHORT if array.dtype == np.uint16 else _FLOAT
        acc = {"bufferView": blob.add(array, target), "componentType": comp, "count": int(len(array)), "type": kind}
        if bounds:
            flat = array.reshape(len(array), -1)
            acc["min"], acc["max"] = flat.min(axis=0).tolist(), flat.max(axis=0).tolist()
        accessors.append(acc)
        return len(accessors) - 1

    position = accessor(positions, "VEC3", _ARRAY_BUFFER, bounds=True)
    targets = [{"POSITION": accessor(offsets, "VEC3", _ARRAY_BUFFER, bounds=True)}
               for offsets in _morph_offsets(positions, len(names))]
    index = accessor(indices, "SCALAR", _ELEMENT_ARRAY_BUFFER)
    times = accessor((np.arange(len(v)) / fps).astype(np.float32), "SCALAR", bounds=True)
    weights = v[:, [CHANNEL_INDEX[n] for n in names]].astype(np.float32)  # (frames, targets)
    samplers = [{"input": times, "output": accessor(weights.reshape(-1), "SCALAR"), "interpolation": "LINEAR"}]
    channels = [{"sampler": 0, "target": {"node": 0, "path": "weights"}}]
    if head:
        yaw, pitch, roll = (v[:, CHANNEL_INDEX[n]] for n in ("HeadYaw", "HeadPitch", "HeadRoll"))
        rotation = _quaternions(-pitch, -yaw, roll).astype(np.float32)  # (frames, 4) x, y, z, w
        samplers.append({"input": times, "output": accessor(rotation, "VEC4"), "interpolation": "LINEAR"})
        channels.append({"sampler": 1, "target": {"node": 0, "path": "rotation"}})
    return {
        "asset": {"version": "2.0", "generator": "keyframeface"},
        "scene": 0,
        "scenes": [{"nodes": [0]}],
        "nodes": [{"name": "face", "mesh": 0}],
        "meshes": [{
            "name": "face",
            "primitives": [{"attributes": {"POSITION": position}, "indices": index, "targets": targets}],
            "weights": [0.0] * len(names),
            "extras": {"targetNames": names},
        }],
        "animations": [{"name": "keyframeface", "samplers": samplers, "channels": channels}],
        "accessors": accessors,
        "bufferViews": blob.views,
    }


def _grid() -> tuple[np.ndarray, np.ndarray]:
    """A flat GRID x GRID vertex grid in the XY plane, 0.2 m wide, facing +Z: (positions (V, 3), indices (T*3,))."""
    u = np.linspace(-0.1, 0.1, GRID, dtype=np.float32)
    x, y = np.meshgrid(u, u)
    positions = np.stack([x.ravel(), y.ravel(), np.zeros(GRID * GRID, np.float32)], axis=1)
    i = np.arange(GRID - 1)
    a = (i[:, None] * GRID + i[None, :]).ravel()  # lower-left corner of each cell
    quads = np.stack([a, a + 1, a + GRID + 1, a, a + GRID + 1, a + GRID], axis=1)  # two CCW triangles
    return positions, quads.ravel().astype(np.uint16)


def _morph_offsets(positions: np.ndarray, count: int) -> list[np.ndarray]:
    """``count`` distinct (V, 3) displacements: a Gaussian bump (1 cm high) at a spot of its own."""
    golden = (math.sqrt(5) - 1) / 2
    out = []
    for k in range(count):
        cx, cy = (k * golden) % 1 * 0.16 - 0.08, (k + 0.5) / count * 0.16 - 0.08  # spread over the grid
        r2 = (positions[:, 0] - cx) ** 2 + (positions[:, 1] - cy) ** 2
        d = np.zeros_like(positions)
        d[:, 2] = 0.01 * np.exp(-r2 / (2 * 0.02**2))
        out.append(d.astype(np.float32))
    return out


def _quaternions(rx: np.ndarray, ry: np.ndarray, rz: np.ndarray) -> np.ndarray:
    """(frames, 4) unit quaternions (x, y, z, w) for intrinsic rotations: yaw (Y), then pitch (X), then roll (Z)."""
    def axis(angle: np.ndarray, k: int) -> np.ndarray:
        q = np.zeros((len(angle), 4))
        q[:, k] = np.sin(angle / 2)
        q[:, 3] = np.cos(angle / 2)
        return q

    return _qmul(_qmul(axis(ry, 1), axis(rx, 0)), axis(rz, 2))


def _qmul(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Hamilton product of (n, 4) quaternions stored x, y, z, w."""
    ax, ay, az, aw = a.T
    bx, by, bz, bw = b.T
    return np.stack([aw * bx + ax * bw + ay * bz - az * by,
                     aw * by - ax * bz + ay * bw + az * bx,
                     aw * bz + ax * by - ay * bx + az * bw,
                     aw * bw - ax * bx - ay * by - az * bz], axis=1)


def _glb(doc: dict, data: bytes) -> bytes:
    """The binary container: 12-byte header, JSON chunk (space padded), BIN chunk (zero padded)."""
    doc = dict(doc, buffers=[{"byteLength": len(data)}])
    text = json.dumps(doc, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 4)
    data += b"\0" * (-len(data) % 4)
    body = (struct.pack("<I4s", len(text), b"JSON") + text + struct.pack("<I4s", len(data), b"BIN\0") + data)
    return struct.pack("<4sII", b"glTF", 2, 12 + len(body)) + body
