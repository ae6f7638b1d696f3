"""Fixtures every test can use."""

from __future__ import annotations

import ctypes.util
import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _fast_and_immediate(settings: Any) -> Iterator[None]:
    """Fast password hashing, and tasks run in-process at once unless a test starts a worker."""
    from huey.contrib.djhuey import HUEY

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Tests may clear the cache; never a developer's (or CI's) Redis.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    from django.core.cache import cache

    cache.clear()  # nothing cached by one test may answer another
    HUEY.immediate = True
    # Code outside a request (services, commands) speaks English in tests unless a test asks
    # for Turkish; pages still take their language from the URL (Turkish at /).
    with translation.override("en"):
        yield
    HUEY.immediate = False


def tool_installed(tool: str) -> bool:
    """A program on PATH, or with a "lib:" prefix a shared library (``lib:pango-1.0``, which
    WeasyPrint needs to make PDFs)."""
    if tool.startswith("lib:"):
        return ctypes.util.find_library(tool.removeprefix("lib:")) is not None
    return shutil.which(tool) is not None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests that need an outside program run where it exists; elsewhere they are reported as
    not run, with the reason. KAYNAK_REQUIRE_BROWSER=1 (CI) makes a missing Chromium an error,
    and KAYNAK_REQUIRE_TOOLS=1 does the same for every outside program."""
    require_all = os.environ.get("KAYNAK_REQUIRE_TOOLS") == "1"
    for item in items:
        for marker in item.iter_markers("needs_tool"):
            tool = marker.args[0]
            if not tool_installed(tool) and not require_all:
                item.add_marker(
                    pytest.mark.skip(reason=f"not run: {tool} is not installed on this machine")
                )
