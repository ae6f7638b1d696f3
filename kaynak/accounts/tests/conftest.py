"""Fixtures for accounts: a real SMTP server on loopback, and the people of a resource center."""

from __future__ import annotations

import email
import email.policy
import re
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any
from urllib.parse import urlsplit

import pytest
from aiosmtpd.controller import Controller
from django.core.cache import cache
from django.test import Client

from kaynak.accounts.models import Role, User
from kaynak.accounts.tests.factories import StaffFactory, UserFactory

LINK = re.compile(r"https?://\S+")


@dataclass(frozen=True)
class ReceivedMail:
    """One message as the SMTP server received it."""

    mail_from: str
    recipients: list[str]
    message: EmailMessage

    @property
    def text(self) -> str:
        body = self.message.get_body(preferencelist=("plain",))
        assert body is not None, "the message has no text part"
        content: str = body.get_content()
        return content

    def link_path(self) -> str:
        """The path of the (only) link in the text, to follow with the test client."""
        links = LINK.findall(self.text)
        assert len(links) == 1, f"expected one link, found {links}"
        return urlsplit(links[0]).path


@dataclass
class SMTPServer:
    host: str
    port: int
    received: list[ReceivedMail] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        self.received.append(
            ReceivedMail(
                mail_from=envelope.mail_from, recipients=list(envelope.rcpt_tos), message=message
            )
        )
        return "250 Message accepted for delivery"


def _free_port() -> int:
    # aiosmtpd's Controller cannot take port 0: it connects to its own port to see it started.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(autouse=True)
def _allauth_as_in_production(settings: Any) -> Iterator[None]:
    """allauth's default rate limits, each test starting with an empty cache (which also holds
    the rate-limit counters and the TOTP codes already used).

    ``{}`` means "allauth's defaults"; settings.py currently gives ``None`` when
    KAYNAK_DISABLE_RATE_LIMITS is unset, which allauth cannot read (TypeError on login, sign-up
    and password reset)."""
    settings.ACCOUNT_RATE_LIMITS = {}
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def smtp_server(settings: Any) -> Iterator[SMTPServer]:
    """A real SMTP server on 127.0.0.1 that Django sends every e-mail to, for this test.

    Django's test set-up (``setup_test_environment``) replaces every MAILERS entry with the
    locmem backend once per session; the ``settings`` fixture overrides that again for one test,
    and Django reads MAILERS each time it sends. The server answers each message only after
    ``handle_DATA`` has stored it, so a sent message is in ``received`` without waiting.
    """
    server = SMTPServer(host="127.0.0.1", port=_free_port())
    controller = Controller(server, hostname=server.host, port=server.port)
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": server.host, "port": server.port, "timeout": 10},
        }
    }
    try:
        yield server
    finally:
        controller.stop()


@pytest.fixture
def member(db: None) -> User:
    return UserFactory.create()


@pytest.fixture
def center_admin(db: None) -> User:
    return StaffFactory.create(roles=[Role.CENTER_ADMIN])


@pytest.fixture
def coordinator(db: None) -> User:
    return StaffFactory.create(roles=[Role.PROGRAMME_COORDINATOR])


@pytest.fixture
def center_admin_client(center_admin: User) -> Client:
    client = Client()
    client.force_login(center_admin)
    return client


@pytest.fixture
def coordinator_client(coordinator: User) -> Client:
    client = Client()
    client.force_login(coordinator)
    return client
