"""Prompts and JSON schemas for the two LLM questions: pose a keyframe, plan keyframes.

Pose styles:
  * ``reference``: the KeyframeFace release's exact messages (formats.reference),
    answer ``{"Keyframe_one": {61 values}}``; what its LoRA adapter was trained on.
  * ``compact``: same user message, a system prompt asking for only the non-zero
    channels with two decimals as one flat object; about a fifth of the output tokens.
  * ``script``: ONE request for all keyframes of a script (``script_messages``), answer
    ``{"keyframes": [{"values": {non-zero channels}, "onset": s, "hold": s}, ...]}``
    (``script_schema``, json_schema); for general models, not the release's adapter.
"""

from __future__ import annotations

from ...channels import BLENDSHAPES, CHANNELS, HIGH, LOW, POSE
from ...data import Script
from ...formats.reference import answer_key, reference_messages, user_message

__all__ = ["COMPACT_SYSTEM_PROMPT", "PLAN_SYSTEM_PROMPT", "SCRIPT_SYSTEM_PROMPT", "plan_messages", "plan_schema",
           "pose_messages", "pose_schema", "script_messages", "script_schema"]

COMPACT_SYSTEM_PROMPT = (
    "You are a professional facial animator. Give the ARKit facial parameters for exactly one requested "
    "semantic keyframe as one flat JSON object that lists ONLY the parameters that are not 0, with at most "
    'two decimals, for example {"BrowInnerUp":0.35,"MouthPressLeft":0.4,"MouthPressRight":0.4,"HeadPitch":-0.1}. '
    f"Blendshapes, in [0,1]: {', '.join(BLENDSHAPES)}. "
    f"Head and eye pose, in [-1,1] (pitch positive = up, yaw positive = toward the subject's right): "
    f"{', '.join(POSE)}. Left/Right are the subject's own sides. Return strict JSON only."
)
SCRIPT_SYSTEM_PROMPT = (
    "You are a professional facial animator. Give the ARKit facial parameters for EVERY semantic keyframe of the "
    "sequence, in order, as one JSON object with a list that holds one entry per keyframe. Each entry has "
    '"values": an object that lists ONLY the parameters that are not 0, with at most two decimals, and optionally '
    '"onset" (seconds the move into this keyframe takes) and "hold" (seconds it is held). Example for two '
    'keyframes: {"keyframes":[{"values":{"BrowInnerUp":0.35,"MouthPressLeft":0.4,"MouthPressRight":0.4}},'
    '{"values":{"MouthSmileLeft":0.5,"MouthSmileRight":0.5,"HeadPitch":0.05},"onset":1.5}]}. '
    f"Blendshapes, in [0,1]: {', '.join(BLENDSHAPES)}. "
    f"Head and eye pose, in [-1,1] (pitch positive = up, yaw positive = toward the subject's right): "
    f"{', '.join(POSE)}. Left/Right are the subject's own sides. Return strict JSON only."
)
PLAN_SYSTEM_PROMPT = (
    "You are a professional facial animator. Break a moment of acting into an ordered sequence of semantic "
    "keyframes. Each keyframe is one sentence that describes only what the face visibly does: gaze, eyelids, "
    "brows, cheeks, nose, mouth corners, lips, jaw and head, with intensities such as slightly or strongly. "
    "Do not name the emotion. Example: \"The gaze is lowered, the inner brows lift slightly, and the lips "
    "press together with visible tension.\" then \"The gaze rises and both mouth corners form a small "
    "restrained smile while the brows remain worried.\" "
    'Return strict JSON only in the form {"keyframes":["...","..."]}.'
)


def pose_messages(script: Script, index: int, style: str) -> list[dict]:
    """Chat messages asking for keyframe ``index`` (0-based) of ``script``."""
    if style == "reference":
        return reference_messages(script, index)
    return [{"role": "system", "content": COMPACT_SYSTEM_PROMPT},
            {"role": "user", "content": user_message(script, index)}]


def pose_schema(style: str, index: int) -> dict:
    """JSON schema of the answer: 61 ranged numbers, wrapped as the release answers for 'reference'."""
    properties = {name: {"type": "number", "minimum": float(lo), "maximum": float(hi)}
                  for name, lo, hi in zip(CHANNELS, LOW, HIGH)}
    channels = {"type": "object", "properties": properties, "additionalProperties": False}
    if style != "reference":
        return channels
    key = answer_key(index)
    channels["required"] = list(CHANNELS)
    return {"type": "object", "properties": {key: channels}, "required": [key], "additionalProperties": False}


def plan_messages(background: str, emotion: str, count: int | None = None) -> list[dict]:
    """Chat messages asking for keyframe descriptions for a background and an emotion."""
    how_many = f"exactly {count}" if count else "2 to 6 (as the moment needs)"
    user = (f"Background: {background}\nEmotion: {emotion}\n\n"
            f"Task Instruction: Write {how_many} keyframe descriptions, in order, for this moment.")
    return [{"role": "system", "content": PLAN_SYSTEM_PROMPT}, {"role": "user", "content": user}]


def plan_schema(count: int | None = None) -> dict:
    """JSON schema of a plan answer: {"keyframes": [2..6 (or count) strings]}."""
    items = {"type": "array", "items": {"type": "string", "minLength": 8},
             "minItems": count or 2, "maxItems": count or 6}
    return {"type": "object", "properties": {"keyframes": items}, "required": ["keyframes"],
            "additionalProperties": False}


def script_messages(script: Script) -> list[dict]:
    """Chat messages asking for every keyframe of ``script`` in one answer (the ``script`` style)."""
    sequence = "\n".join(f"- Keyframe {i + 1}: {spec.description}" for i, spec in enumerate(script.keyframes))
    user = (f"Keyframe Description Sequence:\n{sequence}\n\n"
            f"Background: {script.background}\nEmotion: {script.emotion}\n\n"
            f"Task Instruction: Generate the facial expression parameters for all {len(script.keyframes)} "
            "keyframes, in order.")
    return [{"role": "system", "content": SCRIPT_SYSTEM_PROMPT}, {"role": "user", "content": user}]


def script_schema(count: int) -> dict:
    """JSON schema of a whole-script answer: exactly ``count`` entries of sparse ranged channels + timing."""
    channels = pose_schema("compact", 0)
    seconds = {"type": "number", "minimum": 0, "maximum": 10}
    item = {"type": "object", "properties": {"values": channels, "onset": seconds, "hold": seconds},
            "required": ["values"], "additionalProperties": False}
    return {"type": "object", "properties": {"keyframes": {"type": "array", "items": item, "minItems": count,
                                                           "maxItems": count}},
            "required": ["keyframes"], "additionalProperties": False}
