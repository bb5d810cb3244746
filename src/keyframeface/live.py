"""Live mode: a face that streams continuously and moves to each line of text as it arrives.

    face = LiveFace(fps=30)            # idle: blinks, gaze micro-shifts, breathing-level head sway
    face.say("the jaw drops open")     # pose the words (with the previous keyframes as context) and
                                       # start a transition from wherever the face is now
    face.say("emotion: quiet joy")     # change the prior for the lines that follow
    face.step()                        # the next frame, (61,) order A

``run_live`` sends ``step()`` at exactly ``fps`` packets per second (Live Link UDP or VMC)
while a reader thread turns input lines into transitions, so posing never delays a packet.
The idle layer uses the life model's constants (``life.py``: blink rate and shape, fixation
lengths, sway size), drawn as a running process instead of a finished timeline.
"""

from __future__ import annotations

import dataclasses
import math
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import IO

import numpy as np

from . import life
from ._limits import MAX_TEXT_CHARS, check_text
from .backends import Backend, get_backend
from .channels import CHANNEL_INDEX, HIGH, LOW, N_CHANNELS
from .data import Keyframe, KeyframeSpec, Script
from .errors import InputError
from .intensity import apply_intensity, check_intensity
from .senders import Sender
from .timing import transition_seconds

__all__ = ["HISTORY", "IdleLife", "LiveFace", "LiveStats", "read_lines", "run_live"]

HISTORY = 6  # keyframes kept as context for continuity ("the smile returns", "a little wider")
EMOTION_PREFIX = "emotion:"
_I = CHANNEL_INDEX
_LIDS = [_I["EyeBlinkLeft"], _I["EyeBlinkRight"]]
_HEAD = [_I["HeadYaw"], _I["HeadPitch"], _I["HeadRoll"]]
# Breathing-level sway: incommensurate periods (seconds) so the motion never visibly repeats.
_SWAY_PERIODS = ((7.3, 4.1), (5.9, 3.7), (8.9, 4.7))  # per head axis: yaw, pitch, roll
_BREATH_PERIOD = 4.2  # seconds, ~14 breaths a minute; a hint of pitch with each breath


