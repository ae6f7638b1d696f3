"""NGO–academia partnerships over the API: the public subset for everyone (public partnerships,
the fields of the public page); staff who may view partnerships get every one, with its status,
request and whether it is public. A partnership the caller may not see answers 404."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from kaynak.accounts.api_auth import OptionalAuth
from kaynak.coaching.models import Partnership, PartnershipStatus
from kaynak.coaching.queries_academia import (
    PartnershipFilters,
    PublicPartnership,
    public_partnership,
    public_partnerships,
    public_view,
    staff_partnership,
    staff_partnerships,
)
from kaynak.core.models import Province, Theme
from kaynak.core.pagination import PageNumber
from kaynak.core.permissions import can

router = Router(tags=["partnerships"])


class OutputOut(Schema):
    title: str
    kind: str
    published_on: dt.date
    authors: str
    library_slug: str = Field(description="The library item's slug (/kutuphane/kaynak/<slug>/)")


class PartnershipOut(Schema):
    slug: str
    title: str
    organisation: str | None = Field(
        description="Empty when the organisation did not agree to be listed publicly"
    )
    organisation_id: int | None
    academic: str = Field(description="Title and name; “an academic” once their data was erased")
    institution: str
    theme: str = Field(description="The theme's slug")
    province: int = Field(description="The province's plate code")
    starts_on: dt.date
    ends_on: dt.date | None
    status: PartnershipStatus
    outputs: list[OutputOut]
    # Staff only (null for everyone else).
    is_public: bool | None = None
    request_id: int | None = None
    match_reason: str | None = None


class PartnershipPage(PageNumber.Output):
    items: list[PartnershipOut]


class PartnershipFilterIn(Schema):
    theme: str | None = Field(None, description="A theme's slug")
    province: int | None = Field(None, description="A province's plate code")
    status: PartnershipStatus | None = Field(None, description="Staff only")


def _public(view: PublicPartnership) -> dict[str, Any]:
    return {
        "slug": view.slug,
        "title": view.title,
        "organisation": view.organisation,
        "organisation_id": view.organisation_id,
        "academic": str(view.academic),
        "institution": view.institution,
        "theme": view.theme.slug,
        "province": view.province.pk,
        "starts_on": view.starts_on,
        "ends_on": view.ends_on,
        "status": view.status,
        "outputs": [
            {
                "title": o.title,
                "kind": o.kind,
                "published_on": o.published_on,
                "authors": o.authors,
                "library_slug": o.resource_slug,
            }
            for o in view.outputs
        ],
    }


def _staff(partnership: Partnership) -> dict[str, Any]:
    academic = partnership.academic
    return {
        **_public(public_view(partnership)),
        "organisation": partnership.organisation.name,
        "organisation_id": partnership.organisation_id,
        "academic": f"{academic.title} {academic.person.full_name}".strip(),
        "institution": academic.institution,
        "outputs": [
            {
                "title": o.title,
                "kind": str(o.get_kind_display()),
                "published_on": o.published_on,
                "authors": o.authors,
                "library_slug": o.resource.slug if o.resource else "",
            }
            for o in partnership.outputs.all()
        ],
        "is_public": partnership.is_public,
        "request_id": partnership.request_id,
        "match_reason": partnership.match_reason,
    }


def _filters(filters: PartnershipFilterIn, *, staff: bool) -> PartnershipFilters:
    return PartnershipFilters(
        province=Province.objects.filter(pk=filters.province).first() if filters.province else None,
        theme=Theme.objects.filter(slug=filters.theme).first() if filters.theme else None,
        status=str(filters.status or "") if staff else "",
    )


@router.get(
    "/partnerships",
    response=PartnershipPage,
    auth=OptionalAuth(),
    summary="NGO–academia partnerships: the public ones, or every one for staff",
)
def partnership_list(
    request: HttpRequest,
    filters: Query[PartnershipFilterIn],
    pagination: Query[PageNumber.Input],
) -> dict[str, Any]:
    staff = can(request.user, "coaching.view_partnerships")
    chosen = _filters(filters, staff=staff)
    # A theme or province that does not exist matches nothing (rather than everything).
    unknown = (filters.theme and chosen.theme is None) or (
        filters.province and chosen.province is None
    )
    if staff:
        rows = (
            Partnership.objects.none()
            if unknown
            else staff_partnerships(chosen).prefetch_related("outputs__resource")
        )
        page: dict[str, Any] = PageNumber().paginate_queryset(rows, pagination, request)
        page["items"] = [_staff(p) for p in page["items"]]
        return page
    public = [] if unknown else public_partnerships(chosen)
    page = PageNumber().paginate_queryset(public, pagination, request)  # type: ignore[arg-type]
    page["items"] = [_public(v) for v in page["items"]]
    return page


@router.get(
    "/partnerships/{slug}",
    response=PartnershipOut,
    auth=OptionalAuth(),
    summary="One partnership: public, or any for staff",
)
def partnership_detail(request: HttpRequest, slug: str) -> dict[str, Any]:
    if can(request.user, "coaching.view_partnerships"):
        partnership = staff_partnership(slug)
        return _staff(partnership)
    return _public(public_partnership(slug))
