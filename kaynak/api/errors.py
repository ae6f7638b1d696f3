"""One error format for the whole API::

    {"error": {"code": "validation_error", "message": "…", "details": [...]}}

``message`` is in the request's language (Accept-Language or the ``lang`` cookie).
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from kaynak.core.errors import KaynakError, PermissionDenied


def error_response(
    api: NinjaAPI, request: HttpRequest, status: int, code: str, message: str, details: Any = None
) -> HttpResponse:
    body: dict[str, Any] = {"code": code, "message": message}
    if details is not None:
        body["details"] = details
    return api.create_response(request, {"error": body}, status=status)


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(ValidationError)
    def validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        details = [
            {"field": ".".join(str(part) for part in e.get("loc", [])), "message": e.get("msg")}
            for e in exc.errors
        ]
        return error_response(
            api, request, 422, "validation_error", _("The request is not valid."), details
        )

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return error_response(
            api, request, 401, "unauthenticated", _("Log in or send a valid API token.")
        )

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return error_response(api, request, 404, "not_found", _("Not found."))

    @api.exception_handler(PermissionDenied)
    def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return error_response(api, request, 403, exc.code, str(exc.message))

    @api.exception_handler(KaynakError)
    def domain_error(request: HttpRequest, exc: KaynakError) -> HttpResponse:
        return error_response(api, request, 400, exc.code, str(exc.message))

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        code = {
            400: "bad_request",
            401: "unauthenticated",
            403: "permission_denied",
            404: "not_found",
            405: "method_not_allowed",
            429: "throttled",
        }.get(exc.status_code, "error")
        return error_response(api, request, exc.status_code, code, str(exc.message))
