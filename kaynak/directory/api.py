"""The directory over the API: organisations (the public subset for everyone, every field and
every organisation for staff), people (staff), and the resolver ("is this one we know?").

Handlers are thin: they parse, ask ``queries``/``services``/the resolver, and present. Object
access goes through ``get_object_for_user``: what a caller may not see answers 404.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from kaynak.accounts.api_auth import OptionalAuth, token_or_session
from kaynak.core.errors import KaynakError
from kaynak.core.models import ApplicantType, Province, Theme
from kaynak.core.pagination import PageNumber
from kaynak.core.permissions import can, get_object_for_user, require
from kaynak.directory import queries, services
from kaynak.directory.models import Organisation, Person
from kaynak.directory.resolution import OrganisationRecord, organisation_candidates

router = Router(tags=["directory"])

STAFF_VIEW = "directory.view_staff_directory"


class ProvinceRef(Schema):
    plate_code: int
    name: str


class OrganisationPublicOut(Schema):
    """What anyone may see of an organisation that agreed to be listed."""

    id: int
    name: str
    short_name: str
    legal_form: str | None = Field(description="Applicant type slug")
    province: ProvinceRef | None
    district: str
    website: str
    themes: list[str] = Field(description="Theme slugs")
    description: str
    founding_year: int | None
    parent_id: int | None = Field(description="The parent organisation, for a branch")


class OrganisationFullOut(OrganisationPublicOut):
    """Every field, for staff."""

    association_registry_no: str
    foundation_registry_no: str
    tax_no: str
    address: str
    emails: list[str]
    phones: list[str]
    social_links: dict[str, str]
    size_band: str
    public_listing_consent: bool
    status: str
    verified: bool
    created_at: dt.datetime
    updated_at: dt.datetime


# Staff get the full record, everyone else the public one; tried in this order, a public
# record (which lacks the staff fields) is never mistaken for a full one.
OrganisationOut = Annotated[
    OrganisationFullOut | OrganisationPublicOut, Field(union_mode="left_to_right")
]


class OrganisationPage(Schema):
    items: list[OrganisationOut]
    count: int
    page: int
    pages: int
    page_size: int


def _is_listed(organisation: Organisation) -> bool:
    return organisation.public_listing_consent and organisation.status == "active"


def _public(organisation: Organisation, *, staff: bool = False) -> dict[str, Any]:
    province = organisation.province
    parent = organisation.parent
    return {
        "id": organisation.pk,
        "name": organisation.name,
        "short_name": organisation.short_name,
        "legal_form": organisation.legal_form_id,
        "province": {"plate_code": province.pk, "name": province.name} if province else None,
        "district": organisation.district,
        "website": organisation.website,
        "themes": [theme.slug for theme in organisation.themes.all()],
        "description": organisation.description,
        "founding_year": organisation.founding_year,
        # A parent that is not listed stays unknown to the public, as on the profile page.
        "parent_id": parent.pk if parent and (staff or _is_listed(parent)) else None,
    }


def _full(organisation: Organisation) -> dict[str, Any]:
    return {
        **_public(organisation, staff=True),
        **{
            field: getattr(organisation, field)
            for field in OrganisationFullOut.model_fields
            if field not in OrganisationPublicOut.model_fields
        },
    }


def _out(request: HttpRequest, organisation: Organisation) -> dict[str, Any]:
    return _full(organisation) if can(request.user, STAFF_VIEW) else _public(organisation)


class OrganisationFilterIn(Schema):
    q: str = Field("", max_length=200, description="Words of the name or the province")
    province: int | None = Field(None, description="Plate code, e.g. 35")
    theme: str | None = Field(None, description="Theme slug")
    legal_form: str | None = Field(None, description="Applicant type slug")


class OrganisationPatchIn(Schema):
    """Fields to change; those left out stay as they are."""

    name: str | None = Field(None, min_length=1, max_length=300)
    short_name: str | None = Field(None, max_length=60)
    legal_form: str | None = None
    province: int | None = None
    district: str | None = Field(None, max_length=80)
    address: str | None = None
    emails: list[str] | None = None
    phones: list[str] | None = None
    website: str | None = None
    themes: list[str] | None = None
    founding_year: int | None = Field(None, ge=1800, le=2100)
    description: str | None = None
    public_listing_consent: bool | None = None


class PersonOut(Schema):
    id: int
    full_name: str
    emails: list[str]
    phones: list[str]
    province: ProvinceRef | None
    gender: str
    birth_year: int | None
    language: str
    erased_at: dt.datetime | None


class AffiliationOut(Schema):
    organisation_id: int
    organisation: str
    role: str
    is_admin: bool
    start_date: dt.date | None
    end_date: dt.date | None

    @staticmethod
    def resolve_organisation(obj: Any) -> str:
        return str(obj.organisation.name)


class PersonDetailOut(PersonOut):
    affiliations: list[AffiliationOut]

    @staticmethod
    def resolve_affiliations(obj: Person) -> list[Any]:
        return list(obj.affiliations.all())


class PersonPage(Schema):
    items: list[PersonOut]
    count: int
    page: int
    pages: int
    page_size: int


class ResolveIn(Schema):
    """An organisation as someone typed it."""

    name: str = Field(min_length=1, max_length=300)
    city: str = ""
    email: str = ""
    phone: str = ""
    contact_name: str = ""
    registry_no: str = ""
    website: str = ""
    limit: int = Field(5, ge=1, le=20)


class CandidateOut(Schema):
    id: int
    score: float
    evidence: list[str]
    name: str
    province: ProvinceRef | None


def _page(
    queryset: QuerySet[Any], pagination: PageNumber.Input, request: HttpRequest
) -> dict[str, Any]:
    result: dict[str, Any] = PageNumber().paginate_queryset(queryset, pagination, request)
    return result


def _filters(filters: OrganisationFilterIn) -> queries.OrganisationFilters:
    return queries.OrganisationFilters(
        q=filters.q,
        province=Province.objects.filter(pk=filters.province).first() if filters.province else None,
        theme=Theme.objects.filter(slug=filters.theme).first() if filters.theme else None,
        legal_form=(
            ApplicantType.objects.filter(slug=filters.legal_form).first()
            if filters.legal_form
            else None
        ),
    )


def _unknown_filter(filters: OrganisationFilterIn, chosen: queries.OrganisationFilters) -> bool:
    return (
        (filters.province is not None and chosen.province is None)
        or (bool(filters.theme) and chosen.theme is None)
        or (bool(filters.legal_form) and chosen.legal_form is None)
    )


@router.get(
    "/organisations",
    response=OrganisationPage,
    auth=OptionalAuth(),
    summary="Organisations: the public directory, or every organisation for staff",
)
def organisation_list(
    request: HttpRequest,
    filters: Query[OrganisationFilterIn],
    pagination: Query[PageNumber.Input],
) -> dict[str, Any]:
    chosen = _filters(filters)
    if _unknown_filter(filters, chosen):
        raise HttpError(400, "Unknown province, theme or type.")
    staff = can(request.user, STAFF_VIEW)
    found = queries.staff_directory(chosen) if staff else queries.public_directory(chosen)
    page = _page(found.select_related("parent"), pagination, request)
    page["items"] = [_out(request, organisation) for organisation in page["items"]]
    return page


def _visible_organisations(request: HttpRequest) -> QuerySet[Organisation]:
    visible = (
        Organisation.objects.all()
        if can(request.user, STAFF_VIEW)
        else queries.public_organisations()
    )
    return visible.select_related("province", "parent").prefetch_related("themes")


@router.get(
    "/organisations/{organisation_id}",
    response=OrganisationOut,
    auth=OptionalAuth(),
    summary="One organisation",
)
def organisation_detail(request: HttpRequest, organisation_id: int) -> dict[str, Any]:
    # Not listed (and not staff) answers 404, exactly as a missing one does.
    organisation = get_object_or_404(_visible_organisations(request), pk=organisation_id)
    return _out(request, organisation)


@router.patch(
    "/organisations/{organisation_id}",
    response=OrganisationFullOut,
    auth=token_or_session,
    summary="Change an organisation (its admins and staff)",
)
def organisation_change(
    request: HttpRequest, organisation_id: int, changes: OrganisationPatchIn
) -> dict[str, Any]:
    organisation: Organisation = get_object_for_user(
        request.user,
        "directory.change_organisation",
        Organisation.objects.select_related("province", "parent"),
        pk=organisation_id,
    )
    values = changes.model_dump(exclude_unset=True)
    themes = values.pop("themes", None)
    if "province" in values:
        values["province"] = _province_or_error(values["province"])
    if "legal_form" in values:
        values["legal_form"] = _legal_form_or_error(values["legal_form"])
    try:
        services.organisation_update(
            organisation=organisation,
            actor=request.user,
            themes=_themes_or_error(themes) if themes is not None else None,
            **values,
        )
    except ValidationError as exc:
        raise KaynakError("; ".join(exc.messages), code="invalid") from None
    return _full(organisation)


def _province_or_error(plate: int | None) -> Province | None:
    if plate is None:
        return None
    province = Province.objects.filter(pk=plate).first()
    if province is None:
        raise HttpError(400, f"Unknown province {plate}.")
    return province


def _legal_form_or_error(slug: str | None) -> ApplicantType | None:
    if not slug:
        return None
    legal_form = ApplicantType.objects.filter(slug=slug).first()
    if legal_form is None:
        raise HttpError(400, f"Unknown type {slug!r}.")
    return legal_form


def _themes_or_error(slugs: list[str]) -> list[Theme]:
    themes = list(Theme.objects.filter(slug__in=slugs))
    unknown = set(slugs) - {theme.slug for theme in themes}
    if unknown:
        raise HttpError(400, f"Unknown themes: {', '.join(sorted(unknown))}.")
    return themes


@router.get("/people", response=PersonPage, auth=token_or_session, summary="People (staff)")
def person_list(
    request: HttpRequest, pagination: Query[PageNumber.Input], q: str = ""
) -> dict[str, Any]:
    require(request.user, "directory.view_person")
    return _page(queries.staff_people(q), pagination, request)


@router.get(
    "/people/{person_id}",
    response=PersonDetailOut,
    auth=token_or_session,
    summary="One person (staff)",
)
def person_detail(request: HttpRequest, person_id: int) -> Person:
    person: Person = get_object_for_user(
        request.user,
        "directory.view_person",
        Person.objects.select_related("province").prefetch_related("affiliations__organisation"),
        pk=person_id,
    )
    return person


@router.post(
    "/resolve",
    response=list[CandidateOut],
    auth=token_or_session,
    summary="Which known organisations a typed record may be, best first (staff)",
)
def resolve(request: HttpRequest, record: ResolveIn) -> list[CandidateOut]:
    require(request.user, STAFF_VIEW)
    fields = record.model_dump()
    limit = fields.pop("limit")
    candidates = organisation_candidates(OrganisationRecord(**fields), limit=limit)
    organisations = queries.organisations_by_id([c.id for c in candidates])
    return [
        CandidateOut(
            id=c.id,
            score=round(c.score, 4),
            evidence=list(c.evidence),
            name=organisations[c.id].name,
            province=ProvinceRef.from_orm(organisations[c.id].province)
            if organisations[c.id].province
            else None,
        )
        for c in candidates
        if c.id in organisations
    ]
