"""Frame senders for live output: one ``send(values, frame)`` per frame, by protocol name.

    open_sender("livelink", host, port, fps=30)   # Live Link Face UDP (Unreal, port 11111)
    open_sender("vmc", host, port)                 # VMC over OSC (VTuber apps, port 39539)

Used by ``stream``, ``live`` and the studio's Stream toggle, so all three speak the same wire.
"""

from __future__ import annotations

import socket
import threading
from typing import Protocol

import numpy as np

from .errors import InputError
from .formats import livelink_udp, vmc
from .formats.pacing import paced

__all__ = ["PROTOCOLS", "Sender", "open_sender", "play"]

PROTOCOLS = {"livelink": livelink_udp.DEFAULT_PORT, "vmc": vmc.DEFAULT_PORT}  # name -> default port


class Sender(Protocol):
    """Sends one frame of (61,) order-A values."""

    def send(self, values: np.ndarray, frame: int) -> None: ...

    def close(self) -> None: ...


class _LiveLink:
    def __init__(self, host: str, port: int, fps: float, subject: str) -> None:
        self.address, self.subject = (host, port), subject
        self.num, self.den = livelink_udp.fps_fraction(fps)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)

    def send(self, values: np.ndarray, frame: int) -> None:
        self.sock.sendto(livelink_udp.encode_packet(values, device_id="keyframeface", subject=self.subject,
                                                    frame=frame, fps_num=self.num, fps_den=self.den), self.address)

    def close(self) -> None:
        self.sock.close()


class _VMC:
    def __init__(self, host: str, port: int) -> None:
        self.sender = vmc.VMCSender(host, port)

    def send(self, values: np.ndarray, frame: int) -> None:
        self.sender.send(values)

    def close(self) -> None:
        self.sender.close()


def open_sender(protocol: str, host: str = "127.0.0.1", port: int | None = None, *, fps: float = 30.0,
                subject: str = "keyframeface") -> Sender:
    """A sender for ``protocol`` ('livelink' or 'vmc'); port defaults to the protocol's usual one."""
    if protocol not in PROTOCOLS:
        raise InputError(f"unknown protocol {protocol!r}; expected one of {', '.join(PROTOCOLS)}", field="protocol")
    port = PROTOCOLS[protocol] if port is None else port
    if not 0 < port < 65536:
        raise InputError(f"{port} not in [1, 65535]", field="port")
    if protocol == "vmc":
        return _VMC(host, port)
    return _LiveLink(host, port, fps, subject)


def play(sender: Sender, values: np.ndarray, fps: float, *, start_frame: int = 0,
         stop: threading.Event | None = None) -> int:
    """Send frames ``start_frame..`` of (frames, 61) values in real time (frame i at i / fps, no drift)."""
    sent = 0
    for i in paced(len(values), fps, first=start_frame, stop=stop):
        sender.send(values[i], i)
        sent += 1
    return sent
