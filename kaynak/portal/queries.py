"""Named reads for the portal's pages."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kaynak.core.models import Theme
from kaynak.core.permissions import can
from kaynak.directory.queries import public_organisations
from kaynak.ledger.queries import ReachFilter, reach_totals, reached_deliveries


@dataclass(frozen=True)
class Figure:
    value: int
    label: str | Promise


@dataclass
class HomePage:
    """What the home page shows: only real figures and lists; a section with nothing is left out."""

    figures: list[Figure] = field(default_factory=list)
    themes: list[Theme] = field(default_factory=list)


def themes_in_order() -> QuerySet[Theme]:
    return Theme.objects.order_by("position")


HOME_FIGURES_CACHE_KEY = "portal:home-figures"
HOME_FIGURES_SECONDS = 600


def home_figures() -> list[Figure]:
    """The center's reach in a few numbers, from the ledger; figures that are zero are left out.

    Cached for ten minutes: at national scale these are counts over a million deliveries.
    """
    cached: list[tuple[int, str]] | None = cache.get(HOME_FIGURES_CACHE_KEY)
    if cached is None:
        everything = ReachFilter()
        reach = reach_totals(everything)
        provinces = (
            reached_deliveries(everything)
            .exclude(province=None)
            .values("province")
            .distinct()
            .count()
        )
        cached = [
            (reach.organisations, "organisations"),
            (reach.people, "people"),
            (provinces, "provinces"),
            (public_organisations().count(), "listed"),
        ]
        cache.set(HOME_FIGURES_CACHE_KEY, cached, HOME_FIGURES_SECONDS)
    labels = {
        "organisations": _("organisations reached"),
        "people": _("people reached"),
        "provinces": _("provinces reached"),
        "listed": _("organisations in the public directory"),
    }
    return [Figure(value=value, label=labels[key]) for value, key in cached if value]


def home_page() -> HomePage:
    # Service apps add their own lists here (upcoming trainings, new funding calls …).
    return HomePage(figures=home_figures(), themes=list(themes_in_order()))


@dataclass(frozen=True)
class StaffLink:
    url: str
    label: str | Promise
    description: str | Promise


def staff_links(user: Any) -> list[StaffLink]:
    """The staff start page's links, each shown only to those who may use it."""
    candidates = [
        (
            "accounts.manage_staff",
            "accounts:staff_users",
            _("Staff accounts"),
            _("Invite colleagues, give and take roles."),
        ),
        (
            "portal.change_center_settings",
            "portal:center_settings",
            _("Center settings"),
            _("Name, logo, colours and contact details of the center."),
        ),
        (
            "accounts.use_api_tokens",
            "accounts:api_tokens",
            _("API tokens"),
            _("Personal tokens for scripts that use the API."),
        ),
        (
            "ledger.view_reach",
            "ledger:reach",
            _("Reach"),
            _("Distinct organisations and people served, and the names behind every number."),
        ),
        (
            "impact.view_indicators",
            "impact:staff-indicators",
            _("Indicators"),
            _("Indicators against their targets for any period; values reported by hand."),
        ),
        (
            "impact.view_indicators",
            "impact:staff-dashboard",
            _("Impact dashboard"),
            _("Headline figures, progress to target, trends, breakdowns and the map of Turkey."),
        ),
        (
            "programmes.view_staff",
            "programmes:staff-dashboard",
            _("Activities"),
            _("Upcoming sessions, registrations, waiting lists, copies and participant lists."),
        ),
        (
            "calls.view_applications",
            "calls:staff",
            _("Calls for applications"),
            _("Calls and their forms, applications, reviewers, ranking, decisions and e-mails."),
        ),
        (
            "calls.view_staff",
            "calls:reviews",
            _("My reviews"),
            _("Applications given to you to review: score them on the call's rubric."),
        ),
        (
            "school.view_cohorts",
            "school:staff-cohorts",
            _("Civil-society school"),
            _("Cohorts, modules, the attendance matrix, participants at risk, graduation."),
        ),
        (
            "festival.view_staff",
            "festival:staff",
            _("Festival"),
            _("Venues, workshop proposals, the programme grid, organisations, badges, check-in."),
        ),
        (
            "coaching.view_staff",
            "coaching:staff",
            _("Coaching"),
            _("Coaching engagements: plans, sessions, capacity assessments and what changed."),
        ),
        (
            "coaching.view_partnerships",
            "academia:staff",
            _("NGO–academia partnerships"),
            _("Academics, organisations' requests, matching, partnerships and publications."),
        ),
        (
            "radar.review_opportunities",
            "radar:staff-drafts",
            _("Funding radar"),
            _("Calls to review and publish, sources and their health, calls entered by hand."),
        ),
        (
            "radar.view_funding_outcomes",
            "radar:staff-funding-outcomes",
            _("Funding outcomes"),
            _("Calls organisations shared with the center: what they applied to and won."),
        ),
        (
            "helpdesk.view_requests",
            "helpdesk:staff-inbox",
            _("Support inbox"),
            _("Requests to the support desk and the EU Support Unit: answer, assign, resolve."),
        ),
        (
            "helpdesk.view_projects",
            "helpdesk:staff-eu-projects",
            _("EU projects"),
            _("EU-funded projects the EU Support Unit supports, and its technical meetings."),
        ),
        (
            "helpdesk.view_reports",
            "helpdesk:staff-reports",
            _("Support desk reports"),
            _("Requests by topic and province, response times, SLA attainment, satisfaction."),
        ),
        (
            "directory.view_staff_directory",
            "directory:staff_list",
            _("Directory"),
            _("Every organisation: search, filters, export, people and history."),
        ),
        (
            "directory.import_organisations",
            "directory:import_upload",
            _("Import organisations"),
            _("Add or link organisations from a spreadsheet, with a preview and per-row errors."),
        ),
        (
            "directory.merge_organisations",
            "directory:duplicates",
            _("Possible duplicates"),
            _(
                "Pairs of organisations that may be one: compare, merge or keep apart; undo a merge."  # noqa: E501
            ),
        ),
        (
            "directory.merge_people",
            "directory:person_duplicates",
            _("Possible duplicate people"),
            _("Pairs of people who may be one: compare, merge or keep apart; undo a merge."),
        ),
        (
            "portal.use_admin",
            "admin:index",
            _("Data administration"),
            _("Every record, with search and history."),
        ),
    ]
    return [
        StaffLink(url=reverse(url_name), label=label, description=description)
        for action, url_name, label, description in candidates
        if can(user, action)
    ]
