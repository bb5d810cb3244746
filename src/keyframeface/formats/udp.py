"""One checked UDP destination for every sender (Live Link, VMC, live mode, the studio's Stream and Live).

    dest = udp_destination("192.168.1.20", 11111)     # resolved and checked now, before any thread starts
    dest.sendto(packet)                               # OutputError naming udp://host:port if it fails later

The host is resolved once (IPv4 or IPv6, whichever it names), and a probe ``connect`` asks the
kernel for a route, so an unknown name, an address of the wrong family, an unreachable network
or a broadcast address (unless ``broadcast=True``) is an ``InputError`` naming the host at once,
instead of a sender thread dying later with a traceback.
"""

from __future__ import annotations

import ipaddress
import socket

from .._limits import check_text
from ..errors import InputError, OutputError

__all__ = ["MAX_HOST_CHARS", "UDPDestination", "udp_destination"]

MAX_HOST_CHARS = 253  # the longest DNS name


class UDPDestination:
    """A resolved host:port with its own unconnected UDP socket (a receiver started later still gets packets)."""

    def __init__(self, host: str, port: int, family: int, address: tuple, broadcast: bool) -> None:
        self.host, self.port, self.address = host, port, address
        self.sock = socket.socket(family, socket.SOCK_DGRAM)
        if broadcast:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)

    @property
    def url(self) -> str:
        """udp://host:port, for messages."""
        return f"udp://{_shown(self.host)}:{self.port}"

    def sendto(self, data: bytes) -> None:
        """Send one datagram; OutputError naming the destination when the kernel refuses it."""
        try:
            self.sock.sendto(data, self.address)
        except ConnectionRefusedError:
            pass  # an ICMP "port unreachable" from an earlier packet: the receiver is not up yet; keep sending
        except OSError as exc:
            raise OutputError(f"cannot send: {exc.strerror or exc}", path=self.url) from None

    def close(self) -> None:
        """Close the socket."""
        self.sock.close()


def udp_destination(host: str, port: int, *, broadcast: bool = False) -> UDPDestination:
    """``host``:``port`` resolved and checked (see the module docstring); InputError naming the host."""
    if not isinstance(host, str) or not host.strip():
        raise InputError("expected a host name or address", field="host")
    check_text(host, "host", limit=MAX_HOST_CHARS)
    if isinstance(port, bool) or not isinstance(port, int) or not 1 <= port <= 65535:
        raise InputError(f"{port!r} is not a UDP port in [1, 65535]", field="port")
    name = host[1:-1] if host.startswith("[") and host.endswith("]") else host  # [::1] as in a URL
    try:
        family, _, _, _, address = socket.getaddrinfo(name, port, type=socket.SOCK_DGRAM)[0]
    except (OSError, UnicodeError, ValueError) as exc:
        why = getattr(exc, "strerror", None) or exc
        raise InputError(f"cannot resolve {_shown(host)!r}: {why}", field="host") from None
    ip = ipaddress.ip_address(address[0].split("%")[0])
    refused = f"{_shown(host)!r} ({ip}) is a broadcast address; name one receiver (or allow broadcast)"
    if not broadcast and ip == ipaddress.IPv4Address("255.255.255.255"):
        raise InputError(refused, field="host")
    with socket.socket(family, socket.SOCK_DGRAM) as probe:  # a route lookup; nothing is sent
        if broadcast:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
        try:
            probe.connect(address)
        except PermissionError:  # the kernel's answer for a subnet's broadcast address without SO_BROADCAST
            raise InputError(refused, field="host") from None
        except OSError as exc:
            raise InputError(f"cannot send to {_shown(host)!r} ({ip}): {exc.strerror or exc}", field="host") from None
    return UDPDestination(host, port, family, address, broadcast)


def _shown(host: str) -> str:
    """A host as printed in messages: at most 80 characters."""
    return host if len(host) <= 80 else host[:77] + "..."
