"""Live Link UDP: real LLV recordings decode and re-encode byte for byte; order B on the wire; real sockets."""

from __future__ import annotations

import gzip
import socket
import struct
import threading
import time

import numpy as np
import pytest

from keyframeface.channels import CHANNEL_INDEX, CHANNELS, UDP_ORDER
from keyframeface.errors import InputError
from keyframeface.formats.livelink_udp import (
    decode_packet,
    encode_packet,
    fps_fraction,
    read_gesichter,
    stream_udp,
)

NAMES = ["dao", "debug-all-blendshapes", "debug-headyaw", "debug-jawopen", "debug-mouthsmileleft"]


def recording(fixture_file, name: str) -> list[bytes]:
    return read_gesichter(fixture_file("livelink_udp", f"{name}.gesichter"))


@pytest.mark.parametrize("name", NAMES)
def test_real_packets_decode_and_reencode_identically(fixture_file, name):
    packets = recording(fixture_file, name)
    assert packets and all(264 <= len(p) <= 774 for p in packets)
    frames = []
    for data in packets:
        p = decode_packet(data)
        assert p.version == 6 and p.fps_num == 60 and p.fps_den == 1 and p.values.shape == (61,)
        again = encode_packet(p.values, device_id=p.device_id, subject=p.subject, frame=p.frame,
                              subframe=p.subframe, fps_num=p.fps_num, fps_den=p.fps_den, version=p.version)
        assert again == data
        frames.append(p.frame)
    assert np.all(np.diff(frames) >= 1)  # increasing; real recordings drop a frame now and then


def test_dao_is_180_frames_at_60(fixture_file):
    packets = [decode_packet(d) for d in recording(fixture_file, "dao")]
    assert len(packets) == 180 and packets[0].fps == 60.0
    assert packets[0].device_id == "DEADC0DE-1337-1337-1337-CAFEBABE" and packets[0].subject == "LLV Default Device"
    blink = np.array([p.values[CHANNEL_INDEX["EyeBlinkLeft"]] for p in packets])
    assert blink.max() > 0.8  # a real face that blinks


@pytest.mark.parametrize("name,channel", [("debug-jawopen", "JawOpen"), ("debug-headyaw", "HeadYaw"),
                                          ("debug-mouthsmileleft", "MouthSmileLeft")])
def test_debug_recordings_sweep_one_channel(fixture_file, name, channel):
    values = np.array([decode_packet(d).values for d in recording(fixture_file, name)])
    swept = values[:, CHANNEL_INDEX[channel]]
    assert swept[0] == -1.0 and swept[-1] == 1.0 and np.all(np.diff(swept) > 0)
    others = np.delete(values, CHANNEL_INDEX[channel], axis=1)
    assert np.all(others == 0)


def test_all_blendshapes_sweep_follows_wire_order_b(fixture_file):
    values = np.array([decode_packet(d).values for d in recording(fixture_file, "debug-all-blendshapes")])
    assert len(values) == 61 * 60
    for k, wire_name in enumerate(UDP_ORDER):  # block k sweeps the k-th channel on the wire
        block = values[k * 60:(k + 1) * 60]
        moving = np.flatnonzero(np.ptp(block, axis=0) > 0.5)
        assert [CHANNELS[i] for i in moving] == [wire_name]
    jaw_left_block = values[UDP_ORDER.index("JawLeft") * 60:][:60]
    assert np.ptp(jaw_left_block[:, CHANNEL_INDEX["JawLeft"]]) > 1.5  # order A index differs from wire index


def test_encode_puts_order_b_on_the_wire():
    values = np.zeros(61)
    values[CHANNEL_INDEX["JawLeft"]] = 0.25
    values[CHANNEL_INDEX["MouthRight"]] = 0.5
    data = encode_packet(values, device_id="d", subject="s", frame=7, fps_num=30, fps_den=1)
    wire = struct.unpack(">61f", data[-244:])
    assert wire[UDP_ORDER.index("JawLeft")] == 0.25 and wire[15] == 0.25  # JawLeft is 16th in order B
    assert wire[UDP_ORDER.index("MouthRight")] == 0.5
    assert data[0] == 6 and data[1:5] == struct.pack(">i", 1) and data[5:6] == b"d"
    assert len(data) == 1 + 4 + 1 + 4 + 1 + 16 + 1 + 244


@pytest.mark.parametrize("cut", [0, 3, 20, 100, 319])
def test_truncated_packets_are_input_errors(cut):
    data = encode_packet(np.zeros(61), device_id="DEADC0DE-1337-1337-1337-CAFEBABE", subject="LLV Default Device",
                         frame=1)
    assert len(data) == 320
    with pytest.raises(InputError):
        decode_packet(data[:cut])
    with pytest.raises(InputError, match="after the values"):
        decode_packet(data + b"\0")


def test_bad_gesichter_files(tmp_path):
    (tmp_path / "plain.gesichter").write_bytes(b"not gzip at all")
    with pytest.raises(InputError, match="plain.gesichter"):
        read_gesichter(tmp_path / "plain.gesichter")
    (tmp_path / "short.gesichter").write_bytes(gzip.compress(struct.pack(">BI", 6, 2) + struct.pack(">I", 3) + b"abc"))
    with pytest.raises(InputError, match="ends before packet 1 of 2"):
        read_gesichter(tmp_path / "short.gesichter")


def test_fps_fraction():
    assert fps_fraction(30.0) == (30, 1) and fps_fraction(60) == (60, 1)
    assert fps_fraction(29.97) == (30000, 1001) and fps_fraction(23.976) == (24000, 1001)
    assert fps_fraction(12.5) == (25, 2)
    with pytest.raises(InputError):
        fps_fraction(0)


class Listener:
    """A real UDP socket on 127.0.0.1 collecting datagrams in a thread."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 22)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.settimeout(0.5)
        self.port = self.sock.getsockname()[1]
        self.got: list[tuple[float, bytes]] = []
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self) -> None:
        while True:
            try:
                data = self.sock.recv(2048)
            except (TimeoutError, socket.timeout):
                return
            self.got.append((time.perf_counter(), data))

    def close(self) -> list[tuple[float, bytes]]:
        self.thread.join(5)
        self.sock.close()
        return self.got


def test_stream_round_trip_over_a_real_socket():
    values = np.random.default_rng(0).uniform(0, 1, (200, 61))
    listener = Listener()
    sent = stream_udp(values, 30.0, port=listener.port, subject="face", start_frame=100, realtime=False)
    got = listener.close()
    assert sent == 200 and len(got) == 200
    packets = [decode_packet(d) for _, d in got]
    assert [p.frame for p in packets] == list(range(100, 300))
    assert all(p.subject == "face" and p.fps_num == 30 and p.fps_den == 1 for p in packets)
    assert np.array_equal(np.array([p.values for p in packets]), values.astype(np.float32).astype(float))


@pytest.mark.slow
def test_realtime_stream_is_paced():
    listener = Listener()
    t0 = time.perf_counter()
    stream_udp(np.zeros((11, 61)), 50.0, port=listener.port)
    elapsed = time.perf_counter() - t0
    got = listener.close()
    assert len(got) == 11
    assert elapsed >= 0.19  # 10 frame intervals of 20 ms; never early
    assert got[-1][0] - got[0][0] >= 0.19
