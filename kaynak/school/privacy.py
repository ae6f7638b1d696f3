"""The school and a person's rights under KVKK and the GDPR (registered with
``kaynak.directory.privacy``). The export section "school" lists their cohorts with their
standing and graduation certificates; the erasure step "school" replaces the name printed on
their graduation certificates and scrubs the reason they left a cohort, and keeps the
participations (their module registrations, attendance and deliveries are the trainings')."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from kaynak.directory.models import Person
from kaynak.directory.privacy import Erasure, register_erasure_step, register_export_section
from kaynak.school.models import Graduation, Participant


def _participations(ids: Any) -> Any:
    return Participant.objects.filter(person_id__in=ids).select_related(
        "cohort", "organisation", "graduation"
    )


def _iso(value: Any) -> str | None:
    return timezone.localtime(value).isoformat() if value is not None else None


@register_export_section("school")
def school_section(person: Person) -> list[dict[str, Any]]:
    """Their cohorts of the civil-society school, and their graduation certificates."""
    rows = []
    for participant in _participations([person.pk]).order_by("enrolled_at", "pk"):
        graduation = getattr(participant, "graduation", None)
        rows.append(
            {
                "cohort": participant.cohort.name,
                "organisation": participant.organisation.name if participant.organisation else None,
                "status": participant.status,
                "enrolled_at": _iso(participant.enrolled_at),
                "withdrawn_at": _iso(participant.withdrawn_at),
                "withdrawal_reason": participant.withdrawal_reason,
                "graduation": None
                if graduation is None
                else {
                    "code": graduation.code,
                    "holder_name": graduation.holder_name,
                    "modules_completed": graduation.modules_completed,
                    "modules_total": graduation.modules_total,
                    "hours": str(graduation.hours),
                    "issued_at": _iso(graduation.issued_at),
                    "valid": graduation.is_valid,
                },
            }
        )
    return rows


@register_erasure_step("school")
def erase_school(erasure: Erasure) -> dict[str, Any] | None:
    """The name on their graduation certificates and the reasons they left are erased."""
    graduations = list(Graduation.objects.filter(participant__person_id__in=erasure.ids))
    erasure.identified_by(names=[g.holder_name for g in graduations])
    for graduation in graduations:
        graduation.holder_name = erasure.person.full_name
        graduation.save(update_fields=["holder_name"])
    participants = list(
        Participant.objects.filter(person_id__in=erasure.ids).exclude(withdrawal_reason="")
    )
    for participant in participants:
        participant.withdrawal_reason = erasure.scrub(participant.withdrawal_reason)
        participant.save(update_fields=["withdrawal_reason"])
    if not graduations and not participants:
        return None
    return {"graduations": len(graduations), "reasons": len(participants)}
