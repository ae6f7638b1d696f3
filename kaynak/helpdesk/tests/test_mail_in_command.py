"""`kaynak mail-in`: the SMTP listener end to end on 127.0.0.1, and the IMAP fetch loop with an
injected client (a real IMAP server is not started in tests)."""

from __future__ import annotations

import smtplib
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from kaynak.helpdesk.mailin import parse
from kaynak.helpdesk.management.commands.mail_in import (
    fetch_unseen,
    load_handler,
    smtp_controller,
    with_return_path,
)

MAILS = Path(__file__).parent / "mails"
received: list[bytes] = []


def record(raw: bytes) -> None:
    received.append(raw)


def fail(raw: bytes) -> None:
    raise RuntimeError("database is down")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(autouse=True)
def _clear_received() -> Iterator[None]:
    received.clear()
    yield
    received.clear()


@pytest.fixture
def listener(request: pytest.FixtureRequest) -> Iterator[int]:
    port = free_port()
    controller = smtp_controller(request.param, host="127.0.0.1", port=port)
    controller.start()
    try:
        yield port
    finally:
        controller.stop()


@pytest.mark.parametrize("listener", [record], indirect=True)
def test_an_accepted_message_reaches_the_handler_before_the_250(listener: int) -> None:
    raw = (MAILS / "02-windows-1254-base64.eml").read_bytes()
    with smtplib.SMTP("127.0.0.1", listener, timeout=10) as client:
        refused = client.sendmail("sukran@gunesli.org.tr", ["destek@kaynak.example"], raw)
        assert refused == {}
    [stored] = received  # already there when sendmail returned: 250 came after the handler
    assert stored.endswith(raw.rstrip(b"\r\n") + b"\r\n") or raw.rstrip() in stored
    parsed = parse(stored)
    assert parsed.subject == "Yardım toplama izni başvurusu"
    assert parsed.from_name == "Şükran Öztürk"


@pytest.mark.parametrize("listener", [fail], indirect=True)
def test_a_failing_handler_answers_451_so_the_relay_tries_again(listener: int) -> None:
    raw = (MAILS / "01-iso-8859-9-quoted-printable.eml").read_bytes()
    with (
        smtplib.SMTP("127.0.0.1", listener, timeout=10) as client,
        pytest.raises(smtplib.SMTPDataError) as caught,
    ):
        client.sendmail("ayse@example.org", ["destek@kaynak.example"], raw)
    assert caught.value.smtp_code == 451
    assert received == []


@pytest.mark.parametrize("listener", [record], indirect=True)
def test_a_null_envelope_sender_marks_the_stored_message_as_a_bounce(listener: int) -> None:
    raw = b"From: someone@example.org\r\nSubject: Hello\r\n\r\nbody\r\n"
    with smtplib.SMTP("127.0.0.1", listener, timeout=10) as client:
        client.sendmail("<>", ["destek@kaynak.example"], raw)
    [stored] = received
    assert stored.startswith(b"Return-Path: <>\r\n")
    assert parse(stored).is_bounce


def test_return_path_already_present_is_left_alone() -> None:
    raw = b"Return-Path: <a@b.org>\r\nFrom: a@b.org\r\n\r\nbody"
    assert with_return_path(raw, "other@example.org") == raw
    assert with_return_path(b"From: a@b.org\r\n\r\nx", "a@b.org").startswith(
        b"Return-Path: <a@b.org>\r\n"
    )


@override_settings(HELPDESK_MAIL_HANDLER="kaynak.helpdesk.tests.test_mail_in_command.record")
def test_the_handler_setting_names_the_function() -> None:
    assert load_handler() is record


@override_settings(HELPDESK_MAIL_HANDLER="kaynak.helpdesk.nowhere.receive_mail")
def test_a_missing_handler_stops_the_command_with_one_sentence() -> None:
    with pytest.raises(CommandError) as caught:
        call_command("mail_in")
    message = str(caught.value)
    assert "kaynak.helpdesk.nowhere.receive_mail does not exist" in message
    assert "HELPDESK_MAIL_HANDLER" in message
    assert "\n" not in message


@override_settings(
    HELPDESK_MAIL_HANDLER="kaynak.helpdesk.tests.test_mail_in_command.record",
    HELPDESK_IMAP_URL="",
)
def test_imap_mode_without_a_url_says_which_setting_is_missing() -> None:
    with pytest.raises(CommandError, match="HELPDESK_IMAP_URL"):
        call_command("mail_in", "--imap", "--once")


class FakeIMAP:
    """The three imaplib calls fetch_unseen makes, over an in-memory mailbox."""

    def __init__(self, messages: dict[bytes, bytes]) -> None:
        self.messages = messages
        self.seen: set[bytes] = set()
        self.selected = ""

    def select(self, mailbox: str = "INBOX", readonly: bool = False) -> tuple[str, list[Any]]:
        self.selected = mailbox
        return "OK", [str(len(self.messages)).encode()]

    def uid(self, command: str, *args: Any) -> tuple[str, list[Any]]:
        if command == "SEARCH":
            unseen = [uid for uid in self.messages if uid not in self.seen]
            return "OK", [b" ".join(unseen)]
        if command == "FETCH":
            uid, what = args
            assert what == "(BODY.PEEK[])"  # fetching must not mark it seen
            return "OK", [(uid + b" (UID " + uid + b" BODY[] {9}", self.messages[uid]), b")"]
        if command == "STORE":
            uid, _op, _flags = args
            self.seen.add(uid)
            return "OK", []
        raise AssertionError(command)

    def logout(self) -> tuple[str, list[Any]]:
        return "BYE", []


def test_imap_messages_are_marked_seen_only_after_the_handler_stored_them() -> None:
    mailbox = FakeIMAP({b"7": b"From: a@b.org\r\n\r\none", b"8": b"From: c@d.org\r\n\r\ntwo"})
    calls: list[bytes] = []

    def flaky(raw: bytes) -> None:
        if b"two" in raw and not calls.count(raw):
            calls.append(raw)
            raise RuntimeError("temporary")
        calls.append(raw)

    assert fetch_unseen(mailbox, "Destek", flaky) == (1, 1)
    assert mailbox.selected == "Destek"
    assert mailbox.seen == {b"7"}
    assert fetch_unseen(mailbox, "Destek", flaky) == (1, 0)  # the failed one, again
    assert mailbox.seen == {b"7", b"8"}
    assert fetch_unseen(mailbox, "Destek", flaky) == (0, 0)


@override_settings(HELPDESK_MAIL_HANDLER="kaynak.helpdesk.tests.test_mail_in_command.record")
def test_a_port_in_use_stops_the_command_with_one_sentence() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(CommandError, match=f"Cannot listen on 127.0.0.1:{port}"):
            call_command("mail_in", "--port", str(port))


@override_settings(
    HELPDESK_MAIL_HANDLER="kaynak.helpdesk.tests.test_mail_in_command.record",
    HELPDESK_IMAP_URL="https://mail.example.org/INBOX",
)
def test_an_imap_url_of_another_kind_is_refused() -> None:
    with pytest.raises(CommandError, match="imaps://user:password@host/INBOX"):
        call_command("mail_in", "--imap", "--once")
