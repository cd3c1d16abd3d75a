"""Loaded by every Python process started with this folder on PYTHONPATH (tests only).

Refuses any socket connection to an address outside the loopback range and records the
attempt in the file named by KIT_NETWORK_LOG, so a test can prove that a whole run (CLI,
papermill, the Jupyter kernel) never reaches the network. It also makes ``nltk.download``
fail loudly.
"""

import os
import socket

_LOG = os.environ.get("KIT_NETWORK_LOG", "")


def _local(address):
    if not isinstance(address, tuple):
        return True  # AF_UNIX paths
    host = str(address[0])
    return host.startswith("127.") or host in ("localhost", "::1", "0.0.0.0", "")


def _refuse(address):
    if _LOG:
        with open(_LOG, "a", encoding="utf-8") as fh:
            fh.write(f"{os.getpid()} {address!r}\n")
    raise ConnectionRefusedError(f"network blocked by the offline test: {address!r}")


_connect = socket.socket.connect
_connect_ex = socket.socket.connect_ex
_create = socket.create_connection


def connect(self, address):
    if not _local(address):
        _refuse(address)
    return _connect(self, address)


def connect_ex(self, address):
    if not _local(address):
        _refuse(address)
    return _connect_ex(self, address)


def create_connection(address, *args, **kwargs):
    if not _local(address):
        _refuse(address)
    return _create(address, *args, **kwargs)


socket.socket.connect = connect
socket.socket.connect_ex = connect_ex
socket.create_connection = create_connection


def _getaddrinfo_guard(host, *args, _orig=socket.getaddrinfo, **kwargs):
    if host not in (None, "localhost", "127.0.0.1", "::1", "0.0.0.0", "") and not str(host).startswith("127."):
        _refuse((host,) + tuple(args[:1]))
    return _orig(host, *args, **kwargs)


socket.getaddrinfo = _getaddrinfo_guard
