"""Reading model answers lives in ``formats.answers`` (the release's result files need it too); re-exported here."""

from __future__ import annotations

from ...formats.answers import (
           MAX_CLAMPED,
           MAX_FILLED,
           MAX_PLAN,
           AnswerError,
           Reading,
           ScriptReading,
           extract_json,
           parse_keyframe,
           parse_plan,
           parse_script,
)

__all__ = ["MAX_CLAMPED", "MAX_FILLED", "MAX_PLAN", "AnswerError", "Reading", "ScriptReading", "extract_json",
           "parse_keyframe", "parse_plan", "parse_script"]
