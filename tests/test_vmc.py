"""VMC output (OSC over UDP, python-osc): the bundle per frame, and `stream --protocol vmc` to a real socket."""

from __future__ import annotations

import math
import socket

import numpy as np
import pytest

from keyframeface.channels import BLENDSHAPES, CHANNEL_INDEX
from keyframeface.cli import main
from keyframeface.errors import InputError
from keyframeface.formats.livelink_csv import write_livelink_csv
from keyframeface.formats.vmc import decode_frame, encode_frame, head_quaternion


def test_a_frame_is_52_named_values_then_apply():
    values = np.zeros(61)
    values[CHANNEL_INDEX["JawOpen"]] = 0.75
    values[CHANNEL_INDEX["EyeBlinkRight"]] = 0.25
    frame = decode_frame(encode_frame(values))
    assert set(frame.blendshapes) == set(BLENDSHAPES) and len(frame.blendshapes) == 52
    assert frame.blendshapes["JawOpen"] == pytest.approx(0.75)
    assert frame.blendshapes["EyeBlinkRight"] == pytest.approx(0.25)
    assert frame.blendshapes["EyeBlinkLeft"] == 0.0
    assert frame.applied and frame.head == pytest.approx((0.0, 0.0, 0.0, 1.0))


def test_apply_comes_after_the_values():
    from pythonosc.osc_bundle import OscBundle

    addresses = [m.address for m in OscBundle(encode_frame(np.zeros(61)))]
    assert addresses[-1] == "/VMC/Ext/Blend/Apply"
    assert addresses.count("/VMC/Ext/Blend/Val") == 52 and addresses.index("/VMC/Ext/Blend/Apply") > 51


def test_head_quaternion_is_a_unit_rotation_with_our_signs():
    x, y, z, _ = head_quaternion(0.3, 0.0, 0.0)  # turn toward the subject's right: +y in Unity
    assert y > 0 and x == pytest.approx(0) and z == pytest.approx(0)
    assert head_quaternion(0.0, 0.2, 0.0)[0] < 0  # looking up: negative about +x
    q = head_quaternion(0.1, -0.2, 0.3)
    assert math.isclose(sum(c * c for c in q), 1.0, rel_tol=1e-9)
    assert 2 * math.acos(head_quaternion(0.3, 0, 0)[3]) == pytest.approx(0.3)


def test_bad_input_is_an_input_error():
    with pytest.raises(InputError, match="61"):
        encode_frame(np.zeros(60))
    with pytest.raises(InputError, match="OSC"):
        decode_frame(b"\x00garbage")


def test_stream_protocol_vmc_sends_one_bundle_per_frame(tmp_path):
    values = np.zeros((5, 61))
    values[:, CHANNEL_INDEX["MouthSmileLeft"]] = np.linspace(0, 1, 5)
    write_livelink_csv(tmp_path / "take.csv", values, 30.0)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.settimeout(5)
        port = sock.getsockname()[1]
        assert main(["stream", str(tmp_path / "take.csv"), "--protocol", "vmc", "--port", str(port), "--fast"]) == 0
        frames = [decode_frame(sock.recv(65536)) for _ in range(5)]
    smiles = [f.blendshapes["MouthSmileLeft"] for f in frames]
    assert smiles == pytest.approx(list(np.linspace(0, 1, 5)), abs=1e-6)
