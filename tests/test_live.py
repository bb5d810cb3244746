"""Live mode: the idle face, transitions from wherever the face is, and `keyframeface live` on a real socket."""

from __future__ import annotations

import socket
import subprocess
import sys

import numpy as np
import pytest

from keyframeface.channels import CHANNEL_INDEX
from keyframeface.errors import InputError
from keyframeface.formats.livelink_udp import decode_packet
from keyframeface.formats.vmc import decode_frame
from keyframeface.live import LiveFace, run_live
from keyframeface.senders import open_sender

JAW, BLINK = CHANNEL_INDEX["JawOpen"], CHANNEL_INDEX["EyeBlinkLeft"]


def test_the_idle_face_blinks_looks_around_and_sways():
    face = LiveFace(fps=30, seed=1)
    frames = np.array([face.step() for _ in range(30 * 20)])  # 20 s
    blinks = np.sum((frames[1:, BLINK] > 0.5) & (frames[:-1, BLINK] <= 0.5))
    assert 2 <= blinks <= 15  # about 17 a minute at rest
    head = frames[:, [CHANNEL_INDEX["HeadYaw"], CHANNEL_INDEX["HeadPitch"]]]
    assert np.all(head.std(axis=0) > 0.003) and np.abs(head).max() < 0.1  # small, but moving
    assert frames[:, CHANNEL_INDEX["LeftEyeYaw"]].std() > 0.005
    assert np.all(frames[:, JAW] == 0)


def test_a_line_moves_the_face_from_where_it_is():
    face = LiveFace(fps=30, life_on=False)
    face.say("the jaw drops wide open")
    path = np.array([face.step()[JAW] for _ in range(60)])
    assert path[0] > 0 and np.all(np.diff(path) >= -1e-12) and path[-1] > 0.3
    middle = None
    face.say("the mouth closes")  # mid-way into the next move: it starts from the open jaw
    for _ in range(3):
        middle = face.step()[JAW]
    assert 0 < middle < path[-1]
    later = [face.step()[JAW] for _ in range(60)]
    assert later[-1] < 0.1


def test_intensity_scales_each_line_and_the_pace_comes_from_the_keyframes_motion():
    full, half = LiveFace(fps=30, life_on=False), LiveFace(fps=30, life_on=False, intensity=0.5)
    a, b = full.say("the jaw drops wide open"), half.say("the jaw drops wide open")
    assert b.values[JAW] == pytest.approx(a.values[JAW] / 2) and a.values[JAW] > 0.3
    assert half.history[-1].values[JAW] == a.values[JAW]  # continuity remembers the face as written
    slow = LiveFace(fps=30, life_on=False)
    slow.say("over 2 seconds the jaw drops wide open")
    path = [slow.step()[JAW] for _ in range(61)]
    assert path[30] < 0.9 * path[60]  # still moving after one second: the stated onset
    with pytest.raises(InputError, match="intensity"):
        LiveFace(fps=30, intensity=3)


def test_emotion_lines_change_the_prior_not_the_face():
    face = LiveFace(fps=30, life_on=False)
    assert face.say("emotion: quiet joy") is None
    assert face.emotion == "quiet joy"
    assert np.all(face.step() == 0)


@pytest.mark.slow
def test_run_live_sends_at_the_rate_and_moves_on_a_line():
    face = LiveFace(fps=60, seed=2)
    lines = iter(["the jaw drops wide open"])
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.settimeout(5)
        sender = open_sender("livelink", "127.0.0.1", sock.getsockname()[1], fps=60)
        stats = run_live(face, sender, lines, linger=0.3)
        sender.close()
        packets = []
        sock.settimeout(0.2)
        try:
            while True:
                packets.append(decode_packet(sock.recv(2048)))
        except TimeoutError:
            pass
    assert stats.lines == 1 and stats.packets == len(packets)
    assert stats.packets / stats.seconds == pytest.approx(60, rel=0.15)
    assert [p.frame for p in packets] == list(range(1, len(packets) + 1))
    assert max(p.values[JAW] for p in packets) > 0.3


@pytest.mark.slow
def test_the_live_command_over_vmc_reads_stdin():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.settimeout(20)
        port = sock.getsockname()[1]
        proc = subprocess.Popen([sys.executable, "-m", "keyframeface", "live", "--protocol", "vmc", "--port", str(port),
                                 "--fps", "30", "--linger", "0.2"], stdin=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)
        first = decode_frame(sock.recv(65536))  # idle packets flow before any line
        assert first.blendshapes["JawOpen"] == 0.0
        proc.stdin.write("the jaw drops wide open\n")
        proc.stdin.close()
        jaw = 0.0
        while jaw < 0.3:
            jaw = decode_frame(sock.recv(65536)).blendshapes["JawOpen"]
        proc.wait(timeout=30)
        err = proc.stderr.read()
    assert proc.returncode == 0, err
    assert "1 lines" in err


def test_the_live_command_rejects_bad_options():
    result = subprocess.run([sys.executable, "-m", "keyframeface", "live", "--fps", "0"], capture_output=True,
                            text=True, stdin=subprocess.DEVNULL, timeout=60, check=False)
    assert result.returncode == 2 and "--fps" in result.stderr


def test_the_idle_face_is_seeded():
    a, b, c = LiveFace(fps=30, seed=4), LiveFace(fps=30, seed=4), LiveFace(fps=30, seed=5)
    fa, fb, fc = (np.array([f.step() for _ in range(300)]) for f in (a, b, c))
    assert np.array_equal(fa, fb) and not np.array_equal(fa, fc)
    assert np.all(fa >= -1) and np.all(fa <= 1) and np.all(fa[:, :52] >= 0)


def test_bad_live_settings_are_input_errors():
    from keyframeface.errors import InputError

    with pytest.raises(InputError, match="fps"):
        LiveFace(fps=0)
    with pytest.raises(InputError, match="protocol"):
        open_sender("carrier-pigeon")
    with pytest.raises(InputError, match="port"):
        open_sender("vmc", port=70000)
