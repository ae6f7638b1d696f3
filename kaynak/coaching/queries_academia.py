"""Named reads of the NGO–academia programme: staff lists, the public pages (only public
partnerships; the organisation named only when it agreed to be listed; an erased academic shown
as "an academic"), an academic's and an NGO admin's own partnerships."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from kaynak.coaching.models import (
    AcademicProfile,
    Partnership,
    PartnershipActivity,
    PartnershipOutput,
    PartnershipRequest,
    PartnershipStatus,
    RequestStatus,
)
from kaynak.core.db import turkish_order
from kaynak.core.models import Province, Theme
from kaynak.core.text import search_key
from kaynak.directory.models import Organisation, OrganisationStatus, Person
from kaynak.directory.queries import organisations_administered_by
from kaynak.library.models import PublicationStatus

# Partnerships the public pages show: running or finished as planned (one ended early is not).
PUBLIC_STATUSES = [PartnershipStatus.ACTIVE, PartnershipStatus.COMPLETED]


@dataclass(frozen=True)
class PartnershipFilters:
    """What a partnership list is narrowed to; empty values do not filter."""

    province: Province | None = None
    theme: Theme | None = None
    status: str = ""


def _filtered(
    queryset: QuerySet[Partnership], filters: PartnershipFilters
) -> QuerySet[Partnership]:
    if filters.province is not None:
        queryset = queryset.filter(province=filters.province)
    if filters.theme is not None:
        queryset = queryset.filter(theme=filters.theme)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    return queryset


def _for_lists(queryset: QuerySet[Partnership]) -> QuerySet[Partnership]:
    return queryset.select_related(
        "organisation", "academic__person", "theme", "province", "request"
    ).annotate(activity_count=Count("activities", distinct=True))


def staff_partnerships(filters: PartnershipFilters) -> QuerySet[Partnership]:
    """Every partnership, newest start first, for staff."""
    return _for_lists(_filtered(Partnership.objects.all(), filters)).order_by("-starts_on", "-pk")


def partnerships_for_export(filters: PartnershipFilters) -> QuerySet[Partnership]:
    """The staff list's rows with what the export writes (outputs counted)."""
    return staff_partnerships(filters).annotate(output_count=Count("outputs", distinct=True))


def staff_partnership(slug: str) -> Partnership:
    """One partnership for its staff page; 404 when there is none."""
    try:
        return Partnership.objects.select_related(
            "organisation__province",
            "academic__person",
            "theme",
            "province__region",
            "request__round",
            "confirmed_by",
        ).get(slug=slug)
    except Partnership.DoesNotExist:
        raise Http404 from None


def activities_of(partnership: Partnership) -> QuerySet[PartnershipActivity]:
    return (
        partnership.activities.select_related("province")
        .prefetch_related(Prefetch("participants", queryset=Person.objects.order_by("full_name")))
        .order_by("-date", "-pk")
    )


def outputs_of(partnership: Partnership) -> QuerySet[PartnershipOutput]:
    return partnership.outputs.select_related("resource").order_by("-published_on", "-pk")


def people_for_activity(partnership: Partnership) -> QuerySet[Person]:
    """Who may be named on an activity: the organisation's people and the academic."""
    return (
        Person.objects.filter(erased_at__isnull=True)
        .filter(
            Q(affiliations__organisation=partnership.organisation)
            | Q(pk=partnership.academic.person_id)
        )
        .distinct()
        .order_by(turkish_order("full_name"), "pk")
    )


# Academics and requests -------------------------------------------------------------------------


def staff_academics(q: str = "") -> QuerySet[AcademicProfile]:
    """Academics (not erased), alphabetically, with their number of partnerships; ``q``
    narrows by name, institution or expertise."""
    academics = AcademicProfile.objects.filter(person__erased_at__isnull=True)
    for word in search_key(q).split():
        academics = academics.filter(
            Q(person__search_text__contains=word)
            | Q(institution__icontains=word)
            | Q(expertise__icontains=word)
        )
    return (
        academics.select_related("person")
        .prefetch_related("themes", "provinces")
        .annotate(
            partnership_count=Count("partnerships", distinct=True),
            active_count=Count(
                "partnerships",
                filter=Q(partnerships__status=PartnershipStatus.ACTIVE),
                distinct=True,
            ),
        )
        .order_by(turkish_order("person__full_name"), "pk")
    )


def academic_for_staff(pk: int) -> AcademicProfile:
    try:
        return AcademicProfile.objects.select_related("person").get(pk=pk)
    except AcademicProfile.DoesNotExist:
        raise Http404 from None


def people_matching(q: str, *, limit: int = 10) -> list[Person]:
    """Directory people whose name matches every word of ``q`` (the academic form's search)."""
    words = search_key(q).split()
    if not words:
        return []
    people = Person.objects.filter(erased_at__isnull=True)
    for word in words:
        people = people.filter(search_text__contains=word)
    return list(people.select_related("academic").order_by(turkish_order("full_name"))[:limit])


def organisations_matching(q: str, *, limit: int = 10) -> list[Organisation]:
    """Organisations whose name matches every word of ``q`` (the request form's search)."""
    words = search_key(q).split()
    if not words:
        return []
    organisations = Organisation.objects.all()
    for word in words:
        organisations = organisations.filter(search_text__contains=word)
    return list(organisations.select_related("province").order_by(turkish_order("name"))[:limit])


