"""Mail to registrants, in their language. (Filled in by the mail work; see tasks.py.)"""

from __future__ import annotations


def send_registration_message(registration_id: int, message: str) -> bool:
    return False
