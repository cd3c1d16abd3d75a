"""Shared fixtures: the seed corpus and small helpers for the test suite."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

from analysis.corpus import SEEDS_DIR, load_corpus

os.environ.setdefault("MPLBACKEND", "Agg")


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """The project's seed corpus folder (manifest.csv + five articles)."""
    return SEEDS_DIR


@pytest.fixture(scope="session")
def seed_docs():
    """The seed corpus loaded and cleaned (do not modify: it is shared by the session)."""
    return load_corpus(SEEDS_DIR)


class _NoNetwork(RuntimeError):
    pass


@pytest.fixture
def no_network(monkeypatch):
    """Refuse every socket connection attempt to a non-loopback address in this test."""

    real_connect = socket.socket.connect
    real_create = socket.create_connection

    def _is_local(address) -> bool:
        host = address[0] if isinstance(address, tuple) else address
        return isinstance(host, str) and (host.startswith("127.") or host in ("localhost", "::1")) or not isinstance(
            address, tuple
        )

    def guarded_connect(self, address):
        if not _is_local(address):
            raise _NoNetwork(f"network access attempted: {address!r}")
        return real_connect(self, address)

    def guarded_create(address, *args, **kwargs):
        if not _is_local(address):
            raise _NoNetwork(f"network access attempted: {address!r}")
        return real_create(address, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    monkeypatch.setattr(socket, "create_connection", guarded_create)
    yield
