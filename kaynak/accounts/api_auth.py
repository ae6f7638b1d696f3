"""API authentication: a personal token (``Authorization: Bearer …``) or the browser session."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from kaynak.accounts.services import user_for_api_token


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_api_token(token)
        if user is not None:
            request.user = user
        return user


class OptionalAuth:
    """Anonymous visitors pass with the public view; a token or a session adds the user."""

    def __call__(self, request: HttpRequest) -> Any:
        header = request.headers.get("Authorization", "")
        if header.lower().startswith("bearer "):
            return TokenAuth()(request)
        return True


token_or_session = [TokenAuth(), SessionAuth()]
