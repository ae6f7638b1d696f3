"""Exports of coaching engagements: an engagement's action plan as an A4 PDF (goals, plan by
dimension with owner, due date and status, the score change table) and as XLSX; the staff list
of engagements as XLSX. Text cells stay text (a cell starting with "=" is never a formula)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from kaynak.coaching import outcomes
from kaynak.coaching import queries_engagements as queries
from kaynak.coaching.models import Engagement
from kaynak.coaching.scores import dimension_name
from kaynak.core.audit import log_action
from kaynak.core.models import CenterSettings
from kaynak.core.printing import file_uri, font_uri, pdf_from_html
from kaynak.core.spreadsheets import workbook_bytes


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


def _plan_rows(engagement: Engagement) -> list[list[Any]]:
    rows: list[list[Any]] = [
        [
            _("Dimension"),
            pgettext("coaching", "Action"),
            pgettext("coaching", "Owner"),
            _("Due on"),
            pgettext("coaching", "Status"),
            _("Done on"),
        ]
    ]
    for action in queries.plan_of(engagement):
        rows.append(
            [
                dimension_name(action.dimension),
                action.title,
                action.owner,
                action.due_on,
                str(action.get_status_display()),
                action.done_on,
            ]
        )
    return rows


def _change_rows(engagement: Engagement) -> list[list[Any]]:
    rows: list[list[Any]] = [
        [
            _("Dimension"),
            _("Baseline"),
            pgettext("coaching", "Final"),
            pgettext("coaching", "Change"),
        ]
    ]
    for item in outcomes.engagement_change(engagement):
        rows.append([item.name, _number(item.before), _number(item.after), _number(item.change)])
    return rows


def plan_xlsx(engagement: Engagement) -> bytes:
    """The plan ("Action plan") and the score change ("Score change") of one engagement."""
    return workbook_bytes(
        [(_("Action plan"), _plan_rows(engagement)), (_("Score change"), _change_rows(engagement))]
    )


def plan_context(engagement: Engagement) -> dict[str, Any]:
    center = CenterSettings.current()
    plan: dict[str, list[Any]] = {}
    for action in queries.plan_of(engagement):
        plan.setdefault(dimension_name(action.dimension), []).append(action)
    return {
        "center_name": center.name,
        "logo": file_uri(center.logo) if center.logo else "",
        "engagement": engagement,
        "plan": plan,
        "progress": outcomes.plan_progress(engagement),
        "changes": outcomes.engagement_change(engagement),
        "font_regular": font_uri("DejaVuSans.ttf"),
        "font_bold": font_uri("DejaVuSans-Bold.ttf"),
        "language": translation.get_language() or "tr",
    }


def plan_pdf(engagement: Engagement) -> bytes:
    """The engagement's plan as an A4 PDF, in the active language."""
    html = render_to_string("coaching/engagements/plan_pdf.html", plan_context(engagement))
    return pdf_from_html(html)


@transaction.atomic
def _record_export(*, count: int, actor: Any) -> None:
    log_action("kaynak.coaching.engagement.exported", actor=actor, data={"engagements": count})


def engagements_xlsx(*, engagements: QuerySet[Engagement], actor: Any) -> bytes:
    """The staff list: one engagement a row with its plan progress, sessions and hours."""
    found = list(engagements)
    _record_export(count=len(found), actor=actor)
    rows: list[list[Any]] = [
        [
            _("Reference"),
            _("Organisation"),
            _("Province"),
            pgettext("coaching", "Round"),
            _("Coach"),
            _("Starts on"),
            _("Ends on"),
            pgettext("coaching", "Status"),
            _("Plan actions"),
            pgettext("coaching", "Done"),
            _("Dropped"),
            _("Done (%)"),
            _("Sessions"),
            _("Hours"),
        ]
    ]
    for engagement in found:
        progress = outcomes.progress_from_counts(
            engagement.actions_total,  # type: ignore[attr-defined]
            engagement.actions_done,  # type: ignore[attr-defined]
            engagement.actions_dropped,  # type: ignore[attr-defined]
        )
        organisation = engagement.organisation
        rows.append(
            [
                engagement.code,
                organisation.name,
                organisation.province.name if organisation.province else "",
                engagement.round.name if engagement.round else "",
                (engagement.coach.full_name or engagement.coach.email) if engagement.coach else "",
                engagement.starts_on,
                engagement.ends_on,
                str(engagement.get_status_display()),
                progress.total,
                progress.done,
                progress.dropped,
                _number(progress.share_done),
                engagement.session_count,  # type: ignore[attr-defined]
                round(engagement.session_minutes / 60, 2),  # type: ignore[attr-defined]
            ]
        )
    return workbook_bytes([(_("Coaching engagements"), rows)])
