"""The reports' kernel client: ready when the kernel has answered on shell and IOPub."""

from __future__ import annotations

import asyncio
from queue import Empty

import pytest

from analysis import report
from analysis.kernelclient import ReadyClient


class _Channel:
    """A channel that hands out scripted messages; ``None`` in the script means a timeout."""

    def __init__(self, owner: _FakeClient, name: str) -> None:
        self.owner, self.name = owner, name
        self.waits: list[float] = []

    async def get_msg(self, timeout: float | None = None) -> dict:
        self.waits.append(timeout)
        script = self.owner.scripts[self.name]
        item = script.pop(0) if script else None
        if item is None:
            raise Empty
        return item(self.owner.requests[-1]) if callable(item) else item


class _FakeClient(ReadyClient):
    """ReadyClient with scripted channels instead of sockets."""

    def __init__(self, shell: list, iopub: list, *, alive: bool = True) -> None:
        super().__init__()
        self.scripts = {"shell": shell, "iopub": iopub}
        self.requests: list[str] = []
        self.fake_shell, self.fake_iopub = _Channel(self, "shell"), _Channel(self, "iopub")
        self.alive = alive
        self.handled: list[dict] = []

    @property
    def shell_channel(self):  # type: ignore[override]
        return self.fake_shell

    @property
    def iopub_channel(self):  # type: ignore[override]
        return self.fake_iopub

    def kernel_info(self) -> str:  # type: ignore[override]
        self.requests.append(f"req-{len(self.requests)}")
        return self.requests[-1]

    async def _async_is_alive(self) -> bool:  # type: ignore[override]
        return self.alive

    def _handle_kernel_info_reply(self, msg: dict) -> None:  # type: ignore[override]
        self.handled.append(msg)


def _reply(req: str) -> dict:
    return {"msg_type": "kernel_info_reply", "parent_header": {"msg_id": req}, "content": {}}


def _status(state: str, parent: str = "") -> object:
    def make(req: str) -> dict:
        return {"msg_type": "status", "parent_header": {"msg_id": parent or req}, "content": {"execution_state": state}}
    return make


def _run(client: ReadyClient, timeout: float | None = 5.0) -> None:
    asyncio.run(client.wait_for_ready(timeout=timeout))


def test_ready_on_the_idle_status_of_its_own_request_without_waiting_for_silence():
    other = {"msg_type": "stream", "parent_header": {"msg_id": "someone-else"}, "content": {}}
    client = _FakeClient(shell=[_reply], iopub=[other, _status("busy"), _status("idle", "old-request"), _status("idle")])
    _run(client)
    assert client.requests == ["req-0"]  # asked once
    assert [m["parent_header"]["msg_id"] for m in client.handled] == ["req-0"]
    assert client.scripts["iopub"] == []  # read up to its own idle status, and not one read more
    assert len(client.fake_iopub.waits) == 4


def test_asks_again_when_iopub_is_not_live_yet():
    # first request: the reply comes, but the subscription misses the status (slow joiner)
    client = _FakeClient(shell=[_reply, _reply], iopub=[None, _status("idle")])
    _run(client)
    assert client.requests == ["req-0", "req-1"]
    assert [m["parent_header"]["msg_id"] for m in client.handled] == ["req-1"]


def test_a_reply_to_another_request_is_not_taken_for_its_own():
    stale = {"msg_type": "kernel_info_reply", "parent_header": {"msg_id": "earlier"}, "content": {}}
    client = _FakeClient(shell=[stale, _reply], iopub=[_status("idle")])
    _run(client)
    assert [m["parent_header"]["msg_id"] for m in client.handled] == ["req-0"]


def test_dead_kernel_and_timeout_raise():
    with pytest.raises(RuntimeError, match="died"):
        _run(_FakeClient(shell=[None], iopub=[], alive=False))
    with pytest.raises(RuntimeError, match="didn't respond in 0.3 seconds"):
        _run(_FakeClient(shell=[None] * 100, iopub=[]), timeout=0.3)


def test_real_kernel_client_receives_the_output_of_its_first_request(tmp_path):
    # the check that matters for reports: once ready, no output of the next cell is lost
    km = report._start_kernel(report.ensure_kernel(), cwd=tmp_path, quiet=True)
    try:
        for _ in range(3):  # a new client each time, as every story of a batch opens one
            kc = km.client()
            assert isinstance(kc, ReadyClient)
            seen: list[str] = []

            async def go():
                kc.start_channels()
                try:
                    await kc.wait_for_ready(timeout=60)
                    return await kc.execute_interactive(
                        "print('hello from the kernel')", output_hook=lambda m: seen.append(m["content"].get("text", "")),
                        timeout=60,
                    )
                finally:
                    kc.stop_channels()

            reply = report._run_async(go)
            assert reply["content"]["status"] == "ok"
            assert "".join(seen) == "hello from the kernel\n"
    finally:
        report._stop_kernel(km, now=True)
