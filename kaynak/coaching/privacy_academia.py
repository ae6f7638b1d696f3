"""The academia programme's part of a person's data export and erasure (KVKK/GDPR).

Personal data here: the person's academic profile, the partnerships they took part in as the
academic, and the partnership activities they were named in. Erasure blanks the academic
profile (title, institution, department, expertise, languages, themes, provinces; no longer
available) but keeps the partnerships, whose public pages then say "an academic"; it takes
the person off every activity's participants. The ledger's deliveries stay (the ledger
anonymises them itself).
"""

from __future__ import annotations

from typing import Any

from kaynak.coaching.models import AcademicProfile, Partnership, PartnershipActivity
from kaynak.directory.models import Person
from kaynak.directory.privacy import Erasure, register_erasure_step, register_export_section


@register_export_section("academia")
def academia_section(person: Person) -> dict[str, Any]:
    """Their academic profile, their partnerships as the academic, the activities they were in."""
    profile = (
        AcademicProfile.objects.filter(person=person)
        .prefetch_related("themes", "provinces")
        .first()
    )
    partnerships = Partnership.objects.filter(academic__person=person).select_related(
        "organisation", "theme", "province"
    )
    activities = PartnershipActivity.objects.filter(participants=person).select_related(
        "partnership"
    )
    return {
        "academic_profile": None
        if profile is None
        else {
            "title": profile.title,
            "institution": profile.institution,
            "department": profile.department,
            "expertise": profile.expertise,
            "themes": [theme.slug for theme in profile.themes.all()],
            "provinces": [province.name for province in profile.provinces.all()],
            "languages": list(profile.languages),
            "is_available": profile.is_available,
        },
        "partnerships": [
            {
                "title": p.title,
                "organisation": p.organisation.name,
                "theme": p.theme.slug,
                "province": p.province.name,
                "starts_on": p.starts_on.isoformat(),
                "ends_on": p.ends_on.isoformat() if p.ends_on else None,
                "status": p.status,
                "is_public": p.is_public,
            }
            for p in partnerships
        ],
        "activities": [
            {
                "partnership": a.partnership.title,
                "kind": a.kind,
                "title": a.title,
                "date": a.date.isoformat(),
            }
            for a in activities
        ],
    }


@register_erasure_step("academia")
def erase_academia(erasure: Erasure) -> dict[str, Any]:
    """See the module's docstring; returns counts for the erasure's audit entry."""
    profiles = list(AcademicProfile.objects.filter(person_id__in=erasure.ids))
    for profile in profiles:
        profile.title = ""
        profile.institution = ""
        profile.department = ""
        profile.expertise = ""
        profile.languages = []
        profile.is_available = False
        profile.save()
        profile.themes.clear()
        profile.provinces.clear()
    activities = list(PartnershipActivity.objects.filter(participants__in=erasure.ids).distinct())
    for activity in activities:
        activity.participants.remove(*erasure.ids)
        note = erasure.scrub(activity.note)
        if note != activity.note:
            activity.note = note
            activity.save(update_fields=["note", "updated_at"])
    if not (profiles or activities):
        return {}
    return {
        "academic_profiles": [profile.pk for profile in profiles],
        "activities": [activity.pk for activity in activities],
    }
