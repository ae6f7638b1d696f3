"""Named reads of the directory: the public and staff lists, an NGO admin's organisations, the
people and history behind a record. Visibility is decided here, with the viewer passed in."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from kaynak.core.audit import history_for
from kaynak.core.db import turkish_order
from kaynak.core.models import ApplicantType, AuditEntry, Province, Theme
from kaynak.core.permissions import can
from kaynak.core.text import search_key
from kaynak.directory.models import (
    Affiliation,
    ConsentRecord,
    Organisation,
    OrganisationStatus,
    Person,
)


class OrganisationSort:
    """The orders the staff list offers; the public list is always alphabetical."""

    NAME = "name"
    NAME_DESC = "-name"
    PROVINCE = "province"
    NEWEST = "-created"
    UPDATED = "-updated"

    ALL = (NAME, NAME_DESC, PROVINCE, NEWEST, UPDATED)


@dataclass(frozen=True)
class OrganisationFilters:
    """What a directory list is narrowed to. Empty values do not filter."""

    q: str = ""
    province: Province | None = None
    theme: Theme | None = None
    legal_form: ApplicantType | None = None
    status: str = ""
    verified: bool | None = None
    sort: str = OrganisationSort.NAME

    def as_audit_data(self) -> dict[str, Any]:
        """The filters as plain values, for an audit entry (no personal data in them)."""
        return {
            "q": self.q,
            "province": self.province.pk if self.province else None,
            "theme": self.theme.slug if self.theme else None,
            "legal_form": self.legal_form.slug if self.legal_form else None,
            "status": self.status,
            "verified": self.verified,
            "sort": self.sort,
        }


def _search(queryset: QuerySet[Organisation], q: str) -> QuerySet[Organisation]:
    """Every word of ``q`` must match the name (anywhere in it) or the province (a word of it
    starting so): "istanbul kadın" finds İstanbul's women's organisations."""
    for word in search_key(q).split():
        provinces = Province.objects.filter(
            Q(search_text__startswith=word) | Q(search_text__contains=f" {word}")
        )
        queryset = queryset.filter(Q(search_text__contains=word) | Q(province__in=provinces))
    return queryset


def _filtered(queryset: QuerySet[Organisation], filters: OrganisationFilters) -> Any:
    if filters.q:
        queryset = _search(queryset, filters.q)
    if filters.province is not None:
        queryset = queryset.filter(province=filters.province)
    if filters.theme is not None:
        # A subquery rather than a join: no duplicate rows, no DISTINCT over the whole list.
        queryset = queryset.filter(
            pk__in=Organisation.themes.through.objects.filter(theme=filters.theme).values(
                "organisation_id"
            )
        )
    if filters.legal_form is not None:
        queryset = queryset.filter(legal_form=filters.legal_form)
    return queryset


def _for_lists(queryset: QuerySet[Organisation]) -> QuerySet[Organisation]:
    return queryset.select_related("province", "legal_form").prefetch_related(
        Prefetch("themes", queryset=Theme.objects.order_by("position"))
    )


def public_organisations() -> QuerySet[Organisation]:
    """Organisations anyone may see: active and agreed to be listed."""
    return Organisation.objects.filter(
        public_listing_consent=True, status=OrganisationStatus.ACTIVE
    )


def public_directory(filters: OrganisationFilters) -> QuerySet[Organisation]:
    """The public directory's results, in Turkish alphabetical order."""
    return _for_lists(_filtered(public_organisations(), filters)).order_by(
        turkish_order("name"), "pk"
    )


def staff_directory(filters: OrganisationFilters) -> QuerySet[Organisation]:
    """Every organisation, for staff, filtered and sorted as asked."""
    queryset = _filtered(Organisation.objects.all(), filters)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.verified is not None:
        queryset = queryset.filter(verified=filters.verified)
    order: list[Any] = {
        OrganisationSort.NAME: [turkish_order("name"), "pk"],
        OrganisationSort.NAME_DESC: [turkish_order("name", descending=True), "-pk"],
        # By plate code, as Turkish lists of provinces often are: the index on (province,
        # name) serves it, where ordering by the province's name would sort every row.
        OrganisationSort.PROVINCE: ["province_id", turkish_order("name"), "pk"],
        # Ids grow with creation, and the primary key needs no index of its own.
        OrganisationSort.NEWEST: ["-pk"],
        OrganisationSort.UPDATED: ["-updated_at", "-pk"],
    }.get(filters.sort, [turkish_order("name"), "pk"])
    return _for_lists(queryset).order_by(*order)


