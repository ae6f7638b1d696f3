"""Helpers for tests that wait on another process: a worker, a browser, a server."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


def wait_until[T](predicate: Callable[[], T], *, timeout: float, interval: float = 0.1) -> T:
    """Call ``predicate`` until it returns something truthy and return that; raise
    ``TimeoutError`` when ``timeout`` seconds pass first.

    For polling something that happens elsewhere. A test should never wait a fixed time: it is
    either too short on a busy machine or wastes time everywhere else.
    """
    deadline = time.monotonic() + timeout
    pause = threading.Event()
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise TimeoutError(f"Still waiting after {timeout:g} s.")
        pause.wait(interval)