class IdleLife:
    """Seeded, endless blinks, gaze fixations and head sway, one frame at a time."""

    def __init__(self, fps: float, seed: int = 0) -> None:
        self.fps = fps
        self.rng = np.random.default_rng(seed)
        self.t = 0.0
        self.next_blink = self.rng.uniform(0.5, life.BLINK_MEAN_INTERVAL)
        self.blink: tuple[float, float, float] | None = None  # (start, length, peak)
        self.next_fixation = self.rng.uniform(life.FIXATION_MIN, life.FIXATION_MEAN)
        self.gaze_from = self.gaze_to = np.zeros(2)  # radians (yaw, pitch)
        self.gaze_start = -1.0
        self.phases = self.rng.uniform(0, 2 * math.pi, (3, 2))

    def apply(self, base: np.ndarray) -> np.ndarray:
        """``base`` (61,) plus this frame's blink, gaze and sway, in range; advances one frame."""
        out = base.copy()
        t = self.t
        self.t += 1.0 / self.fps
        a = self._blink(t, base)
        out[_LIDS] = 1.0 - (1.0 - out[_LIDS]) * (1.0 - a)
        yaw, pitch = self._gaze(t)
        for side in ("Left", "Right"):
            out[_I[f"{side}EyeYaw"]] += yaw
            out[_I[f"{side}EyePitch"]] += pitch
            _shift_pair(out, f"EyeLookUp{side}", f"EyeLookDown{side}", pitch / life.PITCH_PER_LOOK)
        _shift_pair(out, "EyeLookInLeft", "EyeLookOutLeft", yaw / life.YAW_PER_LOOK)
        _shift_pair(out, "EyeLookOutRight", "EyeLookInRight", yaw / life.YAW_PER_LOOK)
        for axis, (channel, sd) in enumerate(zip(_HEAD, life.SWAY_SD)):
            p1, p2 = _SWAY_PERIODS[axis]
            ph = self.phases[axis]
            out[channel] += sd * (math.sin(2 * math.pi * t / p1 + ph[0]) + 0.5 * math.sin(2 * math.pi * t / p2 + ph[1]))
        out[_HEAD[1]] += 0.004 * math.sin(2 * math.pi * t / _BREATH_PERIOD)
        return np.clip(out, LOW, HIGH)

    def _blink(self, t: float, base: np.ndarray) -> float:
        if self.blink is None and t >= self.next_blink:
            shut = max(base[_LIDS].max(), base[[_I["EyeSquintLeft"], _I["EyeSquintRight"]]].max()) > life.LID_SHUT
            length = float(np.clip(life.BLINK_MEDIAN * math.exp(self.rng.normal(0, life.BLINK_LOG_SD)),
                                   *life.BLINK_RANGE))
            if not shut:
                self.blink = (t, length, self.rng.uniform(0.92, 1.0))
            scale = (life.BLINK_MEAN_INTERVAL - life.BLINK_MIN_INTERVAL) / life.BLINK_GAMMA_SHAPE
            self.next_blink = t + life.BLINK_MIN_INTERVAL + self.rng.gamma(life.BLINK_GAMMA_SHAPE, scale)
        if self.blink is None:
            return 0.0
        start, length, peak = self.blink
        tau = t - start
        if tau > length:
            self.blink = None
            return 0.0
        close = life.BLINK_CLOSE_FRACTION * length
        if tau < close:
            return peak * _smoothstep(tau / close)
        return peak * (1.0 - _smoothstep((tau - close) / (length - close)))

    def _gaze(self, t: float) -> tuple[float, float]:
        if t >= self.next_fixation:
            self.gaze_from = self._gaze_at(t)
            self.gaze_to = np.clip(self.rng.normal(0, 1, 2) * life.GAZE_SD, -life.GAZE_MAX, life.GAZE_MAX)
            self.gaze_start = t
            scale = (life.FIXATION_MEAN - life.FIXATION_MIN) / life.FIXATION_SHAPE
            self.next_fixation = t + life.FIXATION_MIN + self.rng.gamma(life.FIXATION_SHAPE, scale)
        yaw, pitch = self._gaze_at(t)
        return float(yaw), float(pitch)

    def _gaze_at(self, t: float) -> np.ndarray:
        move = _smoothstep((t - self.gaze_start) / life.SACCADE) if self.gaze_start >= 0 else 1.0
        return self.gaze_from + (self.gaze_to - self.gaze_from) * move


@dataclass
class _Transition:
    start: np.ndarray  # (61,) the face when the line arrived
    target: np.ndarray  # (61,) the posed keyframe
    begin: int  # frame index at which it starts
    frames: int  # length in frames (>= 1)


class LiveFace:
    """The live face: current pose, transitions to posed lines, idle life on top. Thread-safe."""

    def __init__(self, backend: Backend | None = None, *, fps: float = 30.0, seed: int = 0,
                 background: str = "", emotion: str = "", life_on: bool = True, intensity: float = 1.0) -> None:
        if not (math.isfinite(fps) and 1 <= fps <= 240):
            raise InputError(f"{fps!r} not in [1, 240]", field="fps")
        check_text(background, "background")
        check_text(emotion, "emotion")
        self.intensity = check_intensity(intensity)  # expression scale of every line (intensity.py)
        self.backend = backend if backend is not None else get_backend("engine")
        self.fps = fps
        self.background, self.emotion = background, emotion
        self.history: list[Keyframe] = []
        self.idle = IdleLife(fps, seed) if life_on else None
        self.frame = 0
        self.pose = np.zeros(N_CHANNELS)  # (61,) the posed face now, before idle life
        self.last = np.zeros(N_CHANNELS)  # (61,) the last frame step() returned
        self._transition: _Transition | None = None
        self._lock = threading.Lock()

    def say(self, line: str) -> Keyframe | None:
        """A line of text: 'emotion: ...' sets the prior; anything else becomes a transition from now."""
        text = check_text(line, "line").strip()  # at most 10,000 characters, as every text
        if not text:
            return None
        if text.lower().startswith(EMOTION_PREFIX):
            self.emotion = text[len(EMOTION_PREFIX):].strip()
            return None
        keyframe = apply_intensity(self.keyframe(text), self.intensity)  # history keeps the face as written
        self.go_to(keyframe.values, transition_seconds(keyframe.motion))
        return keyframe

    def keyframe(self, text: str) -> Keyframe:
        """Pose ``text`` with the recent keyframes as context (continuity), and remember it."""
        specs = tuple(k.spec for k in self.history) + (KeyframeSpec(text),)
        script = Script(background=self.background, emotion=self.emotion, keyframes=specs)
        keyframe = self.backend.pose(script, len(specs) - 1, tuple(self.history))
        if keyframe.motion is None:  # a backend without timing as data: the engine's reader over the words
            from .backends.engine.manner import read_manner

            keyframe = dataclasses.replace(keyframe, motion=read_manner(text))
        self.history = (self.history + [keyframe])[-HISTORY:]
        return keyframe

    def go_to(self, target: np.ndarray, seconds: float) -> None:
        """Start moving from the current pose to ``target`` (61,) over ``seconds``."""
        with self._lock:
            frames = max(1, round(seconds * self.fps))
            self._transition = _Transition(self.pose.copy(), np.asarray(target, float), self.frame, frames)

    def step(self) -> np.ndarray:
        """The next frame (61,): the eased transition (if any) plus idle life."""
        with self._lock:
            tr = self._transition
            if tr is not None:
                k = (self.frame - tr.begin + 1) / tr.frames  # the first frame already moves
                self.pose = tr.start + (tr.target - tr.start) * _smoothstep(min(k, 1.0))
                if k >= 1.0:
                    self._transition = None
            self.frame += 1
            pose = self.pose
        self.last = self.idle.apply(pose) if self.idle is not None else pose.copy()
        return self.last


