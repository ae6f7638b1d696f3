""" "Size uygun fonlar": the open published calls that suit an organisation, ranked, each with
the reasons it is there.

A call is left out when the organisation cannot apply: its applicant types are stated and the
organisation's legal form is not among them, or its countries are stated and Türkiye is not
among them; when the organisation has themes, a call must share at least one. Among the rest,
the score adds up what the reasons say, so a person can check it:

- each shared theme: 3 points;
- the organisation's legal form named among the applicants: 2 (not stated: 0);
- Türkiye named among the countries: 1 (none stated: 0);
- the organisation's province named in the call (a development agency's region): 2.

Equal scores: the sooner deadline first. Calls the organisation already tracks are marked, not
hidden; "not relevant" in digests is one person's choice about their mail, so it does not hide
a call here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kaynak.core.models import ApplicantType, Country, Province, Theme
from kaynak.core.text import search_key
from kaynak.directory.models import Organisation
from kaynak.radar.models import Opportunity, OpportunityStatus, TrackedOpportunity

HOME_COUNTRY = "TR"
THEME_POINTS, TYPE_POINTS, COUNTRY_POINTS, PROVINCE_POINTS = 3, 2, 1, 2
# How many candidate calls are scored in Python (the database already left out the
# ineligible ones; more than this many open calls sharing a theme is not a short list).
CANDIDATE_LIMIT = 500


@dataclass
class Match:
    """One call that suits the organisation, its score and the reasons, ready to show."""

    opportunity: Opportunity
    score: int = 0
    themes: list[Theme] = field(default_factory=list)
    applicant_type: ApplicantType | None = None
    country_named: bool = False
    province_named: Province | None = None
    tracked: bool = False

    @property
    def reasons(self) -> list[str]:
        """ "Temalarınız: kadın, istihdam · Başvurabilir: dernek · Türkiye'den başvurulabilir"."""
        parts = []
        if self.themes:
            names = ", ".join(theme.label.lower() for theme in self.themes)
            parts.append(_("Your themes: %(themes)s") % {"themes": names})
        if self.applicant_type is not None:
            parts.append(_("May apply: %(type)s") % {"type": self.applicant_type.label.lower()})
        if self.country_named:
            parts.append(_("Organisations from Türkiye may apply"))
        if self.province_named:
            province = self.province_named.label
            parts.append(_("Names your province: %(province)s") % {"province": province})
        return parts


def _open_published(now: dt.datetime) -> Q:
    return Q(status=OpportunityStatus.PUBLISHED) & (
        Q(deadline_at__isnull=True) | Q(deadline_at__gte=now)
    )


def suitable_calls(
    organisation: Organisation, *, now: dt.datetime | None = None, limit: int = 20
) -> list[Match]:
    """The open published calls the organisation may apply to, best match first."""
    now = now or timezone.now()
    through_types = Opportunity.applicant_types.through
    through_countries = Opportunity.countries.through
    through_themes = Opportunity.themes.through
    calls = Opportunity.objects.filter(_open_published(now))
    any_type = through_types.objects.filter(opportunity=OuterRef("pk"))
    if organisation.legal_form_id:
        its_type = any_type.filter(applicanttype__slug=organisation.legal_form_id)
        calls = calls.filter(~Exists(any_type) | Exists(its_type))
    any_country = through_countries.objects.filter(opportunity=OuterRef("pk"))
    home = any_country.filter(country_id=HOME_COUNTRY)
    calls = calls.filter(~Exists(any_country) | Exists(home))
    theme_ids = set(organisation.themes.values_list("pk", flat=True))
    if theme_ids:
        shared = through_themes.objects.filter(opportunity=OuterRef("pk"), theme_id__in=theme_ids)
        calls = calls.filter(Exists(shared))
    tracked = TrackedOpportunity.objects.filter(
        organisation=organisation, opportunity=OuterRef("pk")
    )
    calls = (
        calls.annotate(is_tracked=Exists(tracked))
        .select_related("funder")
        .prefetch_related("themes", "applicant_types", "countries")
        .order_by("deadline_at", "-pk")[:CANDIDATE_LIMIT]
    )
    province_key = search_key(organisation.province.name) if organisation.province else ""
    matches = [_score(call, organisation, theme_ids, province_key) for call in calls]
    matches.sort(
        key=lambda m: (
            -m.score,
            m.opportunity.deadline_at is None,
            m.opportunity.deadline_at or now,
            -m.opportunity.pk,
        )
    )
    return matches[:limit]


def _mentions(text: str, key: str) -> bool:
    return bool(key) and f" {key} " in f" {text} "


def _score(
    call: Opportunity, organisation: Organisation, theme_ids: set[int], province_key: str
) -> Match:
    match = Match(opportunity=call, tracked=bool(getattr(call, "is_tracked", False)))
    match.themes = [theme for theme in call.themes.all() if theme.pk in theme_ids]
    match.score += THEME_POINTS * len(match.themes)
    types: list[ApplicantType] = list(call.applicant_types.all())
    named = [t for t in types if t.slug == organisation.legal_form_id]
    if named:
        match.applicant_type = named[0]
        match.score += TYPE_POINTS
    countries: list[Country] = list(call.countries.all())
    if any(country.code == HOME_COUNTRY for country in countries):
        match.country_named = True
        match.score += COUNTRY_POINTS
    if _mentions(call.search_text, province_key) and organisation.province is not None:
        match.province_named = organisation.province
        match.score += PROVINCE_POINTS
    return match
