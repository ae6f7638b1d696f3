"""``kaynak mail-in``: the support desk's inbound mail.

Default: an SMTP server (aiosmtpd) that the production mail server relays the desk's addresses
to. ``--imap``: fetch unseen messages from the mailbox at ``HELPDESK_IMAP_URL`` instead.

Either way each message's raw bytes go to the function named by ``HELPDESK_MAIL_HANDLER``; the
relay hears "250" only after that function returned (the message is stored), "451" (try again
later) when it raised, so a relay never drops a message the desk did not keep. In IMAP mode a
message is marked seen only after the handler returned.
"""

from __future__ import annotations

import contextlib
import imaplib
import logging
import re
import signal
import sys
import time
from collections.abc import Callable
from typing import Any, Protocol
from urllib.parse import unquote, urlsplit

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import close_old_connections
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kaynak.helpdesk.mailin import MAX_MESSAGE_BYTES

logger = logging.getLogger(__name__)

DEFAULT_HANDLER = "kaynak.helpdesk.services.receive_mail"
MailHandler = Callable[[bytes], object]


def load_handler() -> MailHandler:
    """The function ``HELPDESK_MAIL_HANDLER`` names; ``CommandError`` in one sentence if none."""
    path = getattr(settings, "HELPDESK_MAIL_HANDLER", DEFAULT_HANDLER)
    try:
        handler = import_string(path)
    except ImportError:
        raise CommandError(
            _(
                "The mail handler %(path)s does not exist; set HELPDESK_MAIL_HANDLER to the "
                "dotted path of a function that stores one message."
            )
            % {"path": path}
        ) from None
    if not callable(handler):
        raise CommandError(_("The mail handler %(path)s is not a function.") % {"path": path})
    return handler  # type: ignore[no-any-return]


def with_return_path(raw: bytes, mail_from: str | None) -> bytes:
    """The message as a delivery agent stores it: the envelope sender on top as Return-Path
    (an empty one, "<>", marks a bounce), unless the message already carries one."""
    header_end = re.search(rb"\r?\n\r?\n", raw)
    headers = raw[: header_end.start()] if header_end else raw
    if re.search(rb"(?im)^return-path:", headers):
        return raw
    sender = (mail_from or "").strip().strip("<>")
    return b"Return-Path: <" + sender.encode("utf-8", "replace") + b">\r\n" + raw


def _deliver(handler: MailHandler, raw: bytes) -> None:
    # This thread talks to the database outside any request: drop a connection the database
    # closed (CONN_MAX_AGE) before and after, as Django does around a request.
    close_old_connections()
    try:
        handler(raw)
    finally:
        close_old_connections()


class SMTPHandler:
    """aiosmtpd handler: one message at a time to the desk's handler, then 250 or 451."""

    def __init__(self, handler: MailHandler) -> None:
        # thread_sensitive: every message is stored from the same worker thread, one at a time.
        self.deliver = sync_to_async(_deliver, thread_sensitive=True)
        self.handler = handler

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        raw = envelope.original_content or envelope.content or b""
        if isinstance(raw, str):
            raw = raw.encode("utf-8", "surrogateescape")
        raw = with_return_path(raw, envelope.mail_from)
        try:
            await self.deliver(self.handler, raw)
        except Exception:
            logger.exception("helpdesk mail-in: the handler failed; the relay will retry")
            return "451 4.3.0 The message could not be stored; try again later"
        return "250 2.0.0 Message accepted"


def smtp_controller(handler: MailHandler, *, host: str, port: int) -> Any:
    """A started-on-demand aiosmtpd controller (``.start()`` / ``.stop()``)."""
    from aiosmtpd.controller import Controller

    # Up to twice the size parse() reads, so an oversized message still reaches the handler
    # and is quarantined with its reason rather than bounced by the relay unseen.
    return Controller(
        SMTPHandler(handler),
        hostname=host,
        port=port,
        data_size_limit=2 * MAX_MESSAGE_BYTES,
        server_hostname="kaynak-mail-in",
    )


class IMAPClient(Protocol):
    def select(self, mailbox: str = ..., readonly: bool = ...) -> tuple[str, list[Any]]: ...
    def uid(self, command: str, *args: Any) -> tuple[str, list[Any]]: ...
    def logout(self) -> tuple[str, list[Any]]: ...


def imap_connect(url: str) -> tuple[IMAPClient, str]:
    """Logged-in client and mailbox for ``imaps://user:pass@host[:port]/MAILBOX``."""
    parts = urlsplit(url)
    if parts.scheme not in {"imap", "imaps"} or not parts.hostname:
        raise CommandError(_("HELPDESK_IMAP_URL must look like imaps://user:password@host/INBOX."))
    client: imaplib.IMAP4
    if parts.scheme == "imaps":
        client = imaplib.IMAP4_SSL(parts.hostname, parts.port or 993)
    else:
        client = imaplib.IMAP4(parts.hostname, parts.port or 143)
    try:
        client.login(unquote(parts.username or ""), unquote(parts.password or ""))
    except imaplib.IMAP4.error as exc:
        raise CommandError(
            _("The IMAP server refused the login: %(error)s") % {"error": exc}
        ) from None
    return client, unquote(parts.path.lstrip("/")) or "INBOX"