def staff_requests(status: str = "") -> QuerySet[PartnershipRequest]:
    """Requests, open ones first, then newest."""
    requests = PartnershipRequest.objects.all()
    if status:
        requests = requests.filter(status=status)
    return (
        requests.select_related("organisation", "province", "round", "partnership")
        .prefetch_related("themes")
        .order_by("status", "-created_at", "-pk")
    )


def open_request(pk: int) -> PartnershipRequest:
    try:
        return PartnershipRequest.objects.select_related("organisation", "province").get(
            pk=pk, status=RequestStatus.OPEN
        )
    except PartnershipRequest.DoesNotExist:
        raise Http404 from None


# Public pages -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PublicOutput:
    title: str
    kind: str
    published_on: dt.date
    authors: str
    resource_slug: str


@dataclass(frozen=True)
class PublicPartnership:
    """A partnership as anyone may see it."""

    slug: str
    title: str
    organisation: str | None  # None: the organisation did not agree to be listed
    organisation_id: int | None
    academic: str
    institution: str
    theme: Theme
    province: Province
    starts_on: dt.date
    ends_on: dt.date | None
    status: str
    status_label: str
    goals: str
    outputs: list[PublicOutput] = field(default_factory=list)

    @property
    def is_active(self) -> bool:
        return self.status == PartnershipStatus.ACTIVE


def _public_queryset() -> QuerySet[Partnership]:
    published = PartnershipOutput.objects.filter(
        resource__status=PublicationStatus.PUBLISHED
    ).select_related("resource")
    return (
        Partnership.objects.filter(is_public=True, status__in=PUBLIC_STATUSES)
        .select_related("organisation", "academic__person", "theme", "province")
        .prefetch_related(
            Prefetch(
                "outputs",
                queryset=published.order_by("-published_on", "pk"),
                to_attr="public_outputs",
            )
        )
    )


def _listed(organisation: Organisation) -> bool:
    return organisation.public_listing_consent and organisation.status == OrganisationStatus.ACTIVE


def public_view(partnership: Partnership) -> PublicPartnership:
    """What the public pages and the public API show of ``partnership``."""
    academic = partnership.academic
    person = academic.person
    erased = person.erased_at is not None
    listed = _listed(partnership.organisation)
    return PublicPartnership(
        slug=partnership.slug,
        title=partnership.title,
        organisation=partnership.organisation.name if listed else None,
        organisation_id=partnership.organisation_id if listed else None,
        academic=_("an academic") if erased else f"{academic.title} {person.full_name}".strip(),
        institution="" if erased else academic.institution,
        theme=partnership.theme,
        province=partnership.province,
        starts_on=partnership.starts_on,
        ends_on=partnership.ends_on,
        status=partnership.status,
        status_label=str(partnership.get_status_display()),
        goals=partnership.goals,
        outputs=[
            PublicOutput(
                title=output.title,
                kind=str(output.get_kind_display()),
                published_on=output.published_on,
                authors=output.authors,
                resource_slug=output.resource.slug if output.resource else "",
            )
            for output in getattr(partnership, "public_outputs", [])
        ],
    )


def public_partnerships(filters: PartnershipFilters) -> list[PublicPartnership]:
    """Public partnerships (completed first, then running), newest start first."""
    rows = _filtered(_public_queryset(), PartnershipFilters(filters.province, filters.theme))
    ordered = rows.order_by("-status", "-starts_on", "-pk")  # "completed" > "active"
    return [public_view(partnership) for partnership in ordered]


def public_partnership(slug: str) -> PublicPartnership:
    """One public partnership; 404 for any other (nothing non-public leaks)."""
    try:
        return public_view(_public_queryset().get(slug=slug))
    except Partnership.DoesNotExist:
        raise Http404 from None


def public_filter_choices() -> tuple[QuerySet[Theme], QuerySet[Province]]:
    """The themes and provinces public partnerships have (the public filters offer only those)."""
    public = Partnership.objects.filter(is_public=True, status__in=PUBLIC_STATUSES)
    themes = Theme.objects.filter(pk__in=public.values("theme")).order_by("position")
    provinces = Province.objects.filter(pk__in=public.values("province")).order_by(
        turkish_order("name")
    )
    return themes, provinces


# Their own ----------------------------------------------------------------------------------------


def partnerships_of_academic(user: Any) -> QuerySet[Partnership]:
    """The partnerships of the academic whose account ``user`` is."""
    if not user.is_authenticated:
        return Partnership.objects.none()
    return _for_lists(
        Partnership.objects.filter(academic__person__user=user, academic__person__erased_at=None)
    ).order_by("-starts_on", "-pk")


def partnerships_of_organisations(user: Any) -> QuerySet[Partnership]:
    """The partnerships of the organisations ``user`` is an NGO admin of."""
    if not user.is_authenticated:
        return Partnership.objects.none()
    organisations = organisations_administered_by(user).values("pk")
    return _for_lists(Partnership.objects.filter(organisation__in=organisations)).order_by(
        "-starts_on", "-pk"
    )


def partnership_for_member(slug: str) -> Partnership:
    """A partnership for its member page (the caller checks ``coaching.view_partnership``)."""
    return staff_partnership(slug)


def partnerships_of_organisation(organisation: Organisation) -> QuerySet[Partnership]:
    """One organisation's partnerships, newest first (the organisation panel's list; link each
    to ``academia:my-partnership``)."""
    return _for_lists(Partnership.objects.filter(organisation=organisation)).order_by(
        "-starts_on", "-pk"
    )
