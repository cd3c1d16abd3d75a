"""The Jupyter kernel client of the kit's reports: ready as soon as the kernel has answered.

Every report talks to its kernel through a fresh client, and the batch (:mod:`analysis.batch`)
opens one more per story to clear the warm kernel. ``jupyter_client``'s ``wait_for_ready``
ends with a wait for 0.2 s of silence on the output channel (IOPub), whatever the kernel does:
about 0.4 s per story of a batch in which no process computes anything.

:class:`ReadyClient` waits for what readiness means instead. It asks for the kernel's info on
the shell channel; the reply says the kernel handles requests, and the ``idle`` status that
the kernel publishes on IOPub for that same request says the client's IOPub subscription
receives messages (a subscription made a moment ago may miss the first ones: ZeroMQ's "slow
joiner"; then the client asks again, as ``jupyter_client`` does). Messages other clients'
requests left on IOPub are not waited for: nbclient and ``execute_interactive`` read only the
messages whose parent is their own request.
"""

from __future__ import annotations

import time
from queue import Empty
from typing import Any

from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_core.utils import ensure_async

__all__ = ["ReadyClient"]

#: Seconds to wait for the kernel-info reply on the shell channel before asking again.
SHELL_WAIT = 1.0
#: Seconds to wait for the IOPub ``idle`` status of that request before asking again.
IOPUB_WAIT = 0.2


def _parent_id(msg: dict[str, Any]) -> str | None:
    return (msg.get("parent_header") or {}).get("msg_id")


class ReadyClient(AsyncKernelClient):  # type: ignore[misc]
    """``AsyncKernelClient`` whose ``wait_for_ready`` returns once the kernel has answered on
    both the shell and the IOPub channel (no fixed 0.2 s wait for silence)."""

    async def _async_wait_for_ready(self, timeout: float | None = None) -> None:
        deadline = time.monotonic() + (float("inf") if timeout is None else float(timeout))
        while True:
            request = self.kernel_info()
            reply = await self._reply_to(request, deadline)
            if reply is not None and await self._idle_after(request, deadline):
                self._handle_kernel_info_reply(reply)
                return
            if not await self._async_is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout:g} seconds")

    # AsyncKernelClient binds the public name to the base class's coroutine function
    wait_for_ready = _async_wait_for_ready

    async def _reply_to(self, request: str, deadline: float) -> dict[str, Any] | None:
        """The ``kernel_info_reply`` to ``request`` (other replies are dropped), or None."""
        def is_reply(msg: dict[str, Any]) -> bool:
            return msg.get("msg_type") == "kernel_info_reply" and _parent_id(msg) == request

        return await _first(self.shell_channel, is_reply, wait=SHELL_WAIT, give_up=deadline)

    async def _idle_after(self, request: str, deadline: float) -> bool:
        """True once IOPub brings the ``idle`` status of ``request``; False after
        :data:`IOPUB_WAIT` seconds without any message (subscription not live yet), or after
        :data:`SHELL_WAIT` seconds of other clients' messages only (asked again then)."""
        def is_idle(msg: dict[str, Any]) -> bool:
            return (msg.get("msg_type") == "status" and _parent_id(msg) == request
                    and (msg.get("content") or {}).get("execution_state") == "idle")

        give_up = min(deadline, time.monotonic() + SHELL_WAIT)
        return await _first(self.iopub_channel, is_idle, wait=IOPUB_WAIT, give_up=give_up) is not None


async def _first(channel: Any, wanted: Any, *, wait: float, give_up: float) -> dict[str, Any] | None:
    """The first message on ``channel`` for which ``wanted(msg)`` is true, reading past the
    others; None when ``wait`` seconds pass without a message or ``give_up`` (monotonic) is reached."""
    while True:
        timeout = min(wait, max(0.0, give_up - time.monotonic()))
        try:
            msg = await ensure_async(channel.get_msg(timeout=timeout))
        except Empty:
            return None
        if wanted(msg):
            return msg
