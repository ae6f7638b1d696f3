from __future__ import annotations

from ninja import Router, Schema

from kaynak.accounts.api_auth import token_or_session
from kaynak.accounts.http import AuthenticatedHttpRequest

me_router = Router(tags=["account"])


class MeOut(Schema):
    email: str
    full_name: str
    language: str
    staff_roles: list[str]


@me_router.get("/me", response=MeOut, auth=token_or_session, summary="The authenticated user")
def me(request: AuthenticatedHttpRequest) -> MeOut:
    user = request.user
    return MeOut(
        email=user.email,
        full_name=user.full_name,
        language=user.language,
        staff_roles=sorted(user.staff_roles),
    )
