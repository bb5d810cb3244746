"""Frame senders for live output: one ``send(values, frame)`` per frame, by protocol name.

    open_sender("livelink", host, port, fps=30)   # Live Link Face UDP (Unreal, port 11111)
    open_sender("vmc", host, port)                 # VMC over OSC (VTuber apps, port 39539)

Used by ``stream``, ``live`` and the studio's Stream toggle, so all three speak the same wire.
"""

from __future__ import annotations

import threading
from typing import Protocol

import numpy as np

from .errors import InputError
from .formats import livelink_udp, vmc
from .formats.pacing import paced
from .formats.udp import UDPDestination, udp_destination

__all__ = ["PROTOCOLS", "Sender", "open_sender", "play"]

PROTOCOLS = {"livelink": livelink_udp.DEFAULT_PORT, "vmc": vmc.DEFAULT_PORT}  # name -> default port


class Sender(Protocol):
    """Sends one frame of (61,) order-A values."""

    def send(self, values: np.ndarray, frame: int) -> None: ...

    def close(self) -> None: ...


class _LiveLink:
    def __init__(self, destination: UDPDestination, fps: float, subject: str) -> None:
        self.destination, self.subject = destination, subject
        self.num, self.den = livelink_udp.fps_fraction(fps)

    def send(self, values: np.ndarray, frame: int) -> None:
        self.destination.sendto(livelink_udp.encode_packet(values, device_id="keyframeface", subject=self.subject,
                                                           frame=frame, fps_num=self.num, fps_den=self.den))

    def close(self) -> None:
        self.destination.close()


class _VMC:
    def __init__(self, destination: UDPDestination) -> None:
        self.destination = destination

    def send(self, values: np.ndarray, frame: int) -> None:
        self.destination.sendto(vmc.encode_frame(values))

    def close(self) -> None:
        self.destination.close()


def open_sender(protocol: str, host: str = "127.0.0.1", port: int | None = None, *, fps: float = 30.0,
                subject: str = "keyframeface", broadcast: bool = False) -> Sender:
    """A sender for ``protocol`` ('livelink' or 'vmc'); port defaults to the protocol's usual one.

    The host is resolved and checked here, before any thread starts (``formats/udp.py``): a bad
    host is an InputError naming it; a send that fails later is an OutputError naming udp://host:port.
    """
    if protocol not in PROTOCOLS:
        raise InputError(f"unknown protocol {protocol!r}; expected one of {', '.join(PROTOCOLS)}", field="protocol")
    port = PROTOCOLS[protocol] if port is None else port
    if isinstance(port, bool) or not isinstance(port, int) or not 0 < port < 65536:
        raise InputError(f"{port} not in [1, 65535]", field="port")
    destination = udp_destination(host, port, broadcast=broadcast)
    if protocol == "vmc":
        return _VMC(destination)
    return _LiveLink(destination, fps, subject)


def play(sender: Sender, values: np.ndarray, fps: float, *, start_frame: int = 0,
         stop: threading.Event | None = None) -> int:
    """Send frames ``start_frame..`` of (frames, 61) values in real time (frame i at i / fps, no drift)."""
    sent = 0
    for i in paced(len(values), fps, first=start_frame, stop=stop):
        sender.send(values[i], i)
        sent += 1
    return sent
