"""Model files that ship inside keyframeface, each checked against its sha256 before first use.

They are here, not in a dependency, because the packages that also carry them declare dependencies we must not
install (torch, opencv); see README.md in this folder for each file's source and licence. Nothing is downloaded.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from ..errors import KeyframeFaceError

__all__ = ["ASSETS", "asset_path"]

HERE = Path(__file__).resolve().parent

# file name -> sha256 of the bytes shipped (README.md says where each came from).
ASSETS: dict[str, str] = {
    "face_landmarker.task": "64184e229b263107bc2b804c6625db1341ff2bb731874b0bcc2fe6544e0bc9ff",
    "facecap.glb": "6bfce6d0fcbb5839f5102b79733007859fef7c5df6d9eb49e2264542810b5f64",
    "minilm-tokenizer.json": "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
}


@functools.lru_cache(maxsize=None)
def asset_path(name: str) -> Path:
    """Path of the shipped model file ``name``, once its bytes are checked against ``ASSETS`` (once per process)."""
    if name not in ASSETS:
        raise KeyError(f"no shipped asset named {name!r} (known: {', '.join(sorted(ASSETS))})")
    path = HERE / name
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as exc:
        raise KeyframeFaceError(f"{path}: the model file that ships with keyframeface cannot be read "
                                f"({exc.strerror or exc}); reinstall keyframeface") from None
    if digest != ASSETS[name]:
        raise KeyframeFaceError(f"{path}: sha256 {digest[:16]}... is not the shipped file's "
                                f"{ASSETS[name][:16]}...; the installation is damaged: reinstall keyframeface")
    return path