def fetch_unseen(client: IMAPClient, mailbox: str, handler: MailHandler) -> tuple[int, int]:
    """Hand every unseen message to the handler; mark it seen only after the handler returned.

    Returns ``(handled, failed)``; a failed message stays unseen and is tried again next time.
    """
    status, _data = client.select(mailbox)
    if status != "OK":
        raise CommandError(_("The mailbox %(mailbox)s cannot be opened.") % {"mailbox": mailbox})
    status, data = client.uid("SEARCH", "UNSEEN")
    uids = data[0].split() if status == "OK" and data and data[0] else []
    handled = failed = 0
    for uid in uids:
        # BODY.PEEK leaves the message unseen until the handler has stored it.
        status, fetched = client.uid("FETCH", uid, "(BODY.PEEK[])")
        raw = next((item[1] for item in fetched if isinstance(item, tuple) and len(item) > 1), None)
        if status != "OK" or not isinstance(raw, bytes):
            failed += 1
            continue
        try:
            handler(raw)
        except Exception:
            logger.exception("helpdesk mail-in: the handler failed on IMAP uid %s", uid)
            failed += 1
            continue
        client.uid("STORE", uid, "+FLAGS", "(\\Seen)")
        handled += 1
    return handled, failed


def stop_on_sigterm() -> None:
    # A SIGTERM (from a process manager) stops like Ctrl-C: the SMTP server closes cleanly; a
    # message whose handler had not returned got no 250 (or was not marked seen), so it comes
    # again, and the handler ignores a Message-ID it already stored.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))


class Command(BaseCommand):
    help = (
        "Receive the support desk's e-mail: an SMTP server a mail server relays to, or "
        "(--imap) fetch unseen messages from HELPDESK_IMAP_URL."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="Address to listen on.")
        parser.add_argument("--port", type=int, default=2525, help="Port to listen on.")
        parser.add_argument(
            "--imap", action="store_true", help="Fetch from HELPDESK_IMAP_URL instead."
        )
        parser.add_argument("--once", action="store_true", help="With --imap: fetch once and stop.")
        parser.add_argument(
            "--interval", type=int, default=60, help="With --imap: seconds between fetches."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        handler = load_handler()
        if options["imap"]:
            self.imap(handler, once=options["once"], interval=max(5, options["interval"]))
        else:
            self.smtp(handler, host=options["host"], port=options["port"])

    def smtp(self, handler: MailHandler, *, host: str, port: int) -> None:
        controller = smtp_controller(handler, host=host, port=port)
        try:
            controller.start()
        except (OSError, RuntimeError) as exc:
            if not controller.loop.is_running():
                controller.loop.close()
            raise CommandError(
                _("Cannot listen on %(host)s:%(port)s: %(error)s")
                % {"host": host, "port": port, "error": exc}
            ) from None
        stop_on_sigterm()
        self.stdout.write(
            _("Receiving mail on %(host)s:%(port)s (Ctrl+C stops).") % {"host": host, "port": port}
        )
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
        finally:
            controller.stop()

    def imap(self, handler: MailHandler, *, once: bool, interval: int) -> None:
        url = getattr(settings, "HELPDESK_IMAP_URL", "")
        if not url:
            raise CommandError(_("Set HELPDESK_IMAP_URL to fetch mail over IMAP."))
        stop_on_sigterm()
        while True:
            try:
                handled, failed = self.imap_round(url, handler)
            except (OSError, imaplib.IMAP4.error) as exc:
                # The mail server is away for a while: try again next round, lose nothing.
                if once:
                    raise CommandError(
                        _("The IMAP server cannot be reached: %(error)s") % {"error": exc}
                    ) from None
                logger.warning("helpdesk mail-in: IMAP round failed: %s", exc)
            else:
                self.stdout.write(
                    ngettext(
                        "%(handled)d message received, %(failed)d left for the next try.",
                        "%(handled)d messages received, %(failed)d left for the next try.",
                        handled,
                    )
                    % {"handled": handled, "failed": failed}
                )
            if once:
                return
            time.sleep(interval)
            close_old_connections()  # between rounds, as between requests

    def imap_round(self, url: str, handler: MailHandler) -> tuple[int, int]:
        client, mailbox = imap_connect(url)
        try:
            return fetch_unseen(client, mailbox, handler)
        finally:
            with contextlib.suppress(imaplib.IMAP4.error, OSError):
                client.logout()
