"""Keyframe annotation by any OpenAI-compatible LLM or MLLM (the paper annotates keyframes with both).

Each keyframe is one chat request: the scene (background, emotion), the keyframe's place in the
sequence, its facial reading from the offline perspectives (the animator's note, FACS action units,
the emotion reading) and the previous keyframe's annotation, asking for one short annotation an
animator would write. With ``images`` the keyframe's video frame is attached as a standard vision
message part (``{"type": "image_url", "image_url": {"url": "data:image/png;base64,..."}}``), so a
multimodal model can look at the face itself. The answer is a JSON object ``{"description": "..."}``
(structured output, with the client's fallbacks for servers that reject it); retries, timeouts
and error reporting are the shared chat client's (``backends/llm/client.py``). The prompt's words
live in describe.yaml (``llm``).
"""

from __future__ import annotations

import base64
import io
import json
from collections.abc import Sequence

import numpy as np

from .describe import annotate, phrasings
from .errors import BackendError

__all__ = ["SCHEMA", "annotate_llm", "frame_data_url", "video_frames"]

SCHEMA = {"type": "object", "properties": {"description": {"type": "string", "minLength": 1, "maxLength": 600}},
          "required": ["description"], "additionalProperties": False}


def annotate_llm(keyframes: Sequence[np.ndarray], settings, *, background: str = "", emotion: str = "",
                 images: Sequence[str | None] | None = None, client=None) -> list[str]:
    """One LLM annotation per keyframe (see the module doc); ``images``: a data URL (or None) per keyframe."""
    from .backends.llm.client import ChatClient

    cfg = phrasings()["llm"]
    keys = [np.asarray(k, dtype=float) for k in keyframes]
    notes = {p: annotate(keys, p, emotion=emotion) for p in ("animator", "facs", "emotion")}
    own = client is None
    chat = client or ChatClient(settings)
    out: list[str] = []
    try:
        for i in range(len(keys)):
            text = cfg["user"].format(background=background or "-", emotion=emotion or "-", index=i + 1,
                                      count=len(keys), animator=notes["animator"][i], facs=notes["facs"][i],
                                      reading=notes["emotion"][i],
                                      previous=out[-1] if out else cfg["first"])
            image = images[i] if images is not None and i < len(images) else None
            content: str | list[dict] = text if image is None else [
                {"type": "text", "text": text + " " + cfg["image"]},
                {"type": "image_url", "image_url": {"url": image}}]
            messages = [{"role": "system", "content": cfg["system"]}, {"role": "user", "content": content}]
            out.append(_description(chat.chat(messages, schema=SCHEMA, name="annotation"), chat.endpoint))
    finally:
        if own:
            chat.close()
    return out


def _description(answer: str, endpoint: str) -> str:
    """The description of an answer: a JSON object's "description", or the plain text a server sent instead."""
    text = answer.strip()
    try:
        doc = json.loads(text)
    except ValueError:
        doc = None
    if isinstance(doc, dict):
        text = doc.get("description") if isinstance(doc.get("description"), str) else ""
    text = " ".join(str(text).split())
    if not text:
        raise BackendError(f"{endpoint}: the answer has no description: {answer[:200]!r}")
    return text[:600]


def frame_data_url(frame: np.ndarray, max_side: int = 512) -> str:
    """A PNG data URL of an (H, W, 3) uint8 RGB frame, scaled so its longer side is at most ``max_side``."""
    from PIL import Image

    image = Image.fromarray(np.ascontiguousarray(frame))
    if max(image.size) > max_side:
        image.thumbnail((max_side, max_side))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def video_frames(video: str, frame_numbers: Sequence[int], *, fps: float | None = None) -> list[str]:
    """Data URLs of the given frames of a video (or image folder), read in one pass."""
    from .capture import read_frames
    from .errors import InputError

    wanted = {int(f) for f in frame_numbers}
    found: dict[int, str] = {}
    _, _, frames = read_frames(video, fps=fps)
    count = 0
    try:
        for count, frame in enumerate(frames, 1):
            if count - 1 in wanted:
                found[count - 1] = frame_data_url(frame)
                if len(found) == len(wanted):
                    break
    finally:
        frames.close()
    missing = sorted(wanted - set(found))
    if missing:
        raise InputError(f"the video has no frame {missing[0]} (it has {count})", path=str(video))
    return [found[int(f)] for f in frame_numbers]