@dataclass
class LiveStats:
    """What a live run did: packets sent, lines posed, seconds."""

    packets: int = 0
    lines: int = 0
    seconds: float = 0.0


def run_live(face: LiveFace, sender: Sender, lines: Iterable[str], *, stop: threading.Event | None = None,
             linger: float = 1.0, on_error: Callable[[Exception], None] | None = None) -> LiveStats:
    """Send ``face.step()`` at ``face.fps`` while a thread feeds ``lines`` to ``face.say``.

    Ends when ``stop`` is set, or ``linger`` seconds after the lines run out and the last
    transition has finished. An InputError on one line goes to ``on_error`` and the rest continue.
    """
    stop = stop or threading.Event()
    stats = LiveStats()
    done = threading.Event()

    def read() -> None:
        try:
            for line in lines:
                if stop.is_set():
                    break
                try:
                    if face.say(line) is not None:
                        stats.lines += 1
                except InputError as exc:
                    if on_error is not None:
                        on_error(exc)
        finally:
            done.set()

    reader = threading.Thread(target=read, name="keyframeface-live-reader", daemon=True)
    reader.start()
    start = time.perf_counter()
    ended_at: float | None = None
    while not stop.is_set():
        due = start + stats.packets / face.fps
        delay = due - time.perf_counter()
        if delay > 0 and stop.wait(delay):
            break
        sender.send(face.step(), face.frame)
        stats.packets += 1
        if done.is_set() and face._transition is None:
            ended_at = ended_at or time.perf_counter()
            if time.perf_counter() - ended_at >= linger:
                break
    stats.seconds = time.perf_counter() - start
    return stats


def read_lines(stream: IO[str], limit: int = MAX_TEXT_CHARS) -> Iterator[str]:
    """The lines of ``stream``, never holding more than ``limit`` + 1 characters of one line in memory.

    A longer line is cut to ``limit`` + 1 characters (so ``LiveFace.say`` refuses it with the limit
    named) and the rest of it is read and dropped; the lines after it go on as usual.
    """
    while True:
        line = stream.readline(limit + 2)
        if not line:
            return
        if len(line) > limit + 1 and not line.endswith("\n"):
            rest = line
            while rest and not rest.endswith("\n"):
                rest = stream.readline(65536)
        yield line[: limit + 1] if len(line.rstrip("\r\n")) > limit else line


def _shift_pair(out: np.ndarray, pos: str, neg: str, delta: float) -> None:
    """Move the net of an opposing pair (pos - neg) by ``delta``, keeping both >= 0, in place."""
    p, q = out[_I[pos]], out[_I[neg]]
    common, net = min(p, q), p - q + delta
    out[_I[pos]] = common + max(net, 0.0)
    out[_I[neg]] = common + max(-net, 0.0)


def _smoothstep(x: float) -> float:
    x = min(max(x, 0.0), 1.0)
    return x * x * (3.0 - 2.0 * x)
