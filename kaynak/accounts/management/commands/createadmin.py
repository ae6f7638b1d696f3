"""`kaynak createadmin`: create a center admin who can log in straight away."""

from __future__ import annotations

import getpass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email

from kaynak.accounts.services import center_admin_create


class Command(BaseCommand):
    help = "Create a center admin (all staff rights; must set up two-factor authentication)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--email", help="E-mail address to log in with.")
        parser.add_argument("--name", default="", help="Full name.")
        parser.add_argument(
            "--password", help="Password (asked for when missing; avoid it in shell history)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        email = options["email"] or input("E-mail: ").strip()
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError(f"{email!r} is not an e-mail address.") from None
        password = options["password"] or getpass.getpass("Password: ")
        try:
            user = center_admin_create(email=email, full_name=options["name"], password=password)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(self.style.SUCCESS(f"Center admin {user.email} is ready to log in."))