def organisation_for_export(filters: OrganisationFilters) -> QuerySet[Organisation]:
    """The staff list's rows with everything an export writes (parent name included)."""
    return staff_directory(filters).select_related("parent")


@dataclass(frozen=True)
class Profile:
    """An organisation's profile page: its public fields, and the related organisations the
    viewer may see (a parent or branch that is not listed is left out)."""

    organisation: Organisation
    parent: Organisation | None
    branches: list[Organisation]


def public_profile(pk: int, *, viewer: Any) -> Profile:
    """An organisation's profile: listed ones for everyone, any one for staff; else 404."""
    staff = can(viewer, "directory.view_staff_directory")
    visible = Organisation.objects.all() if staff else public_organisations()
    try:
        organisation = (
            visible.select_related("province", "legal_form", "parent")
            .prefetch_related(
                Prefetch("themes", queryset=Theme.objects.order_by("position")),
                Prefetch(
                    "branches",
                    queryset=visible.select_related("province").order_by(turkish_order("name")),
                    to_attr="visible_branches",
                ),
            )
            .get(pk=pk)
        )
    except Organisation.DoesNotExist:
        raise Http404 from None
    parent = organisation.parent
    if parent is not None and not staff and not _is_listed(parent):
        parent = None
    return Profile(
        organisation=organisation,
        parent=parent,
        branches=list(getattr(organisation, "visible_branches", [])),
    )


def _is_listed(organisation: Organisation) -> bool:
    return organisation.public_listing_consent and organisation.status == OrganisationStatus.ACTIVE


def organisations_administered_by(user: Any) -> QuerySet[Organisation]:
    """The organisations ``user`` is a current NGO admin of, alphabetically."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return (
        Organisation.objects.filter(
            affiliations__person__user=user,
            affiliations__person__erased_at__isnull=True,
            affiliations__is_admin=True,
            affiliations__end_date__isnull=True,
        )
        .select_related("province", "legal_form")
        .order_by(turkish_order("name"), "pk")
    )


def pending_claims_of(user: Any) -> QuerySet[Affiliation]:
    """The member's current affiliations without admin rights: claims staff have to confirm."""
    if not user.is_authenticated:
        return Affiliation.objects.none()
    return (
        Affiliation.objects.filter(person__user=user, is_admin=False, end_date__isnull=True)
        .select_related("organisation", "organisation__province")
        .order_by(turkish_order("organisation__name"))
    )


def current_affiliations(organisation: Organisation) -> QuerySet[Affiliation]:
    """Who works at ``organisation`` now, admins first, then by name."""
    return (
        Affiliation.objects.filter(organisation=organisation, end_date__isnull=True)
        .select_related("person")
        .order_by("-is_admin", turkish_order("person__full_name"), "pk")
    )


def past_affiliations(organisation: Organisation) -> QuerySet[Affiliation]:
    return (
        Affiliation.objects.filter(organisation=organisation, end_date__isnull=False)
        .select_related("person")
        .order_by("-end_date", "pk")
    )


def organisation_history(organisation: Organisation) -> QuerySet[AuditEntry]:
    """The organisation's audit entries, newest first."""
    return history_for(organisation)


def person_history(person: Person) -> QuerySet[AuditEntry]:
    """The person's audit entries, newest first (they name fields, never values)."""
    return history_for(person)


def staff_people(q: str = "") -> QuerySet[Person]:
    """People for staff, searched by folded name (every word must match), by name."""
    queryset = Person.objects.all()
    for word in search_key(q).split():
        queryset = queryset.filter(search_text__contains=word)
    return queryset.select_related("province").order_by(turkish_order("full_name"), "pk")


def person_detail(pk: int) -> Person:
    """A person with their affiliations and consents, for the staff page; 404 if unknown."""
    try:
        return (
            Person.objects.select_related("province", "user")
            .prefetch_related(
                Prefetch(
                    "affiliations",
                    queryset=Affiliation.objects.select_related("organisation").order_by(
                        "end_date", "pk"
                    ),
                ),
                Prefetch("consents", queryset=ConsentRecord.objects.order_by("-recorded_at")),
            )
            .get(pk=pk)
        )
    except Person.DoesNotExist:
        raise Http404 from None


def organisations_by_id(ids: list[int]) -> dict[int, Organisation]:
    """Organisations for a list of ids (resolver candidates), keyed by id, in one query."""
    return {
        organisation.pk: organisation
        for organisation in Organisation.objects.filter(pk__in=ids).select_related(
            "province", "legal_form"
        )
    }
